"""#17.2: the measures the scrutiny committee asked for ("more child-focussed
measures in future reports"), each linked to a page a visitor can open, with
small numbers hidden, at a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.extensions import db
from portal.figures import numbers
from portal.figures.facts import facts_for
from portal.figures.period import Period
from portal.models import CommitteeMeeting, Recommendation, RecommendationResponse, User
from tests.conftest import add_person
from tests.factories import (
    CampaignFactory,
    ConsultationFactory,
    PairingFactory,
    PairingLogEntryFactory,
    PlanItemFactory,
    PreferenceRoundFactory,
    ReachEntryFactory,
    ResponseFactory,
)

JULY = Period.month(date(2020, 7, 1))
SENT = datetime(2020, 7, 10, 12, tzinfo=UTC)


def _responses(consultation, bands: dict[str, int], district: str = "Crawley") -> None:
    for band, many in bands.items():
        for _ in range(many):
            ResponseFactory(
                consultation=consultation, status="submitted", submitted_at=SENT, age_band=band, district=district
            )


def _recommendation(
    officer_id: int, number: int, held_on: date, responses: list[tuple[date, str]], minute: str = "67.5"
) -> None:
    meeting = db.session.scalar(db.select(CommitteeMeeting).where(CommitteeMeeting.minute == minute))
    if meeting is None:
        meeting = CommitteeMeeting(committee="CYPSSC", held_on=held_on, minute=minute)
        db.session.add(meeting)
        db.session.flush()
    recommendation = Recommendation(
        meeting_id=meeting.id,
        number=number,
        text="More child-focussed measures in future reports.",
        addressed_kind="youth_cabinet",
        owner_id=officer_id,
        due_on=date(2020, 9, 1),
    )
    db.session.add(recommendation)
    db.session.flush()
    for on, status in responses:
        db.session.add(RecommendationResponse(recommendation_id=recommendation.id, on=on, text="Done.", status=status))
        recommendation.status = status


def _world(scale: int = 1, tag: str = "") -> None:
    """A July with ``scale`` times the data: consultations, responses, feedback,
    campaigns, plan items, pairings and their meetings, recommendations."""
    officer = add_person("officer", email=f"officer{tag}{scale}@test.example")
    for n in range(scale):
        consultation = ConsultationFactory(
            title=f"Buses {tag}{n}", opens_on=date(2020, 6, 20), closes_on=date(2020, 7, 5), audience="public"
        )
        consultation.feedback = "You said buses; we added one."
        consultation.feedback_published_at = datetime(2020, 7, 15, 9, tzinfo=UTC)
        _responses(consultation, {"11-13": 3, "14-16": 7, "17-19": 12})
        campaign = CampaignFactory(
            title=f"Fair fares {tag}{n}", published=True, status="active", starts_on=date(2020, 7, 1)
        )
        ReachEntryFactory(campaign=campaign, on=date(2020, 7, 7), people=100)
        PlanItemFactory(on=date(2020, 7, 2))
        member = add_person("youth_member", email=f"member{tag}{scale}-{n}@test.example")
        db.session.get(User, member.id).created_at = SENT
        confirmed = PreferenceRoundFactory(status="confirmed", confirmed_at=SENT)
        pairing = PairingFactory(member=member, round=confirmed)
        PairingLogEntryFactory(pairing=pairing, on=date(2020, 7, 9))
        _recommendation(officer.id, n + 1, date(2020, 6, 10), [(date(2020, 7, 20), "done")], f"67.5{tag}")
    db.session.commit()


def _rows(table: dict) -> dict[str, tuple[str, str]]:
    return {row["label"]: (row["value"], row["previous"]) for row in table["rows"]}


def test_every_figure_links_to_a_page_a_visitor_can_open(app):
    """Visitors followed three of the update's figures to sign-in pages."""
    with app.app_context(), app.test_request_context():
        _world(2)
        table = numbers.youth_voice(JULY)
        facts = facts_for(date(2020, 7, 1))
    links = [row["source"] for row in table["rows"]] + [b["source"] for b in table["breakdowns"]]
    links += [fact.link for fact in facts]
    assert all(links) and len(table["rows"]) == 10 and len(facts) >= 5
    visitor = app.test_client()
    for link in set(links):
        answer = visitor.get(link)
        assert answer.status_code == 200, link
        assert "Sign in" not in answer.get_data(as_text=True).split("<main", 1)[1].split("</h1>", 1)[0], link


def test_a_figure_about_one_consultation_or_campaign_links_to_it(app):
    with app.app_context(), app.test_request_context():
        _world(1)
        rows = {row["label"]: row for row in numbers.youth_voice(JULY)["rows"]}
        consultation = db.session.scalar(db.select(numbers.Consultation))
        campaign = db.session.scalar(db.select(numbers.Campaign))
    for label in (
        "Responses to consultations",
        "Young people who responded",
        "Consultations that published “You said, we did”",
    ):
        assert rows[label]["source"] == f"/consultations/{consultation.id}"
        assert rows[label]["source_label"] == "Buses 0"
    assert rows["People reached by Youth Cabinet campaigns"]["source"] == f"/campaigns/{campaign.slug}"
    assert rows["People reached by Youth Cabinet campaigns"]["value"] == "100"


def test_the_new_measures_count_what_the_committee_asked_for(app):
    with app.app_context(), app.test_request_context():
        _world(2)
        table = numbers.youth_voice(JULY)
    rows = _rows(table)
    assert rows["Consultations that published “You said, we did”"] == ("2", "0")
    # Closed on 5 July, "You said, we did" on 15 July: 10 days.
    assert rows["Days from closing to “You said, we did”, on average"] == ("10 days", "none")
    assert rows["Area of Interest meetings held"] == ("2", "0")
    recommendations = _rows(table["breakdowns"][2])
    # Made in June (counted in the period before, open then), done in July.
    assert recommendations["Done"] == ("2", "0") and recommendations["Open"] == ("0", "2")


def test_small_numbers_are_hidden_and_so_is_the_one_beside_them(app):
    """3 aged 11 to 13 would show as "fewer than 5"; with the total shown, the
    next smallest (7 aged 14 to 16) is hidden too, or 3 could be worked out."""
    with app.app_context(), app.test_request_context():
        _world(1)
        ages, districts, _ = numbers.youth_voice(JULY)["breakdowns"]
    assert _rows(ages) == {
        "Aged 11 to 13": ("fewer than 5", "0"),
        "Aged 14 to 16": ("not shown", "0"),
        "Aged 17 to 19": ("12", "0"),
        "Aged 20 to 25": ("0", "0"),
        "Not given": ("0", "0"),
    }
    assert _rows(districts)["Crawley"] == ("22", "0")


def test_the_public_numbers_page_shows_the_tables_and_the_rule(app, client):
    with app.app_context():
        _world(1)
    page = client.get("/youth-voice?start=2020-07-01&end=2020-07-31")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "Responses by age band" in html and "Responses by district" in html and "fewer than 5" in html
    assert "cannot be worked out from the total" in html
    assert 'id="youth-cabinet"' in html and 'id="area-of-interest"' in html


@pytest.mark.parametrize(
    "query",
    [
        "start=2020-07-31&end=2020-07-01",
        "start=2020-13-01&end=2020-07-01",
        "start=2020-07-01",
        "start=2019-01-01&end=2020-12-31",
        # Any two days would let one period's tables be taken from another's: a month, or a published update's.
        "start=2020-03-01&end=2020-03-05",
        "start=2020-03-05&end=2020-03-05",
        "start=2020-03-02&end=2020-04-01",
    ],
)
def test_a_bad_period_is_not_found(client, query):
    assert client.get(f"/youth-voice?{query}").status_code == 404


def test_a_published_updates_own_period_can_be_opened(app, client, people):
    from datetime import date

    from portal.models import CabinetUpdate, UpdateVersion

    with app.app_context():
        update = CabinetUpdate(
            author_id=people["cabinet_member"].id, period_start=date(2020, 7, 1), period_end=date(2020, 7, 17)
        )
        db.session.add(update)
        db.session.flush()
        url = "/youth-voice?start=2020-07-01&end=2020-07-17"
        db.session.commit()
        assert client.get(url).status_code == 404  # a draft's period: not yet
        db.session.add(
            UpdateVersion(
                update_id=update.id,
                number=1,
                title="July",
                meeting_date=date(2020, 7, 17),
                report_month=date(2020, 7, 1),
                author_name="A",
                content={},
                html="",
                search_text="",
            )
        )
        db.session.commit()
    assert client.get(url).status_code == 200


def test_the_table_costs_the_same_queries_whatever_the_data(app, count_queries):
    with app.app_context(), app.test_request_context():
        counts = []
        for scale, tag in ((1, "a"), (9, "b")):  # once, then ten times the data
            _world(scale, tag)
            with count_queries() as counter:
                numbers.youth_voice(JULY)
            counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_word_file_carries_the_breakdowns_and_the_rule(app):
    from io import BytesIO

    from docx import Document

    from portal.updates.documents import render_docx

    with app.app_context(), app.test_request_context():
        _world(1)
        doc = {"title": "An update", "sections": [], "numbers": numbers.youth_voice(JULY)}
        word = Document(BytesIO(render_docx(doc)))
    text = [p.text for p in word.paragraphs]
    cells = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert "Responses by age band: 1 to 31 July 2020" in text and numbers.SUPPRESSION_RULE in text
    assert ["Aged 11 to 13", "fewer than 5", "0"] in cells and ["Aged 14 to 16", "not shown", "0"] in cells
    assert ["Outcome", "1 to 31 July 2020", "31 May to 30 June 2020"] in cells
