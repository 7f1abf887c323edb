"""The optional LLM drafter, through Simon Willison's `llm` library (any provider its plugins
support, local models included). `pip install 'engage[llm]'`; the rest of engage never
imports `llm`.

The model writes only peer replies. Crisis and help-seeker replies always come from the
reviewed templates: that text is about safety, not voice. The prompt holds this thread only
(its text, its first comments, its shape, a referral's fit), the therapist's profile without
their name unless they are introduced, and their voice (config samples, recent approved
replies); never a secret. The model answers with the move it used (`MOVE: ask`) and the text;
a move the thread doesn't allow is refused (DraftingError: the caller's templates step in).
Whatever the model writes, the caller still runs the guard on it before the therapist sees it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Protocol

from engage.drafting import reading
from engage.drafting.base import cited
from engage.drafting.errors import DraftingError
from engage.drafting.moves import allowed_moves, kind_of, resolve_move
from engage.drafting.resources import words_for
from engage.drafting.shape import Shape, read_shape, sentences
from engage.drafting.templates import TemplateDrafter, gist
from engage.types import BlogArticle, DraftInput, DraftText, Intent, Move, Profile
from engage.types.matching import FitCheck

_TEMPLATE_ONLY = frozenset({Move.CRISIS_RESOURCES, Move.FIND_A_PROFESSIONAL})
_NAMES_OPINION = frozenset({Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE})
_BODY_MAX = 4000  # characters of the thread sent to the model
#: How many of the thread's first comments, and of the therapist's recent approved replies, the
#: drafting step reads for the prompt; each is cut to _QUOTE_MAX characters.
TOP_COMMENTS = 5
VOICE_REPLIES = 3
_QUOTE_MAX = 600
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

Answer with one line naming the dialogue move you used, such as `MOVE: ask` (the one asked
for, unless the user message lists another that fits the thread better), then the reply text
only."""

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
        system = voiced_rules(profile, draft_input.past_replies)
        prompt = thread_prompt(
            draft_input, profile, move, article, shape, introduce=introduce, fit=fit or ()
        )
        named, text = read_answer(self.complete(system, prompt))
        text = text.strip().strip('"“”').strip()
        if not text:
            raise DraftingError(f"model {self.model_id} answered with an empty draft")
        used = move_named(named) or move
        try:
            used = resolve_move(draft_input, used, article, shape)
        except DraftingError as error:
            raise DraftingError(f"model {self.model_id} answered with {error}") from error
        return DraftText(
            text=text,
            move=used,
            kind=kind_of(used),
            cites=cited(text, (article.url,) if article else ()),
            drafter=f"llm:{self.model_id}",
        )

    def complete(self, system: str, prompt: str) -> str:
        """The model's answer to `prompt` under the `system` rules, as it gave it (the reply
        drafter here, and the article outline of engage.ideas.outline, ask through it)."""
        model = self._model = self._model or self._resolve()
        try:
            return model.prompt(prompt, system=system, stream=False, key=self.key).text()
        # Provider plugins raise their own exception types (openai's, httpx's, a local runtime's);
        # to the user each is the same expected failure: the model did not answer.
        except Exception as error:
            raise DraftingError(f"model {self.model_id} did not answer: {error}") from error

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


def voiced_rules(profile: Profile, past_replies: Sequence[str] = ()) -> str:
    """The hard rules, then the therapist's writing to take the tone from: their samples from
    the config and the replies they approved lately (how they really write in these threads),
    less the sentence with their credential line, which the model must not learn to repeat."""
    intros = (reading.intro(profile), reading.intro(profile, named=True))
    samples = [s.strip() for s in profile.voice_samples if s.strip()]
    for reply in past_replies[:VOICE_REPLIES]:
        kept = [s for s in sentences(reply) if not any(line in s for line in intros)]
        samples += [_cut(" ".join(kept))] if kept else []
    if not samples:
        return RULES
    joined = "\n---\n".join(samples)
    return (
        f"{RULES}\n\nThe therapist's voice: samples of their own writing, and replies they "
        "approved lately. Match their tone and word choice; do not copy their sentences or "
        f"their stories.\n---\n{joined}\n---"
    )


_MOVE_LINE = re.compile(r"^[\W_]*move[\W_]*[:=]\s*(.*)$", re.IGNORECASE)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
_MOVE_WORDS = {
    **{move.value: move for move in Move},
    "agree": Move.AGREE_EXAMPLE,
    "disagree": Move.DISAGREE_EXAMPLE,
    "share": Move.SHARE_ARTICLE,
    "question": Move.ASK,
}


def read_answer(answer: str) -> tuple[str | None, str]:
    """The move the model says it used (None: it named none) and the reply: asked for as a
    first line `MOVE: ask`; a JSON object {"move": ..., "text": ...} (fenced or not) is read
    too, as some models answer so whatever they are told."""
    answer = answer.strip()
    unfenced = _FENCE.sub("", answer)
    if unfenced.startswith("{"):
        try:
            data = json.loads(unfenced)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(text := data.get("text", data.get("reply")), str):
            return (str(data["move"]) if data.get("move") else None), text
    first, _, rest = answer.partition("\n")
    if found := _MOVE_LINE.match(first.strip()):
        return found.group(1), rest
    return None, answer


def move_named(name: str | None) -> Move | None:
    """The move a model's word for it means ("agree_example", "Agree example", "`disagree`");
    None when it means none."""
    words = re.sub(r"[^a-z]+", "_", (name or "").lower()).strip("_")
    return _MOVE_WORDS.get(words) or _MOVE_WORDS.get(words.split("_")[0])


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_MAX else text[:_QUOTE_MAX].rsplit(" ", 1)[0] + " …"


def _fit_lines(fit: Sequence[FitCheck]) -> str:
    """A referral's requirements as matching checked them against the profile."""
    said = {
        True: "the therapist meets it",
        False: "the therapist does not meet it",
        None: "the profile doesn't say: leave a bracket for the therapist to confirm it",
    }
    return "\n".join(f"- {check.need} ({check.kind}): {said[check.met]}" for check in fit)


def profile_line(profile: Profile) -> str:
    """What the therapist works on and with, for the model's understanding (no name, no
    credentials, no place: those go out only in an introduction)."""
    weights = profile.specialties
    focus = [words_for(slug).prose for slug in sorted(weights, key=lambda s: -weights[s])
             if weights[slug] > 0]  # fmt: skip
    parts = [
        ("specialties", focus),
        ("modalities", profile.modalities),
        ("populations", profile.populations),
        ("languages", profile.languages),
        ("insurance panels", profile.insurance),
    ]
    return "; ".join(f"{label}: {', '.join(values)}" for label, values in parts if values)


def thread_prompt(
    draft_input: DraftInput,
    profile: Profile,
    move: Move,
    article: BlogArticle | None,
    shape: Shape | None = None,
    *,
    introduce: bool = True,
    fit: Sequence[FitCheck] = (),
) -> str:
    """What the model is asked: the move (and the others the thread allows), the thread with
    its first comments and its shape (questions, views, the opinion an agree or disagree
    names, a referral's fit), the therapist's work (introduced by name only in a referral
    offer the community hasn't heard lately), the article to share."""
    referral = draft_input.intent is Intent.REFERRAL_REQUEST
    opinion = reading.pick_opinion(shape.opinions, draft_input.phrases) if shape else None
    task = _REFERRAL if referral and move is Move.AGREE_EXAMPLE else _MOVES[move]
    therapist = reading.intro(profile, named=referral)
    detail = reading.practice_detail(profile)
    focus = reading.shared_focus(draft_input, profile)
    others = [
        m.value
        for m in allowed_moves(draft_input, shape)
        if m is not move and m in _MOVES and (article or m is not Move.SHARE_ARTICLE)
    ]
    comments = [f"- {_cut(c)}" for c in draft_input.comments[:TOP_COMMENTS] if c.strip()]
    work = profile_line(profile)
    lines = [
        f"Dialogue move `{move.value}`: {task}",
        f"Other moves that fit this thread: {', '.join(others)}" if others else "",
        f"Community: {draft_input.community or draft_input.platform.value}",
        f"Thread title: {draft_input.title}",
        f"Thread text:\n{draft_input.body[:_BODY_MAX]}",
        "Colleagues' first comments (build on them, don't repeat them):\n" + "\n".join(comments)
        if comments
        else "",
        f"Words in it that match the therapist's specialties: {', '.join(draft_input.phrases)}"
        if draft_input.phrases
        else "",
        "Questions the thread asks:\n" + "\n".join(f"- {q}" for q in shape.questions)
        if shape and shape.questions
        else "",
        "Views the thread states:\n" + "\n".join(f"- {o}" for o in shape.opinions)
        if shape and shape.opinions
        else "",
        f"The opinion to name: {opinion}" if opinion and move in _NAMES_OPINION else "",
        f"What the referral asks for, checked against the therapist's profile:\n{_fit_lines(fit)}"
        if referral and fit
        else "",
        f"The therapist's work (for context; do not recite it): {work}" if work else "",
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
