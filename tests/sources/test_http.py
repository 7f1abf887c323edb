"""The shared retry policy: what it waits, and when it gives up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from engage.errors import SourceError
from engage.sources.http import RetryPolicy, retry_after


def answer(status: int, **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    return response


def test_retry_after_forms() -> None:
    assert retry_after(answer(429, **{"Retry-After": "12"})) == 12.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 85 <= (retry_after(answer(429, **{"Retry-After": later})) or 0) <= 90
    assert retry_after(answer(429, **{"x-ratelimit-reset": "33"})) == 33.0
    assert retry_after(answer(429, **{"Retry-After": "soon"})) is None
    assert retry_after(answer(429)) is None


def test_backoff_is_bounded_and_jittered() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=8, jitter=lambda: 1.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]
    assert RetryPolicy(jitter=lambda: 0.0).backoff(3) == 2.0


def test_gives_up_after_the_attempts() -> None:
    sleeps: list[float] = []
    calls: list[int] = []

    def failing() -> requests.Response:
        calls.append(1)
        raise requests.ConnectionError("connection refused")

    policy = RetryPolicy(attempts=3, sleep=sleeps.append, jitter=lambda: 0.0)
    with pytest.raises(SourceError, match=r"GET x: gave up after 3 attempts .*refused"):
        policy.send(failing, "GET x")
    assert len(calls) == 3 and sleeps == [0.5, 1.0]


def test_final_answers_pass_through() -> None:
    policy = RetryPolicy(sleep=lambda _: pytest.fail("must not wait"))
    assert policy.send(lambda: answer(404), "GET x").status_code == 404
    assert policy.send(lambda: answer(304), "GET x").status_code == 304
