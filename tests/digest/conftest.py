"""A real SMTP server on loopback (aiosmtpd) with STARTTLS and a test CA, and a digest-ready app."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from engage.app import Engage, make_engage
from engage.models import Match, Thread

PASSWORD = "digest-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the server saw: delivered messages and every login attempt."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    #: SMTP replies to give to the next DATA commands instead of accepting (e.g. "451 later").
    refusals: list[str] = field(default_factory=list)
    on_accept: Callable[[], None] | None = None

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        content = envelope.content
        assert isinstance(content, bytes)
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        if self.on_accept is not None:
            self.on_accept()
        return "250 OK"

    def authenticate(self, server: Any, session: Session, envelope: Envelope, mechanism: str,
                     auth_data: Any) -> AuthResult:  # fmt: skip
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login.decode())
        return AuthResult(success=auth_data.password.decode() == PASSWORD)


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox
    ca_file: Path | None


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def start_server(mailbox: Mailbox, tls: ssl.SSLContext | None, **options: Any) -> Controller:
    port = free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, tls_context=tls,
        authenticator=mailbox.authenticate, **options,
    )  # fmt: skip
    controller.start()
    return controller


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def smtp_server(ca: trustme.CA, ca_file: Path) -> Iterator[SmtpServer]:
    """STARTTLS required before AUTH and mail, with a certificate from the test CA."""
    mailbox = Mailbox()
    controller = start_server(
        mailbox, server_context(ca), require_starttls=True, auth_required=True
    )
    yield SmtpServer("127.0.0.1", controller.port, mailbox, ca_file)
    controller.stop()


@pytest.fixture
def plain_smtp_server(ca_file: Path) -> Iterator[SmtpServer]:
    """No STARTTLS at all, and happy to take a password in the clear."""
    mailbox = Mailbox()
    controller = start_server(mailbox, None, auth_require_tls=False)
    yield SmtpServer("127.0.0.1", controller.port, mailbox, ca_file)
    controller.stop()


@pytest.fixture
def untrusted_smtp_server(ca_file: Path) -> Iterator[SmtpServer]:
    """STARTTLS with a certificate from a CA the client does not trust."""
    mailbox = Mailbox()
    controller = start_server(mailbox, server_context(trustme.CA()), require_starttls=True,
                              auth_required=True)  # fmt: skip
    yield SmtpServer("127.0.0.1", controller.port, mailbox, ca_file)
    controller.stop()


def write_config(path: Path, server: SmtpServer, **digest: Any) -> Path:
    values = {
        "enabled": True, "to": "grace@example.org", "sender": "engage@example.org",
        "timezone": "America/Los_Angeles", "smtp_host": server.host, "smtp_port": server.port,
        "smtp_security": "starttls", "smtp_username": "grace", "smtp_timeout": 5,
        "list_unsubscribe": "mailto:grace@example.org?subject=stop",
        **({"smtp_ca_file": str(server.ca_file)} if server.ca_file else {}), **digest,
    }  # fmt: skip
    lines = ["[digest]"] + [f"{key} = {_toml(value)}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _toml(value: Any) -> str:
    import json

    return "true" if value is True else "false" if value is False else json.dumps(value)


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Engage]:
    monkeypatch.setenv("ENGAGE_SMTP_PASSWORD", PASSWORD)

    def make(server: SmtpServer, **digest: Any) -> Engage:
        return make_engage(write_config(tmp_path / "engage.toml", server, **digest))

    return make


def add_thread(app: Engage, *, title: str, body: str = "", url: str = "", score: float = 1.0,
               community: str = "r/therapists", crisis: bool = False, hours_old: float = 2,
               phrases: tuple[str, ...] = ("betrayal trauma",)) -> int:  # fmt: skip
    now = datetime.now(UTC)
    with app.db.write() as session:
        thread = Thread(
            platform="reddit", external_id=f"x{title.__hash__()}{score}", community=community,
            title=title, body=body, url=url or "https://www.reddit.com/r/therapists/comments/1/",
            created_at=now - timedelta(hours=hours_old), first_seen_at=now - timedelta(minutes=5),
            num_comments=3,
        )  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(
            Match(
                thread_id=thread.id, score=score, intent="consult_question",
                specialties=["sex_addiction"], flags=["crisis"] if crisis else [], crisis=crisis,
                reasons=[{"kind": "specialty", "label": "sex_addiction", "text": p}
                         for p in phrases],
                profile_hash="test",
            )
        )  # fmt: skip
        return thread.id
