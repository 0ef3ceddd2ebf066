"""A consultation's results, read from the counters kept as responses arrive
(portal/consultations/tally.py) and the first approved quotes: three queries
whatever the number of responses; one question's chart, one query.

Small numbers are never shown: a group of fewer than ``SMALL`` people (an
age band, a district) is reported as "fewer than 5", so nobody can be
picked out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, union_all

from portal.consultations import tally
from portal.consultations.kinds import Ranked, Row, kind_of, percent
from portal.extensions import db
from portal.models import Answer, Consultation, Moderation, Question, Response, ResponseStatus, Tally
from portal.models.consultation import VERSIONS

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
    # How many answered each version (#17.3): (version's name, people or None when fewer than SMALL);
    # empty when everyone answered the standard version.
    versions: list[tuple[str, int | None]] = field(default_factory=list)


# The groups people are counted in ("Who answered", and each question's breakdowns), in the order shown.
GROUPED_BY = ("age_band", "district")

Key = tuple[int, int, int, str, str]  # (question_id, option, number, dimension, value)


@dataclass
class Counted:
    """Counter rows read in one query, and indexed once: ``counts`` by key,
    the groups seen in each dimension, and each question's theme tags."""

    counts: dict[Key, int]
    groups: dict[str, list[str]]  # dimension -> its values, sorted
    tags: dict[int, list[tuple[str, int]]]  # question id -> (theme, read answers carrying it)

    @classmethod
    def read(cls, *where) -> Counted:
        rows = db.session.execute(
            select(Tally.question_id, Tally.option, Tally.number, Tally.dimension, Tally.value, Tally.count).where(
                *where, Tally.count > 0
            )
        )
        counts: dict[Key, int] = {}
        groups: dict[str, set[str]] = defaultdict(set)
        tags: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for question_id, option, number, dimension, value, n in rows:
            counts[(question_id, option, number, dimension, value)] = n
            if dimension in GROUPED_BY:
                groups[dimension].add(value)
            elif dimension == tally.THEMES and value:
                tags[question_id].append((value, n))
        return cls(counts, {d: sorted(groups[d]) for d in GROUPED_BY if d in groups}, tags)


def results_for(consultation: Consultation) -> Results:
    """Every question's figures from the counters, and the first approved
    quotes: three queries whatever the number of responses."""
    questions = db.session.scalars(
        select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position, Question.id)
    ).all()
    counted = Counted.read(Tally.consultation_id == consultation.id)
    counts = counted.counts
    quotes_by_question: dict[int, list[str]] = defaultdict(list)
    for question_id, text in _quotes([q.id for q in questions if kind_of(q).is_text]):
        if len(quotes_by_question[question_id]) < QUOTES_PER_QUESTION:
            quotes_by_question[question_id].append(text)

    responses = counts.get((0, -1, -1, "", ""), 0)
    groups = {}
    for dimension, values in counted.groups.items():
        sizes = [(value, counts.get((0, -1, -1, dimension, value), 0)) for value in values]
        sizes = [(value, people) for value, people in sizes if people]
        hidden = hidden_cells([people for _, people in sizes])
        groups[dimension] = [(value, None if i in hidden else people) for i, (value, people) in enumerate(sizes)]

    results = [
        _question_result(question, number, counted, quotes_by_question.get(question.id, []))
        for number, question in enumerate(questions, start=1)
    ]
    return Results(consultation, responses, groups, results, _versions(counts))


def _versions(counts: dict[Key, int]) -> list[tuple[str, int | None]]:
    """How many answered each version, from the counters, with small numbers
    hidden as for any group (answering in Easy Read may say something about a
    person). Empty when nobody answered other than the standard version."""
    sizes = [(label, counts.get((0, -1, -1, tally.VERSION, version), 0)) for version, label in VERSIONS.items()]
    if not any(people for (_, people), version in zip(sizes, VERSIONS, strict=True) if version != "standard"):
        return []
    hidden = hidden_cells([people for _, people in sizes])
    return [(label, None if i in hidden else people) for i, (label, people) in enumerate(sizes)]


def question_result(question: Question, number: int = 0) -> QuestionResult:
    """One question's figures (its chart), from its own counter rows only: one
    query. No quotes: they are read with the whole results."""
    counted = Counted.read(Tally.consultation_id == question.consultation_id, Tally.question_id == question.id)
    return _question_result(question, number, counted, [])


def _question_result(question: Question, number: int, counted: Counted, quotes: list[str]) -> QuestionResult:
    """A question's figures from the counters: the kind's rows, mean or
    ranking, breakdowns by group, and the themes of the written answers read."""
    counts = counted.counts
    result = QuestionResult(
        question,
        number,
        counts.get((question.id, -1, -1, "", ""), 0),
        quotes=quotes,
        themes=_themes(counted, question.id),
    )
    kind = kind_of(question)
    kind.fill_result(result, question, counts)
    if kind.chartable:
        for dimension, values in counted.groups.items():
            result.breakdowns[dimension] = [
                _breakdown(counts, question, dimension, value)
                for value in values
                if counts.get((question.id, -1, -1, dimension, value), 0)
            ]
    return result


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


def _themes(counted: Counted, question_id: int) -> list[Row]:
    """How many read answers carry each theme, most common first, from the
    counters each moderation decision moves (tally.read): never the answers."""
    read = counted.counts.get((question_id, -1, -1, tally.THEMES, ""), 0)
    return [
        Row(tag, n, percent(n, read))
        for tag, n in sorted(counted.tags.get(question_id, []), key=lambda item: (-item[1], item[0]))
    ]


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
