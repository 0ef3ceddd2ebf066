"""The recommendation pages (#17.1): an officer records a meeting and its
recommendations, bad input is refused next to its field, the people they are
addressed to respond, anyone reads the list and each one's page."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CommitteeMeeting, Recommendation, RecommendationResponse
from tests.conftest import shows_49
from tests.recommendations.helpers import COMMITTEE, FUTURE, SEED_TEXTS, add, meeting

MEETING = {"committee": COMMITTEE, "held_on": ["5", "3", "2020"], "minute": "67.5"}


def _recommendation(owner: str = "", **changes) -> dict:
    return {
        "number": "1",
        "text": SEED_TEXTS[0],
        "addressed": "officer_post",
        "cabinet_member": "",
        "officer_post": "Senior Improvement Lead",
        "owner": owner,
        "due_on": ["16", "9", "2099"],
        **changes,
    }


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_an_officer_records_a_meeting_then_its_recommendations(app, client, signed_in, people):
    signed_in("officer")
    page = client.get("/recommendations/meetings/new")
    assert page.status_code == 200 and "Record a committee meeting" in page.get_data(as_text=True)
    response = client.submit("/recommendations/meetings/new", MEETING)
    assert response.status_code == 303
    meeting_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Minute 67.5 is recorded" in meeting_page and 'value="1"' in meeting_page  # the next number
    url = response.headers["Location"]
    added = client.submit(url, _recommendation(owner=str(people["officer"].id)))
    assert added.status_code == 303
    second = _recommendation(
        owner=str(people["cabinet_member"].id),
        number="2",
        text=SEED_TEXTS[1],
        addressed="cabinet_member",
        cabinet_member=str(people["cabinet_member"].id),
        officer_post="",
    )
    assert client.submit(url, second).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Recommendation 2 is added" in page and 'value="3"' in page
    with app.app_context():
        rows = db.session.scalars(select(Recommendation).order_by(Recommendation.number)).all()
        assert [(r.number, r.addressed_kind, r.addressed_post) for r in rows] == [
            (1, "officer_post", "Senior Improvement Lead"),
            (2, "cabinet_member", ""),
        ]


def test_a_duplicate_minute_is_refused_next_to_the_minute(app, client, signed_in, people):
    with app.app_context():
        meeting(people["officer"])
    signed_in("officer")
    response = client.submit("/recommendations/meetings/new", {**MEETING, "committee": COMMITTEE.lower()})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="minute-error"' in page and "Minute 67.5 of this committee is recorded already" in page
    assert str(escape(COMMITTEE.lower())) in page  # what was typed is kept
    assert _count(app, CommitteeMeeting) == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"owner": ""}, "owner", "Choose who owns it"),
        ({"owner": "nonsense"}, "owner", "Choose who owns it"),
        ({"due_on": ["1", "6", "2020"]}, "due_on", "The due meeting is in the past"),
        ({"due_on": ["31", "2", "2099"]}, "due_on", "Enter a real date"),
        ({"number": "two"}, "number", "as a number"),
        ({"addressed": ""}, "addressed", "Choose who the recommendation is addressed to"),
        ({"addressed": "cabinet_member"}, "cabinet_member", "Choose the Cabinet Member"),
        ({"officer_post": ""}, "officer_post", "Enter the officer&#39;s job"),
        ({"text": ""}, "text", "Enter what the committee recommends"),
    ],
)
def test_bad_recommendations_are_refused_next_to_their_field(app, client, signed_in, people, changes, field, words):
    with app.app_context():
        found = meeting(people["officer"]).id
    signed_in("officer")
    data = _recommendation(**{"owner": str(people["officer"].id), **changes})
    response = client.submit(f"/recommendations/meetings/{found}", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and words in page
    assert 'class="govuk-error-summary' in page
    assert _count(app, Recommendation) == 0
    if data["text"]:
        assert SEED_TEXTS[0] in page  # kept as typed


def test_a_duplicate_number_is_refused_next_to_the_number(app, client, signed_in, people):
    with app.app_context():
        found = meeting(people["officer"])
        add(people["officer"], found, 1)
        found = found.id
    signed_in("officer")
    response = client.submit(f"/recommendations/meetings/{found}", _recommendation(owner=str(people["officer"].id)))
    assert response.status_code == 422
    assert 'id="number-error"' in response.get_data(as_text=True)
    assert _count(app, Recommendation) == 1


HOSTILE = '<script>alert("x")</script> {{7*7}} <b>bold</b>'


def test_markup_and_template_syntax_are_shown_as_typed(app, client, signed_in, people):
    with app.app_context():
        found = meeting(people["officer"], committee=f"Committee {HOSTILE}")
        recommendation = add(people["officer"], found, 1, text=HOSTILE, cabinet_member=people["cabinet_member"]).id
    signed_in("cabinet_member")
    response = client.submit(
        f"/recommendations/{recommendation}/respond", {"status": "done", "text": HOSTILE, "on": ["1", "6", "2020"]}
    )
    assert response.status_code == 303
    for url in ("/recommendations", f"/recommendations/{recommendation}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;" in page and "{{7*7}}" in page and not shows_49(page)


def test_a_cabinet_member_responds_to_their_own_and_the_history_is_kept(app, client, signed_in, people):
    with app.app_context():
        recommendation = add(
            people["officer"], meeting(people["officer"]), 2, cabinet_member=people["cabinet_member"]
        ).id
    signed_in("cabinet_member")
    url = f"/recommendations/{recommendation}/respond"
    form = client.get(url).get_data(as_text=True)
    assert "Where has it got to?" in form
    first = {"status": "in_progress", "text": "Invitations sent.", "on": ["1", "6", "2020"]}
    assert client.submit(url, first).status_code == 303
    second = {"status": "done", "text": "Members came to the panel.", "on": ["9", "7", "2020"]}
    back = client.submit(f"{url}?update=12", second)
    assert (
        back.status_code == 303 and back.headers["Location"] == "/updates/12/edit?recommendations=open#recommendations"
    )
    page = client.get(f"/recommendations/{recommendation}").get_data(as_text=True)
    assert page.index("Members came to the panel.") < page.index("Invitations sent.")  # newest first, both kept
    assert "Done" in page
    assert _count(app, RecommendationResponse) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"status": "finished"}, "status"),
        ({"on": ["1", "1", "2099"]}, "on"),
        ({"on": ["", "", ""]}, "on"),
    ],
)
def test_bad_responses_are_refused_next_to_their_field(app, client, signed_in, people, changes, field):
    with app.app_context():
        recommendation = add(people["officer"], meeting(people["officer"]), 1).id
    signed_in("officer")
    data = {"status": "done", "text": "Done.", "on": ["1", "6", "2020"], **changes}
    response = client.submit(f"/recommendations/{recommendation}/respond", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(app, RecommendationResponse) == 0


def test_the_public_list_filters_by_status_and_shows_the_latest_response(app, client, people):
    with app.app_context():
        found = meeting(people["officer"])
        first = add(people["officer"], found, 1, text="First recommendation.")
        add(people["officer"], found, 2, text="Second recommendation.")
        from portal.recommendations import operations as ops
        from tests.recommendations.helpers import user

        ops.respond(user(people["officer"]), first, on=date(2020, 5, 1), text="Older news.", status="in_progress")
        ops.respond(user(people["officer"]), first, on=date(2020, 6, 1), text="Newest news.", status="done")
    everything = client.get("/recommendations").get_data(as_text=True)
    assert "First recommendation." in everything and "Second recommendation." in everything
    assert "Newest news." in everything and "Older news." not in everything
    done = client.get("/recommendations?status=done").get_data(as_text=True)
    assert "First recommendation." in done and "Second recommendation." not in done
    nonsense = client.get("/recommendations?status=%3Cscript%3E")
    assert nonsense.status_code == 200 and "Second recommendation." in nonsense.get_data(as_text=True)


def _add_many(app, people, minute: str, count: int) -> None:
    with app.app_context():
        found = meeting(people["officer"], minute=minute)
        from portal.recommendations import operations as ops
        from tests.recommendations.helpers import user

        for number in range(1, count + 1):
            recommendation = add(
                people["officer"],
                found,
                number,
                cabinet_member=people["cabinet_member"] if number % 2 else None,
                due_on=FUTURE,
            )
            if number % 3 == 0:
                ops.respond(user(people["officer"]), recommendation, on=date(2020, 6, 1), text="Yes.", status="done")


def test_the_public_list_runs_the_same_queries_with_5_and_50_recommendations(app, client, people, count_queries):
    def queries() -> list[int]:
        counts = []
        for url in ("/recommendations", "/recommendations?status=done", "/recommendations?page=2"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    _add_many(app, people, "1", 5)
    small = queries()
    _add_many(app, people, "2", 45)
    assert queries() == small


def test_officers_reach_a_meeting_from_the_list_and_the_manage_page(app, client, signed_in, people):
    with app.app_context():
        recorded = meeting(people["officer"])
        add(people["officer"], recorded, 1)
        found = recorded.id
    assert f"/recommendations/meetings/{found}" not in client.get("/recommendations").get_data(as_text=True)
    signed_in("officer")
    assert f'href="/recommendations/meetings/{found}"' in client.get("/recommendations").get_data(as_text=True)
    assert 'href="/recommendations"' in client.get("/manage").get_data(as_text=True)


def test_a_meeting_with_nothing_added_yet_can_be_found_again(app, client, signed_in, people):
    """A meeting recorded and left before its first recommendation is listed for
    officers (not for visitors), until it has one."""
    with app.app_context():
        empty = meeting(people["officer"]).id
        full = meeting(people["officer"], minute="68.1")
        add(people["officer"], full, 1)
        full_id = full.id
    link = f'href="/recommendations/meetings/{empty}"'
    assert link not in client.get("/recommendations").get_data(as_text=True)
    signed_in("officer")
    page = client.get("/recommendations").get_data(as_text=True)
    assert "Meetings with no recommendations yet" in page and link in page
    listed = page.split("Meetings with no recommendations yet")[1].split("</ul>")[0]
    assert f"/recommendations/meetings/{full_id}" not in listed
    assert "Recommendations from committees and what" in client.get("/updates").get_data(as_text=True)
