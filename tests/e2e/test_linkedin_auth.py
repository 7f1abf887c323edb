"""`engage auth linkedin` end to end: engage runs as a subprocess, the test plays the browser
(it opens the printed address on the loopback LinkedIn, which answers as a member who allows
the app, and follows the redirect back to engage's callback), and the token lands in the data
directory, readable by its owner only, with the member it posts as."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from engage.platforms.linkedin.token import TOKEN_FILE, read_token
from tests.e2e.desk_world import run
from tests.fakes.linkedin import CLIENT_ID, CLIENT_SECRET, MEMBER, FakeLinkedIn


@pytest.fixture
def linkedin() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn() as server:
        yield server


@pytest.fixture
def config(tmp_path: Path, linkedin: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENGAGE_LINKEDIN_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("ENGAGE_LINKEDIN_CLIENT_SECRET", CLIENT_SECRET)
    path = tmp_path / "engage.toml"
    path.write_text(f'[linkedin]\napi_url = "{linkedin.url}"\nauth_url = "{linkedin.url}"\n')
    return path


@dataclass
class Signing:
    """engage waiting for LinkedIn's answer, and what it printed before it."""

    process: subprocess.Popen[str]
    printed: list[str]
    authorization_url: str

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, "\n".join(self.printed) + err


def start(config: Path, *args: str) -> Signing:
    """`engage auth linkedin` started, up to the line with the address to open."""
    process = subprocess.Popen(
        [sys.executable, "-m", "engage", "--config", str(config), "auth", "linkedin",
         "--no-browser", "--timeout", "30", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    assert process.stderr is not None
    printed: list[str] = []
    for line in process.stderr:
        printed.append(line.rstrip("\n"))
        if "/oauth/v2/authorization?" in line:
            return Signing(process, printed, line.strip())
    process.wait(timeout=30)
    raise AssertionError("engage printed no authorization address:\n" + "\n".join(printed))


def browse(url: str) -> requests.Response:
    """What a browser does with a link: follows nothing by itself here, so the test sees each
    step."""
    return requests.get(url, allow_redirects=False, timeout=30)


def test_auth_linkedin_stores_the_token_readable_by_its_owner_only_with_the_member(
    config: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    signing = start(config, "--json")
    consent = browse(signing.authorization_url)
    assert consent.status_code == 302
    back = browse(consent.headers["Location"])
    code, out, err = signing.finish()

    assert code == 0, err
    assert back.status_code == 200 and "close this tab" in back.text
    path = engage_env / TOKEN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = read_token(path)
    assert token is not None
    assert (token.access_token, token.member_urn) == (linkedin.token, MEMBER)
    shown = json.loads(out)
    assert shown["member_urn"] == MEMBER
    assert token.expires_at is not None
    assert shown["expires_at"] == token.expires_at.isoformat().replace("+00:00", "Z")
    assert linkedin.token not in out + err
    assert linkedin.violations == []


def test_the_authorization_asks_linkedin_for_posting_and_who_the_member_is(
    config: Path, linkedin: FakeLinkedIn
) -> None:
    signing = start(config)
    query = parse_qs(urlsplit(signing.authorization_url).query)
    browse(browse(signing.authorization_url).headers["Location"])
    signing.finish()

    assert urlsplit(signing.authorization_url).path == "/oauth/v2/authorization"
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["openid profile w_member_social"]
    assert len(query["state"][0]) >= 32
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["redirect_uri"][0].endswith("/callback")


def test_a_callback_with_a_state_engage_did_not_send_is_refused_and_nothing_is_stored(
    config: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    signing = start(config)
    consent = browse(signing.authorization_url)
    forged = urlsplit(consent.headers["Location"])
    query = {k: v[-1] for k, v in parse_qs(forged.query).items()}
    query["state"] = "a-state-from-someone-else"
    back = browse(urlunsplit(forged._replace(query=urlencode(query))))
    code, _, err = signing.finish()

    assert code == 1
    assert back.status_code == 400
    assert "error: LinkedIn's answer carried a state engage did not send" in err
    assert "nothing was stored" in err
    assert not (engage_env / TOKEN_FILE).exists()
    assert linkedin.count("/oauth/v2/accessToken") == 0


def test_a_member_who_does_not_allow_engage_leaves_nothing_stored(
    config: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    linkedin.deny = True
    signing = start(config)
    browse(browse(signing.authorization_url).headers["Location"])
    code, _, err = signing.finish()

    assert code == 1
    assert "LinkedIn did not allow engage (user_cancelled_authorize" in err
    assert not (engage_env / TOKEN_FILE).exists()


def test_the_registered_redirect_port_is_the_one_used_and_printed(
    config: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    port = free_port()
    config.write_text(config.read_text() + f"redirect_port = {port}\n")
    linkedin.registered_redirect = f"http://127.0.0.1:{port}/callback"
    signing = start(config)
    browse(browse(signing.authorization_url).headers["Location"])
    code, _, err = signing.finish()

    assert code == 0, err
    assert f"http://127.0.0.1:{port}/callback" in signing.printed[0]
    assert (engage_env / TOKEN_FILE).exists()


def test_other_requests_to_the_callback_server_do_not_end_the_wait(
    config: Path, linkedin: FakeLinkedIn
) -> None:
    signing = start(config)
    location = browse(signing.authorization_url).headers["Location"]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(location))

    assert browse(origin + "/favicon.ico").status_code == 404
    assert browse(location).status_code == 200
    code, _, err = signing.finish()
    assert code == 0, err


def test_no_answer_within_the_timeout_stores_nothing(config: Path, engage_env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "engage", "--config", str(config), "auth", "linkedin",
         "--no-browser", "--timeout", "1"],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )  # fmt: skip

    assert done.returncode == 1
    assert "no answer from LinkedIn within 1 s" in done.stderr
    assert not (engage_env / TOKEN_FILE).exists()


def test_a_code_linkedin_refuses_to_exchange_stores_nothing(
    config: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    linkedin.client_secret = "the-secret-was-rotated"
    signing = start(config)
    browse(browse(signing.authorization_url).headers["Location"])
    code, _, err = signing.finish()

    assert code == 1
    assert "invalid_client" in err and "client_secret_env" in err
    assert CLIENT_SECRET not in err
    assert not (engage_env / TOKEN_FILE).exists()


def test_without_the_apps_client_id_and_secret_it_says_where_they_go(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENGAGE_LINKEDIN_CLIENT_SECRET")

    result = run(config, "auth", "linkedin", "--no-browser")

    assert result.exit_code == 2
    assert "ENGAGE_LINKEDIN_CLIENT_SECRET" in result.output


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
