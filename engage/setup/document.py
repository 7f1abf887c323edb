"""The config document `engage init` writes, built from the interview's answers, and the small
TOML writer for it.

Why separate: what goes where in the config (a digest needs both `to` and `sender`; an own blog
is a [[feeds]] entry with own = true; the password is named by variable, never written) is
decided once here, testable without a terminal. Pure: no IO; writes no key the answers didn't
give except the ones a digest needs to work.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

HEADER = (
    "# engage configuration, written by `engage init`.",
    "# Every key is explained in config/engage.example.toml. Secrets never go here: each is",
    "# read from the environment variable named by a *_env key (or a .env file beside this file).",
)
OPTIONAL_PROFILE = ("practice", "faith", "cultural_focus", "website")
#: Profile lists asked only when the config has the field (see interview.EXTRA_PROFILE_LISTS).
LIST_PROFILE = ("languages", "insurance", "modalities", "populations")


def build_document(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The TOML document for `answers` (the parsed values the interview collected)."""
    profile: dict[str, Any] = {
        "name": answers.get("name", ""),
        "credentials": answers.get("credentials", ""),
        "location": answers.get("location", ""),
        "licensed_in": list(answers.get("licensed_in", [])),
    }
    if answers.get("delivery"):
        profile["delivery"] = list(answers["delivery"])
    for key in OPTIONAL_PROFILE:
        if answers.get(key):
            profile[key] = answers[key]
    for key in LIST_PROFILE:
        if answers.get(key):
            profile[key] = list(answers[key])
    profile["specialties"] = dict(answers.get("specialties", {}))

    reddit: dict[str, Any] = {"mode": answers.get("reddit_mode", "rss")}
    reddit["subreddits"] = list(answers.get("subreddits", []))
    if answers.get("reddit_username"):
        reddit["username"] = answers["reddit_username"]

    document: dict[str, Any] = {"profile": profile, "reddit": reddit}
    feeds = [{"url": url, "own": False} for url in answers.get("feeds", [])]
    if answers.get("own_feed"):
        feeds.append({"url": answers["own_feed"], "own": True})
    document["feeds"] = feeds
    if answers.get("mastodon_tags"):
        document["mastodon"] = {
            "instance": answers.get("mastodon_instance") or "https://mastodon.social",
            "tags": list(answers["mastodon_tags"]),
        }
    if answers.get("bluesky_terms"):
        document["bluesky"] = {"terms": list(answers["bluesky_terms"])}
    document["digest"] = _digest(answers)
    if answers.get("llm_model"):
        document["llm"] = {
            "model": answers["llm_model"],
            "key_env": answers.get("llm_key_env") or "ENGAGE_LLM_KEY",
        }
    return document


def _digest(answers: Mapping[str, Any]) -> dict[str, Any]:
    timezone = answers.get("timezone") or "UTC"
    to = answers.get("digest_to")
    if not to:
        return {"enabled": False, "timezone": timezone}
    sender = answers.get("digest_from") or to
    digest: dict[str, Any] = {
        "enabled": True,
        "to": to,
        "sender": sender,
        "send_at": answers.get("send_at") or "07:30",
        "timezone": timezone,
    }
    if answers.get("smtp_host"):
        digest |= {
            "smtp_host": answers["smtp_host"],
            "smtp_port": int(answers.get("smtp_port") or 587),
            "smtp_security": answers.get("smtp_security") or "starttls",
            "smtp_username": answers.get("smtp_username") or sender,
        }
    digest["smtp_password_env"] = answers.get("smtp_password_env") or "ENGAGE_SMTP_PASSWORD"
    return digest


def render_toml(document: Mapping[str, Any]) -> str:
    """A small TOML writer for the shapes init produces (tables, arrays of tables, scalars)."""
    lines = list(HEADER)
    for table, content in document.items():
        if isinstance(content, list):
            for item in content:
                lines += ["", f"[[{table}]]", *_pairs(item)]
            continue
        assert isinstance(content, Mapping)
        scalars = {k: v for k, v in content.items() if not isinstance(v, Mapping)}
        lines += ["", f"[{table}]", *_pairs(scalars)]
        for key, sub in content.items():
            if isinstance(sub, Mapping):
                lines += ["", f"[{table}.{key}]", *_pairs(sub)]
    return "\n".join(lines) + "\n"


def _pairs(table: Mapping[str, Any]) -> list[str]:
    return [
        f"{_key(key)} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()
    ]


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)
