"""The offline drafter: Jinja2 templates (engage/templates/drafts) filled with the thread's
own specifics (its shape: the opinion a reply names, the question it answers, its topic words)
and the therapist's profile.

Why: a draft a therapist would post names what it responds to, leaves a bracket saying exactly
what only the therapist can write, and introduces them only where it matters (a referral
offer, and only when the desk says this community hasn't seen the introduction lately).
Pure: no network, no database; must never quote a thread's title back, and must never offer
the therapist for a referral whose requirements they don't meet."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from engage.drafting import reading
from engage.drafting.base import cited
from engage.drafting.moves import kind_of, resolve_move
from engage.drafting.resources import words_for
from engage.drafting.shape import Shape, read_shape
from engage.guard.text import words
from engage.types import BlogArticle, DraftInput, DraftKind, DraftText, Move, Platform, Profile
from engage.types.matching import FitCheck

_PARAGRAPH = "¶"
_GIST_MAX = 220
_MAX_TAGS = 5
_TAG_WORD = 7  # title words this long become tags: "#Referrals", not "#Formal"
_FALLBACK_TAGS = ("#Therapists", "#MentalHealth", "#PrivatePractice")
_TAG_STOPWORDS = words(
    """without another because between through something anything everything nothing actually
    already getting finally whether however against instead despite during general"""
)
# Community names that only repeat the platform ("Thanks for raising this in linkedin").
_UNNAMED_COMMUNITIES = frozenset({*(p.value for p in Platform), "blog", ""})


class TemplateDrafter:
    """Drafts replies from the templates; see engage.drafting.moves for the move table."""

    def draft(
        self,
        draft_input: DraftInput,
        profile: Profile,
        *,
        move: Move | None = None,
        article: BlogArticle | None = None,
        introduce: bool = True,
        fit: Sequence[FitCheck] | None = None,
    ) -> DraftText:
        """A reply built on `move` (default: choose_move; SHARE_ARTICLE when an article is
        given). `introduce=False`: the community saw the therapist's credential line lately,
        so a referral offer leaves it out; `fit`: matching's check of a referral's
        requirements (None: the languages it names are checked against the profile). Raises
        DraftingError for a move the thread does not allow (anything but crisis resources on
        a crisis thread, networking with a help-seeker, agreeing where no opinion is stated,
        offering oneself for a referral one doesn't fit), for spam, and for an article share
        without an article."""
        shape = read_shape(draft_input, profile, fit)
        move = resolve_move(draft_input, move, article, shape)
        template = _env().select_template(
            [f"{move.value}.{draft_input.intent.value}.txt.j2", f"{move.value}.txt.j2"]
        )
        context = _reply_context(draft_input, profile, article, shape)
        text = _render(template, {**context, "introduce": introduce})
        return DraftText(
            text=text,
            move=move,
            kind=kind_of(move),
            cites=cited(text, (article.url,) if article else ()),
            drafter=f"template:{template.name}",
        )


def blog_share(article: BlogArticle, profile: Profile, max_chars: int | None = None) -> DraftText:
    """A share of the therapist's own article: a hook, two or three sentences in their voice
    (exclamation marks and an emoji only if their writing samples use them), the link and 3-5
    hashtags from what the article is about. Within `max_chars` (the channel's limit) it gives
    up the article's gist, then the hashtags, never the link or the bracket for their words."""
    bang, emoji = _voice(profile.voice_samples)
    tags = hashtags(article, profile)
    context = {
        "pick": reading.picker(article.url, article.title, profile.name, profile.credentials),
        "title": article.title.strip(),
        "gist": gist(article.summary),
        "url": article.url,
        "hashtags": tags,
        "bang": bang,
        "emoji": emoji,
    }
    template = _env().get_template("blog_share.txt.j2")
    text = _render(template, context)
    for shorter in ({"gist": ""}, {"gist": "", "hashtags": tags[:2]}, {"gist": "", "hashtags": []}):
        if max_chars is None or len(text) <= max_chars:
            break
        text = _render(template, {**context, **shorter})
    return DraftText(
        text=text,
        move=Move.SHARE_ARTICLE,
        kind=DraftKind.BLOG_SHARE,
        cites=cited(text, (article.url,)),
        drafter="template:blog_share.txt.j2",
    )


def gist(summary: str) -> str:
    """The summary's first sentence, short enough to quote in a reply or a share."""
    flat = " ".join(summary.split())
    first = re.split(r"(?<=[.!?])\s+", flat, maxsplit=1)[0]
    if len(first) <= _GIST_MAX:
        return first
    return first[:_GIST_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def hashtags(article: BlogArticle, profile: Profile) -> list[str]:
    """3 to 5 tags, no repeats: the main tag of each of the article's specialties (else of the
    therapist's strongest), up to two long words of the title, the article's other specialty
    tags, then general ones."""
    slugs = list(article.specialties)
    strongest = sorted(profile.specialties, key=lambda s: -profile.specialties[s])[:1]
    main = [words_for(slug).hashtags[0] for slug in slugs or strongest]
    title = [
        "#" + word.replace("'", "").replace("-", "").capitalize()
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", article.title)
        if len(word) >= _TAG_WORD and word.lower() not in _TAG_STOPWORDS
    ]
    more = [tag for slug in slugs for tag in words_for(slug).hashtags[1:]]
    chosen: dict[str, str] = {}
    for tag in [*main, *title[:2], *more, *_FALLBACK_TAGS]:
        chosen.setdefault(tag.lower(), tag)
    return list(chosen.values())[:_MAX_TAGS]


@functools.cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("engage", "templates/drafts"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _reply_context(
    draft_input: DraftInput, profile: Profile, article: BlogArticle | None, shape: Shape
) -> dict[str, Any]:
    main = words_for(draft_input.specialties[0]) if draft_input.specialties else None
    community = draft_input.community.strip()
    seed = (draft_input.url, draft_input.title, draft_input.body, profile.name, profile.credentials)
    return {
        "pick": reading.picker(*seed),
        "community": "" if community.lower() in _UNNAMED_COMMUNITIES else community,
        "intro": reading.intro(profile),
        "named_intro": reading.intro(profile, named=True),
        "detail": reading.practice_detail(profile),
        "focus": reading.shared_focus(draft_input, profile),
        "opinion": reading.pick_opinion(shape.opinions, draft_input.phrases),
        "asked": reading.asked(shape.questions, draft_input.phrases),
        "topic": reading.topic(draft_input) or (main.prose if main else None),
        "excerpt": reading.excerpt(draft_input),
        "unmet": reading.unmet(shape.unmet),
        "filters": reading.directory_filters(shape.unmet),
        "specialty": main.prose if main else None,
        "directory": main.directory if main else None,
        "article": {"url": article.url, "title": article.title, "gist": gist(article.summary)}
        if article
        else None,
    }


def _render(template: Template, context: dict[str, Any]) -> str:
    """Lines joined with spaces; `¶` separates paragraphs (see the templates' README)."""
    rendered = template.render(**context)
    paragraphs = rendered.split(_PARAGRAPH)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _voice(samples: Sequence[str]) -> tuple[str, str]:
    """Light touches from the therapist's own writing: "!" when at least one sentence in ten
    of theirs ends with one, and the emoji they use most (if any)."""
    joined = " ".join(samples)
    endings = re.findall(r"[.!?]+(?=\s|$)", joined)
    exclaims = sum(1 for e in endings if "!" in e)
    bang = "!" if endings and exclaims * 10 >= len(endings) else "."
    emoji = [c for c in joined if unicodedata.category(c) == "So"]
    return bang, max(set(emoji), key=emoji.count) if emoji else ""
