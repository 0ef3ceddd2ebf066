"""Retention (#13.3): personal data is deleted or made anonymous when its
period ends. ``flask retention run`` applies every rule (nightly in
production, README.md); the privacy notice states the same periods from the
same settings (``periods_in_words``), so the two cannot drift.

Each rule takes ``now`` (so tests can move time forward), returns how many
things it deleted or cleared, and with ``dry_run`` only counts them. Rows are
changed in batches of ``RETENTION_BATCH_SIZE``, each batch its own
transaction, so no table is locked for long; a rule leaves nothing it has
dealt with in its own selection, so running it again changes nothing, and a
run stopped half-way is finished by the next.

The periods (config.py) count from:
- a consultation's closing date (unsent responses and changes not sent,
  visitors' tokens), in the council's time zone: "30 days after it closed"
  is day 31 after the closing date;
- the deactivation of an account (the audit log's ``people.deactivated``
  entry: the account has no column of its own for it);
- an audit entry's, an outbox mail's or a notification's own time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, delete, exists, func, or_, select, update

from portal.extensions import db
from portal.models import (
    Answer,
    AuditEntry,
    Consultation,
    ExportFile,
    Notification,
    Response,
    ResponseStatus,
    User,
)
from portal.people.erasure import ERASED_DOMAIN, erase
from portal.roles import Role
from portal.templating import LOCAL_ZONE

# Where bulk changes leave the session: everything is expired by the commit.
_BULK = {"synchronize_session": False}

# Audit entries of what a person did for themselves (signing in, sending
# answers, saving their Area of Interest choices): once old, who did it goes
# too. Entries of decisions about others or about public records (approving,
# publishing, inviting, deactivating, deleting an account) keep who decided.
SELF_SERVICE_PREFIXES = ("account.", "consultation.response_", "aoi.choices_saved")

ERASURE_REASON = "Account deleted by the retention rule: deactivated for longer than the retention period"


def _setting(name: str) -> int:
    return int(current_app.config[name])


def _local_date_before(now: datetime, setting: str):
    """The last closing date whose period has ended at ``now``: a
    consultation that closed on it closed more than the setting's days ago."""
    return now.astimezone(LOCAL_ZONE).date() - timedelta(days=_setting(setting) + 1)


def _in_batches(ids: Select[Any], act: Callable[[list[int]], None], *, dry_run: bool) -> int:
    """Apply ``act`` to the ids ``ids`` selects, a batch at a time, committing
    after each; or, in a dry run, only count them. ``act`` must take its rows
    out of the selection (delete them, or clear what selected them)."""
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    size = _setting("RETENTION_BATCH_SIZE")
    done = 0
    while True:
        batch = list(db.session.scalars(ids.order_by(ids.selected_columns[0]).limit(size)))
        if not batch:
            break
        act(batch)
        db.session.commit()
        done += len(batch)
        if len(batch) < size:
            break
    return done


# Consultations -----------------------------------------------------------------------------


def _closed_before(now: datetime, setting: str):
    """Consultations whose retention period (``setting``, days after closing) has ended."""
    return select(Consultation.id).where(Consultation.closes_on <= _local_date_before(now, setting))


def unsent_responses(now: datetime, *, dry_run: bool = False) -> int:
    """Responses never sent, RETENTION_UNSENT_RESPONSE_DAYS after their
    consultation closed: deleted with their answers (they were never counted).
    Signed-in people's and visitors' alike."""
    ids = select(Response.id).where(
        Response.status == ResponseStatus.IN_PROGRESS.value,
        Response.consultation_id.in_(_closed_before(now, "RETENTION_UNSENT_RESPONSE_DAYS")),
    )

    def act(batch: list[int]) -> None:
        db.session.execute(delete(Answer).where(Answer.response_id.in_(batch)), execution_options=_BULK)
        db.session.execute(delete(Response).where(Response.id.in_(batch)), execution_options=_BULK)

    return _in_batches(ids, act, dry_run=dry_run)


def changes_not_sent(now: datetime, *, dry_run: bool = False) -> int:
    """Sent responses with changes never sent (the draft copy of their
    answers), RETENTION_UNSENT_RESPONSE_DAYS after their consultation closed:
    the copy is deleted; the sent answers, which always counted, stay. The
    count is of responses."""
    has_copy = exists().where(Answer.response_id == Response.id, Answer.draft.is_(True))
    ids = select(Response.id).where(
        Response.status == ResponseStatus.SUBMITTED.value,
        or_(Response.changing.is_(True), has_copy),
        Response.consultation_id.in_(_closed_before(now, "RETENTION_UNSENT_RESPONSE_DAYS")),
    )

    def act(batch: list[int]) -> None:
        db.session.execute(
            delete(Answer).where(Answer.response_id.in_(batch), Answer.draft.is_(True)), execution_options=_BULK
        )
        db.session.execute(
            update(Response).where(Response.id.in_(batch)).values(changing=False), execution_options=_BULK
        )

    return _in_batches(ids, act, dry_run=dry_run)


def visitor_tokens(now: datetime, *, dry_run: bool = False) -> int:
    """Visitors' ways back to their answers (the hash of a token their browser
    kept), RETENTION_VISITOR_TOKEN_DAYS after the consultation closed: cleared.
    Nobody can change answers after closing, so nothing needs them."""
    ids = select(Response.id).where(
        Response.visitor_token.is_not(None),
        Response.consultation_id.in_(_closed_before(now, "RETENTION_VISITOR_TOKEN_DAYS")),
    )

    def act(batch: list[int]) -> None:
        db.session.execute(
            update(Response).where(Response.id.in_(batch)).values(visitor_token=None), execution_options=_BULK
        )

    return _in_batches(ids, act, dry_run=dry_run)


# Accounts ----------------------------------------------------------------------------------


def deactivated_at():
    """When each account was last deactivated: its latest ``people.deactivated``
    audit entry (audit retention keeps an entry's action, time and subject),
    else, for an account deactivated without one, when its row last changed."""
    entry = (
        select(func.max(AuditEntry.at))
        .where(
            AuditEntry.action == "people.deactivated",
            AuditEntry.subject_type == "user",
            AuditEntry.subject_id == User.id,
        )
        .correlate(User)
        .scalar_subquery()
    )
    return func.coalesce(entry, User.updated_at)


def deactivated_accounts(now: datetime, *, dry_run: bool = False) -> int:
    """Accounts deactivated more than RETENTION_DEACTIVATED_ACCOUNT_DAYS ago are
    deleted as a person's own deletion is (portal/people/erasure.py: the row
    stays, anonymous; sent answers keep counting), each in its own transaction,
    recorded as done by the system. Officers' accounts are left alone: the
    audit log's record of staff decisions names them, and erasure's own rules
    let nobody but an officer delete an officer's account."""
    cutoff = now - timedelta(days=_setting("RETENTION_DEACTIVATED_ACCOUNT_DAYS"))
    ids = select(User.id).where(
        User.active.is_(False),
        User.role != Role.OFFICER.value,
        User.email.not_like(f"%@{ERASED_DOMAIN}"),
        deactivated_at() < cutoff,
    )
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    # Deactivated accounts are few: their ids are read at once, then each is
    # deleted in its own transaction (erase commits).
    system = User()  # never stored: no id, so the audit log shows "The system"
    done = 0
    for user_id in list(db.session.scalars(ids.order_by(User.id))):
        user = db.session.get(User, user_id)
        if user is not None:
            erase(system, user, ERASURE_REASON)
            done += 1
    return done


# The audit log -----------------------------------------------------------------------------


def _self_service():
    return or_(*(AuditEntry.action.startswith(prefix) for prefix in SELF_SERVICE_PREFIXES))


def audit_details(now: datetime, *, dry_run: bool = False) -> int:
    """Audit entries older than RETENTION_AUDIT_PERSONAL_DAYS lose their
    details (``summary``: names, reasons, roles). What people did for
    themselves also loses who did it. Kept: the action, its time, its subject
    and, for decisions, who made them, so the council can still say who
    approved, published, deactivated or deleted what."""
    cutoff = now - timedelta(days=_setting("RETENTION_AUDIT_PERSONAL_DAYS"))
    ids = select(AuditEntry.id).where(
        AuditEntry.at < cutoff,
        or_(AuditEntry.summary != "", and_(AuditEntry.actor_id.is_not(None), _self_service())),
    )

    def act(batch: list[int]) -> None:
        db.session.execute(
            update(AuditEntry).where(AuditEntry.id.in_(batch)).values(summary=""), execution_options=_BULK
        )
        db.session.execute(
            update(AuditEntry).where(AuditEntry.id.in_(batch), _self_service()).values(actor_id=None),
            execution_options=_BULK,
        )

    return _in_batches(ids, act, dry_run=dry_run)


# Notifications and mail --------------------------------------------------------------------


def notifications(now: datetime, *, dry_run: bool = False) -> int:
    """Dashboard notifications, counted from when they were made: read ones
    after RETENTION_NOTIFICATION_DAYS, unread ones after
    RETENTION_UNREAD_NOTIFICATION_DAYS."""
    read_cutoff = now - timedelta(days=_setting("RETENTION_NOTIFICATION_DAYS"))
    unread_cutoff = now - timedelta(days=_setting("RETENTION_UNREAD_NOTIFICATION_DAYS"))
    ids = select(Notification.id).where(
        or_(
            and_(Notification.read_at.is_not(None), Notification.created_at < read_cutoff),
            and_(Notification.read_at.is_(None), Notification.created_at < unread_cutoff),
        )
    )

    def act(batch: list[int]) -> None:
        db.session.execute(delete(Notification).where(Notification.id.in_(batch)), execution_options=_BULK)

    return _in_batches(ids, act, dry_run=dry_run)


def outbox_mails(now: datetime, *, dry_run: bool = False) -> int:
    """Mail files in OUTBOX_DIR (``*.eml``: written when no mail server is
        set, and in ``undelivered/``: mails the queue gave up on) last changed more
    than RETENTION_OUTBOX_DAYS ago. They hold
        addresses, names and sign-in links. Nothing else in the folder is touched."""
    folder = Path(current_app.config["OUTBOX_DIR"])
    if not folder.is_dir():
        return 0
    cutoff = (now - timedelta(days=_setting("RETENTION_OUTBOX_DAYS"))).timestamp()
    done = 0
    for path in [*folder.glob("*.eml"), *folder.glob("undelivered/*.eml")]:
        if path.is_file() and path.stat().st_mtime < cutoff:
            if not dry_run:
                path.unlink(missing_ok=True)
            done += 1
    return done


def export_files(now: datetime, *, dry_run: bool = False) -> int:
    """Spreadsheets of responses (portal/consultations/results/spreadsheets.py)
    made more than RETENTION_EXPORT_HOURS ago: a copy of everyone's answers
    is kept no longer than its download needs."""
    cutoff = now - timedelta(hours=_setting("RETENTION_EXPORT_HOURS"))
    ids = select(ExportFile.id).where(ExportFile.created_at < cutoff)

    def act(batch: list[int]) -> None:
        db.session.execute(delete(ExportFile).where(ExportFile.id.in_(batch)), execution_options=_BULK)

    return _in_batches(ids, act, dry_run=dry_run)


# The run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    label: str  # what goes, in a line of the command's output
    done: str  # what happened to it
    apply: Callable[..., int]


RULES = (
    Rule("unsent_responses", "Unsent responses", "deleted", unsent_responses),
    Rule("changes_not_sent", "Changes to sent responses never sent", "deleted", changes_not_sent),
    Rule("visitor_tokens", "Visitors' tokens", "cleared", visitor_tokens),
    Rule("deactivated_accounts", "Deactivated accounts", "deleted", deactivated_accounts),
    Rule("audit_details", "Audit entries' personal details", "cleared", audit_details),
    Rule("notifications", "Notifications", "deleted", notifications),
    Rule("outbox_mails", "Outbox mail files", "deleted", outbox_mails),
    Rule("export_files", "Spreadsheets of responses", "deleted", export_files),
)


def run(now: datetime, *, dry_run: bool = False) -> dict[str, int]:
    """Every rule, in order; how many things each deleted or cleared (or, in
    a dry run, would)."""
    return {rule.name: rule.apply(now, dry_run=dry_run) for rule in RULES}


def run_on_schedule() -> dict[str, int]:
    """The nightly run (portal/tasks.py): every rule now, with a log line of the counts."""
    from portal.models.base import utcnow

    counts = run(utcnow())
    logging.getLogger(__name__).info("Retention: %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


# The privacy notice ------------------------------------------------------------------------


def in_words(days: int) -> str:
    """A period as the privacy notice says it: "30 days", "1 year", "2 years"."""
    if days and days % 365 == 0:
        years = days // 365
        return "1 year" if years == 1 else f"{years} years"
    return "1 day" if days == 1 else f"{days} days"


def _after(setting: str, event: str) -> str:
    days = _setting(setting)
    return f"when {event}" if days == 0 else f"{in_words(days)} after {event}"


def periods_in_words() -> dict[str, str]:
    """Each retention period as the privacy notice says it, from the same
    settings the rules apply."""
    return {
        "unsent_responses": _after("RETENTION_UNSENT_RESPONSE_DAYS", "the consultation closes"),
        "visitor_token": _after("RETENTION_VISITOR_TOKEN_DAYS", "the consultation closes"),
        "deactivated_account": _after("RETENTION_DEACTIVATED_ACCOUNT_DAYS", "the account was deactivated"),
        "audit_details": in_words(_setting("RETENTION_AUDIT_PERSONAL_DAYS")),
        "outbox": in_words(_setting("RETENTION_OUTBOX_DAYS")),
        "read_notifications": in_words(_setting("RETENTION_NOTIFICATION_DAYS")),
        "unread_notifications": in_words(_setting("RETENTION_UNREAD_NOTIFICATION_DAYS")),
    }
