"""The questions `engage init` asks, in a therapist's words and in the order they think of them:
about you, where to listen, the daily digest, drafts.

Every answer goes through a parser from this package; a bad one is asked again with a one-line
hint, and an accepted one is saved at once (engage.setup.progress), so nothing typed is lost.
Answers already given (flags, or saved from an interrupted run) are not asked again. The
terminal, the feed check and the secret lookup are handed in, so the whole interview runs in a
test without a terminal. Must not ask for a password or token (only the names of the variables
that hold them), and must not raise anything but the terminal's own interruption.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from engage.setup import answers as parse
from engage.setup import mail, places, specialties, timezones
from engage.setup.answers import AnswerError
from engage.setup.progress import Progress

T = TypeVar("T")

#: Profile lists asked only if the config has the field: (field, question).
EXTRA_PROFILE_LISTS = (
    ("languages", "Languages you offer therapy in besides English (e.g. Spanish; Enter to skip)"),
    ("insurance", "Insurance panels you are on (e.g. Aetna, Kaiser; Enter to skip)"),
    ("modalities", "Modalities you use (e.g. EMDR, IFS, Gottman; Enter to skip)"),
    ("populations", "Who you see (e.g. adults, couples, teens; Enter to skip)"),
)
SUGGESTED_SUBREDDITS = "therapists, psychotherapy, privatepractice"
REDDIT_NOTE = (
    "Reddit: engage reads each community's public RSS feed by default, because Reddit now "
    "approves new API apps one by one; you post replies yourself from the desk."
)


class Terminal(Protocol):
    def ask(self, prompt: str, default: str) -> str: ...

    def say(self, text: str) -> None: ...


class Interview:
    """Asks (or, without a terminal, takes defaults) and remembers; `given` answers come from
    flags, `saved` ones from an interrupted run."""

    def __init__(
        self,
        terminal: Terminal | None,
        progress: Progress | None = None,
        *,
        given: dict[str, str] | None = None,
        saved: dict[str, str] | None = None,
        has_secret: Callable[[str], bool] = lambda name: False,
        feed_note: Callable[[str], str] | None = None,
        env_file: str = ".env",
    ) -> None:
        self.terminal = terminal
        self.progress = progress
        self.given = given or {}
        self.saved = dict(saved or {})
        self.has_secret = has_secret
        self.feed_note = feed_note
        self.env_file = env_file
        self.values: dict[str, Any] = {}
        self.current = ""  # the question being answered (names a flag whose value won't do)

    # -- the asking ---------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if self.terminal is not None:
            self.terminal.say(text)

    def get(
        self,
        key: str,
        prompt: str,
        parser: Callable[[str], T],
        default: str = "",
        *,
        quiet_default: str = "",
        required: str = "",
    ) -> T:
        """The answer to one question: from the flags, else saved, else asked until usable."""
        self.current = key
        if key in self.given:  # a flag: an AnswerError goes to the caller, naming the flag
            return self._keep(key, parser(self.given[key]), None)
        if key in self.saved:
            try:
                value = self._keep(key, parser(self.saved[key]), self.saved[key])
            except AnswerError:
                pass  # saved by an older engage, or edited: ask again
            else:
                self.say(f"{prompt}: {self.saved[key][:80]}  (saved)")
                return value
        if self.terminal is None:
            return self._keep(key, parser(quiet_default), None)
        while True:
            raw = self.terminal.ask(prompt, default)
            try:
                value = parser(raw)
                if required and not value:
                    raise AnswerError(required)
            except AnswerError as exc:
                self.terminal.say(f"  {exc}")
                continue
            return self._keep(key, value, parse.clean(raw[: parse.MAX_LINE * 5],
                                                      limit=parse.MAX_LINE * 5))  # fmt: skip

    def _keep(self, key: str, value: T, record: str | None) -> T:
        self.values[key] = value
        if record is not None and self.progress is not None:
            problem = self.progress.problem
            self.progress.record(key, record)
            if self.progress.problem and not problem:  # say so once, at the first failure
                self.say(f"  note: {self.progress.problem}: an interruption would lose them")
        return value

    def confirm(self, prompt: str, default: bool = True) -> bool:
        if self.terminal is None:
            return default
        while True:
            try:
                hint = "[Y/n]" if default else "[y/N]"
                return parse.yes_no(self.terminal.ask(f"{prompt} {hint}", ""), default)
            except AnswerError as exc:
                self.terminal.say(f"  {exc}")

    # -- the questions ------------------------------------------------------------------------

    def run(self, extra_profile: frozenset[str] = frozenset()) -> dict[str, Any]:
        self.about_you(extra_profile)
        self.where_to_listen()
        self.digest()
        self.drafts()
        return self.values

    def about_you(self, extra_profile: frozenset[str]) -> None:
        self.say("About you (Enter keeps the [suggestion]; Ctrl-C stops, and you can resume)")
        self.get("name", "Your name, as colleagues know you", parse.text,
                 required="your name as you sign posts, e.g. Dr. Grace Lee")  # fmt: skip
        self.get("credentials", "Your credentials (e.g. LMFT, CSAT; Enter to skip)", parse.text)
        self.specialties()
        location = self.get("location", "Where you see clients (e.g. Southern California)",
                            parse.text)  # fmt: skip
        self.get("licensed_in", "States you are licensed in (names or codes)",
                 places.state_codes, places.state_in(location) or "")  # fmt: skip
        self.get("delivery", "In person, telehealth, or both?", parse.delivery, "both")
        self.get("practice", "Your practice: solo, group, or in your words (Enter to skip)",
                 parse.optional_text)  # fmt: skip
        self.get("faith", "A faith focus, if any (e.g. Christian; Enter to skip)",
                 parse.optional_text)  # fmt: skip
        self.get("cultural_focus", "A cultural focus, if any (e.g. Asian American; Enter to skip)",
                 parse.optional_text)  # fmt: skip
        for field, question in EXTRA_PROFILE_LISTS:
            if field in extra_profile:
                self.get(field, question, parse.items)
        self.get("website", "Your website (Enter to skip)", parse.optional_web_address)
        own = self.get("own_feed", "Your own blog's feed, whose posts you'd share (Enter to skip)",
                       parse.optional_web_address)  # fmt: skip
        if own and "own_feed" not in self.given:
            self._check_feeds([own])

    def specialties(self) -> dict[str, float]:
        """Named in their words, shown as understood, confirmed; weights by order named."""
        key = self.current = "specialties"
        if key in self.given:
            return self._keep(key, specialties.as_table(specialties.choose(self.given[key])), None)
        if key in self.saved:
            try:
                table = specialties.as_table(specialties.choose(self.saved[key]))
                self.say(f"Your specialties: {self.saved[key][:80]}  (saved)")
                return self._keep(key, table, self.saved[key])
            except AnswerError:
                pass
        if self.terminal is None:
            return self._keep(key, {}, None)
        while True:
            raw = self.terminal.ask(
                "Your specialties, main ones first (e.g. sex addiction, couples, EMDR; ? lists)",
                "",
            )
            try:
                if raw.strip() in ("?", "list", "help"):
                    self.terminal.say(specialties.listing())
                    continue
                choices = specialties.choose(raw)
            except AnswerError as exc:
                self.terminal.say(f"  {exc}")
                continue
            self.terminal.say("  I understood:")
            for choice in choices:
                self.terminal.say(f"    {specialties.describe(choice)}")
            if self.confirm("  Is that right?"):
                table = specialties.as_table(choices)
                return self._keep(key, table, parse.clean(raw, limit=parse.MAX_LINE))
            self.terminal.say("  Then name them again, main ones first (couples=0.6 sets a weight)")

    def where_to_listen(self) -> None:
        self.say("")
        self.say("Where to listen (add more any time: engage sources add)")
        self.say(REDDIT_NOTE)
        mode = self.get("reddit_mode", "Reddit: rss, api (an approved app) or off",
                        parse.reddit_mode, "rss", quiet_default="rss")  # fmt: skip
        if mode == "api" and not self.has_secret("ENGAGE_REDDIT_CLIENT_ID"):
            self.say(f"  ENGAGE_REDDIT_CLIENT_ID isn't set (environment or {self.env_file}).")
            if self.confirm('  Use rss until it is? (set mode = "api" later)'):
                self.values["reddit_mode"] = "rss"
        if self.values["reddit_mode"] != "off":
            self.get("subreddits", "Reddit communities to watch (none: no communities)",
                     parse.subreddits, SUGGESTED_SUBREDDITS)  # fmt: skip
            self.get("reddit_username", "Your Reddit username, to recognise replies you post "
                     "by hand (Enter to skip)", parse.reddit_username)  # fmt: skip
        feeds = self.get("feeds", "Colleagues' blog feeds to follow (URLs; Enter to skip)",
                         parse.web_addresses)  # fmt: skip
        if feeds and "feeds" not in self.given:
            self._check_feeds(feeds)
        tags = self.get("mastodon_tags", "Mastodon hashtags to watch (e.g. therapy; Enter to skip)",
                        parse.hashtags)  # fmt: skip
        if tags:
            server = "https://mastodon.social"
            self.get("mastodon_instance", "Your Mastodon server", parse.web_address, server,
                     quiet_default=server)  # fmt: skip
        self.get("bluesky_terms", "Bluesky search terms (e.g. betrayal trauma; Enter to skip)",
                 parse.search_terms)  # fmt: skip

    def _check_feeds(self, urls: list[str]) -> None:
        if self.feed_note is None or self.terminal is None:
            return
        for url in urls:
            self.terminal.say(f"  {url}: {self.feed_note(url)}")

    def digest(self) -> None:
        self.say("")
        self.say("The daily digest email")
        to = self.get("digest_to", "Send the daily digest to (email; Enter for no digest)",
                      parse.optional_email)  # fmt: skip
        if to:
            self._mail_server(to)
            self.get("send_at", "Send it at (local time)", parse.time_of_day, "07:30",
                     quiet_default="07:30")  # fmt: skip
        states = self.values.get("licensed_in") or []
        zone = places.zone_of(states[0]) if states else None
        self.get("timezone", "Your time zone (a city, or Pacific/Mountain/Central/Eastern)",
                 timezones.timezone, zone or "", quiet_default="UTC")  # fmt: skip

    def _mail_server(self, to: str) -> None:
        sender = self.get("digest_from", "Send it from (the address engage signs in as)",
                          parse.email, to, quiet_default=to)  # fmt: skip
        choices = ", ".join(mail.CHOICES)
        guess = mail.provider_of(sender)
        provider = self.get("email_provider", f"Whose mail is that ({choices})", mail.provider,
                            guess, quiet_default=guess)  # fmt: skip
        preset = mail.PRESETS.get(provider)
        if preset is not None:
            for key, value in (("smtp_host", preset.host), ("smtp_port", preset.port),
                               ("smtp_security", preset.security)):  # fmt: skip
                self.values[key] = value
            self.values["smtp_username"] = sender
            self.say(f"  {preset.label}: {preset.host}, port {preset.port} ({preset.security}).")
            for line in preset.steps:
                self.say(f"  {line}")
        elif self.terminal is not None:  # without one, the config's defaults stand
            self.get("smtp_host", "Outgoing mail server (e.g. smtp.example.org)", parse.host,
                     quiet_default="localhost")  # fmt: skip
            self.get("smtp_port", "Its port (587 or 465)", parse.port, "587", quiet_default="587")
            default_security = "tls" if self.values["smtp_port"] == 465 else "starttls"
            self.get("smtp_security", "TLS mode (starttls or tls)", parse.smtp_security,
                     default_security, quiet_default=default_security)  # fmt: skip
            self.get("smtp_username", "User name for the mail server", parse.text, sender,
                     quiet_default=sender)  # fmt: skip
        name = self.get("smtp_password_env", "Which environment variable will hold the (app) "
                        "password", parse.env_name, "ENGAGE_SMTP_PASSWORD",
                        quiet_default="ENGAGE_SMTP_PASSWORD")  # fmt: skip
        if not self.has_secret(name):
            self.say(f"  Put the password in {self.env_file} as one line: {name}=... "
                     "(never in the config file)")  # fmt: skip

    def drafts(self) -> None:
        self.say("")
        self.say("Drafts are written from templates, offline. An LLM can write them instead.")
        model = self.get("llm_model", "LLM model name the `llm` library knows (Enter: templates)",
                         parse.optional_text)  # fmt: skip
        if model:
            self.get("llm_key_env", "Which environment variable holds its key", parse.env_name,
                     "ENGAGE_LLM_KEY", quiet_default="ENGAGE_LLM_KEY")  # fmt: skip
