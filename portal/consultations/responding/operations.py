"""Responding to a consultation: the rules. Each operation checks its rule and
commits; the views only parse and render.

- One response per person per consultation (the unique constraint); a
  visitor's response is found again through a random token kept in their
  session (only its hash is stored).
- Answers are stored as they go (status in_progress). Every change to a
  response starts with a conditional ``UPDATE ... WHERE status = 'in_progress'``
  (or ``changing``): it locks the row, so two tabs saving or submitting at
  once take turns, and answers that are counted never change behind the
  counters.
- Submitting is the same conditional update to 'submitted': of twenty
  identical submissions only one changes the row, and only that one adds the
  counters (tally.count), in the same transaction.
- Changing a sent response works on a copy of its answers (``draft``): the
  sent answers keep counting while the person changes the copy, and stay
  counted if they leave without sending. Sending the changes swaps the copy
  in and the counters with it, in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import case, delete, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from portal.audit import record
from portal.consultations import tally
from portal.consultations.kinds import KINDS, ResponseError, kind_of
from portal.extensions import db
from portal.lookup import rows_changed
from portal.models import Answer, Consultation, Question, Response, ResponseStatus
from portal.models.base import utcnow
from portal.models.consultation import VERSIONS
from portal.roles import AGE_BANDS
from portal.templating import long_date


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
    consultation: Consultation,
    user,
    *,
    age_band: str = "",
    district: str = "",
    today: date,
    visitor_token: str | None = None,
    version: str = "standard",
) -> tuple[Response, str | None]:
    """Start a response, or find the one already started. Signed-in people give
    no details (their account's age band and district are used); a visitor may
    give an age band and a district, each from its list or left out. A visitor's
    ``visitor_token`` is the same for every start from one browser, so starts
    sent at once (a double click, several tabs) make one response. Returns the
    response and, for a visitor, the token to keep. ``version``: the version
    (VERSIONS) a new response starts in."""
    check_open(consultation, today)
    if version not in VERSIONS:
        raise ValueError(f"Unknown version {version!r}")
    if user.is_authenticated:
        existing = response_for(consultation, user, None)
        if existing is not None:
            return existing, None
        response = Response(
            consultation_id=consultation.id,
            respondent_id=user.id,
            age_band=user.age_band or "",
            district=user.district or "",
            version=version,
        )
        return _stored_once(response, lambda: response_for(consultation, user, None)), None
    if age_band not in AGE_BANDS and age_band != "":
        raise ResponseError("Choose an age band from the list, or ‘Prefer not to say’", "age_band")
    if district not in current_app.config["DISTRICTS"] and district != "":
        raise ResponseError("Choose a district from the list, or ‘Prefer not to say’", "district")
    token = visitor_token or secrets.token_urlsafe(32)
    response = Response(
        consultation_id=consultation.id,
        visitor_token=hash_token(token),
        age_band=age_band,
        district=district,
        version=version,
    )
    return _stored_once(response, lambda: response_for(consultation, user, token)), token


def _stored_once(response: Response, existing: Callable[[], Response | None]) -> Response:
    """Store a new response, or, when the same person (or browser) started at
    the same moment from another tab, the one that got there first."""
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = existing()
        if found is None:
            raise
        return found
    return response


# Answers -----------------------------------------------------------------------


def typed_value(question: Question, form: MultiDict) -> object:
    """What was typed for ``question``, kept exactly so that an error never loses it."""
    return kind_of(question).typed_value(question, form)


def check_answer(question: Question, typed: object, *, require: bool) -> list[dict]:
    """The answer rows for what was typed, or ResponseError in plain words.
    No rows means "not answered": refused only when ``require`` and the
    question must be answered."""
    kind = kind_of(question)
    rows = kind.check(question, typed)
    if not rows and require and question.required:
        raise kind.refuse_missing(question)
    return rows


def _lock_for_answers(response: Response, version: str | None = None) -> bool:
    """Take the response's row lock while its answers may change: it is in
    progress, or sent and being changed. Returns whether the answers being
    changed are the draft copy (the sent ones stay as they are).

    ``version``: the version these answers are saved in. A response in
    progress takes it (it counts as the version its answers were last saved
    in); a sent one keeps the version it was counted under, so taking its
    counters back when changes are sent takes them from the right place."""
    values: dict[str, Any] = {"updated_at": utcnow()}
    if version is not None:
        if version not in VERSIONS:
            raise ValueError(f"Unknown version {version!r}")
        values["version"] = case((Response.status == ResponseStatus.IN_PROGRESS.value, version), else_=Response.version)
    changing = db.session.execute(
        update(Response)
        .where(
            Response.id == response.id,
            or_(Response.status == ResponseStatus.IN_PROGRESS.value, Response.changing.is_(True)),
        )
        .values(**values)
        .returning(Response.changing)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if changing is None:
        db.session.rollback()
        raise NotInProgress()
    return changing


def save_answer(
    consultation: Consultation,
    response: Response,
    question: Question,
    typed: object,
    *,
    require: bool,
    today: date,
    version: str | None = None,
) -> None:
    """Replace this question's answer with what was typed. Nothing is stored
    when it is refused (the view shows the typed value again with the error).
    ``version``: the version (VERSIONS) it was answered in, if known."""
    check_open(consultation, today)
    rows = check_answer(question, typed, require=require)
    draft = _lock_for_answers(response, version)
    db.session.execute(
        delete(Answer).where(
            Answer.response_id == response.id, Answer.question_id == question.id, Answer.draft.is_(draft)
        )
    )
    db.session.add_all(Answer(response_id=response.id, question_id=question.id, draft=draft, **row) for row in rows)
    db.session.commit()


def _being_changed(response: Response, draft: bool | None):
    """The answers this person sees and changes: the draft copy while a sent
    response is being changed, else the answers themselves."""
    changing = response.changing if draft is None else draft
    return (Answer.response_id == response.id) & Answer.draft.is_(bool(changing))


def answered_ids(response: Response, *, draft: bool | None = None) -> set[int]:
    return set(db.session.scalars(select(Answer.question_id).where(_being_changed(response, draft)).distinct()))


def answers_by_question(
    response: Response, questions: list[Question], question_id: int | None = None
) -> dict[int, object]:
    """The stored answers in the question macro's shape, per question id (one query)."""
    kinds = {question.id: KINDS[question.kind] for question in questions if question.kind in KINDS}
    query = select(Answer).where(_being_changed(response, None)).order_by(Answer.id)
    if question_id is not None:
        query = query.where(Answer.question_id == question_id)
    values: dict[int, Any] = {}
    for answer in db.session.scalars(query):
        if answer.question_id in kinds:
            kinds[answer.question_id].collect(values, answer)
    return values


def first_unanswered(questions: list[Question], answered: set[int]) -> Question | None:
    return next((question for question in questions if question.id not in answered), None)


def missing_required(questions: list[Question], answered: set[int]) -> list[Question]:
    return [question for question in questions if question.required and question.id not in answered]


# Submitting and changing -------------------------------------------------------------


def _record(user, action: str, consultation: Consultation, summary: str) -> None:
    """Who sent or changed their answers, never what they answered. Visitors
    are not recorded: there is nobody to name, and a public consultation would
    fill the log."""
    if user.is_authenticated:
        record(user, action, "consultation", consultation.id, summary)


def submit(
    consultation: Consultation, response: Response, questions: list[Question], user, *, tell_me: bool, today: date
) -> bool:
    """Send the response, or the changes to a sent one: True when this call
    sent them, False when they were already sent (a second tab, a double
    click: nothing happens). Refused with MissingAnswers while a question
    that must be answered is not."""
    check_open(consultation, today)
    try:
        changing = _lock_for_answers(response)
    except NotInProgress:
        return False
    # Checked under the row lock: no other tab can take an answer away now.
    missing = missing_required(questions, answered_ids(response, draft=changing))
    if missing:
        db.session.rollback()
        raise MissingAnswers(missing)
    db.session.expire(response)
    if changing:
        # The sent answers are taken out of the counters (under the age band
        # and district they were counted with) and the changed copy takes
        # their place: one transaction, so the response never stops counting.
        tally.count(response, -1)
        db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.sent()))
        db.session.execute(
            update(Answer)
            .where(Answer.response_id == response.id, Answer.draft.is_(True))
            .values(draft=False)
            .execution_options(synchronize_session=False)
        )
    now = utcnow()
    values: dict[str, object] = {
        "status": ResponseStatus.SUBMITTED.value,
        "changing": False,
        "submitted_at": now,
        "updated_at": now,
        "tell_me": bool(tell_me and response.respondent_id is not None),
    }
    if response.respondent_id is not None and user.is_authenticated:
        # Counted under the person's age band and district as they are today.
        values.update(age_band=user.age_band or "", district=user.district or "")
    db.session.execute(
        update(Response).where(Response.id == response.id).values(**values).execution_options(synchronize_session=False)
    )
    db.session.expire(response)
    tally.count(response, +1)
    if changing:
        _record(user, "consultation.response_changed", consultation, "Changed answers sent")
    else:
        _record(user, "consultation.response_sent", consultation, "Answers sent")
    db.session.commit()
    return True


# The columns a draft copy takes from the sent answer (all but its id and ``draft``).
_COPIED = (
    "question_id",
    "option",
    "number",
    "text",
    "moderation",
    "flags",
    "moderation_reason",
    "moderated_by_id",
    "moderated_at",
    "themes",
)


def start_changes(consultation: Consultation, response: Response, user, *, today: date) -> bool:
    """Let a sent response be changed until the closing date, on a copy of
    its answers: the sent ones keep counting until the changes are sent.
    Unchanged free text keeps its moderation (an approved answer is not
    queued again). False when the changes were already started (another
    tab): carry on with that copy."""
    check_open(consultation, today)
    changed = rows_changed(
        update(Response)
        .where(
            Response.id == response.id,
            Response.status == ResponseStatus.SUBMITTED.value,
            Response.changing.is_(False),
        )
        .values(changing=True, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        return False
    db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.draft.is_(True)))
    columns = [getattr(Answer, name) for name in _COPIED]
    db.session.execute(
        insert(Answer).from_select(
            ["response_id", *_COPIED, "draft"],
            select(Answer.response_id, *columns, literal(True))
            .where(Answer.response_id == response.id, Answer.sent())
            .order_by(Answer.id),
        )
    )
    db.session.expire(response)
    _record(user, "consultation.response_changing", consultation, "Started changing sent answers")
    db.session.commit()
    return True


def cancel_changes(consultation: Consultation, response: Response, user, *, today: date) -> bool:
    """Throw the changed copy away: the sent answers stay as they were, and
    counted. False when there were no changes (sent or cancelled in another tab)."""
    check_open(consultation, today)
    changed = rows_changed(
        update(Response)
        .where(Response.id == response.id, Response.changing.is_(True))
        .values(changing=False, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        return False
    db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.draft.is_(True)))
    db.session.expire(response)
    _record(user, "consultation.response_changes_cancelled", consultation, "Changes to sent answers cancelled")
    db.session.commit()
    return True
