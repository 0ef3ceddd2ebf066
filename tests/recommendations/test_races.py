"""A minute recorded twice at the same moment (a double click, two officers):
one meeting is stored, the others are told so next to the minute, no 500.
SQLite here, PostgreSQL when PORTAL_DATABASE_URL is set."""

from __future__ import annotations

import pytest

from portal.models import CommitteeMeeting, Recommendation
from tests.core.test_unique_races import Tabs, count, one_winner
from tests.recommendations.helpers import meeting

pytestmark = pytest.mark.commits


def test_one_minute_recorded_twenty_times_at_once_is_stored_once(app, people):
    tabs = Tabs(app, people["officer"].email)
    data = {"committee": "Scrutiny Committee", "held_on": ["5", "3", "2020"], "minute": "67.5"}
    one_winner(tabs.post("/recommendations/meetings/new", data), "is recorded already", "Scrutiny Committee")
    assert count(app, CommitteeMeeting.id) == 1


def test_one_number_added_twenty_times_at_once_is_stored_once(app, people):
    with app.app_context():
        found = meeting(people["officer"]).id
    tabs = Tabs(app, people["officer"].email)
    data = {
        "number": "1",
        "text": "Invite members.",
        "addressed": "youth_cabinet",
        "cabinet_member": "",
        "officer_post": "",
        "owner": str(people["officer"].id),
        "due_on": ["16", "9", "2099"],
    }
    one_winner(tabs.post(f"/recommendations/meetings/{found}", data), "is recorded already", "Invite members.")
    assert count(app, Recommendation.id) == 1
