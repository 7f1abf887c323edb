"""Article suggestion: the therapist's own blog posts that answer a thread (none for a crisis or
a help-seeker: engage.drafting decides).

Must not write: it reads the blog posts stored from the own feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engage.desk.thread_facts import draft_input
from engage.models import BlogPost, Thread
from engage.types import BlogArticle

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def own_articles(session: Session) -> list[BlogArticle]:
    from sqlalchemy import select

    posts = session.scalars(select(BlogPost).order_by(BlogPost.published_at.desc()).limit(200))
    return [BlogArticle(url=p.url, title=p.title, summary=p.summary) for p in posts]


def articles_for(session: Session, thread: Thread, limit: int = 2) -> list[BlogArticle]:
    """The therapist's own articles that answer this thread (none for crisis or help-seekers)."""
    from engage.drafting import suggest_articles

    return suggest_articles(draft_input(thread), own_articles(session), limit=limit)
