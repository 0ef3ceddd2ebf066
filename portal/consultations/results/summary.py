"""A consultation's results, read from the counters kept as responses arrive
(portal/consultations/tally.py) and the moderated quotes: three queries
whatever the number of responses.

Small numbers are never shown: a group of fewer than ``SMALL`` people (an
age band, a district) is reported as "fewer than 5", so nobody can be
picked out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, union_all

from portal.consultations.kinds import Ranked, Row, kind_of, percent
from portal.extensions import db
from portal.models import Answer, Consultation, Moderation, Question, Response, ResponseStatus, Tally

SMALL = 5
QUOTES_PER_QUESTION = 12


@dataclass
class Breakdown:
    """One group (an age band or a district): its size and its answers, or
    ``suppressed`` when fewer than SMALL people answered."""

    group: str
    answered: int
    rows: list[Row]
    suppressed: bool


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int
    rows: list[Row] = field(default_factory=list)  # choices, or the rating's values
    mean: float | None = None  # rating
    ranking: list[Ranked] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    themes: list[Row] = field(default_factory=list)  # officers' theme tags on the written answers they read
    breakdowns: dict[str, list[Breakdown]] = field(default_factory=dict)  # "age_band"/"district" -> groups

    @property
    def chartable(self) -> bool:
        return kind_of(self.question).chartable and self.answered > 0


@dataclass
class Results:
    consultation: Consultation
    responses: int
    groups: dict[str, list[tuple[str, int | None]]]  # dimension -> (group, people or None when fewer than SMALL)
    questions: list[QuestionResult]


def results_for(consultation: Consultation) -> Results:
    questions = db.session.scalars(
        select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position, Question.id)
    ).all()
    tallies = db.session.scalars(select(Tally).where(Tally.consultation_id == consultation.id, Tally.count > 0)).all()
    text_ids = [q.id for q in questions if kind_of(q).is_text]
    quotes = _quotes(text_ids)
    themes = _themes(text_ids)

    # key: (question_id, option, number, dimension, value) -> count
    counts: dict[tuple[int, int, int, str, str], int] = {}
    group_values: dict[str, set[str]] = defaultdict(set)
    for tally in tallies:
        counts[(tally.question_id, tally.option, tally.number, tally.dimension, tally.value)] = tally.count
        if tally.dimension:
            group_values[tally.dimension].add(tally.value)

    responses = counts.get((0, -1, -1, "", ""), 0)
    groups = {}
    for dimension, values in group_values.items():
        sizes = [(value, counts.get((0, -1, -1, dimension, value), 0)) for value in sorted(values)]
        sizes = [(value, people) for value, people in sizes if people]
        hidden = hidden_cells([people for _, people in sizes])
        groups[dimension] = [(value, None if i in hidden else people) for i, (value, people) in enumerate(sizes)]

    quotes_by_question: dict[int, list[str]] = defaultdict(list)
    for question_id, text in quotes:
        if len(quotes_by_question[question_id]) < QUOTES_PER_QUESTION:
            quotes_by_question[question_id].append(text)

    results = []
    for number, question in enumerate(questions, start=1):
        answered = counts.get((question.id, -1, -1, "", ""), 0)
        result = QuestionResult(
            question,
            number,
            answered,
            quotes=quotes_by_question.get(question.id, []),
            themes=themes.get(question.id, []),
        )
        kind = kind_of(question)
        kind.fill_result(result, question, counts)
        if kind.chartable:
            for dimension, values in group_values.items():
                result.breakdowns[dimension] = [
                    _breakdown(counts, question, dimension, value)
                    for value in sorted(values)
                    if counts.get((question.id, -1, -1, dimension, value), 0)
                ]
        results.append(result)
    return Results(consultation, responses, groups, results)


def _quotes(question_ids: list[int]) -> list[tuple[int, str]]:
    """The first approved answers of each text question, in one query: one
    small index range per question (ix_consultation_answer_quotes), so it
    costs the same with a thousand responses or a hundred thousand."""
    if not question_ids:
        return []
    parts = [
        select(Answer.question_id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id == question_id,
            Answer.moderation == Moderation.APPROVED.value,
            Answer.sent(),
            Response.status == ResponseStatus.SUBMITTED.value,
        )
        .order_by(Answer.id)
        .limit(QUOTES_PER_QUESTION)
        .subquery()
        for question_id in question_ids
    ]
    query = union_all(*[select(part.c.question_id, part.c.text) for part in parts])
    return [(question_id, text) for question_id, text in db.session.execute(query) if text]


def _themes(question_ids: list[int]) -> dict[int, list[Row]]:
    """How many read answers carry each theme, per question, most common first.
    Only answers an officer has moderated carry themes, so this reads the
    moderated answers (through ix_consultation_answer_quotes), never every response."""
    if not question_ids:
        return {}
    rows = db.session.execute(
        select(Answer.question_id, Answer.themes).where(
            Answer.question_id.in_(question_ids),
            Answer.moderation.in_([Moderation.APPROVED.value, Moderation.HIDDEN.value]),
            Answer.sent(),
        )
    ).all()
    counted: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    read: dict[int, int] = defaultdict(int)
    for question_id, tags in rows:
        read[question_id] += 1
        for tag in tags or []:
            counted[question_id][tag.lower()] += 1
    return {
        question_id: [
            Row(tag, n, percent(n, read[question_id]))
            for tag, n in sorted(tags.items(), key=lambda item: (-item[1], item[0]))
        ]
        for question_id, tags in counted.items()
    }


def _breakdown(counts, question: Question, dimension: str, value: str) -> Breakdown:
    answered = counts.get((question.id, -1, -1, dimension, value), 0)
    if answered < SMALL:
        return Breakdown(value, answered, [], True)
    kind = kind_of(question)
    cells = []
    for key, label in kind.labels(question):
        option, number = kind.count_key(key)
        cells.append((label, counts.get((question.id, option, number, dimension, value), 0)))
    # Within a group, a choice made by 1 to 4 people is not shown either, nor one more beside it.
    hidden = hidden_cells([n for _, n in cells])
    rows = [
        Row(label, None, None) if i in hidden else Row(label, n, percent(n, answered))
        for i, (label, n) in enumerate(cells)
    ]
    return Breakdown(value, answered, rows, False)


def hidden_cells(counts: list[int]) -> set[int]:
    """Which counts of a row to hide: those of 1 to SMALL - 1 people and, when
    only one is hidden, the next smallest shown beside it too (secondary
    suppression): with the row's total shown, one hidden cell would otherwise
    be found by subtraction. Nothing hidden means nothing to protect."""
    hidden = {i for i, n in enumerate(counts) if 0 < n < SMALL}
    if len(hidden) == 1:
        shown = [(n, i) for i, n in enumerate(counts) if i not in hidden and n > 0]
        if shown:
            hidden.add(min(shown)[1])
    return hidden


def in_plain_words(results: Results) -> list[str]:
    """The released results as a few sentences a young person can read on the
    consultation's page: how many answered and, for each question, what most
    people said. Nothing is said about fewer than SMALL people."""
    if results.responses == 0:
        return ["Nobody answered this consultation."]
    if results.responses < SMALL:
        return [
            f"Fewer than {SMALL} people answered, so we do not show what they said: "
            "with so few answers, someone might work out who said what."
        ]
    sentences = [f"{results.responses:,} people answered."]
    for result in results.questions:
        said = _said(result)
        if said:
            sentences.append(f"Question {result.number}, ‘{result.question.prompt}’: {said}")
    return sentences


def _said(result: QuestionResult) -> str:
    """What most people said to one question, in words ('' when there is nothing to say)."""
    if result.answered < SMALL:
        return f"fewer than {SMALL} people answered it."
    if kind_of(result.question).is_text:
        return f"{result.answered:,} people wrote an answer."
    if result.question.kind == "rating" and result.mean is not None:
        return f"on average people gave {result.mean:g} out of {result.question.scale_max}."
    if result.question.kind == "ranking" and result.ranking:
        return f"‘{result.ranking[0].label}’ came top overall."
    top = max((row.count or 0 for row in result.rows), default=0)
    if top < SMALL:
        return ""
    chosen = [row for row in result.rows if (row.count or 0) == top]
    share = percent(top, result.answered)
    if len(chosen) == 1:
        return f"‘{chosen[0].label}’ was chosen most, by {share}% of the people who answered it."
    labels = " and ".join(f"‘{row.label}’" for row in chosen)
    return f"{labels} were chosen most, each by {share}% of the people who answered it."
