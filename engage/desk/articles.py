"""Article suggestion: the therapist's own blog posts that answer a thread (none for a crisis or
a help-seeker: engage.drafting decides).

Must not write: it reads the blog posts stored from the own feed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from engage.desk.thread_facts import draft_input
from engage.models import BlogPost, Thread
from engage.types import BlogArticle

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def article_of(post: BlogPost) -> BlogArticle:
    """A stored blog post as the drafters see it, with what it is mainly about."""
    return BlogArticle(post.url, post.title, post.summary, _topics(post.title, post.summary))


def own_articles(session: Session) -> list[BlogArticle]:
    from sqlalchemy import select

    posts = session.scalars(select(BlogPost).order_by(BlogPost.published_at.desc()).limit(200))
    return [article_of(post) for post in posts]


@functools.lru_cache(maxsize=1024)
def _topics(title: str, summary: str) -> tuple[str, ...]:
    from engage.drafting.articles import article_topics
    from engage.matching import default_taxonomy

    return article_topics(default_taxonomy(), title, summary)


def articles_for(session: Session, thread: Thread, limit: int = 2) -> list[BlogArticle]:
    """The therapist's own articles that answer this thread (none for crisis or help-seekers)."""
    from engage.drafting import suggest_articles

    return suggest_articles(draft_input(thread), own_articles(session), limit=limit)
