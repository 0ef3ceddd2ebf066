"""The Chair's facts and the update's numbers count from one set of rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.extensions import db
from portal.figures import numbers
from portal.figures.facts import facts_for
from portal.figures.period import Period, next_month
from portal.models import User
from tests.conftest import add_person


def test_a_month_is_its_first_to_its_last_day():
    assert Period.month(date(2020, 2, 14)) == Period(date(2020, 2, 1), date(2020, 2, 29))
    assert Period.month(date(2020, 12, 31)) == Period(date(2020, 12, 1), date(2020, 12, 31))
    assert next_month(date(2020, 12, 1)) == date(2021, 1, 1)
    assert Period.month(date(2020, 7, 1)).label == "1 to 31 July 2020"


def test_who_joined_is_the_same_figure_in_the_facts_and_the_numbers(app):
    july = datetime(2020, 7, 10, 12, tzinfo=UTC)
    with app.app_context(), app.test_request_context():
        for n in range(3):
            person = add_person("youth_member", email=f"member{n}@test.example", name=f"Member {n}.")
            db.session.get(User, person.id).created_at = july
        # One of them left since: joining was still a fact of July.
        db.session.get(User, person.id).active = False
        db.session.commit()
        joined = numbers.new_members(Period.month(date(2020, 7, 1)))
        sentences = [fact.sentence for fact in facts_for(date(2020, 7, 1)) if fact.key == "new-members"]
    assert joined == 3
    assert sentences == ["3 young people joined the Youth Cabinet this month."]


def test_the_numbers_link_only_to_pages_a_visitor_can_open(app):
    """#14.22: the published update sent visitors to sign-in pages. #17.2: the
    figures from records that are not public link to the public numbers page."""
    with app.app_context(), app.test_request_context():
        rows = numbers.youth_voice(Period.month(date(2020, 7, 1)))["rows"]
    links = {row["label"]: row["source"] for row in rows}
    # #12.2: consultation figures lead to the archive of that year, where each one's results are.
    assert links["Consultations open to young people"] == "/consultations?year=2020#archive"
    assert links["People reached by Youth Cabinet campaigns"] == "/campaigns"
    period = "/youth-voice?start=2020-07-01&end=2020-07-31"
    assert links["Youth Cabinet meetings and events"] == f"{period}#youth-cabinet"
    assert links["Area of Interest pairings active"] == f"{period}#area-of-interest"
    assert links["Young people who joined the Youth Cabinet"] == f"{period}#youth-cabinet"
    client = app.test_client()
    assert all(link and client.get(link).status_code == 200 for link in links.values())


def test_a_running_campaigns_fact_agrees_with_the_numbers_table(app):
    """#14.12: the fact said "reached 1,270 people" while the table for the
    same month said 0: the fact now gives this month's reach from the
    table's own count, and the whole story since it started beside it."""
    from tests.factories import CampaignFactory, ReachEntryFactory

    september, october = date(2020, 9, 1), date(2020, 10, 1)
    with app.app_context(), app.test_request_context():
        fares = CampaignFactory(title="Fair fares", published=True, starts_on=september)
        fares.status = "active"
        for day, people in ((7, 320), (14, 540), (21, 410)):
            ReachEntryFactory(campaign=fares, on=date(2020, 9, day), people=people)
        ReachEntryFactory(campaign=fares, on=date(2020, 10, 30), people=25)
        db.session.commit()
        for month, this_month in ((september, 1270), (october, 25), (date(2020, 11, 1), 0)):
            (fact,) = [f.sentence for f in facts_for(month) if f.key.startswith("campaign-")]
            table = numbers.campaign_reach(Period.month(month))
            assert table == this_month
            if month == september:
                assert "has reached 1,295 people over" in fact  # with October's 25: the data as it is today
                assert f"reached {this_month:,} people this month" in fact
                continue
            if this_month:
                assert f"reached {this_month:,} people this month" in fact
            else:
                assert "is running this month" in fact and "this month," not in fact
            assert "has reached 1,295 people over" in fact and "since it started" in fact


def test_the_demo_drafts_numbers_cover_the_whole_month(app):
    """#14.12: the demo's draft update counted to the 28th; on the 30th its
    numbers missed two days the facts counted."""
    from portal.demo.world import load_demo
    from portal.models import CabinetUpdate
    from portal.statements.operations import current_month

    with app.app_context():
        load_demo()
        month = current_month()
        draft = db.session.scalar(db.select(CabinetUpdate).where(CabinetUpdate.statement_month == month))
        assert (draft.period_start, draft.period_end) == (Period.month(month).start, Period.month(month).end)
