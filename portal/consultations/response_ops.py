"""Responding to a consultation: the rules. Each operation checks its rule and
commits; the views only parse and render.

- One response per person per consultation (the unique constraint); a
  visitor's response is found again through a random token kept in their
  session (only its hash is stored).
- Answers are stored as they go (status in_progress). Every change to a
  response starts with a conditional ``UPDATE ... WHERE status = 'in_progress'``:
  it locks the row, so two tabs saving or submitting at once take turns, and
  answers of a submitted response are never changed behind the counters.
- Submitting is the same conditional update to 'submitted': of twenty
  identical submissions only one changes the row, and only that one adds the
  counters (tally.count), in the same transaction.
- Changing a submitted response takes its counters back first.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from portal.audit import record
from portal.consultations import tally
from portal.consultations.flagging import flags_for
from portal.extensions import db
from portal.forms import clean_text
from portal.lookup import rows_changed
from portal.models import Answer, Consultation, Question, Response, ResponseStatus
from portal.models.base import utcnow
from portal.roles import AGE_BANDS
from portal.rules import RuleError
from portal.templating import long_date

SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 5000
FLAGS_MAX = 200  # Answer.flags


class ResponseError(RuleError):
    """A rule refused the change; ``field`` is the id of the field it concerns."""


class NotInProgress(ResponseError):
    """The response was sent (from another tab, say): answers cannot change until it is reopened."""

    def __init__(self):
        super().__init__("You have already sent your answers. To change them, choose ‘Change your answers’.")


class NotOpen(ResponseError):
    """The consultation is not open for answers (any more)."""


class MissingAnswers(ResponseError):
    """Questions that must be answered are not."""

    def __init__(self, questions: list[Question]):
        super().__init__("Answer the questions that need an answer before you send your answers")
        self.questions = questions


def check_open(consultation: Consultation, today: date) -> None:
    if consultation.is_closed(today):
        raise NotOpen(
            f"This consultation closed on {long_date(consultation.closes_on)}. "
            "You can no longer answer it or change your answers."
        )
    if not consultation.is_open(today):
        raise NotOpen("This consultation is not open for answers yet.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_for(consultation: Consultation, user, visitor_token: str | None) -> Response | None:
    """This person's response (signed in), or this visitor's (by their token)."""
    query = select(Response).where(Response.consultation_id == consultation.id)
    if user.is_authenticated:
        query = query.where(Response.respondent_id == user.id)
    elif visitor_token:
        query = query.where(Response.visitor_token == hash_token(visitor_token))
    else:
        return None
    return db.session.scalar(query)


def start(
    consultation: Consultation, user, *, age_band: str = "", district: str = "", today: date
) -> tuple[Response, str | None]:
    """Start a response, or find the one already started. Signed-in people give
    no details (their account's age band and district are used); a visitor may
    give an age band and a district, each from its list or left out. Returns
    the response and, for a new visitor's response, the token to keep."""
    check_open(consultation, today)
    if user.is_authenticated:
        existing = response_for(consultation, user, None)
        if existing is not None:
            return existing, None
        response = Response(
            consultation_id=consultation.id,
            respondent_id=user.id,
            age_band=user.age_band or "",
            district=user.district or "",
        )
        db.session.add(response)
        try:
            db.session.commit()
        except IntegrityError:  # started in another tab at the same moment
            db.session.rollback()
            existing = response_for(consultation, user, None)
            if existing is None:
                raise
            return existing, None
        return response, None
    if age_band not in AGE_BANDS and age_band != "":
        raise ResponseError("Choose an age band from the list, or ‘Prefer not to say’", "age_band")
    if district not in current_app.config["DISTRICTS"] and district != "":
        raise ResponseError("Choose a district from the list, or ‘Prefer not to say’", "district")
    token = secrets.token_urlsafe(32)
    response = Response(
        consultation_id=consultation.id, visitor_token=hash_token(token), age_band=age_band, district=district
    )
    db.session.add(response)
    db.session.commit()
    return response, token


# Answers -----------------------------------------------------------------------


def field_id(question: Question, option: int | None = None) -> str:
    return f"q{question.id}" if option is None else f"q{question.id}-{option}"


def typed_value(question: Question, form: MultiDict) -> object:
    """What was typed for ``question``, in the shape the question macro pre-fills
    (a string; a list for several choices; option index -> position for a
    ranking), kept exactly so that an error never loses it."""
    name = field_id(question)
    if question.kind in ("short_text", "long_text"):
        return clean_text(form.get(name, "")) or ""
    if question.kind == "multiple":
        return [value.strip() for value in form.getlist(name)]
    if question.kind == "ranking":
        return {index: (form.get(field_id(question, index)) or "").strip() for index in range(len(question.options))}
    return (form.get(name) or "").strip()


def _whole_number(raw: str, low: int, high: int) -> int | None:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        return None
    number = int(raw)
    return number if low <= number <= high else None


def _check_text(question: Question, text: str) -> list[dict]:
    limit = SHORT_TEXT_LIMIT if question.kind == "short_text" else LONG_TEXT_LIMIT
    if len(text) > limit:
        raise ResponseError(
            f"Your answer must be {limit:,} characters or fewer. You typed {len(text):,} characters", field_id(question)
        )
    flags = ", ".join(flags_for(text))[:FLAGS_MAX]
    return [{"text": text, "flags": flags}]


def _check_ranking(question: Question, typed: dict) -> list[dict]:
    count = len(question.options)
    ranks: dict[int, int] = {}
    for index in range(count):
        raw = str(typed.get(index, "") or "")
        if not raw:
            continue
        rank = _whole_number(raw, 1, count)
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
    seen: dict[int, int] = {}
    for index, rank in ranks.items():
        if rank in seen:
            raise ResponseError(
                f"Use each position only once. You gave position {rank} to more than one option",
                field_id(question, index),
            )
        seen[rank] = index
    return [{"option": index, "number": rank} for index, rank in sorted(ranks.items())]


REQUIRED_MESSAGES = {
    "short_text": "Enter your answer",
    "long_text": "Enter your answer",
    "single": "Choose an answer",
    "multiple": "Choose at least one answer",
    "rating": "Choose a number",
    "ranking": "Give each option a position",
}


def check_answer(question: Question, typed: object, *, require: bool) -> list[dict]:  # noqa: C901 (written before the limit of 10)
    """The answer rows for what was typed, or ResponseError in plain words.
    No rows means "not answered": refused only when ``require`` and the
    question must be answered."""
    count = len(question.options)
    if question.kind in ("short_text", "long_text"):
        rows = _check_text(question, str(typed or "")) if typed else []
    elif question.kind == "single":
        rows = []
        if typed:
            option = _whole_number(str(typed), 0, count - 1)
            if option is None:
                raise ResponseError("Choose one of the answers in the list", field_id(question))
            rows = [{"option": option}]
    elif question.kind == "multiple":
        chosen = set()
        for raw in typed if isinstance(typed, list) else []:
            option = _whole_number(str(raw), 0, count - 1)
            if option is None:
                raise ResponseError("Choose answers from the list", field_id(question))
            chosen.add(option)
        rows = [{"option": option} for option in sorted(chosen)]
    elif question.kind == "rating":
        rows = []
        if typed:
            number = _whole_number(str(typed), 1, question.scale_max)
            if number is None:
                raise ResponseError(f"Choose a number from 1 to {question.scale_max}", field_id(question))
            rows = [{"number": number}]
    elif question.kind == "ranking":
        rows = _check_ranking(question, typed if isinstance(typed, dict) else {})
    else:
        raise ResponseError("This question cannot be answered", field_id(question))
    if not rows and require and question.required:
        message = REQUIRED_MESSAGES[question.kind]
        if question.kind == "rating":
            message = f"Choose a number from 1 to {question.scale_max}"
        if question.kind == "ranking":
            message = f"Give each option a position from 1 to {count}"
        raise ResponseError(message, field_id(question, 0 if question.kind == "ranking" else None))
    return rows


def _lock_in_progress(response: Response) -> None:
    """Take the response's row lock, only while it is in progress."""
    changed = rows_changed(
        update(Response)
        .where(Response.id == response.id, Response.status == ResponseStatus.IN_PROGRESS.value)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        raise NotInProgress()


def save_answer(
    consultation: Consultation, response: Response, question: Question, typed: object, *, require: bool, today: date
) -> None:
    """Replace this question's answer with what was typed. Nothing is stored
    when it is refused (the view shows the typed value again with the error)."""
    check_open(consultation, today)
    rows = check_answer(question, typed, require=require)
    _lock_in_progress(response)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.question_id == question.id))
    db.session.add_all(Answer(response_id=response.id, question_id=question.id, **row) for row in rows)
    db.session.commit()


def answered_ids(response: Response) -> set[int]:
    return set(db.session.scalars(select(Answer.question_id).where(Answer.response_id == response.id).distinct()))


def answers_by_question(
    response: Response, questions: list[Question], question_id: int | None = None
) -> dict[int, object]:
    """The stored answers in the question macro's shape, per question id (one query)."""
    kinds = {question.id: question.kind for question in questions}
    query = select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)
    if question_id is not None:
        query = query.where(Answer.question_id == question_id)
    values: dict[int, Any] = {}
    for answer in db.session.scalars(query):
        kind = kinds.get(answer.question_id)
        if kind in ("short_text", "long_text"):
            values[answer.question_id] = answer.text or ""
        elif kind == "single":
            values[answer.question_id] = str(answer.option)
        elif kind == "rating":
            values[answer.question_id] = str(answer.number)
        elif kind == "multiple":
            values.setdefault(answer.question_id, []).append(answer.option)
        elif kind == "ranking":
            values.setdefault(answer.question_id, {})[answer.option] = answer.number
    return values


def first_unanswered(questions: list[Question], answered: set[int]) -> Question | None:
    return next((question for question in questions if question.id not in answered), None)


def missing_required(questions: list[Question], answered: set[int]) -> list[Question]:
    return [question for question in questions if question.required and question.id not in answered]


# Submitting and changing -------------------------------------------------------------


def _record(user, action: str, consultation: Consultation, summary: str) -> None:
    """Who sent or reopened their answers, never what they answered. Visitors
    are not recorded: there is nobody to name, and a public consultation would
    fill the log."""
    if user.is_authenticated:
        record(user, action, "consultation", consultation.id, summary)


def submit(
    consultation: Consultation, response: Response, questions: list[Question], user, *, tell_me: bool, today: date
) -> bool:
    """Send the response: True when this call sent it, False when it was
    already sent (a second tab, a double click: nothing happens). Refused
    with MissingAnswers while a question that must be answered is not."""
    check_open(consultation, today)
    now = utcnow()
    values: dict[str, object] = {
        "status": ResponseStatus.SUBMITTED.value,
        "submitted_at": now,
        "updated_at": now,
        "tell_me": bool(tell_me and response.respondent_id is not None),
    }
    if response.respondent_id is not None and user.is_authenticated:
        # Counted under the person's age band and district as they are today.
        values.update(age_band=user.age_band or "", district=user.district or "")
    changed = rows_changed(
        update(Response)
        .where(Response.id == response.id, Response.status == ResponseStatus.IN_PROGRESS.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        return False
    # Checked under the row lock: no other tab can take an answer away now.
    missing = missing_required(questions, answered_ids(response))
    if missing:
        db.session.rollback()
        raise MissingAnswers(missing)
    db.session.expire(response)
    tally.count(response, +1)
    _record(user, "consultation.response_sent", consultation, "Answers sent")
    db.session.commit()
    return True


def reopen(consultation: Consultation, response: Response, user, *, today: date) -> bool:
    """Let a sent response be changed until the closing date: its counters are
    taken back now and added again when it is sent again. False when it was
    not sent (already reopened in another tab)."""
    check_open(consultation, today)
    changed = rows_changed(
        update(Response)
        .where(Response.id == response.id, Response.status == ResponseStatus.SUBMITTED.value)
        .values(status=ResponseStatus.IN_PROGRESS.value, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        return False
    db.session.expire(response)
    tally.count(response, -1)
    _record(user, "consultation.response_reopened", consultation, "Answers opened again to be changed")
    db.session.commit()
    return True
