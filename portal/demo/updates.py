"""Demo: the July 2020 update from the seed report, published with the July
2020 Chair's statement appended, and a draft for the next meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.figures.period import Period
from portal.models import CabinetUpdate, User
from portal.statements.operations import current_month
from portal.updates import operations as ops
from portal.updates.importer import parse_report

JULY_2020_REPORT = Path(__file__).with_name("data") / "2020-07-progress-report.txt"

NEXT_DRAFT = [
    (
        "Introduction",
        [
            "I am writing with a further update to all members to coincide with the next County Council meeting.",
        ],
    ),
    (
        "Youth Cabinet",
        [
            "The Youth Cabinet have told us what matters to them this month:\n\n"
            "- their Area of Interest pairings with Cabinet Members\n"
            "- mental health support in schools\n"
            "  - shorter waiting times\n"
            "  - someone to talk to at lunchtime",
        ],
    ),
]


def load_updates() -> int:
    member = db.session.scalar(select(User).where(User.email == "cabinet.member@demo.example"))
    if member is None:
        return 0
    existing = set(db.session.scalars(select(CabinetUpdate.meeting_date).where(CabinetUpdate.author_id == member.id)))
    created = 0
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        if date(2020, 7, 17) not in existing:
            update = ops.create_from_import(
                member, member, date(2020, 7, 1), parse_report(JULY_2020_REPORT.read_text())
            )
            ops.save_details(
                member,
                update,
                {
                    "title": update.title,
                    "meeting_date": date(2020, 7, 17),
                    "period_start": date(2020, 7, 1),
                    "period_end": date(2020, 7, 17),
                    "statement_month": date(2020, 7, 1),
                    "include_numbers": True,
                },
                update.details_version,
            )
            ops.publish(member, update, now=datetime(2020, 7, 14, 9, 0, tzinfo=UTC), tell_chair=False)
            created += 1
        if not any(meeting is None or meeting > date(2020, 7, 17) for meeting in existing):
            month = current_month()
            update = ops.create(member, member, month)
            ops.save_details(
                member,
                update,
                {
                    "title": update.title,
                    "meeting_date": None,
                    # The whole month, so its numbers and the facts offered for it agree whatever day it is (#14.12).
                    "period_start": Period.month(month).start,
                    "period_end": Period.month(month).end,
                    "statement_month": month,
                    "include_numbers": True,
                },
                update.details_version,
            )
            doc = ops.outline(update)
            first = doc.sections[0]
            ops.save_paragraph(
                member,
                update,
                first.paragraphs[0].paragraph,
                NEXT_DRAFT[0][1][0],
                first.paragraphs[0].paragraph.version,
                "save",
            )
            ops.add_section(member, update, NEXT_DRAFT[1][0])
            paragraph = ops.outline(update).sections[-1].paragraphs[0].paragraph
            ops.save_paragraph(member, update, paragraph, NEXT_DRAFT[1][1][0], paragraph.version, "save")
            ops.save_sign_off(
                member,
                update,
                {
                    "closing": "With my best wishes.",
                    "sign_off_label": "For information",
                    "signatory_name": member.display_name,
                    "signatory_role": current_app.config["CABINET_MEMBER_TITLE"],
                    "contact_officer": "Lance John, Business Manager, 033 022 23456",
                },
                update.sign_off_version,
            )
            created += 1
    return created
