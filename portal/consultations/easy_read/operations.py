"""Easy Read: the rules. Each operation checks its rule, records an audit
entry and commits; a refusal is a ``ConsultationError`` naming its field.

- The Easy Read words change only while the request can change (a draft, or
  returned with comments), like the rest of it: approval covers them too.
- The Easy Read version is optional: approval never waits for it. Young
  people are offered it only once it is complete: an introduction and Easy
  Read words for every question (``available``).
- Easy Read means short sentences: none may be longer than SENTENCE_WORDS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from portal.audit import record
from portal.consultations.requests.operations import (
    ConsultationError,
    PictureChoice,
    _kept,
    _picture,
    check_editable,
)
from portal.extensions import db
from portal.models import Consultation, Question, User
from portal.models.base import utcnow

INTRO_MAX = 1000
PROMPT_MAX = 200
HELP_MAX = 300
# Easy Read guidance (Mencap, CHANGE): about 15 words a sentence; a little room on top.
SENTENCE_WORDS = 20

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def long_sentence(text: str) -> str | None:
    """The first sentence of ``text`` longer than SENTENCE_WORDS, or None."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence.split()) > SENTENCE_WORDS:
            return sentence.strip()
    return None


def _check_short(text: str, what: str, field: str) -> None:
    sentence = long_sentence(text)
    if sentence is not None:
        words = len(sentence.split())
        start = " ".join(sentence.split()[:6])
        raise ConsultationError(
            f"{what} has a sentence of {words} words, starting “{start} …”. "
            f"Easy Read sentences are short: split it into sentences of {SENTENCE_WORDS} words or fewer.",
            field,
        )


def is_complete(consultation: Consultation, questions: list[Question]) -> bool:
    """An introduction, and Easy Read words for every question (there is at least one)."""
    return bool(consultation.easy_intro.strip()) and bool(questions) and all(q.easy_prompt.strip() for q in questions)


def available(consultation: Consultation) -> bool:
    """``is_complete`` without loading the questions: one query at most."""
    if not consultation.easy_intro.strip():
        return False
    total, missing = db.session.execute(
        select(func.count(Question.id), func.count(Question.id).filter(Question.easy_prompt == "")).where(
            Question.consultation_id == consultation.id
        )
    ).one()
    return total > 0 and missing == 0


def save_intro(actor: User, consultation: Consultation, intro: str) -> None:
    """The Easy Read "What is this about?". Empty takes the Easy Read version
    away from young people (the question words stay for later)."""
    check_editable(consultation)
    if len(intro) > INTRO_MAX:
        raise ConsultationError(f"Keep “What is this about?” to {INTRO_MAX:,} characters or fewer", "intro")
    _check_short(intro, "“What is this about?”", "intro")
    consultation.easy_intro = intro
    consultation.updated_at = utcnow()
    record(actor, "consultation.easy_read_changed", "consultation", consultation.id, "Easy Read introduction")
    db.session.commit()


@dataclass(frozen=True)
class EasyWords:
    prompt: str
    help: str = ""
    picture: PictureChoice = field(default_factory=PictureChoice)


def save_question(actor: User, consultation: Consultation, question: Question, words: EasyWords) -> None:
    """One question's Easy Read words: the question (needed) and a hint; and
    a picture with words describing it (needed with a picture), checked by
    portal/images like every picture. Without one, the Easy Read page shows
    the question's own picture. A refused file or missing words store nothing."""
    check_editable(consultation)
    if not words.prompt:
        raise ConsultationError("Write the question in Easy Read words", "prompt")
    if len(words.prompt) > PROMPT_MAX:
        raise ConsultationError(f"Keep the Easy Read question to {PROMPT_MAX} characters or fewer", "prompt")
    if len(words.help) > HELP_MAX:
        raise ConsultationError(f"Keep the Easy Read hint to {HELP_MAX} characters or fewer", "help")
    _check_short(words.prompt, "The question", "prompt")
    _check_short(words.help, "The hint", "help")
    picture = _picture(question.easy_image_id, words.picture, "picture", "picture_alt", "the picture")
    question.easy_prompt = words.prompt
    question.easy_help = words.help
    question.easy_image_id, question.easy_image_alt = _kept(actor, consultation, picture)
    consultation.updated_at = utcnow()
    record(actor, "consultation.easy_read_changed", "consultation", consultation.id, words.prompt)
    db.session.commit()


class EasyQuestion:
    """A question as the Easy Read pages show it: its Easy Read words in place
    of the standard ones, everything else (kind, options, scale) its own, so
    the same question macro and the same answer rules serve both versions."""

    def __init__(self, question: Question):
        self._question = question

    def __getattr__(self, name: str) -> Any:
        return getattr(self._question, name)

    @property
    def prompt(self) -> str:
        return self._question.easy_prompt or self._question.prompt

    @property
    def help(self) -> str:
        return self._question.easy_help

    @property
    def image_id(self) -> None:
        """The picture is shown beside the question (``picture_of``), not in it."""
        return None


@dataclass(frozen=True)
class Picture:
    id: int
    alt: str


def picture_of(question: Question) -> Picture | None:
    """The picture beside an Easy Read question: its own Easy Read one, else the question's."""
    if question.easy_image_id:
        return Picture(question.easy_image_id, question.easy_image_alt)
    if question.image_id:
        return Picture(question.image_id, question.image_alt)
    return None
