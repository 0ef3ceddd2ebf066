"""Safeguarding rules: storing a report and telling the safeguarding lead,
and an officer's handling. Each operation records itself in the audit log
and commits.

The audit log says who did what and when, never the words of a report or of
an officer's note: those stay in the report, which only officers read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.audit import record
from portal.clashes import again_if_it_clashes
from portal.extensions import db
from portal.mail import send_mail_later
from portal.models import ReportKind, ReportStatus, SafeguardingReport, User
from portal.models.base import utcnow
from portal.rules import RuleError
from portal.safeguarding.reportable import Reported

# Letters and digits nobody mixes up when reading a reference aloud or copying
# it from a screen: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_PREFIX = "YC"
NOTE_MAX = 2000


class ReportError(RuleError):
    """A report or a handling step the rules refuse."""


def random_reference() -> str:
    """A random reference like YC-7K3P-Q9 (23^6 of them: about 150 million)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{REFERENCE_PREFIX}-{code[:4]}-{code[4:]}"


def new_reference() -> str:
    """A random reference not used yet (the column is unique too)."""
    for _ in range(10):
        reference = random_reference()
        if db.session.scalar(select(SafeguardingReport.id).where(SafeguardingReport.reference == reference)) is None:
            return reference
    raise RuntimeError("no unused safeguarding reference after 10 tries")  # pragma: no cover


@dataclass(frozen=True)
class NewReport:
    details: str
    contact: str = ""
    reason: str | None = None
    item: Reported | None = None  # what "Report this" was about; None for a concern


@again_if_it_clashes
def send_report(reporter: User | None, new: NewReport) -> SafeguardingReport:
    """Store a report and email it to the safeguarding lead (after it is stored,
    without making the person wait). A concern must say what happened; a report
    of something public must say why, and what is wrong when the reason is
    "Something else". Two reports drawing one reference at the same moment: the
    second draws again, so no report is lost."""
    if new.item is None and not new.details:
        raise ReportError("Tell us what happened", "details")
    if new.item is not None and new.reason is None:
        raise ReportError("Choose why you are reporting this", "reason")
    if new.item is not None and new.reason == "something_else" and not new.details:
        raise ReportError("Tell us what is wrong with it", "details")
    report = SafeguardingReport(
        reference=new_reference(),
        kind=(ReportKind.CONTENT if new.item else ReportKind.CONCERN).value,
        what=new.item.what if new.item else None,
        what_label=new.item.label if new.item else "",
        what_link=new.item.link if new.item else "",
        reason=new.reason if new.item else None,
        details=new.details,
        contact=new.contact,
        reporter_id=reporter.id if reporter is not None else None,
        created_at=utcnow(),
        status=ReportStatus.NEW.value,
    )
    db.session.add(report)
    db.session.flush()
    record(reporter, "safeguarding.report", "safeguarding_report", report.id, f"Report {report.reference} sent")
    db.session.commit()
    to, subject, body = _mail_for(report, reporter)
    send_mail_later(to, subject, body)
    return report


def _mail_for(report: SafeguardingReport, reporter: User | None) -> tuple[str, str, str]:
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    lines = [
        f"A new safeguarding report has come in through the {config['YOUTH_CABINET_NAME']} portal.",
        "",
        f"Reference: {report.reference}",
    ]
    if report.kind == ReportKind.CONTENT:
        lines += [
            f"About: {report.what_label}",
            f"Where: {base}{report.what_link}",
            f"Why: {report.reason_label}",
        ]
    else:
        lines.append("About: a concern")
    lines += [
        f"From: {reporter.display_name if reporter is not None else 'Someone without an account'}",
        f"How to reach them: {report.contact or 'They did not say'}",
        "",
        "What they told us:",
        report.details or "(nothing more)",
        "",
        f"Read it and mark it in hand: {base}{url_for('safeguarding.report_page', report_id=report.id)}",
    ]
    subject = f"Safeguarding report {report.reference}"
    return str(config["CONCERN_EMAIL"]), subject, "\n".join(lines) + "\n"


def handle(officer: User, report: SafeguardingReport, status: str, note: str) -> bool:
    """An officer marks a report in hand or closed, with a note (needed to
    close it: what was done). Returns False when nothing changed."""
    if status not in (ReportStatus.IN_HAND, ReportStatus.CLOSED):
        raise ReportError("Choose ‘In hand’ or ‘Closed’", "status")
    if len(note) > NOTE_MAX:
        raise ReportError(f"The note must be {NOTE_MAX:,} characters or fewer (you typed {len(note):,})", "note")
    if status == ReportStatus.CLOSED and not note:
        raise ReportError("Say what was done before you close the report", "note")
    if report.status == status and report.officer_note == note:
        return False
    report.status = status
    report.officer_note = note
    report.handled_by_id = officer.id
    report.handled_at = utcnow()
    label = ReportStatus(status).label.lower()
    record(
        officer, f"safeguarding.{status}", "safeguarding_report", report.id, f"Report {report.reference} marked {label}"
    )
    db.session.commit()
    return True


def queue_query():
    """Every report, newest first, with who sent it."""
    return (
        select(SafeguardingReport)
        .options(joinedload(SafeguardingReport.reporter))
        .order_by(SafeguardingReport.created_at.desc(), SafeguardingReport.id.desc())
    )


def waiting_count() -> int:
    """How many reports no officer has picked up yet (for the officers' home)."""
    return db.session.scalar(select(func.count(SafeguardingReport.id)).where(SafeguardingReport.status == "new")) or 0
