"""The flow's own vocabulary: platforms, source kinds, what a source fetched, draft states and
kinds, dialogue moves, and the therapist's profile. Plain values: no IO, no imports of engage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    REDDIT = "reddit"
    FEED = "feed"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    LINKEDIN = "linkedin"
    MANUAL = "manual"


class SourceKind(StrEnum):
    """How a source is watched; several kinds can feed one platform (reddit API or its RSS)."""

    REDDIT = "reddit"
    REDDIT_RSS = "reddit_rss"
    FEED = "feed"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"


class DraftStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    REJECTED = "rejected"
    FAILED = "failed"
    UNKNOWN = "unknown"
    EXPIRED = "expired"


class DraftKind(StrEnum):
    REPLY = "reply"
    BLOG_SHARE = "blog_share"
    CRISIS_REPLY = "crisis_reply"
    #: A short personal note to one colleague (Draft.person_id), sent by the therapist by hand.
    NOTE = "note"
    #: An outline for an article of the therapist's own (`engage ideas --outline N`): approved
    #: to keep, never published (Platform.MANUAL, no thread, target "").
    OUTLINE = "outline"


class Move(StrEnum):
    """The dialogue move a reply is built on."""

    ASK = "ask"
    AGREE_EXAMPLE = "agree_example"
    DISAGREE_EXAMPLE = "disagree_example"
    SHARE_ARTICLE = "share_article"
    CRISIS_RESOURCES = "crisis_resources"
    FIND_A_PROFESSIONAL = "find_a_professional"


@dataclass(frozen=True, slots=True)
class FetchedComment:
    """A comment as a source saw it; `parent_id` is the platform's id of what it answers."""

    external_id: str
    thread_external_id: str
    author: str | None
    body: str
    created_at: datetime
    url: str | None = None
    parent_id: str | None = None
    removed: bool = False


@dataclass(frozen=True, slots=True)
class FetchedPost:
    """A thread as a source saw it. `author` is None when deleted; every text field may be empty."""

    platform: Platform
    external_id: str
    community: str
    title: str
    body: str
    url: str
    created_at: datetime
    author: str | None = None
    num_comments: int = 0
    score: int = 0
    locked: bool = False
    removed: bool = False
    link_url: str | None = None
    comments: tuple[FetchedComment, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class PublishedRef:
    """Where a published draft now lives on its platform."""

    platform: Platform
    external_id: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """The therapist as the matcher, drafter and guard see them (the config's [profile] table).

    `specialties` maps taxonomy slugs (config/specialties.toml) to weights in [0, 1]; the eval
    personas in tests/data use exactly this shape.
    """

    specialties: dict[str, float]
    name: str = ""
    credentials: str = ""
    location: str = ""
    licensed_in: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    practice: str | None = None
    faith: str | None = None
    cultural_focus: str | None = None
    extra_terms: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    community_weights: dict[str, float] = field(default_factory=dict)
    voice_samples: tuple[str, ...] = ()
    website: str | None = None
    # What a referral may ask for (matching checks them; empty: languages = English only, the
    # others unknown, except populations, then read from the specialties).
    languages: tuple[str, ...] = ()
    insurance: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
