"""Plain values shared by every step of the flow: dataclasses and enums, no IO.

One module per concern, all importable from here (`from engage.types import FetchedPost`):

- flow: platforms, source kinds, fetched posts and comments, draft states and kinds, moves, the
  therapist's profile
- guard: guard warnings and context, crisis assessments
- matching: match results, reasons and spans, what the scorer reads
- digest: what the daily digest says
- drafting: what a drafter reads and writes
- publishing: what a publishing run did, and the engagement log
- views: stored rows as the CLI shows them

Must not import anything of engage but these modules, nor do IO.
"""

from __future__ import annotations

from engage.types.digest import (
    DigestData,
    DigestThread,
    FailingSource,
    WaitingDraft,
)
from engage.types.drafting import (
    BlogArticle,
    DraftInput,
    DraftText,
)
from engage.types.flow import (
    DraftKind,
    DraftStatus,
    FetchedComment,
    FetchedPost,
    Move,
    Platform,
    Profile,
    PublishedRef,
    SourceKind,
)
from engage.types.guard import (
    CrisisAssessment,
    CrisisCue,
    GuardContext,
    GuardSlug,
    GuardWarning,
)
from engage.types.matching import (
    Intent,
    MatchFlag,
    MatchResult,
    Reason,
    ReasonKind,
    ScoringInput,
    Span,
    TextField,
)
from engage.types.publishing import (
    EngagementView,
    PublishItem,
    PublishReport,
    Result,
)
from engage.types.views import (
    MatchView,
    SourceRow,
    ThreadAdded,
    ThreadView,
)

__all__ = [
    "BlogArticle",
    "CrisisAssessment",
    "CrisisCue",
    "DigestData",
    "DigestThread",
    "DraftInput",
    "DraftKind",
    "DraftStatus",
    "DraftText",
    "EngagementView",
    "FailingSource",
    "FetchedComment",
    "FetchedPost",
    "GuardContext",
    "GuardSlug",
    "GuardWarning",
    "Intent",
    "MatchFlag",
    "MatchResult",
    "MatchView",
    "Move",
    "Platform",
    "Profile",
    "PublishItem",
    "PublishReport",
    "PublishedRef",
    "Reason",
    "ReasonKind",
    "Result",
    "ScoringInput",
    "SourceKind",
    "SourceRow",
    "Span",
    "TextField",
    "ThreadAdded",
    "ThreadView",
    "WaitingDraft",
]
