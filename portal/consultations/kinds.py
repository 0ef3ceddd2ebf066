"""The kinds of question, one class each: what a person types, how it is
checked and stored, how it is shown back, counted, reported and exported.

A new kind is one class here (and its part of the question macro,
``templates/components/consultation_question.html``), added to ``KINDS``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from portal.consultations.flagging import flags_for
from portal.forms import clean_text
from portal.models import Answer, Question
from portal.rules import RuleError

SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 5000
FLAGS_MAX = 200  # Answer.flags

# Counters: (question id, option, number, dimension, value) -> people.
Counts = Mapping[tuple[int, int, int, str, str], int]


@dataclass
class Row:
    """One choice or rating value in the results."""

    label: str
    count: int | None  # None: fewer than SMALL people, not shown
    percent: int | None


@dataclass
class Ranked:
    """One option of a ranking in the results."""

    label: str
    average_rank: float
    borda: int


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


class ResponseError(RuleError):
    """An answer or a step of responding that the rules refuse; ``field`` is
    the id of the field it concerns."""


def field_id(question: Question, option: int | None = None) -> str:
    """The id of a question's field (or of one option's field, for a ranking)."""
    return f"q{question.id}" if option is None else f"q{question.id}-{option}"


def whole_number(raw: str, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, or None (never an error)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        return None
    number = int(raw)
    return number if low <= number <= high else None


class QuestionKind(ABC):
    """The rules of one kind of question. Answers are rows of ``Answer``
    (``text``, ``option``, ``number``); counters are keyed by option and number."""

    name: ClassVar[str]
    label: ClassVar[str]  # what the question builder calls it
    has_options: ClassVar[bool] = False
    is_text: ClassVar[bool] = False  # written answers: moderated and quoted, never counted
    chartable: ClassVar[bool] = False  # counted per choice: a chart, a table and breakdowns by group
    required_message: ClassVar[str] = "Enter your answer"

    def typed_value(self, question: Question, form: MultiDict) -> object:
        """What was typed, in the shape the question macro pre-fills, kept
        exactly so that an error never loses it."""
        return (form.get(field_id(question)) or "").strip()

    @abstractmethod
    def check(self, question: Question, typed: object) -> list[dict[str, Any]]:
        """The answer rows for what was typed (none: not answered), or ResponseError."""

    def refuse_missing(self, question: Question) -> ResponseError:
        return ResponseError(self.required_message, field_id(question))

    def collect(self, values: dict[int, Any], answer: Answer) -> None:
        """Put a stored answer row into ``values`` in the macro's shape."""
        values[answer.question_id] = str(answer.number if answer.option is None else answer.option)

    def labels(self, question: Question) -> list[tuple[int, str]]:
        """The (key, label) pairs its answers are counted by."""
        return list(enumerate(question.options or []))

    def count_key(self, key: int) -> tuple[int, int]:
        """The counter's (option, number) for one of ``labels``' keys."""
        return key, -1

    def fill_result(self, result: Any, question: Question, counts: Counts) -> None:
        """Add the kind's figures to a question's result (rows, mean, ranking).
        Written answers have none: they are read, themed and quoted instead."""
        result.rows = []

    def columns(self, number: int, question: Question) -> list[tuple[str, int, int | None]]:
        """The export's columns: (heading, question id, option for a per-option column)."""
        return [(f"Q{number}: {question.prompt}", question.id, None)]

    def export_cell(self, question: Question, before: object, option: int | None, number: int | None, text: str | None):
        """The export cell's value once this answer row is added to ``before``."""
        return number


class Text(QuestionKind):
    is_text = True
    limit: ClassVar[int]

    def typed_value(self, question: Question, form: MultiDict) -> object:
        return clean_text(form.get(field_id(question), "")) or ""

    def check(self, question: Question, typed: object) -> list[dict[str, Any]]:
        text = str(typed or "")
        if not text:
            return []
        if len(text) > self.limit:
            raise ResponseError(
                f"Your answer must be {self.limit:,} characters or fewer. You typed {len(text):,} characters",
                field_id(question),
            )
        return [{"text": text, "flags": ", ".join(flags_for(text))[:FLAGS_MAX]}]

    def collect(self, values: dict[int, Any], answer: Answer) -> None:
        values[answer.question_id] = answer.text or ""

    def export_cell(self, question, before, option, number, text):
        return text or ""


class ShortText(Text):
    name = "short_text"
    label = "Short text"
    limit = SHORT_TEXT_LIMIT


class LongText(Text):
    name = "long_text"
    label = "Long text"
    limit = LONG_TEXT_LIMIT


class Choices(QuestionKind):
    """Choices from a list: counted per option, in a chart and a table."""

    has_options = True
    chartable = True

    def _option(self, question: Question, raw: object, message: str) -> int:
        option = whole_number(str(raw), 0, len(question.options) - 1)
        if option is None:
            raise ResponseError(message, field_id(question))
        return option

    def fill_result(self, result, question, counts):
        result.rows = [
            Row(label, n, percent(n, result.answered))
            for key, label in self.labels(question)
            for n in [counts.get((question.id, key, -1, "", ""), 0)]
        ]

    def export_cell(self, question, before, option, number, text):
        options = question.options or []
        label = options[option] if option is not None and 0 <= option < len(options) else ""
        return f"{before}; {label}" if before else label


class Single(Choices):
    name = "single"
    label = "One choice from a list"
    required_message = "Choose an answer"

    def check(self, question, typed):
        return [{"option": self._option(question, typed, "Choose one of the answers in the list")}] if typed else []


class Multiple(Choices):
    name = "multiple"
    label = "Several choices from a list"
    required_message = "Choose at least one answer"

    def typed_value(self, question, form):
        return [value.strip() for value in form.getlist(field_id(question))]

    def check(self, question, typed):
        raws = typed if isinstance(typed, list) else []
        chosen = {self._option(question, raw, "Choose answers from the list") for raw in raws}
        return [{"option": option} for option in sorted(chosen)]

    def collect(self, values, answer):
        values.setdefault(answer.question_id, []).append(answer.option)


class Rating(QuestionKind):
    name = "rating"
    label = "A rating scale"
    chartable = True

    def check(self, question, typed):
        if not typed:
            return []
        number = whole_number(str(typed), 1, question.scale_max)
        if number is None:
            raise self.refuse_missing(question)
        return [{"number": number}]

    def refuse_missing(self, question):
        return ResponseError(f"Choose a number from 1 to {question.scale_max}", field_id(question))

    def labels(self, question):
        values = []
        for value in range(1, question.scale_max + 1):
            label = str(value)
            if value == 1 and question.low_label:
                label += f" ({question.low_label})"
            if value == question.scale_max and question.high_label:
                label += f" ({question.high_label})"
            values.append((value, label))
        return values

    def count_key(self, key):
        return -1, key

    def fill_result(self, result, question, counts):
        counted = [(key, label, counts.get((question.id, -1, key, "", ""), 0)) for key, label in self.labels(question)]
        result.rows = [Row(label, n, percent(n, result.answered)) for _, label, n in counted]
        total = sum(key * n for key, _, n in counted)
        result.mean = round(total / result.answered, 2) if result.answered else None


class Ranking(QuestionKind):
    name = "ranking"
    label = "Put options in order"
    has_options = True

    def typed_value(self, question, form):
        return {index: (form.get(field_id(question, index)) or "").strip() for index in range(len(question.options))}

    def check(self, question, typed):
        count = len(question.options)
        typed = typed if isinstance(typed, dict) else {}
        ranks: dict[int, int] = {}
        for index in range(count):
            raw = str(typed.get(index, "") or "")
            if not raw:
                continue
            rank = whole_number(raw, 1, count)
            if rank is None:
                raise ResponseError(f"Choose a position from 1 to {count} for each option", field_id(question, index))
            ranks[index] = rank
        if not ranks:
            return []
        missing = [index for index in range(count) if index not in ranks]
        if missing:
            raise ResponseError(
                f"Give every option a position from 1 to {count}. ‘{question.options[missing[0]]}’ has no position yet",
                field_id(question, missing[0]),
            )
        seen: set[int] = set()
        for index, rank in ranks.items():
            if rank in seen:
                raise ResponseError(
                    f"Use each position only once. You gave position {rank} to more than one option",
                    field_id(question, index),
                )
            seen.add(rank)
        return [{"option": index, "number": rank} for index, rank in sorted(ranks.items())]

    def refuse_missing(self, question):
        count = len(question.options)
        return ResponseError(f"Give each option a position from 1 to {count}", field_id(question, 0))

    def collect(self, values, answer):
        values.setdefault(answer.question_id, {})[answer.option] = answer.number

    def fill_result(self, result, question, counts):
        """Average position and a Borda score (n-1 points for first place...), best first."""
        labels = self.labels(question)
        size = len(labels)
        ranked = []
        for key, label in labels:
            at = [counts.get((question.id, key, rank, "", ""), 0) for rank in range(1, size + 1)]
            people = sum(at)
            if people:
                average = sum(rank * n for rank, n in enumerate(at, start=1)) / people
                borda = sum((size - rank) * n for rank, n in enumerate(at, start=1))
                ranked.append(Ranked(label, round(average, 2), borda))
        result.ranking = sorted(ranked, key=lambda r: (-r.borda, r.average_rank, r.label))

    def columns(self, number, question):
        return [
            (f"Q{number} position of: {option}", question.id, index)
            for index, option in enumerate(question.options or [])
        ]


KINDS: dict[str, QuestionKind] = {
    kind.name: kind for kind in (ShortText(), LongText(), Single(), Multiple(), Rating(), Ranking())
}


def kind_of(question: Question) -> QuestionKind:
    """The rules of ``question``'s kind; an unknown kind cannot be answered."""
    found = KINDS.get(question.kind)
    if found is None:
        raise ResponseError("This question cannot be answered", field_id(question))
    return found
