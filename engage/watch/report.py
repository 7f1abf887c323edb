"""What one watch cycle did, per group of sources and in all: what `engage watch` prints, the
worker logs and the job run records.

Plain values only: must not touch the database or the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engage.ingest import IngestResult


@dataclass(slots=True)
class GroupOutcome:
    label: str
    ok: bool
    new: int = 0
    updated: int = 0
    error: str | None = None


@dataclass(slots=True)
class WatchReport:
    groups: list[GroupOutcome] = field(default_factory=list)
    ingested: IngestResult = field(default_factory=IngestResult)

    @property
    def sources_ok(self) -> int:
        return sum(1 for group in self.groups if group.ok)

    @property
    def sources_failed(self) -> int:
        return sum(1 for group in self.groups if not group.ok)

    def summary(self) -> str:
        errors = f", {self.sources_failed} error" + ("s" if self.sources_failed != 1 else "")
        return (
            f"{self.sources_ok} source{'s' if self.sources_ok != 1 else ''} ok"
            f"{errors if self.sources_failed else ''}; "
            f"{len(self.ingested.new)} new threads, {len(self.ingested.updated)} updated"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources_ok": self.sources_ok,
            "sources_failed": self.sources_failed,
            "new_threads": len(self.ingested.new),
            "updated_threads": len(self.ingested.updated),
            "new_comments": self.ingested.comments_new,
            "groups": [
                {
                    "source": g.label,
                    "ok": g.ok,
                    "new": g.new,
                    "updated": g.updated,
                    "error": g.error,
                }
                for g in self.groups
            ],
        }
