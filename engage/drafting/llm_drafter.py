"""The optional LLM drafter, through Simon Willison's `llm` library (any provider its plugins
support, local models included). `pip install 'engage[llm]'`; the rest of engage never
imports `llm`.

The model writes only peer replies. Crisis and help-seeker replies always come from the
reviewed templates: that text is about safety, not voice. Whatever the model writes, the
caller still runs the guard on it before the therapist sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from engage.drafting import reading
from engage.drafting.base import cited
from engage.drafting.errors import DraftingError
from engage.drafting.moves import kind_of, resolve_move
from engage.drafting.shape import Shape, read_shape
from engage.drafting.templates import TemplateDrafter, gist
from engage.types import BlogArticle, DraftInput, DraftText, Intent, Move, Profile
from engage.types.matching import FitCheck

_TEMPLATE_ONLY = frozenset({Move.CRISIS_RESOURCES, Move.FIND_A_PROFESSIONAL})
_NAMES_OPINION = frozenset({Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE})
_BODY_MAX = 4000  # characters of the thread sent to the model
_EXAMPLE = "[an example from your work with formal disclosure]"

RULES = f"""\
You draft a reply that a psychotherapist will edit and approve before it is posted in an
online discussion among colleagues. Write as the therapist, in the first person.

Hard rules:
- Say you are a therapist; give the therapist's credentials and place only when the user
  message says to introduce them.
- Never quote the thread's title or its questions back: the poster knows what they asked.
- No client details: no names, ages, places, dates, occupations or stories that could identify
  anyone. Where only the therapist can supply something (an example from practice, their own
  answer), write a placeholder in square brackets that says exactly what to write, built from
  the thread, such as {_EXAMPLE}; at least one. Use brackets for nothing else.
- No individual clinical advice: do not diagnose anyone, and do not recommend treatment or
  medication for a specific person.
- No solicitation: do not invite anyone to become a client, book a session, send a private
  message or contact you, and never ask for reviews or testimonials.
- No links, unless the user message gives the therapist's own article to share; then include
  its address once and say plainly that the therapist wrote it.
- 2 to 5 sentences of plain text: no headings, no lists, no hashtags, no sign-off.
- Answer with the reply text only."""

_MOVES = {
    Move.ASK: (
        "Leave a placeholder for the therapist's own answer to what the thread asks, then ask "
        "one question about the topic itself, in the thread's own words; never turn the "
        "question back to the poster (no 'what's your own hunch')."
    ),
    Move.AGREE_EXAMPLE: (
        "Agree with the opinion named below, naming it in a few words, and add an example "
        "from practice (as a placeholder)."
    ),
    Move.DISAGREE_EXAMPLE: (
        "Respectfully disagree with the opinion named below, naming it in a few words, and "
        "give an example from practice where it went differently (as a placeholder)."
    ),
    Move.SHARE_ARTICLE: (
        "Share the therapist's own article below where it answers the thread, saying it is "
        "theirs (for example: I wrote about this here: <address>)."
    ),
}
_REFERRAL = (
    "A colleague asks for a referral. Offer the therapist as one option: who they are, how they "
    "work with this ([a sentence or two the therapist will write]), and that they are glad to "
    "answer questions about fit in the thread."
)


class _Answer(Protocol):
    def text(self) -> str: ...


class _Model(Protocol):
    """What we use of an `llm` model (sync models: llm.Model, llm.KeyModel)."""

    def prompt(
        self,
        prompt: str | None = None,
        *,
        system: str | None = None,
        stream: bool = True,
        **kw: Any,
    ) -> _Answer: ...


class LlmDrafter:
    """Drafts peer replies with a model. `model_id` is any model `llm` knows (`llm models`
    lists them); with `api_base`, it is the model name on an OpenAI-compatible server there
    (a local llama.cpp, Ollama or vLLM server, or a hosted one). `key` is the API key, if the
    provider needs one (else `llm`'s own key store and environment are used)."""

    def __init__(self, model_id: str, *, api_base: str | None = None, key: str | None = None):
        self.model_id = model_id
        self.api_base = api_base
        self.key = key
        self._templates = TemplateDrafter()
        self._model: _Model | None = None

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
        shape = read_shape(draft_input, profile, fit)
        move = resolve_move(draft_input, move, article, shape)
        if move in _TEMPLATE_ONLY or (
            draft_input.intent is Intent.REFERRAL_REQUEST and move is Move.ASK
        ):
            # a referral the therapist doesn't fit: the templates' pointer, never an offer
            return self._templates.draft(
                draft_input, profile, move=move, article=article, introduce=introduce, fit=fit
            )
        system = voiced_rules(profile)
        prompt = thread_prompt(draft_input, profile, move, article, shape, introduce=introduce)
        text = self._complete(system, prompt)
        return DraftText(
            text=text,
            move=move,
            kind=kind_of(move),
            cites=cited(text, (article.url,) if article else ()),
            drafter=f"llm:{self.model_id}",
        )

    def _complete(self, system: str, prompt: str) -> str:
        model = self._model = self._model or self._resolve()
        try:
            response = model.prompt(prompt, system=system, stream=False, key=self.key)
            text = response.text().strip().strip('"“”').strip()
        # Provider plugins raise their own exception types (openai's, httpx's, a local runtime's);
        # to the user each is the same expected failure: the model did not answer.
        except Exception as error:
            raise DraftingError(f"model {self.model_id} did not answer: {error}") from error
        if not text:
            raise DraftingError(f"model {self.model_id} answered with an empty draft")
        return text

    def _resolve(self) -> _Model:
        try:
            import llm
        except ImportError as error:
            raise DraftingError(
                "the LLM drafter needs the llm package: pip install 'engage[llm]'"
            ) from error
        if self.api_base:
            from llm.default_plugins.openai_models import Chat

            # llm's plugin classes are untyped.
            chat = Chat(  # type: ignore[no-untyped-call]
                model_id=self.model_id, model_name=self.model_id, api_base=self.api_base
            )
            if self.key is None:
                # As llm does for its configured api_base models: never send the user's
                # OpenAI key to another server.
                chat.needs_key = None  # type: ignore[assignment]
            return chat
        try:
            return llm.get_model(self.model_id)
        except llm.UnknownModelError as error:
            raise DraftingError(
                f"unknown model {self.model_id!r} (`llm models` lists the installed ones)"
            ) from error


def voiced_rules(profile: Profile) -> str:
    """The hard rules, then the therapist's writing samples to take the tone from."""
    if not profile.voice_samples:
        return RULES
    samples = "\n---\n".join(s.strip() for s in profile.voice_samples)
    return (
        f"{RULES}\n\nThe therapist's voice: samples of their own writing. Match their tone and "
        f"word choice; do not copy their sentences or their stories.\n---\n{samples}\n---"
    )


def thread_prompt(
    draft_input: DraftInput,
    profile: Profile,
    move: Move,
    article: BlogArticle | None,
    shape: Shape | None = None,
    *,
    introduce: bool = True,
) -> str:
    """What the model is asked: the move, the thread (and the opinion an agree or disagree
    names), the therapist (introduced only in a referral offer the community hasn't heard
    lately), the article to share."""
    referral = draft_input.intent is Intent.REFERRAL_REQUEST
    opinion = reading.pick_opinion(shape.opinions, draft_input.phrases) if shape else None
    task = _REFERRAL if referral and move is Move.AGREE_EXAMPLE else _MOVES[move]
    therapist = reading.intro(profile, named=referral)
    detail = reading.practice_detail(profile)
    focus = reading.shared_focus(draft_input, profile)
    lines = [
        f"Dialogue move: {task}",
        f"Community: {draft_input.community or draft_input.platform.value}",
        f"Thread title: {draft_input.title}",
        f"Thread text:\n{draft_input.body[:_BODY_MAX]}",
        f"Words in it that match the therapist's specialties: {', '.join(draft_input.phrases)}"
        if draft_input.phrases
        else "",
        f"The opinion to name: {opinion}" if opinion and move in _NAMES_OPINION else "",
        (
            f"Introduce the therapist as: {therapist}"
            + (f" ({detail})" if detail else "")
            + (f"; their work centers on {focus}" if focus else "")
        )
        if referral and move is Move.AGREE_EXAMPLE and introduce
        else "Do not introduce the therapist's credentials or place"
        + (f" (their work centers on {focus})" if focus else "")
        + ".",
    ]
    if article:
        lines.append(
            f"The therapist's own article to share: {article.title}\n{article.url}\n"
            f"{gist(article.summary)}"
        )
    return "\n\n".join(line for line in lines if line)
