"""Managing people. Officers only (the routes check); the rules are here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.audit import record
from portal.auth.operations import find_by_email, normalise_email, send_invitation
from portal.extensions import db
from portal.models import AuditEntry, User
from portal.models.base import utcnow
from portal.roles import Role
from portal.rules import RuleError
from portal.security_log import security_event

SEARCH_LIMIT = 50


class PeopleError(RuleError):
    """A change refused by a rule; ``field`` names the form field it concerns."""


@dataclass
class RoleDetails:
    role: str
    age_band: str | None
    district: str | None
    organisation: str | None

    def cleaned(self) -> RoleDetails:
        """Keep only the details the role needs: nothing extra about anyone."""
        role = Role(self.role)
        return RoleDetails(
            role=role.value,
            age_band=(self.age_band or None) if role.is_young else None,
            district=(self.district or None) if role.is_young else None,
            organisation=(self.organisation or None) if role == Role.PARTNER else None,
        )


def _check_chair_role(new: str, old: str | None) -> None:
    """The chair role comes and goes with the Chair office (portal/plan/operations.py),
    so that there is one Chair and the office and the role always agree."""
    if new == Role.CHAIR and old != Role.CHAIR:
        raise PeopleError(
            "The Chair is the member who holds the Chair office. Invite them as a Youth Cabinet member, "
            "then give them the office on the Youth Cabinet page",
            "role",
        )
    if old == Role.CHAIR and new != Role.CHAIR:
        raise PeopleError("End their Chair office on the Youth Cabinet page first: that takes the role away", "role")


def invite(actor: User, email: str, display_name: str, details: RoleDetails) -> User:
    """Create an invited account and email its link (once the page has
    answered: a mail that cannot be sent becomes a note on the officer's
    dashboard). An email already in use is refused."""
    if find_by_email(email) is not None:
        raise PeopleError("Someone already has an account with this email address", "email")
    _check_chair_role(details.role, None)
    details = details.cleaned()
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=details.role,
        age_band=details.age_band,
        district=details.district,
        organisation=details.organisation,
        invited_at=utcnow(),
        invited_by_id=actor.id,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same invitation sent twice at the same moment
        db.session.rollback()
        raise PeopleError("Someone already has an account with this email address", "email") from None
    record(actor, "people.invited", "user", user.id, f"Invited as {user.role_label}")
    db.session.commit()
    send_invitation(user, actor)
    return user


def resend_invitation(actor: User, user: User) -> None:
    """A new link; the older links stop working. Only for people who have not accepted yet."""
    if user.has_password:
        raise PeopleError(f"{user.display_name} has already accepted their invitation")
    if not user.active:
        raise PeopleError(f"{user.display_name}'s account is deactivated. Reactivate it first")
    user.invited_at = utcnow()
    user.invited_by_id = actor.id
    record(actor, "people.invitation_resent", "user", user.id)
    db.session.commit()
    send_invitation(user, actor)


def change_role(actor: User, user: User, details: RoleDetails) -> None:
    """Change someone's role and details. Officers cannot change their own role
    (so the portal never loses its last officer by mistake)."""
    if user.id == actor.id and details.role != user.role:
        raise PeopleError("You cannot change your own role. Ask another officer", "role")
    _check_chair_role(details.role, user.role)
    details = details.cleaned()
    before, old_role = user.role_label, user.role
    user.role = details.role
    user.age_band = details.age_band
    user.district = details.district
    user.organisation = details.organisation
    # A new role means new permissions: end the sessions that had the old ones.
    if before != user.role_label:
        user.session_version += 1
    record(actor, "people.role_changed", "user", user.id, f"{before} to {user.role_label}")
    db.session.commit()
    security_event("people.role_changed", user=actor, subject=user.id, old_role=old_role, new_role=user.role)


def deactivate(actor: User, user: User) -> None:
    """Deactivate an account: every session ends at once, links stop working."""
    if user.id == actor.id:
        raise PeopleError("You cannot deactivate your own account")
    if not user.active:
        raise PeopleError(f"{user.display_name}'s account is already deactivated")
    user.active = False
    user.session_version += 1
    record(actor, "people.deactivated", "user", user.id)
    db.session.commit()
    security_event("people.deactivated", user=actor, subject=user.id)


def reactivate(actor: User, user: User) -> None:
    if user.active:
        raise PeopleError(f"{user.display_name}'s account is already active")
    user.active = True
    record(actor, "people.reactivated", "user", user.id)
    db.session.commit()
    security_event("people.reactivated", user=actor, subject=user.id)


def search(query: str, role: str | None) -> tuple[list[User], int]:
    """People whose name or email contains ``query``, first SEARCH_LIMIT by name, and how many matched."""
    conditions = []
    if query:
        pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if role:
        conditions.append(User.role == role)
    total = db.session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    people = db.session.scalars(
        select(User).where(*conditions).order_by(func.lower(User.display_name), User.id).limit(SEARCH_LIMIT)
    ).all()
    return list(people), total


def audit_query():
    """The audit log, newest first, with who did each thing."""
    return select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def people_counts() -> dict[str, int]:
    """How many active people hold each role, in one query."""
    rows = db.session.execute(select(User.role, func.count(User.id)).where(User.active).group_by(User.role))
    return {role: count for role, count in rows}


def create_account(
    *,
    email: str,
    display_name: str,
    role: str,
    password: str,
    age_band: str | None = None,
    district: str | None = None,
    organisation: str | None = None,
    job_title: str | None = None,
    actor: User | None = None,
) -> User:
    """An active account with a password, for first set-up, scripts and demo data.
    The same rules as the forms: a known role, a sound password, a free email."""
    from portal.auth.passwords import hash_password, password_problem
    from portal.roles import AGE_BANDS

    if role not in {r.value for r in Role}:
        raise ValueError(f"Unknown role {role!r}")
    if not display_name.strip() or len(display_name) > 60:
        raise ValueError("The name must be 1 to 60 characters")
    if age_band and age_band not in AGE_BANDS:
        raise ValueError(f"Unknown age band {age_band!r}; use one of {', '.join(AGE_BANDS)}")
    problem = password_problem(password, email)
    if problem:
        raise ValueError(problem)
    if find_by_email(email) is not None:
        raise ValueError(f"There is already an account for {email}")
    details = RoleDetails(role, age_band, district, organisation).cleaned()
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        role=details.role,
        age_band=details.age_band,
        district=details.district,
        organisation=details.organisation,
        job_title=job_title,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "people.created", "user", user.id, f"Created as {user.role_label}")
    db.session.commit()
    return user


def youth_cabinet_members() -> list[User]:
    """Active Youth Cabinet members, the Chair among them, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active, User.role.in_([Role.YOUTH_MEMBER.value, Role.CHAIR.value]))
            .order_by(User.display_name)
        )
    )
