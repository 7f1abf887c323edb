"""Fixtures for source tests: the loopback fake Reddit, a feed server, and sources aimed at them.

Everything listens on 127.0.0.1 only. Retries never really sleep: `sleeps` records the waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engage.platforms.reddit.api import RedditSource
from engage.platforms.reddit.client import RedditCredentials, connect_reddit
from engage.sources.http import RetryPolicy
from tests.fakes.reddit import FakeReddit

#: Short enough that the "slow response" fault (1 s) times out quickly.
TEST_TIMEOUT = 0.5


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the retry policy asked for, in order (nothing actually sleeps)."""
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(attempts=4, timeout=TEST_TIMEOUT, sleep=sleeps.append, jitter=lambda: 0.5)


@pytest.fixture
def make_reddit_source(fake_reddit: FakeReddit, retry: RetryPolicy) -> Callable[..., RedditSource]:
    """`make_reddit_source(subreddits, username=None, password=None, **source_kwargs)`."""

    def make(
        subreddits: list[str],
        *,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> RedditSource:
        credentials = RedditCredentials(
            "test-client", "test-secret", username=username, password=password
        )
        reddit = connect_reddit(
            credentials,
            api_url=fake_reddit.url,
            auth_url=fake_reddit.url,
            short_url=fake_reddit.url,
            retry=retry,
        )
        return RedditSource(subreddits, reddit, has_user=credentials.has_user, **kwargs)

    return make
