"""Issue #16.4: the plan shows earlier items 20 a page, the latest first
("Earlier items"), and what is still to come 20 a page, the soonest first
("Later items"), in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

from portal.extensions import db
from portal.models import PlanItem
from tests.factories import PlanItemFactory, PlanMoveFactory
from tests.plan.test_plan import client_for


def add_items(app, year: int, count: int, first: int = 0) -> None:
    """``count`` items "Item n", one every 1.5 days or so from 1 January of ``year``, each moved once."""
    with app.app_context():
        for n in range(first, first + count):
            on = date(year, 1, 1) + timedelta(days=n * 360 // 200)
            item = PlanItemFactory(title=f"Item {n}", kind="event", on=on)
            PlanMoveFactory(item=item, from_date=date(year, 1, 1), to_date=on, reason="r")
        db.session.commit()


def titles(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"</strong>:\s*Item (\d+)", page)]


def test_the_plan_runs_the_same_queries_with_5_and_200_items(app, people, count_queries):
    member = client_for(app, people["youth_member"].email)

    def queries():
        counts = []
        for url in ("/plan?year=2020", "/plan?year=2020&earlier=2", "/plan?year=2099", "/plan?year=2099&later=2"):
            with count_queries() as counter:
                assert member.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    add_items(app, 2020, 5)
    add_items(app, 2099, 5)
    small = queries()
    add_items(app, 2020, 195, first=5)
    add_items(app, 2099, 195, first=5)
    assert queries() == small


def test_earlier_items_are_paged(app, people):
    add_items(app, 2020, 45)
    add_items(app, 2099, 30)
    member = client_for(app, people["youth_member"].email)
    first = member.get("/plan?year=2020").get_data(as_text=True)
    assert titles(first) == list(range(25, 45))  # the 20 latest, in date order
    assert "Earlier items" in first and 'href="/plan?year=2020&amp;earlier=2"' in first
    assert 'id="month-1"' not in first  # January is on the earlier pages
    second = member.get("/plan?year=2020&earlier=2").get_data(as_text=True)
    assert titles(second) == list(range(5, 25))
    assert "Later items" in second and 'href="/plan?year=2020"' in second
    third = member.get("/plan?year=2020&earlier=3").get_data(as_text=True)
    assert titles(third) == list(range(0, 5)) and 'id="month-1"' in third
    assert "There are no more earlier items" in member.get("/plan?year=2020&earlier=7").get_data(as_text=True)


def test_what_is_still_to_come_is_paged_too(app, people):
    add_items(app, 2099, 45)
    member = client_for(app, people["youth_member"].email)
    first = member.get("/plan?year=2099").get_data(as_text=True)
    assert titles(first) == list(range(20))  # the soonest 20
    assert "Earlier items" not in first and 'href="/plan?year=2099&amp;later=2"' in first
    assert "the next 20 still to come" in first
    assert 'id="month-1"' in first and 'id="month-12"' not in first  # December is on a later page
    second = member.get("/plan?year=2099&later=2").get_data(as_text=True)
    assert titles(second) == list(range(20, 40)) and "Later items: 21 to 40 of 45 still to come." in second
    assert 'href="/plan?year=2099"' in second and 'href="/plan?year=2099&amp;later=3"' in second
    third = member.get("/plan?year=2099&later=3").get_data(as_text=True)
    assert titles(third) == list(range(40, 45)) and 'id="month-12"' in third
    assert "There are no more later items" in member.get("/plan?year=2099&later=7").get_data(as_text=True)
    few = client_for(app, people["youth_member"].email).get("/plan?year=2098").get_data(as_text=True)
    assert "Later items" not in few and "Nothing planned." in few  # a year that fits on one page is whole


def test_after_moving_an_item_still_to_come_the_chair_lands_on_its_page(app, people):
    add_items(app, 2099, 45)
    with app.app_context():
        item_id = db.session.scalar(db.select(PlanItem.id).where(PlanItem.title == "Item 3"))
    chair = client_for(app, people["chair"].email)
    moved = chair.submit(f"/plan/items/{item_id}/move", {"to_date": ["20", "12", "2099"], "reason": "Later"})
    assert moved.status_code == 303
    assert moved.headers["Location"] == f"/plan?year=2099&later=3#item-{item_id}"
    assert f'id="item-{item_id}"' in chair.get(moved.headers["Location"]).get_data(as_text=True)


def test_after_a_move_the_chair_lands_on_the_page_that_shows_the_item(app, people):
    add_items(app, 2020, 45)
    with app.app_context():
        item_id = db.session.scalar(db.select(PlanItem.id).where(PlanItem.title == "Item 30"))
    chair = client_for(app, people["chair"].email)
    moved = chair.submit(f"/plan/items/{item_id}/move", {"to_date": ["2", "1", "2020"], "reason": "Sooner"})
    assert moved.status_code == 303
    assert moved.headers["Location"] == f"/plan?year=2020&earlier=3#item-{item_id}"
    assert f'id="item-{item_id}"' in chair.get(moved.headers["Location"]).get_data(as_text=True)
    cancelled = chair.submit(f"/plan/items/{item_id}/cancel", {"reason": "No"})
    assert cancelled.headers["Location"] == f"/plan?year=2020&earlier=3#item-{item_id}"
