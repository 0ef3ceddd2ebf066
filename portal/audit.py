"""Writing the audit log. Operations call ``record``; they commit it with their change."""

from __future__ import annotations

from portal.extensions import db
from portal.models import AuditEntry, User


def record(actor: User | None, action: str, subject_type: str, subject_id: int | None, summary: str = "") -> None:
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor is not None else None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            summary=summary[:1000],
        )
    )
