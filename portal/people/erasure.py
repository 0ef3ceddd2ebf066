"""Deleting an account (#13.2), at the person's request (confirmed with their
password) or by an officer on their request. One transaction; the rules are here.

What goes: the person's email, name, password, age band, district and every
other personal detail of the account (the row stays, anonymised, so that what
points at it still holds and shows "A former member"); the words they wrote in
consultations, except approved quotes of consultations whose results were
already released (they stay, anonymous); responses they never sent; their
notifications; the reasons they gave for their Area of Interest choices; the
details in audit entries about them.

What stays: their sent responses, unlinked from them, so that the counters and
released results do not change; campaigns, pairing logs and the Chair's
statements they wrote (public records and shared logs), shown as by
"A former member"; the audit entries, without their details.
"""

from __future__ import annotations

from sqlalchemy import and_, case, delete, func, not_, select, update

from portal.audit import record
from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import (
    Answer,
    AuditEntry,
    Consultation,
    Moderation,
    Notification,
    Office,
    Portfolio,
    PreferenceAnswer,
    RecoveryCode,
    RememberedDevice,
    Response,
    ResponseStatus,
    User,
)
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import local_today

ERASED_NAME = "A former member"
# ".invalid" is reserved for names that can never be real (RFC 2606): no
# real address can collide with it, and no mail can go there.
ERASED_DOMAIN = "erased.invalid"
SELF_SUMMARY = "Account deleted at the person's request"
OFFICER_SUMMARY = "Account deleted by an officer on request"
REASON_MAX = 300
REMOVED_REASON = "The words were removed when the person deleted their account."

# Where bulk changes leave the session: everything is expired by the commit.
_BULK = {"synchronize_session": False}


class ErasureError(RuleError):
    """A deletion the rules refuse; ``field`` names the form field it concerns."""


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def _active_officers() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.active, User.role == Role.OFFICER.value)) or 0


def refusal(actor: User, user: User) -> str | None:
    """Why ``actor`` may not delete ``user``'s account, in plain words, or None."""
    if is_erased(user):
        return "This account has already been deleted."
    if actor.id != user.id and user.role == Role.OFFICER:
        return (
            "Officers cannot delete another officer's account. An officer can delete their own from their account page."
        )
    # (An officer's account can only be deleted by themselves, so this is their own.)
    if user.role == Role.OFFICER and user.active and _active_officers() <= 1:
        return "You are the only officer, so you cannot delete your account. Invite another officer first."
    return None


def delete_own_account(user: User, password: str) -> None:
    """The person deletes their own account, after typing their password."""
    if not verify_password(user.password_hash, password):
        raise ErasureError("That is not your password. Check it and try again", "password")
    problem = refusal(user, user)
    if problem:
        raise ErasureError(problem, "password")
    erase(user, user, SELF_SUMMARY)


def refusal_on_request(officer: User, user: User) -> str | None:
    """Why ``officer`` may not delete ``user``'s account from the person's page, or None.
    Their own account is deleted from their account page, with their password."""
    if officer.id == user.id and not is_erased(user):
        return "To delete your own account, use your account page: you will be asked for your password."
    return refusal(officer, user)


def delete_on_request(officer: User, user: User, reason: str) -> None:
    """An officer deletes someone's account on their request, saying why."""
    problem = refusal_on_request(officer, user)
    if problem:
        raise ErasureError(problem)
    reason = " ".join(reason.split())
    if not reason:
        raise ErasureError("Say why you are deleting this account, like ‘Asked by email on 3 March’", "reason")
    if len(reason) > REASON_MAX:
        raise ErasureError(f"The reason must be {REASON_MAX} characters or fewer", "reason")
    erase(officer, user, f"{OFFICER_SUMMARY}: {reason}")


def erase(actor: User, user: User, reason: str) -> None:
    """Delete ``user``'s personal data, in one transaction (see the module's
    docstring for what goes and what stays). The audit entry says who and
    why (``reason``), never the personal data."""
    problem = refusal(actor, user)
    if problem:
        raise ErasureError(problem)
    _consultation_answers(user.id)
    db.session.execute(delete(Notification).where(Notification.user_id == user.id), execution_options=_BULK)
    db.session.execute(
        update(PreferenceAnswer).where(PreferenceAnswer.member_id == user.id).values(reason=""),
        execution_options=_BULK,
    )
    # An erased Cabinet Member no longer holds a portfolio (it shows "Not yet named").
    db.session.execute(
        update(Portfolio).where(Portfolio.cabinet_member_id == user.id).values(cabinet_member_id=None),
        execution_options=_BULK,
    )
    offices = _end_offices(user.id)
    # Audit entries keep what was done; the details about the person go
    # (an office's entry names its holder).
    about_them = and_(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id)
    if offices:
        about_them = about_them | and_(AuditEntry.subject_type == "office", AuditEntry.subject_id.in_(offices))
    db.session.execute(update(AuditEntry).where(about_them).values(summary=""), execution_options=_BULK)
    _anonymise(user)
    action = "account.deleted" if actor.id == user.id else "people.erased"
    record(actor, action, "user", user.id, reason)
    db.session.commit()


def _consultation_answers(user_id: int) -> None:
    """Responses never sent are deleted. Sent ones stay, unlinked, with their
    status, age band, district and choices untouched, so every counter stays
    the same; their written words go, except approved quotes of released
    results. A copy being changed is deleted (the sent answers still count)."""
    mine = select(Response.id).where(Response.respondent_id == user_id)
    unsent = mine.where(Response.status == ResponseStatus.IN_PROGRESS.value)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(unsent)), execution_options=_BULK)
    db.session.execute(delete(Response).where(Response.id.in_(unsent)), execution_options=_BULK)
    db.session.execute(
        delete(Answer).where(Answer.response_id.in_(mine), Answer.draft.is_(True)), execution_options=_BULK
    )
    released = (
        select(Response.id)
        .join(Consultation, Consultation.id == Response.consultation_id)
        .where(Response.respondent_id == user_id, Consultation.results_released_at.is_not(None))
    )
    kept_quote = and_(Answer.moderation == Moderation.APPROVED.value, Answer.response_id.in_(released))
    approved = Answer.moderation == Moderation.APPROVED.value
    db.session.execute(
        update(Answer)
        .where(Answer.response_id.in_(mine), Answer.text.is_not(None), not_(kept_quote))
        .values(
            text="",
            flags="",
            # An approved answer whose words are gone is no longer quoted; it
            # stays read (hidden), so officers' theme counts do not change.
            moderation=case((approved, Moderation.HIDDEN.value), else_=Answer.moderation),
            moderation_reason=case((approved, REMOVED_REASON), else_=Answer.moderation_reason),
        ),
        execution_options=_BULK,
    )
    db.session.execute(
        update(Response)
        .where(Response.respondent_id == user_id)
        .values(respondent_id=None, tell_me=False, changing=False),
        execution_options=_BULK,
    )


def _end_offices(user_id: int) -> list[int]:
    """Offices they hold end today; offices not started yet are removed. The
    ids of the offices they held (their audit entries name the holder)."""
    today = local_today()
    ids = list(db.session.scalars(select(Office.id).where(Office.holder_id == user_id)))
    if ids:
        db.session.execute(
            delete(Office).where(Office.holder_id == user_id, Office.starts_on > today), execution_options=_BULK
        )
        db.session.execute(
            update(Office)
            .where(Office.holder_id == user_id, (Office.ends_on.is_(None)) | (Office.ends_on > today))
            .values(ends_on=today),
            execution_options=_BULK,
        )
    return ids


def _anonymise(user: User) -> None:
    """The account row stays (what points at it still holds) with nothing personal left."""
    user.email = f"deleted-{user.id}@{ERASED_DOMAIN}"
    user.display_name = ERASED_NAME
    user.password_hash = None
    user.age_band = None
    user.district = None
    user.organisation = None
    user.job_title = None
    user.invited_at = None
    user.invited_by_id = None
    user.last_signed_in_at = None
    # Two-step sign-in: the app's secret goes; recovery codes and remembered
    # devices are deleted with the rest (below).
    user.two_step_secret = None
    user.two_step_enabled_at = None
    user.two_step_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    user.active = False
    # Every session they have ends on its next request.
    user.session_version += 1
    # The chair role goes with the Chair office, which has ended.
    if user.role == Role.CHAIR:
        user.role = Role.YOUTH_MEMBER.value
