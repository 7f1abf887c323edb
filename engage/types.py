"""Plain values shared by every step of the flow. No IO here: only dataclasses and enums."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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


# --- guard ---


class GuardSlug(StrEnum):
    """What a guard warning is about; the first six are the evaluated ethics/privacy kinds."""

    CLIENT_IDENTIFYING = "client_identifying"
    INDIVIDUAL_CLINICAL_ADVICE = "individual_clinical_advice"
    SOLICITATION = "solicitation"
    TESTIMONIAL = "testimonial"
    CRISIS_MISHANDLED = "crisis_mishandled"
    UNDISCLOSED_PROMOTION = "undisclosed_promotion"
    LINK_NOT_ALLOWED = "link_not_allowed"
    SELF_PROMOTION_FREQUENCY = "self_promotion_frequency"
    COMMUNITY_RULES = "community_rules"


@dataclass(frozen=True, slots=True)
class GuardWarning:
    """One problem in a draft. `span` is (start, end) into the checked text; a `blocking` warning
    needs an explicit override with a reason before the draft can be approved."""

    slug: GuardSlug
    message: str
    span: tuple[int, int]
    blocking: bool


@dataclass(frozen=True, slots=True)
class CrisisCue:
    """Words that read as a crisis of `kind` (the evaluation's taxonomy): `text[start:end]`."""

    kind: str
    start: int
    end: int
    strength: int


@dataclass(frozen=True, slots=True)
class CrisisAssessment:
    """The crisis detector's answer for one text: the cues and safe contexts it read, and the
    learned second opinion's log-odds (`by_model` when only the model saw a crisis)."""

    crisis: bool
    score: float = 0.0
    kinds: tuple[str, ...] = ()
    cues: tuple[CrisisCue, ...] = ()
    safe_contexts: tuple[str, ...] = ()
    learned_score: float | None = None
    by_model: bool = False


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What the guard knows besides the draft text.

    `thread` is the thread (or a description of it) the draft answers. `crisis` and `client_side`
    are matching's verdicts (None: the guard infers them from `thread`). `own_names` and
    `own_domains` identify the therapist's own content; `allowed_domains` is the link allow-list
    (None: no allow-list check); `recent_items` are the therapist's last approved/published texts,
    newest first; `community_forbids_promotion` comes from the community's rules.
    """

    thread: str = ""
    crisis: bool | None = None
    client_side: bool | None = None
    own_names: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] | None = None
    recent_items: tuple[str, ...] = ()
    community_forbids_promotion: bool = False


# --- matching ---
# Values produced by engage.matching: why a thread was surfaced, with spans into its text.


class Intent(StrEnum):
    """What a thread's author wants; decides how much a reply can do for the therapist."""

    CONSULT_QUESTION = "consult_question"
    REFERRAL_REQUEST = "referral_request"
    DISCUSSION = "discussion"
    ARTICLE_SHARE = "article_share"
    BUSINESS = "business"
    VENT = "vent"
    CLIENT_SEEKING_HELP = "client_seeking_help"
    SPAM = "spam"
    OTHER = "other"


class TextField(StrEnum):
    """Which text of a post a span points into."""

    TITLE = "title"
    BODY = "body"


class ReasonKind(StrEnum):
    SPECIALTY = "specialty"
    EXTRA_TERM = "extra_term"
    EXCLUSION = "exclusion"
    LOCATION = "location"
    CRISIS = "crisis"
    CLIENT_SIDE = "client_side"


class MatchFlag(StrEnum):
    """Facts about a thread that change what engage may do with it, whatever its score."""

    CLIENT_SIDE = "client_side"
    CRISIS = "crisis"
    EXCLUDED = "excluded"
    FILLED = "filled"


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` of the post's `field`, in Python string indices."""

    field: TextField
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence: `text` is exactly what `span` covers; `label` is a slug or place."""

    kind: ReasonKind
    label: str
    text: str
    span: Span
    weight: float


@dataclass(frozen=True, slots=True)
class ScoringInput:
    """What the scorer reads from a thread; the optional fields feed the opportunity factors."""

    title: str
    body: str
    community: str = ""
    created_at: datetime | None = None
    num_comments: int | None = None
    locked: bool = False
    removed: bool = False

    @classmethod
    def of(cls, post: FetchedPost) -> ScoringInput:
        return cls(
            title=post.title,
            body=post.body,
            community=post.community,
            created_at=post.created_at,
            num_comments=post.num_comments,
            locked=post.locked,
            removed=post.removed,
        )


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A thread scored for one profile. Higher `score` ranks first; `factors` explain it."""

    score: float
    relevance: float
    intent: Intent
    specialties: dict[str, float]
    reasons: tuple[Reason, ...]
    flags: frozenset[MatchFlag]
    factors: dict[str, float]

    @property
    def client_side(self) -> bool:
        return MatchFlag.CLIENT_SIDE in self.flags

    @property
    def crisis(self) -> bool:
        return MatchFlag.CRISIS in self.flags


# --- digest ---
# What the daily digest says, gathered by engage.digest.build and rendered by engage.digest.render.


@dataclass(frozen=True, slots=True)
class DigestThread:
    id: int
    community: str
    title: str
    excerpt: str
    url: str
    age_hours: float
    num_comments: int
    intent: str
    specialties: list[str]
    phrases: list[str]
    score: float


@dataclass(frozen=True, slots=True)
class FailingSource:
    label: str
    error: str
    failures: int


@dataclass(frozen=True, slots=True)
class EngagementDay:
    """One day of the weekly chart: published replies/shares, replies received, new colleagues."""

    day: date
    published: int
    replies: int
    new_colleagues: int


@dataclass(frozen=True, slots=True)
class DigestData:
    local_date: date
    timezone: str
    since: datetime
    generated_at: datetime
    communities: list[tuple[str, list[DigestThread]]]
    crisis: list[DigestThread]
    drafts_pending: int
    oldest_pending_hours: float | None
    blog_shares_pending: int
    unknown_publications: int
    failing_sources: list[FailingSource]
    week: list[EngagementDay]

    @property
    def thread_count(self) -> int:
        return sum(len(threads) for _, threads in self.communities)

    @property
    def yesterday(self) -> EngagementDay | None:
        return self.week[-2] if len(self.week) >= 2 else None

    @property
    def quiet(self) -> bool:
        """Nothing to join and nothing waiting: the day a short note (or nothing) is enough."""
        return not (
            self.thread_count or self.crisis or self.drafts_pending or self.blog_shares_pending
            or self.unknown_publications or self.failing_sources
        )  # fmt: skip


# --- drafting ---
# What a drafter reads about a thread, and what it writes (engage.drafting).

from collections.abc import Iterable, Mapping  # noqa: E402
from typing import Any  # noqa: E402

# Evidence worth echoing in a reply: topic words, never the crisis or help-seeking cues.
_TOPIC_REASONS = frozenset({ReasonKind.SPECIALTY.value, ReasonKind.EXTRA_TERM.value})
_MAX_PHRASES = 5


@dataclass(frozen=True, slots=True)
class DraftInput:
    """A thread as a drafter sees it: its text, where it is, and what matching made of it.

    `specialties` are taxonomy slugs, strongest first; `phrases` are the thread's own topic
    words that matched (strongest first, at most five), so a draft can name what was discussed.
    """

    title: str
    body: str
    community: str = ""
    url: str = ""
    platform: Platform = Platform.MANUAL
    intent: Intent = Intent.OTHER
    specialties: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    client_side: bool = False
    crisis: bool = False

    @classmethod
    def from_match(
        cls,
        result: MatchResult,
        *,
        title: str,
        body: str,
        community: str = "",
        url: str = "",
        platform: Platform | str = Platform.MANUAL,
    ) -> DraftInput:
        """From a fresh MatchResult (the matcher's output for this thread)."""
        return cls(
            title=title,
            body=body,
            community=community,
            url=url,
            platform=Platform(platform),
            intent=result.intent,
            specialties=tuple(sorted(result.specialties, key=lambda s: -result.specialties[s])),
            phrases=_topic_phrases((r.kind.value, r.text, r.weight) for r in result.reasons),
            client_side=result.client_side,
            crisis=result.crisis,
        )

    @classmethod
    def from_stored(
        cls,
        match: Mapping[str, Any],
        *,
        title: str,
        body: str,
        community: str = "",
        url: str = "",
        platform: Platform | str = Platform.MANUAL,
    ) -> DraftInput:
        """From a match row's JSON values: "intent" (str), "specialties" (slugs, strongest
        first), "reasons" (dicts with "kind", "text", "weight"), "flags" (list of str), and
        optionally the "crisis"/"client_side" columns. Unknown intents read as OTHER."""
        flags = {str(f) for f in match.get("flags") or ()}
        reasons = [r for r in match.get("reasons") or () if isinstance(r, Mapping)]
        return cls(
            title=title,
            body=body,
            community=community,
            url=url,
            platform=Platform(platform),
            intent=_intent(str(match.get("intent") or "")),
            specialties=tuple(str(s) for s in match.get("specialties") or ()),
            phrases=_topic_phrases(
                (
                    str(r.get("kind") or ReasonKind.SPECIALTY.value),
                    str(r.get("text") or ""),
                    float(r.get("weight") or 0.0),
                )
                for r in reasons
            ),
            client_side=bool(match.get("client_side")) or MatchFlag.CLIENT_SIDE.value in flags,
            crisis=bool(match.get("crisis")) or MatchFlag.CRISIS.value in flags,
        )

    @property
    def text(self) -> str:
        """Title and body as one text (what the guard reads as the thread)."""
        return f"{self.title}\n\n{self.body}".strip()


def _intent(value: str) -> Intent:
    try:
        return Intent(value)
    except ValueError:
        return Intent.OTHER


def _topic_phrases(reasons: Iterable[tuple[str, str, float]]) -> tuple[str, ...]:
    """Distinct topic phrases (case-insensitive), heaviest first, ties in the matcher's order."""
    ranked = sorted(
        ((kind, text.strip(), weight) for kind, text, weight in reasons),
        key=lambda r: -r[2],
    )
    seen: dict[str, str] = {}
    for kind, text, _ in ranked:
        if kind in _TOPIC_REASONS and text:
            seen.setdefault(text.lower(), text)
    return tuple(seen.values())[:_MAX_PHRASES]


@dataclass(frozen=True, slots=True)
class BlogArticle:
    """One of the therapist's own articles. `specialties` (taxonomy slugs, optional) are what
    the article is about, as matching found them; they pick hashtags and matching threads."""

    url: str
    title: str
    summary: str = ""
    specialties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftText:
    """A drafter's output, before the guard and the therapist see it.

    `cites` are the URLs the text links (the therapist's own article, at most); `drafter` says
    what wrote it ("template:<template name>" or "llm:<model id>"), for the review desk and logs.
    """

    text: str
    move: Move
    kind: DraftKind
    cites: tuple[str, ...] = ()
    drafter: str = ""


# --- what people are shown ---
# Stored rows as the CLI and the demo show them, read by the steps (engage.threads,
# engage.watch.source_rows) so no command queries the database itself.


@dataclass(frozen=True, slots=True)
class MatchView:
    """Why a stored thread matched: its score, intent, specialties, flags and evidence."""

    score: float
    intent: str
    specialties: list[str]
    flags: list[str]
    reasons: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "intent": self.intent,
            "specialties": self.specialties,
            "flags": self.flags,
            "reasons": self.reasons,
        }


@dataclass(frozen=True, slots=True)
class ThreadView:
    """A stored thread; `body`, `link_url` and `comments_stored` only when shown in full."""

    id: int
    platform: str
    community: str
    title: str
    author: str | None
    url: str
    created_at: datetime
    num_comments: int
    locked: bool
    removed: bool
    match: MatchView | None = None
    body: str | None = None
    link_url: str | None = None
    comments_stored: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON `engage threads list/show --json` prints (the full fields when present)."""
        row: dict[str, Any] = {
            "id": self.id, "platform": self.platform, "community": self.community,
            "title": self.title, "author": self.author, "url": self.url,
            "created_at": self.created_at.isoformat(), "num_comments": self.num_comments,
            "locked": self.locked, "removed": self.removed,
            "match": None if self.match is None else self.match.as_dict(),
        }  # fmt: skip
        if self.body is not None:
            row.update(body=self.body, link_url=self.link_url)
        if self.comments_stored is not None:
            row["comments_stored"] = self.comments_stored
        return row


@dataclass(frozen=True, slots=True)
class ThreadAdded:
    """`engage thread add`: the stored thread's id, whether it is new or was updated."""

    id: int
    new: bool
    updated: bool
    url: str
    title: str
    #: Why the thread could not be completed from its platform (what was given is stored).
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A watched source as `engage sources add/remove` report it."""

    id: int
    kind: str
    target: str
