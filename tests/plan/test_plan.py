"""The Youth Cabinet's plan (moving keeps history and reason) and its offices."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Office, PlanItem, PlanMove
from tests.conftest import PortalClient
from tests.factories import PlanItemFactory, PlanMoveFactory


def client_for(app, email) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


@pytest.fixture
def item_id(app):
    with app.app_context():
        item = PlanItemFactory(title="Youth festival stall", kind="event", on=date(2020, 6, 20))
        db.session.commit()
        return item.id


class TestPlan:
    def test_add_item(self, app, people):
        chair = client_for(app, people["chair"].email)
        response = chair.submit(
            "/plan/items",
            {"title": "Summer meeting", "kind": "meeting", "on": ["7", "7", "2020"], "campaign": "", "note": "Online"},
        )
        assert response.status_code == 303 and response.headers["Location"].startswith("/plan?year=2020")
        page = chair.get("/plan?year=2020").get_data(as_text=True)
        assert "Summer meeting" in page and ">Meeting<" in page and "Online" in page

    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"title": ""}, "Enter what is on the plan"),
            ({"on": ["30", "2", "2020"]}, "Enter a real date"),
            ({"kind": "party"}, "Choose what kind of item it is"),
            ({"campaign": "999"}, "Choose a campaign from the list"),
        ],
    )
    def test_bad_items(self, app, people, fields, message):
        chair = client_for(app, people["chair"].email)
        data = {"title": "X", "kind": "event", "on": ["7", "7", "2020"], "campaign": "", "note": ""}
        data.update(fields)
        response = chair.submit("/plan/items", data)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0

    def test_move_keeps_history_and_reason(self, app, people, item_id):
        officer = client_for(app, people["officer"].email)
        url = f"/plan/items/{item_id}/move"
        no_reason = officer.submit(url, {"to_date": ["12", "9", "2020"], "reason": ""})
        assert no_reason.status_code == 422 and "Say why it is moving" in no_reason.get_data(as_text=True)
        same = officer.submit(url, {"to_date": ["20", "6", "2020"], "reason": "No change"})
        assert "Choose a different date" in same.get_data(as_text=True)
        reason = "Pushed forward because of Covid-19 <b>restrictions</b>"
        assert officer.submit(url, {"to_date": ["12", "9", "2020"], "reason": reason}).status_code == 303
        with app.app_context():
            assert db.session.get(PlanItem, item_id).on == date(2020, 9, 12)
            move = db.session.scalar(db.select(PlanMove))
            assert (move.from_date, move.to_date, move.reason) == (date(2020, 6, 20), date(2020, 9, 12), reason)
        member = client_for(app, people["youth_member"].email)
        page = member.get("/plan?year=2020").get_data(as_text=True)
        assert "Moved from 20 June 2020 to 12 September 2020" in page
        assert "&lt;b&gt;restrictions&lt;/b&gt;" in page
        assert f"/plan/items/{item_id}/move" not in page  # members read only

    def test_the_move_form_starts_from_the_items_date(self, app, people, item_id):
        """#14.4: the date boxes hold the item's date, to change what needs changing."""
        page = client_for(app, people["chair"].email).get(f"/plan/items/{item_id}/move").get_data(as_text=True)
        for field, value in (("day", "20"), ("month", "06"), ("year", "2020")):
            assert f'id="to_date-{field}" name="to_date" type="text" value="{value}"' in page

    def test_an_item_is_cancelled_with_a_reason_and_stays_on_the_plan(self, app, people, item_id):
        """#14.4: the seed's "tough calls regarding events"."""
        chair = client_for(app, people["chair"].email)
        url = f"/plan/items/{item_id}/cancel"
        empty = chair.submit(url, {"reason": "  "})
        assert empty.status_code == 422 and "Say why it is cancelled" in empty.get_data(as_text=True)
        reason = "A tough call: cancelled because of Covid-19 <b>rules</b> {{7*7}}"
        assert chair.submit(url, {"reason": reason}).status_code == 303
        again = chair.submit(url, {"reason": "Twice"})
        assert again.status_code == 422 and "cancelled already" in again.get_data(as_text=True)
        page = client_for(app, people["youth_member"].email).get("/plan?year=2020").get_data(as_text=True)
        assert ">Cancelled<" in page and "<del>Youth festival stall</del>" in page
        assert "&lt;b&gt;rules&lt;/b&gt; {{7*7}}" in page
        chair_page = chair.get("/plan?year=2020").get_data(as_text=True)
        assert f"/plan/items/{item_id}/move" not in chair_page and f"/plan/items/{item_id}/cancel" not in chair_page
        moved = chair.submit(f"/plan/items/{item_id}/move", {"to_date": ["1", "9", "2020"], "reason": "Back on"})
        assert moved.status_code == 422 and "This has been cancelled, so it cannot move" in moved.get_data(as_text=True)
        with app.app_context():
            item = db.session.get(PlanItem, item_id)
            assert item.cancel_reason == reason and item.cancelled_by_id == people["chair"].id
            assert item.on == date(2020, 6, 20)

    def test_plan_page_query_count_is_fixed(self, app, people, item_id, count_queries):
        member = client_for(app, people["youth_member"].email)

        def queries():
            with count_queries() as counter:
                assert member.get("/plan?year=2020").status_code == 200
            return counter.count

        small = queries()
        with app.app_context():
            for n in range(150):
                item = PlanItemFactory(title=f"Item {n}", kind="event", on=date(2020, 1 + n % 12, 1 + n % 28))
                PlanMoveFactory(item=item, from_date=date(2020, 1, 1), to_date=item.on, reason="r")
            db.session.commit()
        assert small == queries()


class TestOffices:
    def office(self, client, **fields):
        data = {"title": "Vice-Chair", "holder": "", "starts_on": ["1", "9", "2020"], "ends_on": ["", "", ""]}
        data.update(fields)
        return client.submit("/youth-cabinet/offices", data)

    def test_add_show_and_end(self, app, people):
        chair = client_for(app, people["chair"].email)
        assert self.office(chair, holder=str(people["youth_member"].id)).status_code == 303
        member = client_for(app, people["youth_member"].email)
        page = member.get("/youth-cabinet").get_data(as_text=True)
        assert "Vice-Chair" in page and "Youth Cabinet member" in page
        assert "youth_member@test.example" not in page  # display names only
        with app.app_context():
            office_id = db.session.scalar(db.select(Office.id))
        assert chair.submit(f"/youth-cabinet/offices/{office_id}/end").status_code == 303
        with app.app_context():
            assert db.session.get(Office, office_id).ends_on is not None

    @pytest.mark.parametrize(
        "who, fields, message",
        [
            ("partner", {}, "Choose a Youth Cabinet member from the list"),
            ("youth_member", {"ends_on": ["1", "1", "2020"]}, "The end date must be on or after the start date"),
            ("youth_member", {"title": ""}, "Enter the office"),
        ],
    )
    def test_bad_offices(self, app, people, who, fields, message):
        chair = client_for(app, people["chair"].email)
        response = self.office(chair, holder=str(people[who].id), **fields)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Office.id))) == 0

    def test_members_cannot_manage_offices(self, app, people):
        member = client_for(app, people["youth_member"].email)
        assert self.office(member, holder=str(people["youth_member"].id)).status_code == 403


def test_each_end_today_button_has_its_own_name(app, client, signed_in, people):
    """#14.24: two offices of one title (two Chairs, say) no longer share "End today: Chair"."""
    import re
    from datetime import date

    from portal.extensions import db
    from tests.conftest import add_person
    from tests.factories import OfficeFactory

    with app.app_context():
        other = add_person("youth_member", email="second@test.example", name="Zed R.")
        OfficeFactory(title="Chair", holder=people["chair"], starts_on=date(2020, 1, 1))
        OfficeFactory(title="Chair", holder=other, starts_on=date(2020, 3, 1))
        db.session.commit()
    signed_in("officer")
    page = client.get("/youth-cabinet").get_data(as_text=True)
    names = re.findall(r'>End today<span class="govuk-visually-hidden">([^<]*)</span>', page)
    assert len(names) == 2 and len(set(names)) == 2
