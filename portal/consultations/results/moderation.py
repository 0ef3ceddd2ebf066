"""The moderation queue: free-text answers an officer approves (they may then
be quoted to the partner and in public) or hides with a reason, and the theme
tags officers add. Answers flagged automatically (personal data, abuse) come
first; nothing is quoted before an officer has looked.

Decided answers stay listed (newest decision first), so a decision can be
corrected: approved to hidden, hidden to approved, or back to the queue.
Quotes and the waiting count are read from the answers themselves; theme
counts from counters (portal/consultations/tally.py) that each decision moves
in the same transaction, so a correction shows everywhere at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select, update

from portal.audit import record
from portal.consultations import tally
from portal.consultations.kinds import KINDS
from portal.extensions import db
from portal.lookup import rows_changed
from portal.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Moderation,
    Question,
    Response,
    ResponseStatus,
    User,
)
from portal.models.base import utcnow
from portal.rules import RuleError

QUEUE_PAGE = 50
DECIDED_PAGE = 25
THEMES_MAX = 5
THEME_MAX_CHARS = 40
REASON_MAX = 500
# The waiting count stops here ("more than 500"): counting every waiting answer
# of a county would cost the queue and the officers' home more as they grow (#16).
WAITING_COUNTED = 500

# A new decision on an answer (the form's values) and the state it leaves the answer in.
DECISIONS = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN, "wait": Moderation.PENDING}
DECIDED = (Moderation.APPROVED.value, Moderation.HIDDEN.value)


class ModerationError(RuleError):
    """A moderation decision the rules refuse."""


class WaitingCount(int):
    """How many answers wait, counted up to one more than WAITING_COUNTED: a
    number like any other, that reads "more than 500" past the cap."""

    @property
    def capped(self) -> bool:
        return self > WAITING_COUNTED

    def __str__(self) -> str:
        return f"more than {WAITING_COUNTED}" if self.capped else super().__str__()


@dataclass
class Waiting:
    answer: Answer
    question: str
    consultation: str
    consultation_id: int


def _sent_response():
    """The answer's response was sent. SQLite keeps no statistics, so it is
    told that nearly every response is (likely()): it then reads the answers'
    own index in the order of the list, checking each one's response by its
    key, instead of reading every sent response from an index on status and
    sorting all their answers (#16). PostgreSQL knows it from its statistics."""
    sent = Response.status == ResponseStatus.SUBMITTED.value
    return func.likely(sent) if db.session.get_bind().dialect.name == "sqlite" else sent


def _waiting_query():
    return (
        select(Answer, Question.prompt, Consultation.title, Consultation.id)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Consultation, Consultation.id == Response.consultation_id)
        .where(
            Answer.moderation == Moderation.PENDING.value,
            Answer.text.is_not(None),
            Answer.text != "",
            Answer.sent(),
            _sent_response(),
        )
    )


def queue(consultation_id: int | None = None) -> tuple[list[Waiting], WaitingCount]:
    """The oldest waiting answers, flagged ones first, and how many wait in all
    (three queries, whatever the number: the flagged ones, the others, the count).
    Each page is read in the order of ix_consultation_answer_waiting, so it
    costs the same with 50 or 50,000 waiting."""
    query = _waiting_query()
    if consultation_id is not None:
        query = query.where(Consultation.id == consultation_id)
    # Flagged: not "" written as a range of the index; they are few, so sorting them costs little.
    flagged = db.session.execute(query.where(Answer.flags > "").order_by(Answer.id).limit(QUEUE_PAGE)).all()
    others = db.session.execute(
        query.where(Answer.flags == "").order_by(Answer.id).limit(QUEUE_PAGE - len(flagged))
    ).all()
    rows = [*flagged, *others]
    return [Waiting(answer, prompt, title, cid) for answer, prompt, title, cid in rows], _waiting(query)


def waiting_count() -> WaitingCount:
    """How many written answers wait in the queue, up to the cap (one query): the officers' home."""
    return _waiting(_waiting_query())


def _waiting(query) -> WaitingCount:
    """Counts no further than one past WAITING_COUNTED."""
    capped = query.with_only_columns(Answer.id).limit(WAITING_COUNTED + 1)
    return WaitingCount(_count(capped))


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def waiting_item(answer_id: int) -> Waiting | None:
    row = db.session.execute(_waiting_query().where(Answer.id == answer_id)).first()
    return Waiting(row[0], row[1], row[2], row[3]) if row else None


def parse_themes(text: str) -> list[str]:
    themes: list[str] = []
    for piece in text.split(","):
        theme = " ".join(piece.split())
        if theme and theme.lower() not in (t.lower() for t in themes):
            themes.append(theme)
    if len(themes) > THEMES_MAX:
        raise ModerationError(f"Use at most {THEMES_MAX} themes for one answer", "themes")
    if any(len(theme) > THEME_MAX_CHARS for theme in themes):
        raise ModerationError(f"Each theme must be {THEME_MAX_CHARS} characters or fewer", "themes")
    return themes


def _check_sent(answer: Answer) -> None:
    """Only written answers that were sent are moderated (a copy being changed is not)."""
    if answer.text is None:
        raise ModerationError("Only written answers are moderated")
    if (
        answer.draft
        or db.session.scalar(select(Response.status).where(Response.id == answer.response_id))
        != ResponseStatus.SUBMITTED.value
    ):
        raise ModerationError("That answer has not been sent yet, so it cannot be moderated.", "done")


def _reason(decision: str, reason: str) -> str:
    """The reason on one line: needed to hide an answer, at most REASON_MAX characters."""
    reason = " ".join(reason.split())
    if decision == "hide" and not reason:
        raise ModerationError("Say why you are hiding this answer", "reason")
    if len(reason) > REASON_MAX:
        raise ModerationError(f"The reason must be {REASON_MAX} characters or fewer", "reason")
    return reason


def _count_read(answer: Answer, was: str, themes_before: list[str] | None, values: dict) -> None:
    """Move the read and theme counters from the answer's state before a decision to its state after."""
    consultation_id = db.session.scalar(select(Question.consultation_id).where(Question.id == answer.question_id))
    if consultation_id is None:
        return
    tally.read(consultation_id, answer.question_id, was, themes_before, -1)
    tally.read(consultation_id, answer.question_id, values["moderation"], values["themes"], +1)


def _copy_follows(answer: Answer, values: dict) -> None:
    """Someone changing their sent answers works on a copy of them
    (responding/operations.py), which replaces them when sent. An unchanged
    copy of this answer takes the same decision, so sending the changes does
    not undo it; a changed one is a new answer, and waits for its own."""
    db.session.execute(
        update(Answer)
        .where(
            Answer.response_id == answer.response_id,
            Answer.question_id == answer.question_id,
            Answer.draft.is_(True),
            Answer.text == answer.text,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def moderate(actor: User, answer: Answer, decision: str, reason: str, themes_text: str) -> None:
    """Approve (may be quoted) or hide (with a reason) one answer, with its themes."""
    _check_sent(answer)
    if answer.moderation != Moderation.PENDING.value:
        raise ModerationError("That answer has already been moderated, perhaps by another officer.", "done")
    if decision not in ("approve", "hide"):
        raise ModerationError("Choose whether to approve or hide the answer", "decision")
    reason = _reason(decision, reason)
    themes = parse_themes(themes_text)
    values = {
        "moderation": DECISIONS[decision].value,
        "moderation_reason": reason,
        "moderated_by_id": actor.id,
        "moderated_at": utcnow(),
        "themes": themes,
    }
    # Only if it is still waiting: two officers deciding at once cannot both count its themes.
    changed = rows_changed(
        update(Answer)
        .where(Answer.id == answer.id, Answer.moderation == Moderation.PENDING.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
        raise ModerationError("That answer has already been moderated, perhaps by another officer.", "done")
    _count_read(answer, Moderation.PENDING.value, [], values)
    _copy_follows(answer, values)
    db.session.expire(answer)
    # The audit says who decided what, never the young person's words.
    record(
        actor,
        f"consultation.answer_{'approved' if decision == 'approve' else 'hidden'}",
        "consultation_answer",
        answer.id,
        reason[:200],
    )
    db.session.commit()


# ---------------------------------------------------------------- decided answers, and changing a decision


@dataclass
class Decided:
    answer: Answer
    question: str
    consultation: str
    consultation_id: int
    decided_by: str | None  # the officer's name; None when not known (their account was deleted)


def _decided_query(decision: str = "", consultation_id: int | None = None, *, in_order: bool = True):
    """Sent written answers an officer has approved or hidden (``decision``: one
    of the two, or both), with their words still there: words deleted with
    their writer's account are never decided again. Both decisions are asked
    as "not waiting" for a list (read in the order of
    ix_consultation_answer_decided_all), by name for a count (read from
    ix_consultation_answer_decided, the decided answers alone)."""
    if decision in DECIDED:
        state = Answer.moderation == decision
    elif in_order and consultation_id is None:
        state = Answer.moderation != Moderation.PENDING.value
    else:
        state = Answer.moderation.in_(DECIDED)
    query = (
        select(Answer, Question.prompt, Consultation.title, Consultation.id, User.display_name)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Consultation, Consultation.id == Response.consultation_id)
        .outerjoin(User, User.id == Answer.moderated_by_id)
        .where(
            state,
            Answer.text.is_not(None),
            Answer.text != "",
            Answer.sent(),
            _sent_response(),
        )
    )
    if consultation_id is not None:
        # By its questions: one consultation's decided answers are read from
        # ix_consultation_answer_quotes (question, decision), not from all of them.
        query = query.where(
            Answer.question_id.in_(select(Question.id).where(Question.consultation_id == consultation_id))
        )
    return query


def decided(decision: str, consultation_id: int | None, page: int) -> tuple[list[Decided], int]:
    """One page of decided answers, the latest decision first, and how many
    there are in all (two queries, whatever the number). In the order of the
    index (moderated_at, id) read backwards, on SQLite and PostgreSQL alike:
    a decision always sets its time, so no NULLS LAST (which PostgreSQL could
    not read from that index); an answer decided without one (rows loaded by
    hand) comes last on SQLite, first on PostgreSQL."""
    rows = db.session.execute(
        _decided_query(decision, consultation_id)
        .order_by(Answer.moderated_at.desc(), Answer.id.desc())
        .limit(DECIDED_PAGE)
        .offset((page - 1) * DECIDED_PAGE)
    ).all()
    return [Decided(*row) for row in rows], _count(_decided_query(decision, consultation_id, in_order=False))


def decided_item(answer_id: int) -> Decided | None:
    row = db.session.execute(_decided_query().where(Answer.id == answer_id)).first()
    return Decided(*row) if row else None


def consultations_with_written_questions() -> list[tuple[int, str]]:
    """The consultations the decided answers can be narrowed to: approved ones
    with a written question, the latest first (one query)."""
    text_kinds = [name for name, kind in KINDS.items() if kind.is_text]
    rows = db.session.execute(
        select(Consultation.id, Consultation.title)
        .where(
            Consultation.status == ConsultationStatus.APPROVED.value,
            exists().where(Question.consultation_id == Consultation.id, Question.kind.in_(text_kinds)),
        )
        .order_by(Consultation.opens_on.desc().nulls_last(), Consultation.id.desc())
    ).all()
    return [(consultation_id, title) for consultation_id, title in rows]


STATE_WORDS = {"approved": "approved", "hidden": "hidden", "pending": "waiting for a decision"}


class DecisionChanged(ModerationError):
    """The decision was changed by someone else since the officer saw it."""

    def __init__(self) -> None:
        super().__init__(
            "Another officer changed the decision on that answer meanwhile, so yours is not saved. "
            "Look at it again below.",
            "done",
        )


def change_decision(actor: User, answer: Answer, was: str, decision: str, reason: str, themes_text: str) -> Moderation:
    """Correct a decision: an approved answer hidden (with a reason, as ever),
    a hidden one approved, or either put back in the queue to be decided
    again (its themes kept). ``was`` is the decision the officer saw: one
    changed by someone else meanwhile is never overwritten. Returns the new state."""
    _check_sent(answer)
    if answer.moderation not in DECIDED:
        raise ModerationError("That answer is waiting for a decision: decide it in the queue.", "done")
    if was != answer.moderation:
        raise DecisionChanged()
    if not answer.text:
        raise ModerationError("The words of that answer were deleted, so its decision cannot change.", "done")
    new = DECISIONS.get(decision)
    if new is None:
        raise ModerationError("Choose the new decision", "decision")
    if new.value == answer.moderation:
        raise ModerationError(f"It is already {STATE_WORDS[new.value]}. Choose a different decision", "decision")
    reason = _reason(decision, reason)
    themes = parse_themes(themes_text)
    # The themes it is counted with now, its row locked (PostgreSQL) until the change is committed.
    before = db.session.execute(
        select(Answer.moderation, Answer.themes).where(Answer.id == answer.id).with_for_update()
    ).one()
    if before.moderation != was:
        db.session.rollback()
        raise DecisionChanged()
    decided_now = new != Moderation.PENDING
    values = {
        "moderation": new.value,
        "moderation_reason": reason if decided_now else "",
        "moderated_by_id": actor.id if decided_now else None,
        "moderated_at": utcnow() if decided_now else None,
        "themes": themes,
    }
    # Only if it is still what the officer saw: two officers correcting at once cannot both win.
    changed = rows_changed(
        update(Answer)
        .where(Answer.id == answer.id, Answer.moderation == was)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
        raise DecisionChanged()
    _count_read(answer, was, before.themes, values)
    _copy_follows(answer, values)
    db.session.expire(answer)
    # Who changed what, and why; never the young person's words.
    summary = f"From {STATE_WORDS[was]} to {STATE_WORDS[new.value]}" + (f": {reason}" if reason else "")
    record(actor, "consultation.answer_decision_changed", "consultation_answer", answer.id, summary[:300])
    db.session.commit()
    return new


def release_results(actor: User, consultation: Consultation, today) -> None:
    """Let the partner see the results, once the consultation has closed."""
    if not consultation.is_closed(today):
        raise ModerationError("Results can be released to the partner once the consultation has closed")
    if consultation.results_released_at is None:
        consultation.results_released_at = utcnow()
        record(actor, "consultation.results_released", "consultation", consultation.id, consultation.title[:200])
        db.session.commit()
