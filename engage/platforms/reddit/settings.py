"""The config's [reddit] section: which subreddits, read how (API, public RSS, or off)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from engage.config_fields import EnvName, HttpUrl, Section


def _check_subreddit(value: str) -> str:
    from engage.platforms.reddit.listing import subreddit_problem

    if problem := subreddit_problem(value):
        raise ValueError(problem)
    return value


Subreddit = Annotated[str, AfterValidator(_check_subreddit)]


class RedditSettings(Section):
    mode: Literal["api", "rss", "off"] = "rss"
    subreddits: tuple[Subreddit, ...] = ()
    api_url: HttpUrl = "https://oauth.reddit.com"
    auth_url: HttpUrl = "https://www.reddit.com"
    rss_url: HttpUrl = "https://www.reddit.com"
    user_agent: str = "engage/0.1 (therapist engagement assistant)"
    poll_minutes: float = Field(default=15, gt=0)
    client_id_env: EnvName = "ENGAGE_REDDIT_CLIENT_ID"
    client_secret_env: EnvName = "ENGAGE_REDDIT_CLIENT_SECRET"
    username_env: EnvName = "ENGAGE_REDDIT_USERNAME"
    password_env: EnvName = "ENGAGE_REDDIT_PASSWORD"
    refresh_token_env: EnvName = "ENGAGE_REDDIT_REFRESH_TOKEN"
