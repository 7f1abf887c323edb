"""The config's [reddit] section: which subreddits, read how (API, public RSS, or off), and the
therapist's public username (so a reply posted by hand can be recognised)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from engage.config_fields import EnvName, HttpUrl, Section


def _check_subreddit(value: str) -> str:
    from engage.platforms.reddit.listing import subreddit_problem

    if problem := subreddit_problem(value):
        raise ValueError(problem)
    return value


Subreddit = Annotated[str, AfterValidator(_check_subreddit)]


def _check_username(value: str) -> str:
    name = value.strip().removeprefix("/").removeprefix("u/")
    if name and not re.fullmatch(r"[A-Za-z0-9_-]{3,20}", name):
        raise ValueError("is not a Reddit username (3 to 20 letters, digits, _ or -)")
    return name


Username = Annotated[str, AfterValidator(_check_username)]


class RedditSettings(Section):
    mode: Literal["api", "rss", "off"] = "rss"
    subreddits: tuple[Subreddit, ...] = ()
    api_url: HttpUrl = "https://oauth.reddit.com"
    auth_url: HttpUrl = "https://www.reddit.com"
    rss_url: HttpUrl = "https://www.reddit.com"
    user_agent: str = "engage/0.1 (therapist engagement assistant)"
    poll_minutes: float = Field(default=15, gt=0)
    #: The therapist's public Reddit name: their recent comments are read to recognise a reply
    #: they posted by hand (RSS mode), so it is logged rather than posted again.
    username: Username = ""
    client_id_env: EnvName = "ENGAGE_REDDIT_CLIENT_ID"
    client_secret_env: EnvName = "ENGAGE_REDDIT_CLIENT_SECRET"
    username_env: EnvName = "ENGAGE_REDDIT_USERNAME"
    password_env: EnvName = "ENGAGE_REDDIT_PASSWORD"
    refresh_token_env: EnvName = "ENGAGE_REDDIT_REFRESH_TOKEN"
