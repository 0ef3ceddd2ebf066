"""Who may see and review which statement (the object rules behind the permission table)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import false, select, true

from portal.extensions import db
from portal.models import ChairStatement, Portfolio, User
from portal.roles import Role


def reviewers() -> list[User]:
    """The Cabinet Member(s) who review the statement: the holder of the Youth
    portfolio (PORTAL_YOUTH_PORTFOLIO), or every Cabinet Member if nobody holds it."""
    holders = db.session.scalars(
        select(User)
        .join(Portfolio, Portfolio.cabinet_member_id == User.id)
        .where(Portfolio.name == current_app.config["YOUTH_PORTFOLIO"], User.active)
    ).all()
    if holders:
        return list(holders)
    return list(db.session.scalars(select(User).where(User.role == Role.CABINET_MEMBER.value, User.active)))


def chairs() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.CHAIR.value, User.active)))


def is_reviewer(user: User) -> bool:
    return user.role == Role.CABINET_MEMBER and any(r.id == user.id for r in reviewers())


def can_see(user: User, statement: ChairStatement) -> bool:
    """Drafts: the Chair and officers. Once submitted: Cabinet Members too."""
    if user.role in (Role.CHAIR, Role.OFFICER):
        return True
    return user.role == Role.CABINET_MEMBER and statement.submitted_at is not None


def visible_to(user: User):
    """``can_see`` as a condition on the query (lists filter in SQL, then page)."""
    if user.role in (Role.CHAIR, Role.OFFICER):
        return true()
    if user.role == Role.CABINET_MEMBER:
        return ChairStatement.submitted_at.is_not(None)
    return false()


def can_edit(user: User, statement: ChairStatement) -> bool:
    return user.role == Role.CHAIR and statement.state.chair_can_edit


def can_reopen(user: User, statement: ChairStatement) -> bool:
    """An accepted statement is reopened by its reviewer or an officer."""
    return user.role == Role.OFFICER or is_reviewer(user)
