"""Permission-matrix rows for committees' recommendations (consumed by
tests/core/test_permissions.py).

The state: a meeting ({rec_meeting}) with one recommendation addressed to the
cabinet_member ({rec_mine}) and one to the Youth Cabinet, owned by an officer
({rec_other}). Anyone reads the list and the pages; officers record; the
cabinet_member responds to their own only, officers to any.
"""

from __future__ import annotations

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(roles: set[str], allowed: int, refused: int = 403) -> dict[str, int]:
    return {ANON: 302, **{r: (allowed if r in roles else refused) for r in ROLES[1:]}}


ROWS: dict[str, list[tuple[str, str, dict[str, int]]]] = {
    "recommendations.index": [
        ("GET", "/recommendations", everyone(200)),
        ("GET", "/recommendations?status=done", everyone(200)),
    ],
    "recommendations.show": [
        ("GET", "/recommendations/{rec_mine}", everyone(200)),
        ("GET", "/recommendations/999999", everyone(404)),
    ],
    "recommendations.respond": [
        ("GET", "/recommendations/{rec_mine}/respond", only({"cabinet_member", "officer"}, 200)),
        ("POST", "/recommendations/{rec_mine}/respond", only({"cabinet_member", "officer"}, 303)),
        # Not addressed to the cabinet_member, nor theirs to own.
        ("GET", "/recommendations/{rec_other}/respond", only({"officer"}, 200)),
        ("GET", "/recommendations/999999/respond", only({"cabinet_member", "officer"}, 404)),
    ],
    "recommendations.new_meeting": [
        ("GET", "/recommendations/meetings/new", only({"officer"}, 200)),
        ("POST", "/recommendations/meetings/new", only({"officer"}, 303)),
    ],
    "recommendations.meeting": [
        ("GET", "/recommendations/meetings/{rec_meeting}", only({"officer"}, 200)),
        ("POST", "/recommendations/meetings/{rec_meeting}", only({"officer"}, 303)),
        ("GET", "/recommendations/meetings/999999", only({"officer"}, 404)),
    ],
}

POST_DATA = {
    "recommendations.respond": {"status": "in_progress", "text": "Invitations sent.", "on": ["1", "6", "2020"]},
    "recommendations.new_meeting": {
        "committee": "Health Scrutiny Committee",
        "held_on": ["5", "3", "2020"],
        "minute": "12.1",
    },
    "recommendations.meeting": {
        "number": "3",
        "text": "More child-focussed measures.",
        "addressed": "youth_cabinet",
        "cabinet_member": "",
        "officer_post": "",
        "owner": "{rec_owner}",
        "due_on": ["16", "9", "2099"],
    },
}


def setup(people) -> dict[str, int]:
    from datetime import date

    from portal.extensions import db
    from portal.models import CommitteeMeeting, Recommendation

    meeting = CommitteeMeeting(committee="Scrutiny Committee", held_on=date(2020, 3, 5), minute="67.5")
    db.session.add(meeting)
    db.session.flush()
    mine = Recommendation(
        meeting_id=meeting.id,
        number=1,
        text="Invite members.",
        addressed_kind="cabinet_member",
        addressed_to_id=people["cabinet_member"].id,
        owner_id=people["cabinet_member"].id,
        due_on=date(2099, 9, 16),
    )
    other = Recommendation(
        meeting_id=meeting.id,
        number=2,
        text="Child-focussed measures.",
        addressed_kind="youth_cabinet",
        owner_id=people["officer"].id,
        due_on=date(2099, 9, 16),
    )
    db.session.add_all([mine, other])
    db.session.commit()
    return {"rec_meeting": meeting.id, "rec_mine": mine.id, "rec_other": other.id, "rec_owner": people["officer"].id}
