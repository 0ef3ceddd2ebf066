"""The Area of Interest pages: choices, the pairing run, changes by hand, acceptance, the shared log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import selectinload

from portal.aoi.operations import today
from portal.extensions import db
from portal.models import (
    Pairing,
    PairingLogEntry,
    Portfolio,
    PreferenceAnswer,
    PreferenceRound,
    User,
)
from portal.models.base import utcnow
from tests.conftest import PortalClient, add_person
from tests.factories import (
    PairingFactory,
    PairingLogEntryFactory,
    PortfolioFactory,
    PreferenceAnswerFactory,
    PreferenceRoundFactory,
)


@pytest.fixture
def world(app, people):
    """Three portfolios (A holds 1 place, B 2, C 2), the cabinet_member holds A,
    a second member, and an open round."""
    with app.app_context():
        other = add_person("youth_member", email="second@test.example", name="Second M.")
        portfolios = [
            PortfolioFactory(name="A", youth_capacity=1, cabinet_member=people["cabinet_member"]),
            PortfolioFactory(name="B", youth_capacity=2),
            PortfolioFactory(name="C", youth_capacity=2),
        ]
        round_ = PreferenceRoundFactory(title="Round 1")
        db.session.commit()
        return {"round": round_.id, "second": other, **{p.name: p.id for p in portfolios}}


def client_for(app, email) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


def choose(client, world, first="", second="", third="", reason="", **extra):
    return client.submit(
        f"/area-of-interest/rounds/{world['round']}/choices",
        {"first": str(first), "second": str(second), "third": str(third), "reason": reason, **extra},
    )


class TestChoices:
    def test_rank_and_change(self, app, people, world):
        member = client_for(app, people["youth_member"].email)
        assert choose(member, world, world["A"], world["B"], reason="I care about it.").status_code == 303
        assert choose(member, world, world["C"]).status_code == 303  # changed while open
        with app.app_context():
            answer = db.session.scalar(db.select(PreferenceAnswer).options(selectinload(PreferenceAnswer.choices)))
            assert [(c.portfolio_id, c.rank) for c in answer.choices] == [(world["C"], 1)]
            assert answer.reason == ""

    @pytest.mark.parametrize(
        "ranking, field, message",
        [
            (("", "", ""), "first", "Choose at least your first choice"),
            (("A", "A", ""), "second", "You chose the same portfolio twice"),
            (("A", "", "B"), "first", "Fill in your choices in order"),
            (("999", "", ""), "first", "Choose a portfolio from the list"),
            (("<script>", "", ""), "first", "Choose a portfolio from the list"),
        ],
    )
    def test_bad_rankings(self, app, people, world, ranking, field, message):
        member = client_for(app, people["youth_member"].email)
        values = [world.get(r, r) for r in ranking]
        response = choose(member, world, *values)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and f'href="#{field}"' in page
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(PreferenceAnswer.id))) == 0

    def test_more_than_three_ranks(self, app, people, world):
        member = client_for(app, people["youth_member"].email)
        response = choose(member, world, world["A"], world["B"], world["C"], fourth=str(world["A"]))
        assert response.status_code == 422 and "Choose up to three portfolios" in response.get_data(as_text=True)

    def test_after_the_round_closed(self, app, people, world):
        with app.app_context():
            db.session.get(PreferenceRound, world["round"]).closes_on = today() - timedelta(days=1)
            db.session.commit()
        member = client_for(app, people["youth_member"].email)
        response = choose(member, world, world["A"])
        assert response.status_code == 422
        assert "This round has closed" in response.get_data(as_text=True)

    def test_inactive_portfolio_cannot_be_chosen(self, app, people, world):
        with app.app_context():
            db.session.get(Portfolio, world["B"]).active = False
            db.session.commit()
        member = client_for(app, people["youth_member"].email)
        assert choose(member, world, world["B"]).status_code == 422


def run_round(app, people, world, *choices_by_email):
    for email, ranking in choices_by_email:
        choose(client_for(app, email), world, *[world[r] for r in ranking])
    officer = client_for(app, people["officer"].email)
    officer.submit(f"/area-of-interest/rounds/{world['round']}/close")
    officer.submit(f"/area-of-interest/rounds/{world['round']}/pair")
    return officer


def pairings(app) -> dict[int, tuple[int, int | None]]:
    with app.app_context():
        return {p.member_id: (p.portfolio_id, p.choice_rank) for p in db.session.scalars(db.select(Pairing))}


class TestPairing:
    def test_run_is_optimal_and_shows_outcomes(self, app, people, world):
        officer = run_round(
            app, people, world, (people["youth_member"].email, ("A", "B")), (world["second"].email, ("A", "C"))
        )
        result = pairings(app)
        # A has one place: one member gets it, the other their second choice.
        ranked = [result[people["youth_member"].id][1], result[world["second"].id][1]]
        assert sorted(ranked) == [1, 2]
        assert result[people["chair"].id][1] is None  # the chair gave no preference but is placed
        page = officer.get(f"/area-of-interest/rounds/{world['round']}").get_data(as_text=True)
        assert "1 of 3 members got their first choice" in page
        assert "1st choice" in page and "2nd choice" in page and "No preference given" in page

    def test_pairing_needs_the_round_closed(self, app, people, world):
        officer = client_for(app, people["officer"].email)
        response = officer.submit(f"/area-of-interest/rounds/{world['round']}/pair")
        assert "Close the round before running the pairing" in officer.get(response.headers["Location"]).get_data(
            as_text=True
        )
        assert pairings(app) == {}

    def test_deactivated_member_is_left_out(self, app, people, world):
        with app.app_context():
            db.session.get(User, world["second"].id).active = False
            db.session.commit()
        run_round(app, people, world, (people["youth_member"].email, ("A",)))
        assert world["second"].id not in pairings(app)

    def test_move_over_capacity_needs_confirmation(self, app, people, world):
        officer = run_round(app, people, world, (people["youth_member"].email, ("A",)), (world["second"].email, ("B",)))
        with app.app_context():
            pairing = db.session.scalar(db.select(Pairing).where(Pairing.member_id == world["second"].id))
        url = f"/area-of-interest/rounds/{world['round']}/pairings/{pairing.id}/move"
        warned = officer.submit(url, {"portfolio": str(world["A"])})
        assert warned.status_code == 422
        page = warned.get_data(as_text=True)
        assert "That portfolio has 1 places and this would make 2" in page
        assert "Yes, go over this portfolio&#39;s places" in page
        assert "There is a problem" in page and f'href="#portfolio-{pairing.id}"' in page and "<title>Error:" in page
        assert pairings(app)[world["second"].id][0] == world["B"]  # nothing changed
        assert officer.submit(url, {"portfolio": str(world["A"]), "allow_over": "y"}).status_code == 303
        assert pairings(app)[world["second"].id][0] == world["A"]
        assert "Over its 1 places" in officer.get(f"/area-of-interest/rounds/{world['round']}").get_data(as_text=True)

    def test_confirm_notifies_and_cabinet_member_accepts(self, app, people, world):
        officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
        assert officer.submit(f"/area-of-interest/rounds/{world['round']}/confirm").status_code == 303
        with app.app_context():
            mine = db.session.scalar(db.select(Pairing).where(Pairing.member_id == people["youth_member"].id))
            theirs = db.session.scalar(
                db.select(Pairing).where(
                    Pairing.member_id != people["youth_member"].id, Pairing.portfolio_id != world["A"]
                )
            )
        cabinet = client_for(app, people["cabinet_member"].email)
        assert "Waiting for you" in cabinet.get("/area-of-interest").get_data(as_text=True)
        # Not their portfolio: refused, nothing accepted.
        assert cabinet.submit("/area-of-interest/pairings/accept", {"pairing": str(theirs.id)}).status_code == 403
        assert cabinet.submit("/area-of-interest/pairings/accept", {"pairing": str(mine.id)}).status_code == 303
        with app.app_context():
            assert db.session.get(Pairing, mine.id).accepted_at is not None
            assert db.session.get(Pairing, theirs.id).accepted_at is None
        member = client_for(app, people["youth_member"].email)
        dashboard = member.get("/area-of-interest").get_data(as_text=True)
        assert "You are working with" in dashboard and "Cabinet Member" in dashboard

    def test_reasons_are_hidden_from_the_chair(self, app, people, world):
        choose(client_for(app, people["youth_member"].email), world, world["A"], reason="A private reason.")
        officer = run_round(app, people, world)
        assert "A private reason." in officer.get(f"/area-of-interest/rounds/{world['round']}").get_data(as_text=True)
        chair = client_for(app, people["chair"].email)
        assert "A private reason." not in chair.get(f"/area-of-interest/rounds/{world['round']}").get_data(as_text=True)


class TestPortfolios:
    def test_capacity_rules(self, app, people, world):
        run_round(app, people, world, (people["youth_member"].email, ("B",)), (world["second"].email, ("B",)))
        officer = client_for(app, people["officer"].email)
        url = f"/area-of-interest/portfolios/{world['B']}"
        base = {"name": "B", "description": "", "cabinet_member": "", "active": "y"}
        negative = officer.submit(url, {**base, "capacity": "-1"})
        assert "cannot be less than 0" in negative.get_data(as_text=True)
        below = officer.submit(url, {**base, "capacity": "1"})
        assert "2 members are already paired with this portfolio" in below.get_data(as_text=True)
        words = officer.submit(url, {**base, "capacity": "two"})
        assert "as a whole number like 2" in words.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(Portfolio, world["B"]).youth_capacity == 2
        assert officer.submit(url, {**base, "capacity": "3"}).status_code == 303

    def test_duplicate_name_and_unknown_holder(self, app, people, world):
        officer = client_for(app, people["officer"].email)
        page = officer.submit("/area-of-interest/portfolios", {"name": "a", "capacity": "1"}).get_data(as_text=True)
        assert "There is already a portfolio with this name" in page
        page = officer.submit(
            "/area-of-interest/portfolios", {"name": "D", "capacity": "1", "cabinet_member": str(people["partner"].id)}
        ).get_data(as_text=True)
        assert "Choose a Cabinet Member from the list" in page


class TestLog:
    @pytest.fixture
    def pairing_id(self, app, people, world):
        officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
        officer.submit(f"/area-of-interest/rounds/{world['round']}/confirm")
        with app.app_context():
            return db.session.scalar(db.select(Pairing.id).where(Pairing.member_id == people["youth_member"].id))

    def test_add_meeting_and_action(self, app, people, pairing_id):
        cabinet = client_for(app, people["cabinet_member"].email)
        url = f"/area-of-interest/pairings/{pairing_id}/log"
        meeting = cabinet.submit(
            url, {"kind": "meeting", "on": ["3", "2", "2026"], "text": "We met <b>online</b> {{7*7}}."}
        )
        assert meeting.status_code == 303
        missing_who = cabinet.submit(url, {"kind": "action", "on": ["3", "2", "2026"], "text": "Do this"})
        assert missing_who.status_code == 422 and "Say who will do the action" in missing_who.get_data(as_text=True)
        bad_date = cabinet.submit(url, {"kind": "meeting", "on": ["31", "2", "2026"], "text": "x"})
        assert "Enter a real date" in bad_date.get_data(as_text=True)
        htmx = cabinet.submit(
            url,
            {"kind": "action", "on": ["4", "2", "2026"], "text": "Write it up", "who": "Me"},
            headers={"HX-Request": "true"},
        )
        assert htmx.status_code == 200 and htmx.get_data(as_text=True).lstrip().startswith('<div id="pairing-log">')
        member = client_for(app, people["youth_member"].email)
        page = member.get(f"/area-of-interest/pairings/{pairing_id}").get_data(as_text=True)
        assert "We met &lt;b&gt;online&lt;/b&gt; {{7*7}}." in page and "Write it up" in page
        officer = client_for(app, people["officer"].email)
        assert "Write it up" in officer.get(f"/area-of-interest/pairings/{pairing_id}").get_data(as_text=True)

    def test_mark_done_with_htmx_swaps_the_log(self, app, people, pairing_id):
        """#14.7: with JavaScript on, "Mark as done" answered 500 (the empty new-entry
        date redrawn from the button's form data); it was saved but the screen stayed."""
        cabinet = client_for(app, people["cabinet_member"].email)
        url = f"/area-of-interest/pairings/{pairing_id}/log"
        cabinet.submit(url, {"kind": "action", "on": ["4", "2", "2026"], "text": "Write it up", "who": "Me"})
        with app.app_context():
            entry_id = db.session.scalar(db.select(PairingLogEntry.id))
        done = cabinet.submit(f"{url}/{entry_id}/done", {"done": "1"}, headers={"HX-Request": "true"})
        assert done.status_code == 200
        html = done.get_data(as_text=True)
        assert html.lstrip().startswith('<div id="pairing-log">') and "Write it up" in html
        with app.app_context():
            assert db.session.get(PairingLogEntry, entry_id).done is True

    def test_edit_rules(self, app, people, pairing_id):
        cabinet = client_for(app, people["cabinet_member"].email)
        cabinet.submit(
            f"/area-of-interest/pairings/{pairing_id}/log",
            {"kind": "meeting", "on": ["3", "2", "2026"], "text": "First"},
        )
        with app.app_context():
            entry_id = db.session.scalar(db.select(PairingLogEntry.id))
        url = f"/area-of-interest/pairings/{pairing_id}/log/{entry_id}"
        assert cabinet.submit(url, {"on": ["3", "2", "2026"], "text": "Changed"}).status_code == 303
        member = client_for(app, people["youth_member"].email)
        assert member.submit(url, {"on": ["3", "2", "2026"], "text": "Not mine"}).status_code == 403
        with app.app_context():
            entry = db.session.get(PairingLogEntry, entry_id)
            entry.created_at = utcnow() - timedelta(hours=25)
            db.session.commit()
        locked = cabinet.submit(url, {"on": ["3", "2", "2026"], "text": "Too late"})
        assert locked.status_code == 422 and "locked" in locked.get_data(as_text=True)
        assert cabinet.get(url).status_code == 403
        with app.app_context():
            assert db.session.get(PairingLogEntry, entry_id).text == "Changed"

    def test_strangers_get_404(self, app, people, pairing_id, world):
        stranger = client_for(app, world["second"].email)
        assert stranger.get(f"/area-of-interest/pairings/{pairing_id}").status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize(
        "who, path",
        [
            ("officer", "/area-of-interest"),
            ("officer", "/area-of-interest/rounds/{round}"),
            ("officer", "/area-of-interest/portfolios"),
            ("cabinet_member", "/area-of-interest"),
            ("officer", "/area-of-interest/pairings/{pairing}"),
        ],
    )
    def test_fixed_whatever_the_number_of_members(self, app, people, world, count_queries, who, path):
        officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
        with app.app_context():
            pairing_id = db.session.scalar(db.select(Pairing.id).where(Pairing.member_id == people["youth_member"].id))
        client = officer if who == "officer" else client_for(app, people[who].email)
        url = path.format(round=world["round"], pairing=pairing_id)

        def queries():
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            return counter.count

        small = queries()
        with app.app_context():
            for n in range(60):
                person = add_person("youth_member", email=f"many{n}@test.example", name=f"Many {n}")
                PreferenceAnswerFactory(round_id=world["round"], member=person, reason="why")
                PairingFactory(round_id=world["round"], member=person, portfolio_id=world["A"])
                PairingLogEntryFactory(pairing_id=pairing_id, on=date(2026, 1, 1), text="x", author=people["officer"])
            db.session.commit()
        assert small == queries()


def test_reasons_are_for_officers_and_the_portfolios_own_cabinet_member():
    from types import SimpleNamespace

    from portal.aoi.access import sees_reasons
    from portal.roles import Role

    officer = SimpleNamespace(id=1, role=Role.OFFICER)
    holder = SimpleNamespace(id=2, role=Role.CABINET_MEMBER)
    other = SimpleNamespace(id=3, role=Role.CABINET_MEMBER)
    chair = SimpleNamespace(id=4, role=Role.CHAIR)
    assert sees_reasons(officer, 2) and sees_reasons(officer, None)
    assert sees_reasons(holder, 2)
    assert not sees_reasons(other, 2)  # another portfolio's Cabinet Member
    assert not sees_reasons(holder, None)  # a page about every portfolio
    assert not sees_reasons(chair, 2)
