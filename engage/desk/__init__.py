"""The approval desk: everything between a matched thread and a draft the therapist approved,
one module per job:

- states: the draft state machine, the only code that changes a draft's status
- drafts: drafts stored (with their guard warnings and first audit event), edited, re-checked
- guard_context: what the guard knows besides the text; unfilled brackets, invisible characters
- thread_facts: a stored thread as a drafter sees it (the crisis detector ORed in)
- writing: the drafter chosen, replies written on demand or again with another move
- articles: the therapist's own articles that answer a thread
- queue: the drafting step (replies within the daily maximum, crisis replies, blog shares)
- expiry: drafts that can no longer be posted as approved
- feedback: what the desk learns: rejections that rank their kind of thread lower (until
  undone), the therapist's edits kept before and after
- views: drafts as the CLI and the demo show them

Every name is importable from here (`from engage.desk import queue_drafts`). Nothing in the desk
publishes: publishing takes approved drafts from the state machine.
"""

from __future__ import annotations

from engage.desk import states
from engage.desk.articles import (
    articles_for,
    own_articles,
)
from engage.desk.drafts import (
    add_draft,
    edit_draft,
    get_draft,
    recheck_draft,
    reply_target,
    retarget_share,
    store_reply,
    thread_of,
)
from engage.desk.expiry import (
    expire_stale,
)
from engage.desk.feedback import (
    active_lowerings,
    draft_edits,
    list_lowerings,
    ranked_score,
    record_rejection,
    undo_feedback,
)
from engage.desk.guard_context import (
    CRISIS_DOMAINS,
    INVISIBLE,
    PLACEHOLDER,
    RECENT_ITEMS,
    check_text,
    guard_context,
    own_domains,
    placeholder_warnings,
    warnings_json,
)
from engage.desk.queue import (
    DRAFTING_LOCK,
    queue_blog_shares,
    queue_drafts,
    replies_queued_lately,
)
from engage.desk.thread_facts import (
    draft_input,
)
from engage.desk.views import (
    draft_dict,
    draft_rows,
    draft_view,
    list_drafts,
)
from engage.desk.writing import (
    draft_on_demand,
    drafter_for,
    moves_for,
    redraft,
    reply_facts,
    write_reply,
)

__all__ = [
    "CRISIS_DOMAINS",
    "DRAFTING_LOCK",
    "INVISIBLE",
    "PLACEHOLDER",
    "RECENT_ITEMS",
    "active_lowerings",
    "add_draft",
    "articles_for",
    "check_text",
    "draft_dict",
    "draft_edits",
    "draft_input",
    "draft_on_demand",
    "draft_rows",
    "draft_view",
    "drafter_for",
    "edit_draft",
    "expire_stale",
    "get_draft",
    "guard_context",
    "list_drafts",
    "list_lowerings",
    "moves_for",
    "own_articles",
    "own_domains",
    "placeholder_warnings",
    "queue_blog_shares",
    "queue_drafts",
    "ranked_score",
    "recheck_draft",
    "record_rejection",
    "redraft",
    "replies_queued_lately",
    "reply_facts",
    "reply_target",
    "retarget_share",
    "states",
    "store_reply",
    "thread_of",
    "undo_feedback",
    "warnings_json",
    "write_reply",
]
