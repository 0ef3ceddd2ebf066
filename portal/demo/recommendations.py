"""Demo: the four recommendations of the scrutiny committee's minute 67.5 (the
seed minutes, "Children First Improvement Update"), with one response given.

The minutes do not give the meeting's date; the demo says 5 March 2020 (the
meeting was in March 2020, before the practice week "scheduled for the end of
March"). The texts are copied here: the portal never reads the seed files.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import CommitteeMeeting, User
from portal.recommendations import operations as ops

COMMITTEE = "Children and Young People's Services Scrutiny Committee"
HELD_ON = date(2020, 3, 5)
MINUTE = "67.5"
DUE_ON = date(2020, 9, 16)

# (number, text, addressed to: "officer_post" or "cabinet_member", the officer's post)
RECOMMENDATIONS = [
    (
        1,
        "The Senior Improvement Lead considers how to facilitate member involvement in practice week.",
        "officer_post",
        "Senior Improvement Lead",
    ),
    (
        2,
        "The Cabinet Member for Children and Young People invite CYPSSC members to a future meeting of the "
        "Corporate Parenting Panel.",
        "cabinet_member",
        "",
    ),
    # The committee asks for these of the service's reports, which the Cabinet Member presents.
    (3, "It receives an update on the experience and outcomes of practice week.", "cabinet_member", ""),
    (4, "It would like to see more child-focussed measures in future reports.", "cabinet_member", ""),
]

RESPONSE = (
    2,
    date(2020, 7, 9),
    "CYPSSC members are invited to the Corporate Parenting Panel's September meeting.",
    "in_progress",
)


def load_recommendations() -> int:
    officer = db.session.scalar(select(User).where(User.email == "officer@demo.example"))
    member = db.session.scalar(select(User).where(User.email == "cabinet.member@demo.example"))
    if officer is None or member is None:
        return 0
    if db.session.scalar(
        select(CommitteeMeeting.id).where(CommitteeMeeting.committee == COMMITTEE, CommitteeMeeting.minute == MINUTE)
    ):
        return 0
    meeting = ops.record_meeting(officer, committee=COMMITTEE, held_on=HELD_ON, minute=MINUTE)
    added = {}
    for number, text, addressed, post in RECOMMENDATIONS:
        to_member = addressed == "cabinet_member"
        added[number] = ops.add_recommendation(
            officer,
            meeting,
            number=number,
            text=text,
            addressed=addressed,
            cabinet_member_id=member.id if to_member else None,
            officer_post=post,
            owner_id=member.id if to_member else officer.id,
            due_on=DUE_ON,
            today=HELD_ON,  # recorded as on the day: the due meeting was still to come
        )
    number, on, text, status = RESPONSE
    ops.respond(member, added[number], on=on, text=text, status=status, today=on)
    return 1 + len(added) + 1
