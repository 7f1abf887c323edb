"""Email presets for the daily digest: the outgoing server, port and TLS mode of the common
providers, how to make the app password each wants (two lines), and which one an address is.

Why: "SMTP host, port, security" means nothing to most therapists, and each provider refuses
the account's main password for mail sent by a program. Pure data and lookups; never asks for,
holds or checks a password (the config names the environment variable that will hold it).
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.setup.answers import AnswerError, clean


@dataclass(frozen=True, slots=True)
class Preset:
    key: str
    label: str
    host: str
    port: int
    security: str  # "starttls" or "tls"
    steps: tuple[str, str]  # how to make an app password, in two lines
    domains: tuple[str, ...]


PRESETS = {
    preset.key: preset
    for preset in (
        Preset("gmail", "Gmail / Google Workspace", "smtp.gmail.com", 587, "starttls", (
            "Turn on 2-Step Verification (myaccount.google.com > Security).",
            "Create an app password at myaccount.google.com/apppasswords; copy its 16 letters.",
        ), ("gmail.com", "googlemail.com")),
        Preset("outlook", "Outlook / Microsoft 365", "smtp.office365.com", 587, "starttls", (
            "Microsoft 365: your admin turns on Authenticated SMTP for your mailbox.",
            "Create an app password at account.microsoft.com/security (Advanced security).",
        ), ("outlook.com", "hotmail.com", "live.com", "msn.com")),
        Preset("icloud", "iCloud Mail", "smtp.mail.me.com", 587, "starttls", (
            "Turn on two-factor authentication for your Apple Account.",
            "At account.apple.com > Sign-In and Security > App-Specific Passwords, make one.",
        ), ("icloud.com", "me.com", "mac.com")),
        Preset("fastmail", "Fastmail", "smtp.fastmail.com", 465, "tls", (
            "Fastmail: Settings > Privacy & Security > Manage app passwords and access.",
            "Create a new app password with access to SMTP; copy it.",
        ), ("fastmail.com", "fastmail.fm")),
    )
}  # fmt: skip

OTHER = "other"
CHOICES = (*PRESETS, OTHER)
_WORDS = {
    "google": "gmail", "gsuite": "gmail", "workspace": "gmail", "google workspace": "gmail",
    "microsoft": "outlook", "microsoft 365": "outlook", "office 365": "outlook", "m365": "outlook",
    "o365": "outlook", "office": "outlook", "hotmail": "outlook", "exchange": "outlook",
    "apple": "icloud", "me": "icloud", "mac": "icloud", "fm": "fastmail", "something else": OTHER,
    "else": OTHER, "custom": OTHER, "smtp": OTHER,
}  # fmt: skip


def provider_of(address: str) -> str:
    """The preset an address's domain belongs to, else 'other' (a practice's own domain)."""
    domain = address.rpartition("@")[2].lower()
    for preset in PRESETS.values():
        if domain in preset.domains:
            return preset.key
    return OTHER


def provider(raw: str) -> str:
    answer = " ".join(clean(raw).lower().replace("/", " ").split())
    if answer in CHOICES:
        return answer
    if answer in _WORDS:
        return _WORDS[answer]
    for key, preset in PRESETS.items():
        if answer and (answer in preset.label.lower() or preset.label.lower().startswith(answer)):
            return key
    raise AnswerError(f"one of: {', '.join(CHOICES)}")
