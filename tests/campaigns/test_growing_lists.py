"""Issue #16.4: lists that grow are paged or searched. The campaign page's
reach log shows the newest 20 entries a page (the outcome still counts them
all); the campaign form's leads picker finds members by name instead of one
checkbox per member."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import Campaign, CampaignLead, ReachEntry, User
from portal.models.base import utcnow
from tests.campaigns.test_campaigns import NEW, client_for
from tests.factories import CampaignFactory, CampaignLeadFactory

HTMX = {"HX-Request": "true"}
START = date(2020, 1, 1)


def add_entries(app, campaign_id: int, count: int, first: int = 0) -> None:
    """``count`` entries of 1 person each, one a day from START (+ ``first`` days)."""
    with app.app_context():
        now = utcnow()
        db.session.execute(
            db.insert(ReachEntry),
            [
                {
                    "campaign_id": campaign_id,
                    "on": START + timedelta(days=first + n),
                    "channel": "event",
                    "people": 1,
                    "note": f"entry {first + n}",
                    "created_at": now,
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def log_notes(page: str) -> list[str]:
    """The notes of the reach log's rows, in the order shown."""
    return re.findall(r'<span class="portal-secondary">(entry \d+)</span>', page)


class TestReachLog:
    @pytest.fixture
    def campaign_id(self, app, people):
        with app.app_context():
            campaign = CampaignFactory(slug="one", title="One", status="active", published=True, starts_on=START)
            CampaignLeadFactory(campaign=campaign, user=people["youth_member"])
            db.session.commit()
            return campaign.id

    def test_the_page_runs_the_same_queries_with_5_and_200_entries(self, app, people, campaign_id, count_queries):
        lead = client_for(app, people["youth_member"].email)
        visitor = app.test_client()

        def queries(client, url="/campaigns/one"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            return counter.count

        add_entries(app, campaign_id, 5)
        small = (queries(lead), queries(visitor), queries(lead, "/campaigns/one?reach_page=2"))
        add_entries(app, campaign_id, 195, first=5)
        assert (queries(lead), queries(visitor), queries(lead, "/campaigns/one?reach_page=2")) == small

    def test_the_newest_20_then_the_next_20_and_the_outcome_counts_them_all(self, app, people, campaign_id):
        add_entries(app, campaign_id, 45)
        lead = client_for(app, people["youth_member"].email)
        first = lead.get("/campaigns/one").get_data(as_text=True)
        assert log_notes(first) == [f"entry {n}" for n in range(44, 24, -1)]
        assert "This campaign reached 45 people over 45 days." in first
        assert "entries 1 to 20 of 45" in first and 'href="/campaigns/one?reach_page=2#reach-log"' in first
        assert first.count('data-label="Day"') == 45  # the table of days is the chart's alternative: whole
        second = lead.get("/campaigns/one?reach_page=2").get_data(as_text=True)
        assert log_notes(second) == [f"entry {n}" for n in range(24, 4, -1)]
        assert 'href="/campaigns/one#reach-log"' in second  # back to the newest
        third = lead.get("/campaigns/one?reach_page=3").get_data(as_text=True)
        assert log_notes(third) == [f"entry {n}" for n in range(4, -1, -1)]
        past = lead.get("/campaigns/one?reach_page=9").get_data(as_text=True)
        assert log_notes(past) == [] and "There are no more reach entries." in past

    def test_removing_on_page_2_with_htmx_stays_on_page_2(self, app, people, campaign_id):
        add_entries(app, campaign_id, 30)
        lead = client_for(app, people["youth_member"].email)
        second = lead.get("/campaigns/one?reach_page=2").get_data(as_text=True)
        with app.app_context():
            entry_id = db.session.scalar(db.select(ReachEntry.id).where(ReachEntry.note == "entry 5"))
        remove = f"/campaigns/one/reach/{entry_id}/delete?reach_page=2"
        assert f'data-hx-post="{remove}"' in second.replace("&amp;", "&")
        block = lead.submit(remove, headers=HTMX).get_data(as_text=True)
        assert block.lstrip().startswith('<div id="reach"')
        assert log_notes(block) == [f"entry {n}" for n in (9, 8, 7, 6, 4, 3, 2, 1, 0)]
        assert "This campaign reached 29 people" in block
        # Without JavaScript, the redirect goes back to the same page.
        with app.app_context():
            other = db.session.scalar(db.select(ReachEntry.id).where(ReachEntry.note == "entry 4"))
        plain = lead.submit(f"/campaigns/one/reach/{other}/delete?reach_page=2")
        assert plain.status_code == 303 and plain.headers["Location"] == "/campaigns/one?reach_page=2#reach"

    def test_visitors_get_no_reach_log(self, app, campaign_id):
        add_entries(app, campaign_id, 3)
        page = app.test_client().get("/campaigns/one").get_data(as_text=True)
        assert "Reach log" not in page and "This campaign reached 3 people over 3 days." in page


class TestReachOverTime:
    """The table of reach (the chart's alternative) is by day for up to 60 days,
    then by week (up to 182 days), then by month: it stays short, and adds up to the same."""

    @pytest.fixture
    def campaign_id(self, app, people):
        with app.app_context():
            campaign = CampaignFactory(slug="long", title="Long", status="active", published=True, starts_on=START)
            db.session.commit()
            return campaign.id

    @staticmethod
    def table(page: str, unit: str) -> list[tuple[str, int]]:
        cells = re.findall(
            rf'data-label="{unit}">([^<]+)</td><td class="govuk-table__cell govuk-table__cell--numeric" '
            r'data-label="People reached">([\d,]+)</td>',
            page,
        )
        return [(label, int(people.replace(",", ""))) for label, people in cells]

    def test_61_days_are_shown_day_by_day(self, app, campaign_id):
        add_entries(app, campaign_id, 61)  # 1 January to 1 March 2020: 60 days apart
        page = app.test_client().get("/campaigns/long").get_data(as_text=True)
        rows = self.table(page, "Day")
        assert len(rows) == 61 and rows[0] == ("1 January 2020", 1)
        assert "People reached each day" in page

    def test_up_to_half_a_year_is_shown_week_by_week(self, app, campaign_id):
        add_entries(app, campaign_id, 62)  # 61 days apart: weeks from Monday 30 December 2019
        page = app.test_client().get("/campaigns/long").get_data(as_text=True)
        rows = self.table(page, "Week starting")
        assert "People reached each week" in page and 'data-label="Day"' not in page
        assert rows[0] == ("30 December 2019", 5)  # Wednesday 1 to Sunday 5 January
        assert rows[1] == ("6 January 2020", 7)
        assert len(rows) == 10 and sum(people for _, people in rows) == 62
        svg = app.test_client().get("/campaigns/long/reach.svg").get_data(as_text=True)
        assert "People reached each week" in svg
        assert "30 Dec 2019" in svg and "6 Jan 2020" in svg  # the weeks cross into 2020: each label says its year

    def test_two_years_are_shown_month_by_month_with_the_same_total(self, app, campaign_id):
        add_entries(app, campaign_id, 700)
        page = app.test_client().get("/campaigns/long").get_data(as_text=True)
        rows = self.table(page, "Month")
        assert rows[0] == ("January 2020", 31) and rows[1] == ("February 2020", 29)
        assert len(rows) == 23 and sum(people for _, people in rows) == 700
        assert "This campaign reached 700 people" in page


def add_members(app, count: int) -> None:
    """``count`` Youth Cabinet members, straight into the table (no password hashing)."""
    with app.app_context():
        now = utcnow()
        db.session.execute(
            db.insert(User),
            [
                {
                    "email": f"member{n}@test.example",
                    "display_name": f"Member{n:03d} {'Zed' if n == 123 else 'Q'}.",
                    "role": "youth_member",
                    "age_band": "14-16",
                    "district": "Crawley",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def checkbox_names(page: str) -> list[str]:
    return re.findall(
        r'<label class="govuk-label govuk-checkboxes__label" for="leads[^"]*">\s*([^<]+?)\s*</label>', page
    )


class TestLeadsPicker:
    def test_the_form_stays_small_with_300_members(self, app, people, count_queries):
        chair = client_for(app, people["chair"].email)

        def form():
            with count_queries() as counter:
                response = chair.get("/campaigns/new")
            assert response.status_code == 200
            return counter.count, response.get_data(as_text=True)

        add_members(app, 5)
        few, _ = form()
        with app.app_context():
            now = utcnow()
            db.session.execute(
                db.insert(User),
                [
                    {
                        "email": f"more{n}@test.example",
                        "display_name": f"More {n}.",
                        "role": "youth_member",
                        "active": True,
                        "session_version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n in range(5, 300)
                ],
            )
            db.session.commit()
        many, page = form()
        assert many == few
        assert len(page.encode()) < 40_000
        assert "More 17." not in page and 'name="find_member"' in page

    def test_a_member_is_found_by_part_of_their_name_as_one_types(self, app, people):
        add_members(app, 300)
        officer = client_for(app, people["officer"].email)  # not a lead themselves
        response = officer.get("/campaigns/new?find_member=zed", headers=HTMX)
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        block = response.get_data(as_text=True)
        assert block.lstrip().startswith('<div id="lead-choices">')
        assert checkbox_names(block) == ["Member123 Zed."]
        assert "1 member found" in block and 'data-hx-swap-oob="innerHTML"' in block  # the status, out of band
        # At most 20 found; those ticked stay shown and ticked, whatever is typed.
        with app.app_context():
            zed = db.session.scalar(db.select(User.id).where(User.display_name == "Member123 Zed."))
        many = officer.get(f"/campaigns/new?find_member=member2&leads={zed}", headers=HTMX).get_data(as_text=True)
        names = checkbox_names(many)
        assert names[0] == "Member123 Zed." and len(names) == 21
        assert all(name.startswith("Member2") for name in names[1:])
        assert re.search(rf'value="{zed}"\s+checked|checked[^>]*value="{zed}"', many)
        assert "the first 20" in many
        none = officer.get("/campaigns/new?find_member=%25_x", headers=HTMX).get_data(as_text=True)
        assert checkbox_names(none) == [] and "No Youth Cabinet member’s name has “%_x”." in none

    def test_find_without_javascript_keeps_what_was_typed_and_saves_nothing(self, app, people):
        add_members(app, 30)
        member = client_for(app, people["youth_member"].email)
        data = {**NEW, "leads": [str(people["youth_member"].id)], "find_member": "Zed", "find": "1"}
        response = member.submit("/campaigns/new", data)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'value="Mind matters"' in page and "Talk about it." in page  # nothing typed is lost
        assert checkbox_names(page) == ["Youth Cabinet member"]  # no one has "Zed" among the first 30
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 0
        data["find_member"] = "member01"
        found = checkbox_names(member.submit("/campaigns/new", data).get_data(as_text=True))
        assert found == ["Youth Cabinet member"] + [f"Member{n:03d} Q." for n in range(10, 20)]

    def test_the_edit_form_shows_the_saved_leads_and_refuses_tampered_ids(self, app, people):
        add_members(app, 50)
        with app.app_context():
            campaign = CampaignFactory(slug="one", title="One", status="active")
            CampaignLeadFactory(campaign=campaign, user=people["youth_member"])
            db.session.commit()
        chair = client_for(app, people["chair"].email)
        page = chair.get("/campaigns/one/edit").get_data(as_text=True)
        assert checkbox_names(page) == ["Youth Cabinet member"]
        # Unticked in the browser, a saved lead stays on the list to tick again.
        block = chair.get("/campaigns/one/edit?find_member=", headers=HTMX).get_data(as_text=True)
        assert checkbox_names(block) == ["Youth Cabinet member"] and "checked" not in block
        data = {
            **NEW,
            "title": "One",
            "base_version": "1",
            "leads": [str(people["youth_member"].id), str(people["partner"].id)],
        }
        refused = chair.submit("/campaigns/one/edit", data)
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert "Choose leads from the list of Youth Cabinet members" in html
        assert people["partner"].display_name not in checkbox_names(html)
        assert chair.submit("/campaigns/one/edit", {**data, "leads": ["abc"]}).status_code == 422
        with app.app_context():
            assert db.session.scalars(db.select(CampaignLead.user_id)).all() == [people["youth_member"].id]
