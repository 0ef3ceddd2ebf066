"""#14.3: one current Chair, and the Chair office and the chair role always agree."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Office, User
from tests.conftest import add_person
from tests.factories import OfficeFactory
from tests.plan.test_plan import client_for


def _give(client, title: str, holder: int):
    data = {"title": title, "holder": str(holder), "starts_on": ["1", "9", "2020"], "ends_on": ["", "", ""]}
    return client.submit("/youth-cabinet/offices", data)


def _role(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).role


def test_the_chair_office_gives_and_takes_the_role_and_there_is_one(app, people):
    with app.app_context():
        office = OfficeFactory(title="Chair", holder=people["chair"], starts_on=date(2019, 9, 1))
        db.session.commit()
        office_id = office.id
    officer = client_for(app, people["officer"].email)
    second = _give(officer, "Chair", people["youth_member"].id)
    assert second.status_code == 422
    assert "Chair holds the Chair office. End it before giving it to someone else" in second.get_data(as_text=True)
    assert _role(app, people["youth_member"].id) == "youth_member"

    assert officer.submit(f"/youth-cabinet/offices/{office_id}/end").status_code == 303
    assert _role(app, people["chair"].id) == "youth_member"  # ending the office takes the role away
    with app.app_context():
        assert db.session.get(Office, office_id).ends_on is not None
    # Ended today, it can be handed over the same day.
    assert _give(officer, "chair", people["youth_member"].id).status_code == 303
    assert _role(app, people["youth_member"].id) == "chair"


def test_an_officer_cannot_give_or_take_the_chair_role_by_hand(app, people):
    officer = client_for(app, people["officer"].email)
    with app.app_context():
        member = add_person("youth_member", email="m@test.example", name="Member M.")
    made = officer.submit(f"/people/{member.id}/role", {"role": "chair", "age_band": "14-16", "district": "Crawley"})
    assert "The Chair is the member who holds the Chair office" in made.get_data(as_text=True)
    assert _role(app, member.id) == "youth_member"
    taken = officer.submit(
        f"/people/{people['chair'].id}/role", {"role": "young_person", "age_band": "14-16", "district": "Crawley"}
    )
    assert "End their Chair office on the Youth Cabinet page first" in taken.get_data(as_text=True)
    assert _role(app, people["chair"].id) == "chair"
    invited = officer.submit(
        "/people/invite",
        {
            "display_name": "New C.",
            "email": "new@test.example",
            "role": "chair",
            "age_band": "14-16",
            "district": "Arun",
        },
    )
    assert "The Chair is the member who holds the Chair office" in invited.get_data(as_text=True)
