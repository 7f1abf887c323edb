"""What is wrong with a config, said so a therapist can fix it without reading code: each
problem names the file, the dotted field path, the bad value and what was expected (never the
value of a secret or a password in a URL).

Must not read files or the network: engage.config reads the file and hands over its contents;
`environment_problems` only looks at the environment and .env files through the Config.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from engage.config import DATABASE_URL_ENV, Settings

if TYPE_CHECKING:
    from engage.config import Config

# Keys that hold secrets if written in the TOML; the fix is always "name an environment variable".
SECRET_KEY_PATTERN = re.compile(r"(^|_)(password|passwd|secret|token|api_key|apikey|key)$")


def combination_problems(settings: Settings) -> list[str]:
    """Settings that are each valid but can't work together, and a database URL that is no
    URL or holds a password (named without its value, which may be that password)."""
    digest = settings.digest
    needed = [("to", digest.to), ("sender", digest.sender)]
    problems = [
        f"digest.{name}: is missing (needed when digest.enabled = true)"
        for name, value in needed
        if digest.enabled and not value
    ]
    if settings.database.url:
        if problem := database_url_problem(settings.database.url):
            problems.append(f"database.url: {problem}")
        elif _url_password(settings.database.url):
            problems.append(
                f"database.url: holds a password, and secrets never go in the config file: "
                f"remove the URL here and set it, password included, in {DATABASE_URL_ENV} "
                f"(or keep the password in ~/.pgpass or PGPASSWORD)"
            )
    return problems


DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")


DATABASE_URL_FORMS = "sqlite:///PATH or postgresql://USER@HOST[:PORT]/DBNAME"


def database_url_problem(url: str) -> str | None:
    """Why `url` can't be engage's database URL (without naming it: it may hold a password)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return f"is not a database URL ({DATABASE_URL_FORMS})"
    scheme = parts.scheme.lower()
    if scheme not in DATABASE_SCHEMES:
        shown = f"{scheme}://" if scheme else "no scheme"
        return f"has {shown}, not a database engage can use ({DATABASE_URL_FORMS})"
    if scheme == "sqlite" and (parts.netloc or not parts.path.strip("/")):
        return "is not a SQLite URL (sqlite:///relative/path or sqlite:////absolute/path)"
    return None


def feed_problems(settings: Settings) -> list[str]:
    """`config check`'s word on [[feeds]] urls that carry credentials (named by position, never
    shown). Not a load error: a private feed behind HTTP authentication still runs."""
    return [
        f"feeds[{index}].url: holds credentials (user:password@), and passwords never go in "
        f"the config file: remove this feed here and add it with `engage sources add feed URL` "
        f"(kept in engage's database, always shown masked), or use a private feed token if "
        f"your feed service offers one (revocable, and no account password)"
        for index, feed in enumerate(settings.feeds)
        if _url_credentials(feed.url)
    ]


def _url_credentials(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return bool(parts.username or parts.password)


def _url_password(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(url.strip()).password)
    except ValueError:
        return False


def environment_problems(config: Config) -> list[str]:
    """What `config check` can see wrong outside the file, without the network: a database URL
    in the environment that is no URL, credentials the chosen modes need but can't find."""
    problems = []
    if (url := os.environ.get(DATABASE_URL_ENV)) and (problem := database_url_problem(url)):
        problems.append(f"{DATABASE_URL_ENV} (environment): {problem}")
    reddit = config.settings.reddit
    if reddit.mode == "api" and not config.secret(reddit.client_id_env):
        where = config.path or "the defaults"
        problems.append(
            f'{where}: reddit.mode = "api" needs your Reddit app\'s client id: set '
            f"{reddit.client_id_env} in the environment or a .env file beside the config "
            f'(reddit.client_id_env names the variable), or use mode = "rss"'
        )
    return problems


def secret_problems(node: object, where: tuple[str | int, ...]) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = (*where, key)
            if SECRET_KEY_PATTERN.search(str(key).lower()):
                yield (
                    f"{_dotted(here)}: secrets never go in the config file; remove it and put "
                    f"the value in an environment variable or .env file (the variable's name "
                    f"is set by {_dotted((*where, f'{key}_env'))})"
                )
            else:
                yield from secret_problems(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from secret_problems(item, (*where, index))


FRIENDLY = {
    "missing": "is missing",
    "string_type": "is not text (put it in quotes)",
    "int_type": "is not a whole number",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "bool_type": "is not true or false",
    "bool_parsing": "is not true or false",
    "list_type": "is not a list (use [ ... ])",
    "tuple_type": "is not a list (use [ ... ])",
    "dict_type": "is not a table",
    "model_type": "is not a table",
    "model_attributes_type": "is not a table",
}


def describe(error: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    location = tuple(error["loc"])
    kind = error["type"]
    field = _dotted(location)
    if kind == "extra_forbidden":
        return f"{field}: unknown key{_did_you_mean(location)}"
    if kind == "missing":
        return f"{field}: is missing"
    value = _value_at(raw, location)
    shown = json.dumps(value, default=str, ensure_ascii=False)
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    elif kind == "literal_error":
        message = f"is not one of: {error['ctx']['expected']}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = f"is out of range ({error['msg'].lower()})"
    elif kind == "string_pattern_mismatch":
        message = f"does not have the expected form ({error['ctx']['pattern']})"
    else:
        message = FRIENDLY.get(kind, error["msg"])
    return f"{field}: {shown} {message}"


def _did_you_mean(location: tuple[Any, ...]) -> str:
    model: type[BaseModel] = Settings
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        inner = _model_in(annotation)
        if inner is None:
            return ""
        model = inner
    close = difflib.get_close_matches(str(location[-1]), list(model.model_fields), n=1)
    return (
        f" (did you mean {close[0]}?)"
        if close
        else f" (known keys: {', '.join(model.model_fields)})"
    )


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _value_at(raw: Mapping[str, Any], location: tuple[Any, ...]) -> object:
    node: Any = raw
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _dotted(location: tuple[str | int, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
