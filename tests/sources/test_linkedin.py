"""LinkedIn without the network: which post a URL names, threads added by URL, where the token
is kept (readable by its owner only) and when the therapist is told to renew it."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engage.config import Config, Settings
from engage.errors import ConfigError
from engage.platforms import named, thread_from_url
from engage.platforms.linkedin.settings import LinkedInSettings
from engage.platforms.linkedin.token import (
    expiry_warning,
    load_token,
    read_token,
    save_token,
    token_path,
    token_status,
)
from engage.platforms.linkedin.urns import post_urn
from engage.types import Platform

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
MEMBER = "urn:li:person:782bbtaQ"


@pytest.mark.parametrize(
    ("url", "urn"),
    [
        ("https://www.linkedin.com/feed/update/urn:li:activity:7301234567890123456/",
         "urn:li:activity:7301234567890123456"),
        ("https://www.linkedin.com/feed/update/urn:li:share:7301234567890123457",
         "urn:li:share:7301234567890123457"),
        ("https://linkedin.com/feed/update/urn%3Ali%3AugcPost%3A7301234567890123458/?utm_source=x",
         "urn:li:ugcPost:7301234567890123458"),
        ("https://www.linkedin.com/embed/feed/update/urn:li:share:7301234567890123459",
         "urn:li:share:7301234567890123459"),
        ("https://www.linkedin.com/posts/grace-lee_couples-activity-7301234567890123460-Ab3d",
         "urn:li:activity:7301234567890123460"),
        ("https://www.linkedin.com/posts/grace-lee_slug-ugcPost-7301234567890123461-xY_z/",
         "urn:li:ugcPost:7301234567890123461"),
        ("urn:li:activity:7301234567890123462", "urn:li:activity:7301234567890123462"),
        ("https://www.linkedin.com/in/grace-lee/", None),
        ("https://www.linkedin.com/groups/12345/", None),
        ("https://evil.example/feed/update/urn:li:activity:7301234567890123456/", None),
        ("https://linkedin.com.evil.example/feed/update/urn:li:activity:1/", None),
    ],
)  # fmt: skip
def test_the_post_a_linkedin_address_names(url: str, urn: str | None) -> None:
    assert post_urn(url) == urn


def test_a_linkedin_thread_added_by_url_is_linkedins_with_the_pasted_title() -> None:
    post = thread_from_url(
        "https://www.linkedin.com/posts/grace-lee_couples-activity-7301234567890123460-Ab3d",
        title="After disclosure", body="What helped?",
    )  # fmt: skip

    assert post.platform is Platform.LINKEDIN
    assert (post.title, post.community) == ("After disclosure", "linkedin")


def test_the_desk_is_told_a_share_is_too_long_for_linkedin_before_approval() -> None:
    too_long = named("linkedin").too_long

    assert too_long is not None
    assert too_long("x" * 3000) is None
    assert too_long("x" * 3001) == "longer than a LinkedIn post's 3,000 characters (3,001)"


# --- the stored token ---------------------------------------------------------------------------


def config_at(home: Path, **linkedin: object) -> Config:
    return Config(Settings(linkedin=LinkedInSettings.model_validate(linkedin)), None, home)


def test_the_token_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = token_path(config_at(tmp_path / "home"))
    old = os.umask(0)  # whatever the umask allows, the file is born 0600
    try:
        save_token(path, "secret-token-value", NOW, MEMBER)
    finally:
        os.umask(old)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_token_file_is_never_chmod_ed_into_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_chmod(*_: object, **__: object) -> None:
        raise AssertionError("chmod after creation leaves a moment when others may read it")

    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(Path, "chmod", no_chmod)
    path = tmp_path / "linkedin-token.json"
    save_token(path, "secret-token-value", NOW, MEMBER)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_renewed_token_replaces_the_old_one_whole(tmp_path: Path) -> None:
    path = tmp_path / "linkedin-token.json"
    save_token(path, "first-token-value", NOW, MEMBER)
    path.chmod(0o644)  # loosened by someone: the renewal is born 0600 again
    save_token(path, "second-token-value", NOW + timedelta(days=60), MEMBER)

    token = read_token(path)
    assert token is not None
    assert (token.access_token, token.expires_at, token.member_urn) == (
        "second-token-value", NOW + timedelta(days=60), MEMBER
    )  # fmt: skip
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["linkedin-token.json"]


def test_the_token_is_left_out_of_its_repr(tmp_path: Path) -> None:
    path = tmp_path / "linkedin-token.json"
    save_token(path, "secret-token-value", NOW, MEMBER)

    assert "secret-token-value" not in repr(read_token(path))


def test_a_token_file_that_is_not_one_says_how_to_renew(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    token_path(config).write_text("{not json")

    with pytest.raises(ConfigError, match="run engage auth linkedin"):
        load_token(config)
    assert "run engage auth linkedin" in token_status(config)["warning"]


def test_a_token_in_the_environment_wins_over_the_stored_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_at(tmp_path, access_token_env="MY_LINKEDIN_TOKEN")
    save_token(token_path(config), "stored-token-value", NOW, MEMBER)
    monkeypatch.setenv("MY_LINKEDIN_TOKEN", "env-token-value")

    token = load_token(config)

    assert token is not None
    assert (token.access_token, token.source, token.expires_at) == (
        "env-token-value", "environment", None
    )  # fmt: skip


# --- when to renew --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "warning"),
    [
        (timedelta(days=30), None),
        (timedelta(days=7, hours=1), None),
        (timedelta(days=7), "LinkedIn token expires in 7 days: run engage auth linkedin"),
        (timedelta(days=1, hours=3), "LinkedIn token expires in 1 day: run engage auth linkedin"),
        (timedelta(hours=5), "LinkedIn token expires within a day: run engage auth linkedin"),
        (timedelta(0), "LinkedIn token has expired: run engage auth linkedin"),
        (timedelta(days=-3), "LinkedIn token has expired: run engage auth linkedin"),
    ],
)  # fmt: skip
def test_the_warning_comes_token_warn_days_before_expiry(
    left: timedelta, warning: str | None
) -> None:
    assert expiry_warning(NOW + left, NOW, 7) == warning


def test_a_token_from_the_environment_has_no_known_expiry_and_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_LINKEDIN_ACCESS_TOKEN", "env-token-value")

    status = token_status(config_at(tmp_path), NOW)

    assert status == {"connected": True, "source": "environment", "expires_at": None,
                      "days_left": None, "member_urn": None, "warning": None}  # fmt: skip


def test_status_of_a_stored_token_says_when_it_expires_and_never_the_token(
    tmp_path: Path,
) -> None:
    config = config_at(tmp_path, token_warn_days=10)
    save_token(token_path(config), "secret-token-value", NOW + timedelta(days=9), MEMBER)

    status = token_status(config, NOW)

    assert status == {
        "connected": True, "source": "file", "expires_at": "2026-05-10T09:00:00Z",
        "days_left": 9, "member_urn": MEMBER,
        "warning": "LinkedIn token expires in 9 days: run engage auth linkedin",
    }  # fmt: skip
    assert "secret-token-value" not in repr(status)
