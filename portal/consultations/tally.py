"""The counters results read (Tally rows), kept as responses are submitted.

A submitted response adds 1 to each counter its answers touch; sending
changes to a submitted response takes the sent answers back first
(``count(response, -1)``) and adds the changed ones, in one transaction, so the
counters always equal the sent answers (draft copies are never counted), and results cost one query
whatever the number of responses.

Keys (``question_id``, ``option``, ``number``), each for everyone
(``dimension`` '') and again for the response's age band and district:

- (0, -1, -1): the response itself
- (q, -1, -1): question q was answered
- (q, i, -1): option i was chosen (single and multiple choice)
- (q, -1, n): the rating n was given
- (q, i, n): option i was put at rank n

and, for the response itself only, (0, -1, -1) under ``dimension`` VERSION
with the version it was answered in ('standard' or 'easy_read'), so the
results say how many answered each version (#17.3);

and, for written answers an officer has read (approved or hidden), under
``dimension`` THEMES only: (q, -1, -1) with ``value`` '' counts the answers
read, and with a theme tag (lower case) the read answers carrying it. A
moderation decision moves these counters (``read``); ``count`` takes them
back and adds them with the rest, so changed answers keep them right.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.models import Answer, Moderation, Response, Tally

KEY = ("consultation_id", "question_id", "option", "number", "dimension", "value")
THEMES = "theme"
VERSION = "version"
READ = (Moderation.APPROVED.value, Moderation.HIDDEN.value)  # an officer has read the answer
# Rows per INSERT: well under SQLite's and PostgreSQL's limits on parameters.
CHUNK = 500


def _insert_for_dialect():
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"Counting responses is not written for the {name} database")


def add(rows: list[dict]) -> None:
    """Add each row's ``count`` to its counter, creating it when new. One
    UPSERT per chunk: two submissions at the same moment both add, never
    overwrite. Rows are sorted by key so that concurrent transactions lock the
    counters in the same order (no deadlock on PostgreSQL)."""
    rows = sorted(rows, key=lambda row: tuple(row[k] for k in KEY))
    insert = _insert_for_dialect()
    for start in range(0, len(rows), CHUNK):
        statement = insert(Tally).values(rows[start : start + CHUNK])
        statement = statement.on_conflict_do_update(
            index_elements=list(KEY), set_={"count": Tally.count + statement.excluded.count}
        )
        db.session.execute(statement)


def count(response: Response, sign: int) -> None:
    """Add (+1) or take back (-1) a response's answers. The caller holds the
    response in the state that makes this right (just submitted, or its
    changes about to replace its answers) and commits."""
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    answers = db.session.execute(
        select(Answer.question_id, Answer.option, Answer.number, Answer.moderation, Answer.themes).where(
            Answer.response_id == response.id, Answer.sent()
        )
    ).all()
    keys: Counter[tuple[int, int, int]] = Counter()
    keys[(0, -1, -1)] += 1
    for question_id in {answer.question_id for answer in answers}:
        keys[(question_id, -1, -1)] += 1
    themed: list[dict] = []
    for question_id, option, number, moderation, themes in answers:
        if option is None and number is None:
            # A text answer: counted as answered, its words are read, not counted (but its themes are).
            themed += _read_rows(response.consultation_id, question_id, moderation, themes, sign)
            continue
        keys[(question_id, -1 if option is None else option, -1 if number is None else number)] += 1
    dimensions = [("", "")] + [
        (dimension, value)
        for dimension, value in (("age_band", response.age_band), ("district", response.district))
        if value
    ]
    add(
        [
            {
                "consultation_id": response.consultation_id,
                "question_id": question_id,
                "option": option,
                "number": number,
                "dimension": dimension,
                "value": value,
                "count": sign * times,
            }
            for (question_id, option, number), times in keys.items()
            for dimension, value in dimensions
        ]
        + [
            {
                "consultation_id": response.consultation_id,
                "question_id": 0,
                "option": -1,
                "number": -1,
                "dimension": VERSION,
                "value": response.version or "standard",
                "count": sign,
            }
        ]
        + themed
    )


def read(consultation_id: int, question_id: int, moderation: str, themes: list[str] | None, sign: int) -> None:
    """Add (+1) or take back (-1) one written answer's read and theme counters,
    as it is (``moderation``, ``themes``): a moderation decision takes back the
    answer's state before it and adds the one after."""
    add(_read_rows(consultation_id, question_id, moderation, themes, sign))


def _read_rows(consultation_id: int, question_id: int, moderation: str, themes: list[str] | None, sign: int):
    if moderation not in READ:
        return []  # waiting: nobody has read it yet
    values = [""] + sorted({tag.lower() for tag in themes or []})
    return [
        {
            "consultation_id": consultation_id,
            "question_id": question_id,
            "option": -1,
            "number": -1,
            "dimension": THEMES,
            "value": value,
            "count": sign,
        }
        for value in values
    ]


def results_counts(consultation_id: int) -> list[Tally]:
    """Every counter of a consultation, in one query."""
    return list(
        db.session.scalars(
            select(Tally)
            .where(Tally.consultation_id == consultation_id)
            .order_by(Tally.question_id, Tally.dimension, Tally.value, Tally.option, Tally.number)
        )
    )
