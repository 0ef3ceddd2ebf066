"""The Chair's statement: the rules for saving, revisions and review.
Each operation checks its rule, records what happened and commits."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlalchemy import select

from portal.audit import record
from portal.autosave import VersionConflict, apply_save
from portal.clashes import again_if_it_clashes
from portal.extensions import db
from portal.figures.facts import facts_for
from portal.models import ChairStatement, StatementReview, StatementRevision, StatementStatus, User
from portal.models.base import utcnow
from portal.notifications import deliver, notify
from portal.rules import RuleError
from portal.statements.access import chairs, reviewers
from portal.statements.sources import source_of, sources_in
from portal.templating import LOCAL_ZONE


class StatementError(RuleError):
    """A step the rules refuse; ``field`` names the form field it concerns."""


def current_month(now: datetime | None = None) -> date:
    local = (now or utcnow()).astimezone(LOCAL_ZONE)
    return date(local.year, local.month, 1)


def find(month: date) -> ChairStatement | None:
    return db.session.scalar(select(ChairStatement).where(ChairStatement.month == month))


@again_if_it_clashes
def open_statement(actor: User, month: date) -> ChairStatement:
    """The month's statement, made if it does not exist yet (started from two
    tabs at the same moment: the one made first, for both)."""
    statement = find(month)
    if statement is not None:
        return statement
    statement = ChairStatement(month=month, created_by_id=actor.id, updated_by_id=actor.id)
    db.session.add(statement)
    db.session.flush()
    record(actor, "statement.opened", "chair_statement", statement.id, statement.month_label)
    db.session.commit()
    return statement


def _last_revision(statement: ChairStatement) -> StatementRevision | None:
    return db.session.scalar(
        select(StatementRevision)
        .where(StatementRevision.statement_id == statement.id)
        .order_by(StatementRevision.id.desc())
        .limit(1)
    )


def _facts_offered(statement: ChairStatement) -> list[dict]:
    """The month's facts as sources (the ones the Chair can add today)."""
    return [source_of(fact) for fact in facts_for(statement.month)]


def save_text(
    actor: User,
    statement: ChairStatement,
    text: str,
    base_version: int,
    kind: str = "autosave",
    audit: str | None = None,
    sources: list[dict] | None = None,
) -> bool:
    """Save the Chair's text. Only while it is a draft or changes were asked
    for. A save based on an older version is refused with VersionConflict; the
    refused text is kept as a revision so that nothing typed is lost.
    The facts' sources are kept beside the text: those kept before, those
    given (``sources``: a restored version's) and the month's facts, each
    only while its sentence is in the text (portal/statements/sources.py).
    Returns False when the text was already saved as it is."""
    if not statement.state.chair_can_edit:
        raise StatementError(f"This statement is {statement.state.label.lower()}, so it cannot be changed now")
    offered: list[list[dict]] = []

    def sources_for(text: str) -> list[dict]:
        if not offered:  # the facts are counted once, and only when a text is kept
            offered.append(_facts_offered(statement))
        return sources_in(text, statement.sources or [], sources or [], offered[0])

    added: list[StatementRevision] = []
    looked_at: list[StatementRevision | None] = []

    def add_revision(text: str, kind: str, version: int, now: datetime) -> None:
        revision = StatementRevision(
            statement_id=statement.id,
            version=version,
            text=text,
            sources=sources_for(text) if kind == "conflict" else [],
            kind=kind,
            author_id=actor.id,
            created_at=now,
            saved_at=now,
        )
        db.session.add(revision)
        added.append(revision)

    def last_revision() -> StatementRevision | None:
        looked_at.append(_last_revision(statement))
        return looked_at[-1]

    try:
        changed = apply_save(
            statement, text, base_version, actor, kind, last_revision=last_revision, add_revision=add_revision
        )
    except VersionConflict:
        db.session.commit()  # the refused text is kept as a revision
        raise
    if not changed:
        return False
    statement.sources = sources_for(statement.text)
    # The revision this text went into: a new one, or the last one folded into.
    newest = added[-1] if added else looked_at[-1]
    if newest is not None:
        newest.sources = list(statement.sources)
    if audit:
        record(
            actor,
            "statement.restored" if kind == "restore" else "statement.saved",
            "chair_statement",
            statement.id,
            audit,
        )
    db.session.commit()
    return True


def restore(actor: User, statement: ChairStatement, revision: StatementRevision, base_version: int) -> None:
    """Make an earlier revision the current text (itself a new revision)."""
    if revision.statement_id != statement.id:
        raise StatementError("That version belongs to another statement")
    save_text(
        actor,
        statement,
        revision.text,
        base_version,
        kind="restore",
        sources=revision.sources or [],
        audit=f"Restored the text saved at {revision.saved_at:%Y-%m-%d %H:%M} UTC",
    )


def _step(
    actor: User,
    statement: ChairStatement,
    action: str,
    status: StatementStatus,
    comment: str,
    tell: list[User],
    message: str,
) -> None:
    statement.status = status.value
    db.session.add(StatementReview(statement_id=statement.id, action=action, comment=comment, actor_id=actor.id))
    record(actor, f"statement.{action}", "chair_statement", statement.id, comment[:200])
    link = url_for("statements.show", month=statement.month)
    mails = notify(
        [p for p in tell if p.id != actor.id], message, link, subject=f"Chair's statement for {statement.month_label}"
    )
    db.session.commit()
    deliver(mails)


def save_and_submit(actor: User, statement: ChairStatement, text: str, base_version: int, kind: str) -> None:
    """Save the text in the box, then send it: an empty statement is refused
    before anything is saved, so the text saved before stays as it was."""
    if not text.strip():
        raise StatementError("Write your statement before you send it", "text")
    save_text(actor, statement, text, base_version, kind)
    submit(actor, statement)


def submit(actor: User, statement: ChairStatement) -> None:
    """The Chair sends the statement for review; it is then locked for the Chair."""
    if not statement.state.chair_can_edit:
        raise StatementError(f"This statement is already {statement.state.label.lower()}")
    if not statement.text.strip():
        raise StatementError("Write your statement before you send it", "text")
    statement.submitted_at = utcnow()
    _step(
        actor,
        statement,
        "submitted",
        StatementStatus.SUBMITTED,
        "",
        reviewers(),
        f"{actor.display_name} has sent the Chair's statement for {statement.month_label} for you to review.",
    )


def request_changes(actor: User, statement: ChairStatement, comment: str) -> None:
    """The Cabinet Member asks for changes, saying what; the Chair can edit again."""
    if statement.state != StatementStatus.SUBMITTED:
        raise StatementError("You can only ask for changes to a statement that has been sent for review")
    if not comment.strip():
        raise StatementError("Write what you would like the Chair to change", "comment")
    _step(
        actor,
        statement,
        "changes_requested",
        StatementStatus.CHANGES_REQUESTED,
        comment,
        chairs(),
        f"{actor.display_name} has asked for changes to your statement for {statement.month_label}: {comment}",
    )


def accept(actor: User, statement: ChairStatement) -> None:
    """The Cabinet Member accepts: the statement is locked and goes in the update."""
    if statement.state != StatementStatus.SUBMITTED:
        raise StatementError("You can only accept a statement that has been sent for review")
    statement.accepted_at = utcnow()
    _step(
        actor,
        statement,
        "accepted",
        StatementStatus.ACCEPTED,
        "",
        chairs(),
        f"{actor.display_name} has accepted your statement for {statement.month_label}.",
    )


def reopen(actor: User, statement: ChairStatement, reason: str) -> None:
    """Unlock an accepted statement for the Chair, saying why."""
    if statement.state != StatementStatus.ACCEPTED:
        raise StatementError("Only an accepted statement can be reopened")
    if not reason.strip():
        raise StatementError("Say why you are reopening the statement", "reason")
    statement.accepted_at = None
    _step(
        actor,
        statement,
        "reopened",
        StatementStatus.CHANGES_REQUESTED,
        reason,
        chairs() + reviewers(),
        f"{actor.display_name} has reopened the Chair's statement for {statement.month_label}: {reason}",
    )
