"""The moderation queue: free-text answers an officer approves (they may then
be quoted to the partner and in public) or hides with a reason, and the theme
tags officers add. Answers flagged automatically (personal data, abuse) come
first; nothing is quoted before an officer has looked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from portal.audit import record
from portal.extensions import db
from portal.models import Answer, Consultation, Moderation, Question, Response, ResponseStatus, User
from portal.models.base import utcnow
from portal.rules import RuleError

QUEUE_PAGE = 50
THEMES_MAX = 5
THEME_MAX_CHARS = 40


class ModerationError(RuleError):
    """A moderation decision the rules refuse."""


@dataclass
class Waiting:
    answer: Answer
    question: str
    consultation: str
    consultation_id: int


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
            Response.status == ResponseStatus.SUBMITTED.value,
        )
    )


def queue(consultation_id: int | None = None) -> tuple[list[Waiting], int]:
    """The oldest waiting answers, flagged ones first, and how many wait in all (two queries)."""
    query = _waiting_query()
    if consultation_id is not None:
        query = query.where(Consultation.id == consultation_id)
    rows = db.session.execute(query.order_by(case((Answer.flags != "", 0), else_=1), Answer.id).limit(QUEUE_PAGE)).all()
    return [Waiting(answer, prompt, title, cid) for answer, prompt, title, cid in rows], _count(query)


def waiting_count() -> int:
    """How many written answers wait in the queue (one query): the officers' home."""
    return _count(_waiting_query())


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


def moderate(actor: User, answer: Answer, decision: str, reason: str, themes_text: str) -> None:
    """Approve (may be quoted) or hide (with a reason) one answer, with its themes."""
    if answer.text is None:
        raise ModerationError("Only written answers are moderated")
    if (
        answer.draft
        or db.session.scalar(select(Response.status).where(Response.id == answer.response_id))
        != ResponseStatus.SUBMITTED.value
    ):
        raise ModerationError("That answer has not been sent yet, so it cannot be moderated.", "done")
    if answer.moderation != Moderation.PENDING.value:
        raise ModerationError("That answer has already been moderated, perhaps by another officer.", "done")
    if decision not in ("approve", "hide"):
        raise ModerationError("Choose whether to approve or hide the answer", "decision")
    reason = " ".join(reason.split())
    if decision == "hide" and not reason:
        raise ModerationError("Say why you are hiding this answer", "reason")
    if len(reason) > 500:
        raise ModerationError("The reason must be 500 characters or fewer", "reason")
    themes = parse_themes(themes_text)
    answer.moderation = Moderation.APPROVED.value if decision == "approve" else Moderation.HIDDEN.value
    answer.moderation_reason = reason
    answer.moderated_by_id = actor.id
    answer.moderated_at = utcnow()
    answer.themes = themes
    # The audit says who decided what, never the young person's words.
    record(
        actor,
        f"consultation.answer_{'approved' if decision == 'approve' else 'hidden'}",
        "consultation_answer",
        answer.id,
        reason[:200],
    )
    db.session.commit()


def release_results(actor: User, consultation: Consultation, today) -> None:
    """Let the partner see the results, once the consultation has closed."""
    if not consultation.is_closed(today):
        raise ModerationError("Results can be released to the partner once the consultation has closed")
    if consultation.results_released_at is None:
        consultation.results_released_at = utcnow()
        record(actor, "consultation.results_released", "consultation", consultation.id, consultation.title[:200])
        db.session.commit()
