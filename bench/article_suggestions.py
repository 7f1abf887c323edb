"""How often the therapist's own articles are suggested on threads, and how often on-topic.

    .venv/bin/python bench/article_suggestions.py

For the demo therapist's two articles and the CSAT persona (P1) of tests/data/eval, over the dev
and blind thread sets: the share of colleague threads (no crisis, no help-seeker) that get a
suggestion, and how many of those are labelled with one of the articles' topics (sex_addiction,
couples) — a rough proxy for "the article answers this thread".
"""

from __future__ import annotations

from pathlib import Path

from engage.demo import OWN_BLOG
from engage.drafting import suggest_articles
from engage.drafting.articles import article_topics
from engage.matching import Matcher, load_taxonomy
from engage.matching.evaluate import read_personas, read_threads
from engage.types import BlogArticle, DraftInput, ScoringInput

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"
ON_TOPIC = {"sex_addiction", "couples"}


def main() -> None:
    taxonomy = load_taxonomy()
    matcher = Matcher(taxonomy, read_personas(EVAL / "personas.json")["P1"])
    articles = [
        BlogArticle(f"https://blog.example/{n}", title, summary,
                    article_topics(taxonomy, title, summary))
        for n, (title, summary) in enumerate(OWN_BLOG)
    ]  # fmt: skip
    for name in ("threads-dev.jsonl", "threads-blind.jsonl"):
        colleagues = suggested = on_topic = 0
        for record in read_threads(EVAL / name):
            match = matcher.score(
                ScoringInput(record["title"], record["body"], record["community"])
            )
            thread = DraftInput.from_match(match, title=record["title"], body=record["body"],
                                           community=record["community"])  # fmt: skip
            if thread.crisis or thread.client_side:
                continue
            colleagues += 1
            if suggest_articles(thread, articles, limit=1):
                suggested += 1
                on_topic += bool(ON_TOPIC & set(record.get("labels", [])))
        share = f"{suggested / colleagues:.0%}"
        print(f"{name}: {suggested}/{colleagues} threads get a suggestion ({share}); "
              f"{on_topic} of them on the articles' topics")  # fmt: skip


if __name__ == "__main__":
    main()
