"""The rules for recording recommendations and responding to them (#17.1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import AuditEntry, RecommendationResponse
from portal.recommendations import operations as ops
from portal.templating import local_today
from tests.recommendations.helpers import COMMITTEE, FUTURE, HELD_ON, add, meeting, user


def test_a_meeting_and_its_recommendations_are_recorded_and_audited(app, people):
    with app.app_context():
        found = meeting(people["officer"])
        first = add(people["officer"], found, 1, addressed="officer_post", officer_post="  Senior   Improvement Lead ")
        second = add(people["officer"], found, 2, cabinet_member=people["cabinet_member"])
        assert first.addressed_post == "Senior Improvement Lead"
        assert first.status == "open" and second.addressed_to_id == people["cabinet_member"].id
        assert ops.next_number(found) == 3
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"recommendation.meeting_recorded", "recommendation.added"} <= actions


@pytest.mark.parametrize("committee", [COMMITTEE, COMMITTEE.upper(), f"  {COMMITTEE}  "])
def test_a_minute_is_recorded_once_for_each_committee(app, people, committee):
    with app.app_context():
        meeting(people["officer"])
        with pytest.raises(ops.RecommendationError) as refused:
            meeting(people["officer"], committee=committee)
        assert refused.value.field == "minute" and "recorded already" in refused.value.message
        # The same minute number of another committee is another minute.
        assert meeting(people["officer"], committee="Health and Adult Social Care Scrutiny Committee").id


def test_a_meeting_in_the_future_is_refused(app, people):
    with app.app_context(), pytest.raises(ops.RecommendationError) as refused:
        ops.record_meeting(
            user(people["officer"]), committee=COMMITTEE, held_on=local_today() + timedelta(days=1), minute="1"
        )
    assert refused.value.field == "held_on"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner_id": None}, "owner"),
        ({"owner_id": "young_person"}, "owner"),
        ({"due_on": date(2020, 6, 1)}, "due_on"),
        ({"addressed": "cabinet_member", "cabinet_member_id": None}, "cabinet_member"),
        ({"addressed": "cabinet_member", "cabinet_member_id": "officer"}, "cabinet_member"),
        ({"addressed": "officer_post", "officer_post": "  "}, "officer_post"),
        ({"addressed": "the_mayor"}, "addressed"),
        ({"text": "   "}, "text"),
        ({"number": 1}, "number"),
    ],
)
def test_a_recommendation_the_rules_refuse_stores_nothing(app, people, changes, field):
    with app.app_context():
        found = meeting(people["officer"])
        add(people["officer"], found, 1)
        for key in ("owner_id", "cabinet_member_id"):
            if isinstance(changes.get(key), str):
                changes[key] = people[changes[key]].id
        changes.setdefault("number", 2)
        with pytest.raises(ops.RecommendationError) as refused:
            add(people["officer"], found, **changes)
        assert refused.value.field == field
        assert len(ops.of_meeting(found)) == 1


def test_a_due_meeting_today_is_accepted_and_yesterday_is_not(app, people):
    with app.app_context():
        found = meeting(people["officer"])
        today = local_today()
        assert add(people["officer"], found, 1, due_on=today).due_on == today
        with pytest.raises(ops.RecommendationError, match="in the past"):
            add(people["officer"], found, 2, due_on=today - timedelta(days=1))


def test_responses_keep_their_history_and_set_the_status(app, people):
    with app.app_context():
        found = meeting(people["officer"])
        recommendation = add(people["officer"], found, 2, cabinet_member=people["cabinet_member"])
        member = user(people["cabinet_member"])
        ops.respond(member, recommendation, on=date(2020, 6, 1), text="Invitations sent.", status="in_progress")
        ops.respond(member, recommendation, on=date(2020, 7, 9), text="Members came to the panel.", status="done")
        assert recommendation.status == "done"
        history = ops.responses_of(recommendation)
        assert [r.text for r in history] == ["Members came to the panel.", "Invitations sent."]
        assert ops.latest_responses([recommendation.id])[recommendation.id].status == "done"
        assert ops.open_for(member.id) == []
        # A forgotten earlier response, entered late: kept in the history, but the later decision stands.
        ops.respond(member, recommendation, on=date(2020, 5, 1), text="Asked the panel's chair.", status="in_progress")
        assert recommendation.status == "done"
        assert ops.latest_responses([recommendation.id])[recommendation.id].status == "done"
        assert len(ops.responses_of(recommendation)) == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": " "}, "text"),
        ({"status": "finished"}, "status"),
        ({"on": date(2099, 1, 1)}, "on"),
    ],
)
def test_a_response_the_rules_refuse_stores_nothing(app, people, changes, field):
    with app.app_context():
        recommendation = add(people["officer"], meeting(people["officer"]), 1)
        values = {"on": date(2020, 6, 1), "text": "Done.", "status": "done", **changes}
        with pytest.raises(ops.RecommendationError) as refused:
            ops.respond(user(people["officer"]), recommendation, **values)
        assert refused.value.field == field
        assert db.session.scalar(db.select(db.func.count(RecommendationResponse.id))) == 0
        assert recommendation.status == "open"


def test_the_editor_lists_only_the_open_ones_addressed_to_the_cabinet_member(app, people):
    with app.app_context():
        found = meeting(people["officer"])
        member = people["cabinet_member"]
        mine = add(people["officer"], found, 1, cabinet_member=member, due_on=FUTURE)
        sooner = add(people["officer"], found, 2, cabinet_member=member, due_on=FUTURE - timedelta(days=30))
        done = add(people["officer"], found, 3, cabinet_member=member)
        add(people["officer"], found, 4)  # the Youth Cabinet's
        ops.respond(user(member), done, on=HELD_ON, text="Done.", status="done")
        assert [r.id for r, _ in ops.open_for(member.id)] == [sooner.id, mine.id]


def test_the_demo_imports_the_four_seed_recommendations_once(app):
    from portal.demo.recommendations import load_recommendations
    from portal.demo.world import load_people, load_portfolios
    from portal.models import CommitteeMeeting

    with app.app_context(), app.test_request_context():
        load_people()
        load_portfolios()
        assert load_recommendations() == 6
        assert load_recommendations() == 0  # twice adds nothing
        found = db.session.scalars(db.select(CommitteeMeeting)).one()
        assert (found.minute, found.held_on) == ("67.5", date(2020, 3, 5))
        rows = ops.of_meeting(found)
        assert [(r.number, r.addressed_label) for r in rows] == [
            (1, "Senior Improvement Lead"),
            (2, "Jacquie Russell"),
            (3, "Jacquie Russell"),
            (4, "Jacquie Russell"),
        ]
        assert rows[1].status == "in_progress" and len(ops.responses_of(rows[1])) == 1
