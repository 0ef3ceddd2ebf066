"""Spreadsheets of every response, made on the queue (#16.1): a county's
consultation can have 100,000 responses, whose workbook takes longer to make
than a page may take. The officer asks for one, a worker makes it while a
page shows how far it has got (htmx asks every two seconds; without
JavaScript a button checks again), then the officer downloads it. Only who
asked can download it, and it is deleted a day later (portal/retention.py)."""

from __future__ import annotations

import re
import tempfile
from datetime import timedelta

from flask import current_app
from flask_login import current_user
from sqlalchemy import func, select, update

from portal.audit import record
from portal.background import after_response
from portal.consultations.results.exports import write_xlsx
from portal.extensions import db
from portal.models import Consultation, ExportFile, ExportStatus, Response, ResponseStatus, User
from portal.models.base import utcnow
from portal.models.export import STALE_AFTER
from portal.security_log import security_event
from portal.tasks import reads_first

UNFINISHED = (ExportStatus.WAITING.value, ExportStatus.MAKING.value)


def filename_for(consultation: Consultation) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", consultation.title.lower()).strip("-")[:60] or "consultation"
    return f"{slug}-responses.xlsx"


def request_spreadsheet(actor: User, consultation: Consultation) -> ExportFile:
    """A spreadsheet on its way: the one this person already waits for, or a
    new one on the queue (a second tab or a double click makes no second)."""
    waiting = db.session.scalar(
        select(ExportFile).where(
            ExportFile.consultation_id == consultation.id,
            ExportFile.requested_by_id == actor.id,
            ExportFile.status.in_(UNFINISHED),
            ExportFile.created_at >= utcnow() - STALE_AFTER,  # a stuck one is not waited for
        )
    )
    if waiting is not None:
        return waiting
    total = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id, Response.status == ResponseStatus.SUBMITTED.value
        )
    )
    export = ExportFile(
        consultation_id=consultation.id,
        requested_by_id=actor.id,
        rows_total=total or 0,
        filename=filename_for(consultation),
    )
    db.session.add(export)
    record(actor, "consultation.export_requested", "consultation", consultation.id, "spreadsheet")
    db.session.commit()
    after_response(make, export.id)
    return export


def _progress(export_id: int, done: int) -> None:
    """How far the worker has got, committed on a connection of its own: the
    rows are still being read in the job's own transaction."""
    with db.engine.begin() as connection:
        connection.execute(update(ExportFile).where(ExportFile.id == export_id).values(rows_done=done))


@reads_first
def make(export_id: int) -> None:
    """The job: the workbook, written to a temporary file, then stored. Each
    write is a transaction of its own that begins with it; the long read
    holds no lock (``reads_first``)."""
    started = db.session.execute(
        update(ExportFile)
        .where(ExportFile.id == export_id, ExportFile.status != ExportStatus.READY.value)
        .values(status=ExportStatus.MAKING.value, rows_done=0)
    )
    db.session.commit()
    if not started.rowcount:  # type: ignore[attr-defined]
        return  # deleted meanwhile, or made by an earlier try
    export = db.session.get(ExportFile, export_id)
    consultation = db.session.get(Consultation, export.consultation_id) if export else None
    try:
        if consultation is None:
            raise LookupError("The consultation was deleted")
        with tempfile.TemporaryFile() as spool:
            written = write_xlsx(consultation, spool, lambda done: _progress(export_id, done))
            db.session.commit()  # the reading transaction ends before the file is stored
            spool.seek(0)
            content = spool.read()
    except Exception:
        db.session.rollback()
        # The queue tries again (portal/tasks.py): its page goes on waiting for it,
        # and says it failed once STALE_AFTER has gone by.
        _set_status(export_id, ExportStatus.WAITING)
        raise
    db.session.execute(
        update(ExportFile)
        .where(ExportFile.id == export_id)
        .values(
            status=ExportStatus.READY.value,
            content=content,
            size=len(content),
            rows_done=written,
            rows_total=written,
            finished_at=utcnow(),
        )
    )
    db.session.commit()


def _set_status(export_id: int, status: ExportStatus) -> None:
    db.session.execute(update(ExportFile).where(ExportFile.id == export_id).values(status=status.value))
    db.session.commit()


def expired(export: ExportFile) -> bool:
    """Past its retention (RETENTION_EXPORT_HOURS after it was asked for)."""
    hours = int(current_app.config["RETENTION_EXPORT_HOURS"])
    return export.created_at < utcnow() - timedelta(hours=hours)


def yours(actor: User, consultation: Consultation) -> list[ExportFile]:
    """This person's spreadsheets of this consultation, newest first (without their files)."""
    return list(
        db.session.scalars(
            select(ExportFile)
            .where(ExportFile.consultation_id == consultation.id, ExportFile.requested_by_id == actor.id)
            .where(
                ExportFile.created_at >= utcnow() - timedelta(hours=int(current_app.config["RETENTION_EXPORT_HOURS"]))
            )
            .order_by(ExportFile.created_at.desc(), ExportFile.id.desc())
            .limit(10)
        )
    )


def content_for_download(export: ExportFile) -> bytes:
    """The file, and the security log's line: a copy of everyone's answers left the portal."""
    security_event(
        "export.consultation_responses", user=current_user, consultation=export.consultation_id, format="xlsx"
    )
    return export.content or b""
