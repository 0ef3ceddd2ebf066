"""Campaigns: drafts and publishing, the reach log, the outcome sentence, chart, lists."""

from __future__ import annotations

from datetime import date

import pytest

from portal.campaigns.operations import NO_REACH, Reach, slug_for
from portal.extensions import db
from portal.models import Campaign, CampaignLead, ReachEntry
from tests.conftest import PortalClient, add_person, shows_49
from tests.factories import CampaignFactory, CampaignLeadFactory, PortfolioFactory, ReachEntryFactory


def client_for(app, email) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


# "Mind matters" as new_campaign starts it.
NEW = {
    "title": "Mind matters",
    "summary": "Talk about it.",
    "body": "Hello *world*",
    "status": "active",
    "starts_on": ["1", "7", "2020"],
    "ends_on": ["", "", ""],
    "portfolio": "",
    "goal": "1000",
}
# Its edit form, saved with the words, the dates and the goal left out.
EDIT = {**NEW, "summary": "", "body": "", "starts_on": ["", "", ""], "goal": "", "base_version": "1"}


def new_campaign(client, **fields):
    data = {**NEW}
    data.update(fields)
    return client.submit("/campaigns/new", data)


def campaign(app, slug="mind-matters") -> Campaign:
    with app.app_context():
        found = db.session.scalar(db.select(Campaign).where(Campaign.slug == slug))
        if found is not None:
            db.session.expunge(found)
        return found


def entries(app) -> list[tuple[date, int]]:
    with app.app_context():
        return [(e.on, e.people) for e in db.session.scalars(db.select(ReachEntry).order_by(ReachEntry.on))]


class TestOutcome:
    def test_sentence(self):
        assert Reach(11000, date(2020, 7, 1), date(2020, 7, 11), 11).sentence == "reached 11,000 people over 11 days"
        assert Reach(1, date(2020, 7, 1), date(2020, 7, 1), 1).sentence == "reached 1 person in 1 day"
        assert NO_REACH.sentence == ""

    def test_demo_campaign_says_the_seed_sentence(self, app):
        app.test_cli_runner().invoke(args=["demo", "load"])
        page = app.test_client().get("/campaigns/covid-19-wellbeing").get_data(as_text=True)
        assert "This campaign reached 11,000 people over 11 days." in page
        assert "110% of the goal, goal met" in page
        assert 'src="/campaigns/covid-19-wellbeing/reach.svg' in page
        assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="People reached">1,800</td>' in page

    def test_slug(self):
        assert slug_for("Covid-19 Wellbeing!") == "covid-19-wellbeing"
        assert slug_for("🙂") == "campaign"


class TestDraftsAndPublishing:
    def test_member_creates_a_draft_only_leads_see(self, app, people):
        member = client_for(app, people["youth_member"].email)
        response = new_campaign(member)
        assert response.status_code == 303 and response.headers["Location"] == "/campaigns/mind-matters"
        page = member.get("/campaigns/mind-matters").get_data(as_text=True)
        assert "Draft" in page and "<em>world</em>" in page
        assert app.test_client().get("/campaigns/mind-matters").status_code == 404
        assert "Mind matters" not in app.test_client().get("/campaigns").get_data(as_text=True)
        other = client_for(app, add_person_in(app, "youth_member", "other@test.example").email)
        assert other.get("/campaigns/mind-matters").status_code == 404
        chair = client_for(app, people["chair"].email)
        assert chair.submit("/campaigns/mind-matters/publish").status_code == 303
        assert app.test_client().get("/campaigns/mind-matters").status_code == 200

    def test_member_cannot_publish_or_edit_others(self, app, people):
        chair = client_for(app, people["chair"].email)
        new_campaign(chair)
        member = client_for(app, people["youth_member"].email)
        assert member.submit("/campaigns/mind-matters/publish").status_code == 403
        assert campaign(app).published_at is None

    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"title": ""}, "Enter a title for the campaign"),
            ({"title": "T" * 121}, "120 characters or fewer"),
            ({"ends_on": ["1", "6", "2020"]}, "The end date must be on or after the start date"),
            ({"starts_on": ["31", "2", "2020"]}, "Enter a real date"),
            ({"goal": "-5"}, "cannot be less than 0"),
            ({"goal": "1.5"}, "Enter a whole number"),
            ({"status": "finished"}, "Choose a status from the list"),
            ({"portfolio": "999"}, "Choose a portfolio from the list"),
        ],
    )
    def test_bad_input(self, app, people, fields, message):
        member = client_for(app, people["youth_member"].email)
        response = new_campaign(member, **fields)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert campaign(app) is None

    def test_duplicate_title(self, app, people):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member)
        page = new_campaign(member, title="MIND MATTERS").get_data(as_text=True)
        assert "There is already a campaign with this title" in page

    @pytest.mark.parametrize("text", ["<script>alert(1)</script>", "{{7*7}}", "[x](javascript:alert(1))"])
    def test_markup_is_inert(self, app, people, text):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member, title=f"T {text}", summary=text, body=text)
        slug = slug_for(f"T {text}")
        page = member.get(f"/campaigns/{slug}").get_data(as_text=True)
        main = page.split("<main", 1)[1]
        assert "<script>alert(1)</script>" not in main and 'href="javascript' not in main
        assert not shows_49(main)

    def test_two_people_editing(self, app, people):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member)
        chair = client_for(app, people["chair"].email)
        base = {
            "summary": "",
            "body": "",
            "status": "active",
            "starts_on": ["", "", ""],
            "ends_on": ["", "", ""],
            "portfolio": "",
            "goal": "",
            "base_version": "1",
            "leads": [str(people["youth_member"].id)],
        }
        assert chair.submit("/campaigns/mind-matters/edit", {**base, "title": "Chair's title"}).status_code == 303
        stale = member.submit("/campaigns/chair-s-title/edit", {**base, "title": "Member's title"})
        assert stale.status_code == 409
        page = stale.get_data(as_text=True)
        assert "Someone else changed this campaign" in page and "Member&#39;s title" in page
        assert campaign(app, "chair-s-title").title == "Chair's title"


class TestLeads:
    def test_chair_adds_a_lead_who_can_then_edit(self, app, people):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member)
        other = add_person_in(app, "youth_member", "other@test.example")
        second = client_for(app, other.email)
        assert second.get("/campaigns/mind-matters/edit").status_code == 404  # a draft they cannot see
        chair = client_for(app, people["chair"].email)
        data = {**EDIT, "leads": [str(people["youth_member"].id), str(other.id)]}
        assert chair.submit("/campaigns/mind-matters/edit", data).status_code == 303
        assert second.get("/campaigns/mind-matters/edit").status_code == 200
        page = second.get("/campaigns/mind-matters").get_data(as_text=True)
        assert "Other M." in page and "Youth Cabinet member" in page

    def test_member_cannot_drop_themselves_or_add_a_stranger(self, app, people):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member)
        data = EDIT
        dropped = member.submit("/campaigns/mind-matters/edit", {**data, "leads": []})
        assert "You cannot take yourself off as a lead" in dropped.get_data(as_text=True)
        stranger = member.submit(
            "/campaigns/mind-matters/edit",
            {**data, "leads": [str(people["youth_member"].id), str(people["partner"].id)]},
        )
        assert "Choose leads from the list" in stranger.get_data(as_text=True)
        with app.app_context():
            leads = db.session.scalars(db.select(CampaignLead.user_id)).all()
        assert leads == [people["youth_member"].id]


def add_person_in(app, role, email):
    with app.app_context():
        return add_person(role, email=email, name="Other M.")


class TestReach:
    @pytest.fixture
    def mine(self, app, people):
        member = client_for(app, people["youth_member"].email)
        new_campaign(member)
        return member

    def add(self, client, headers=None, **fields):
        data = {"on": ["1", "7", "2020"], "channel": "social_media", "people": "250", "impressions": "", "note": ""}
        data.update(fields)
        return client.submit("/campaigns/mind-matters/reach", data, headers=headers or {})

    def test_add_correct_remove_with_htmx(self, app, mine):
        response = self.add(mine, headers={"HX-Request": "true"})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.lstrip().startswith('<div id="reach"') and "reached 250 people in 1 day" in body
        self.add(mine, on=["3", "7", "2020"], people="1,000")
        assert entries(app) == [(date(2020, 7, 1), 250), (date(2020, 7, 3), 1000)]
        with app.app_context():
            first = db.session.scalar(db.select(ReachEntry.id).order_by(ReachEntry.on))
        edit = mine.get(f"/campaigns/mind-matters/reach/{first}", headers={"HX-Request": "true"})
        assert "Correct an entry" in edit.get_data(as_text=True)
        mine.submit(
            f"/campaigns/mind-matters/reach/{first}", {"on": ["2", "7", "2020"], "channel": "event", "people": "300"}
        )
        assert entries(app)[0] == (date(2020, 7, 2), 300)
        page = mine.submit(f"/campaigns/mind-matters/reach/{first}/delete", headers={"HX-Request": "true"}).get_data(
            as_text=True
        )
        assert "reached 1,000 people in 1 day" in page
        assert entries(app) == [(date(2020, 7, 3), 1000)]

    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"people": "-3"}, "cannot be less than 0"),
            ({"people": "2.5"}, "Enter a whole number"),
            ({"people": ""}, "Enter how many people were reached"),
            ({"people": "99999999999"}, "more people than we can count"),
            ({"on": ["", "", ""]}, "Enter the date"),
            ({"channel": "tiktok<script>"}, "Choose where the people were reached"),
        ],
    )
    def test_bad_figures(self, app, mine, fields, message):
        response = self.add(mine, **fields)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert entries(app) == []

    def test_a_date_in_the_future_or_before_the_start_is_refused(self, app, mine):
        """#14.1: a 2099 entry once made the page say "over 26,668 days"."""
        from datetime import timedelta

        from portal.templating import local_today

        tomorrow = local_today() + timedelta(days=1)
        future = self.add(mine, on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)])
        assert future.status_code == 422
        html = future.get_data(as_text=True)
        assert "The date cannot be in the future" in html and 'href="#on' in html  # next to the date, in the summary
        early = self.add(mine, on=["30", "6", "2020"])  # the campaign started on 1 July 2020
        assert early.status_code == 422
        assert "on or after the day the campaign started, 1 July 2020" in early.get_data(as_text=True)
        assert entries(app) == []
        # Correcting an entry holds to the same rules.
        self.add(mine)
        with app.app_context():
            first = db.session.scalar(db.select(ReachEntry.id))
        changed = mine.submit(
            f"/campaigns/mind-matters/reach/{first}", {"on": ["1", "1", "2099"], "channel": "event", "people": "300"}
        )
        assert changed.status_code == 422 and "The date cannot be in the future" in changed.get_data(as_text=True)
        assert entries(app) == [(date(2020, 7, 1), 250)]

    def test_a_very_big_figure_asks_for_confirmation(self, app, mine):
        asked = self.add(mine, people="60000")
        assert asked.status_code == 422
        assert "60,000 people is a lot for one entry" in asked.get_data(as_text=True)
        assert entries(app) == []
        assert self.add(mine, people="60000", confirm_big="y").status_code == 303
        assert entries(app) == [(date(2020, 7, 1), 60000)]

    def test_non_lead_cannot_add(self, app, mine, people):
        other = client_for(app, add_person_in(app, "youth_member", "other@test.example").email)
        assert (
            other.submit(
                "/campaigns/mind-matters/reach", {"on": ["1", "7", "2020"], "channel": "event", "people": "5"}
            ).status_code
            == 404
        )
        assert entries(app) == []

    def test_chart_is_svg_with_the_figures(self, app, mine, people):
        self.add(mine)
        client_for(app, people["chair"].email).submit("/campaigns/mind-matters/publish")
        response = app.test_client().get("/campaigns/mind-matters/reach.svg")
        assert response.headers["Content-Type"] == "image/svg+xml"
        svg = response.get_data(as_text=True)
        assert "<svg" in svg and "People reached each day" in svg
        # Nothing loaded from another host; shown as an image, and its own policy forbids scripts.
        assert 'href="http' not in svg and 'src="http' not in svg
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


class TestLists:
    def test_filters_and_fragment(self, app, people):
        with app.app_context():
            portfolio = PortfolioFactory(name="Environment")
            CampaignFactory(slug="a", title="Alpha", status="active", published=True, portfolio=portfolio)
            CampaignFactory(slug="b", title="Beta", status="closed", published=True)
            db.session.commit()
            portfolio_id = portfolio.id
        client = app.test_client()
        page = client.get("/campaigns?status=closed").get_data(as_text=True)
        assert "Beta" in page and "Alpha" not in page
        fragment = client.get(f"/campaigns?portfolio={portfolio_id}", headers={"HX-Request": "true"})
        body = fragment.get_data(as_text=True)
        assert body.lstrip().startswith('<div id="campaign-results">') and "Alpha" in body and "Beta" not in body
        assert client.get("/campaigns?status=<script>&portfolio=x&page=-4").status_code == 200


class TestQueryCounts:
    def test_list_and_page_fixed_with_500_campaigns_and_10000_entries(self, app, people, count_queries):
        from portal.models.base import utcnow

        with app.app_context():
            one = CampaignFactory(slug="one", title="One", status="active", published=True)
            CampaignLeadFactory(campaign=one, user=people["youth_member"])
            ReachEntryFactory(campaign=one, on=date(2020, 7, 1), people=5)
            db.session.commit()
        member = client_for(app, people["youth_member"].email)

        def queries(url):
            with count_queries() as counter:
                assert member.get(url).status_code == 200
            return counter.count

        small = {url: queries(url) for url in ("/campaigns", "/campaigns/one", "/", "/dashboard")}
        with app.app_context():
            now = utcnow()
            db.session.execute(
                db.insert(Campaign),
                [
                    {
                        "slug": f"c{n}",
                        "title": f"Campaign {n}",
                        "status": "active",
                        "published_at": now,
                        "summary": "",
                        "body": "",
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n in range(499)
                ],
            )
            ids = db.session.scalars(db.select(Campaign.id)).all()
            db.session.execute(
                db.insert(ReachEntry),
                [
                    {
                        "campaign_id": ids[n % len(ids)],
                        "on": date(2020, 1 + n % 12, 1 + n % 28),
                        "channel": "event",
                        "people": n,
                        "note": "",
                        "created_at": now,
                    }
                    for n in range(10_000)
                ],
            )
            db.session.execute(
                db.insert(CampaignLead), [{"campaign_id": i, "user_id": people["chair"].id} for i in ids]
            )
            db.session.commit()
        large = {url: queries(url) for url in small}
        assert small == large


class TestStatementFacts:
    def test_campaign_outcomes_reach_the_chairs_statement(self, app, people):
        app.test_cli_runner().invoke(args=["demo", "load"])
        from portal.figures.facts import facts_for

        with app.test_request_context():
            july = [f.sentence for f in facts_for(date(2020, 7, 1))]
            september = [f for f in facts_for(date(2020, 9, 1)) if f.source == "Campaigns"]
        assert (
            "Our Covid-19 Wellbeing campaign came to a close this month: it reached 11,000 people over 11 days. "
            "Its posts were seen 27,500 times on social media." in july
        )
        assert [f.link for f in september] == ["/campaigns/fair-fares-for-young-people"]
        assert september[0].sentence == (
            "Our Fair fares for young people campaign has reached 1,270 people over 15 days so far, "
            "all of them this month."
        )


def test_impressions_are_shown_beside_the_people_reached(app, client, people):
    """#14.2: impressions were stored but shown nowhere."""
    app.test_cli_runner().invoke(args=["demo", "load"])
    page = client.get("/campaigns/covid-19-wellbeing").get_data(as_text=True)
    assert "This campaign reached 11,000 people over 11 days. Its posts were seen 27,500 times on social media." in page
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Impressions</th>' in page
    svg = client.get("/campaigns/covid-19-wellbeing/reach.svg").get_data(as_text=True)
    assert "Impressions" in svg and "People reached" in svg


@pytest.mark.commits
def test_twenty_people_starting_one_title_at_once_make_one_campaign(app, people):
    """#15: 20 parallel "Start a campaign" posts with one title made one
    campaign and a 500 (IntegrityError); the others are now told the title is
    taken, with their words kept."""
    from tests.conftest import at_the_same_moment

    members = []
    with app.app_context():
        for n in range(20):
            members.append(add_person("youth_member", email=f"starter{n}@test.example", name=f"Starter {n}."))
    clients = [(client_for(app, m.email), m) for m in members]
    tokens = [client.csrf_token() for client, _ in clients]
    statuses = at_the_same_moment(
        [
            lambda client=client, token=token: client.post(
                "/campaigns/new", data={**NEW, "csrf_token": token, "starts_on-day": "1", "leads": []}
            )
            for (client, _), token in zip(clients, tokens, strict=True)
        ]
    )
    assert sorted(statuses).count(303) == 1 and all(status in (303, 422) for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 1
