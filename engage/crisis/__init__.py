"""Crisis triage: is the writer of a post, or someone they describe now, in crisis?

    from engage import crisis
    crisis.assess(title + "\\n" + body, community).crisis

Pure and shared: matching, drafting, the guard and the digest all ask this one detector and OR
its answer with what they already know, so no one place can switch another's check off.
"""

from __future__ import annotations

from engage.crisis.detector import assess, is_crisis, normalize
from engage.crisis.evaluate import evaluate_file, evaluate_records

__all__ = ["assess", "evaluate_file", "evaluate_records", "is_crisis", "normalize"]
