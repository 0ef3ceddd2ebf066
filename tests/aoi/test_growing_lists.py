"""Issue #16.4: a round's pairings are listed 25 a page (on the round's page,
with its "Move to" forms, and on the officer's programme page); the figures
above them still count every member and every pairing. A pairing's shared log
is shown 20 entries a page, the newest first."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import Pairing, PairingLogEntry
from tests.aoi.test_programme import client_for, run_round, world  # noqa: F401 (a fixture)
from tests.conftest import add_person
from tests.factories import PairingFactory, PairingLogEntryFactory, PreferenceAnswerFactory


def add_paired(app, world, count: int) -> None:  # noqa: F811
    """``count`` more members, "Many 0" ..., each answered and paired with portfolio B."""
    with app.app_context():
        for n in range(count):
            person = add_person("youth_member", email=f"many{n}@test.example", name=f"Many {n:02}")
            PreferenceAnswerFactory(round_id=world["round"], member=person, reason="why")
            PairingFactory(round_id=world["round"], member=person, portfolio_id=world["B"], choice_rank=1)
        db.session.commit()


def rows(page: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" id="pairing-(\d+)">', page)


def ordered_ids(app) -> list[str]:
    """Every pairing's id in the order the pages list them: by portfolio name, then id."""
    with app.app_context():
        from portal.aoi.operations import round_pairings

        return [str(p.id) for p in round_pairings(db.session.scalar(db.select(Pairing.round_id).limit(1)))]


@pytest.fixture
def officer(app, people, world):  # noqa: F811
    officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
    add_paired(app, world, 60)  # 63 pairings in all: 3 pages
    return officer


def test_the_26th_pairing_is_on_page_2(app, officer, world):  # noqa: F811
    url = f"/area-of-interest/rounds/{world['round']}"
    everyone = ordered_ids(app)
    first = officer.get(url).get_data(as_text=True)
    assert rows(first) == everyone[:25]
    assert first.count('/move"') == 25  # one "Move to" form per row shown, not per pairing
    assert "pairings 1 to 25 of 63" in first and f'href="{url}?page=2#pairings"' in first
    # The figures still count everything.
    assert "of 63 members got their first choice" in first
    assert re.search(r"\d+ of 63 Youth Cabinet members have made their choices", first)
    second = officer.get(f"{url}?page=2").get_data(as_text=True)
    assert rows(second) == everyone[25:50]
    assert '/move?page=2"' in second  # a failed move comes back to this page
    assert rows(officer.get(f"{url}?page=3").get_data(as_text=True)) == everyone[50:]
    assert "There are no more pairings" in officer.get(f"{url}?page=9").get_data(as_text=True)


def test_a_move_lands_on_the_page_that_shows_the_pairing(app, officer, world):  # noqa: F811
    url = f"/area-of-interest/rounds/{world['round']}"
    everyone = ordered_ids(app)
    pairing_id = everyone[30]  # a "Many" member in B, on page 2
    move = f"{url}/pairings/{pairing_id}/move"
    refused = officer.submit(f"{move}?page=2", {"portfolio": "nonsense"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'id="pairing-{pairing_id}"' in page and f'href="#portfolio-{pairing_id}"' in page
    # Moved to C (last by name, 2 places): it is now the last of all, on page 3.
    moved = officer.submit(move, {"portfolio": str(world["C"]), "allow_over": "y"})
    assert moved.status_code == 303
    assert moved.headers["Location"] == f"{url}?page=3#pairing-{pairing_id}"
    assert f'id="pairing-{pairing_id}"' in officer.get(moved.headers["Location"]).get_data(as_text=True)


def test_the_programme_page_lists_the_pairings_a_page_at_a_time(app, officer, world):  # noqa: F811
    everyone = ordered_ids(app)

    def links(page: str) -> list[str]:
        return re.findall(r'href="/area-of-interest/pairings/(\d+)"', page)

    first = officer.get("/area-of-interest").get_data(as_text=True)
    assert links(first) == everyone[:25] and 'href="/area-of-interest?page=2#pairings"' in first
    assert links(officer.get("/area-of-interest?page=3").get_data(as_text=True)) == everyone[50:]
    assert "There are no more pairings" in officer.get("/area-of-interest?page=4").get_data(as_text=True)


def test_the_round_page_costs_the_same_with_3_and_63_pairings(app, people, world, count_queries):  # noqa: F811
    officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
    url = f"/area-of-interest/rounds/{world['round']}"

    def queries():
        counts = []
        for address in (url, f"{url}?page=2", "/area-of-interest"):
            with count_queries() as counter:
                assert officer.get(address).status_code == 200
            counts.append(counter.count)
        return counts

    few = queries()
    add_paired(app, world, 60)
    assert queries() == few


class TestLogPages:
    """The shared log is shown 20 entries a page, the newest first."""

    @pytest.fixture
    def pairing_id(self, app, people, world):  # noqa: F811
        officer = run_round(app, people, world, (people["youth_member"].email, ("A",)))
        officer.submit(f"/area-of-interest/rounds/{world['round']}/confirm")
        with app.app_context():
            pairing_id = db.session.scalar(db.select(Pairing.id).where(Pairing.member_id == people["youth_member"].id))
            for n in range(45):  # "Entry 0" on 1 January 2026 ... "Entry 44" on 14 February
                PairingLogEntryFactory(
                    pairing_id=pairing_id,
                    kind="action",
                    who="Me",
                    on=date(2026, 1, 1) + timedelta(days=n),
                    text=f"Entry {n}",
                    author=people["officer"],
                )
            db.session.commit()
        return pairing_id

    @staticmethod
    def texts(page: str) -> list[int]:
        return [int(n) for n in re.findall(r"prewrap govuk-!-margin-bottom-1\">Entry (\d+)</p>", page)]

    def test_the_21st_entry_is_on_page_2(self, app, people, pairing_id):
        member = client_for(app, people["youth_member"].email)
        url = f"/area-of-interest/pairings/{pairing_id}"
        first = member.get(url).get_data(as_text=True)
        assert self.texts(first) == list(range(44, 24, -1)) and 'start="45"' in first
        assert "entries 1 to 20 of 45" in first and f'href="{url}?log_page=2#log-heading"' in first
        second = member.get(f"{url}?log_page=2").get_data(as_text=True)
        assert self.texts(second) == list(range(24, 4, -1)) and 'start="25"' in second
        assert f'href="{url}#log-heading"' in second  # back to the newest
        assert self.texts(member.get(f"{url}?log_page=3").get_data(as_text=True)) == [4, 3, 2, 1, 0]
        assert "There are no more entries." in member.get(f"{url}?log_page=9").get_data(as_text=True)

    def test_marking_done_on_page_2_stays_on_page_2(self, app, people, pairing_id):
        member = client_for(app, people["youth_member"].email)
        with app.app_context():
            entry_id = db.session.scalar(db.select(PairingLogEntry.id).where(PairingLogEntry.text == "Entry 10"))
        done = f"/area-of-interest/pairings/{pairing_id}/log/{entry_id}/done?log_page=2"
        page = member.get(f"/area-of-interest/pairings/{pairing_id}?log_page=2").get_data(as_text=True)
        assert f'data-hx-post="{done}"' in page.replace("&amp;", "&")
        swapped = member.submit(done, {"done": "1"}, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert self.texts(swapped) == list(range(24, 4, -1))
        plain = member.submit(done, {"done": "0"})
        assert plain.headers["Location"] == f"/area-of-interest/pairings/{pairing_id}?log_page=2#entry-{entry_id}"

    def test_an_entry_added_with_an_old_date_is_shown_where_it_lands(self, app, people, pairing_id):
        member = client_for(app, people["youth_member"].email)
        url = f"/area-of-interest/pairings/{pairing_id}/log"
        old = {"kind": "meeting", "on": ["2", "1", "2026"], "text": "Entry 99"}  # the second oldest: page 3
        swapped = member.submit(url, old, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert 99 in self.texts(swapped) and "entries 41 to 46 of 46" in swapped and "Added to the log." in swapped
        plain = member.submit(url, {**old, "text": "Entry 98"})
        with app.app_context():
            entry_id = db.session.scalar(db.select(PairingLogEntry.id).where(PairingLogEntry.text == "Entry 98"))
        assert plain.headers["Location"] == f"/area-of-interest/pairings/{pairing_id}?log_page=3#entry-{entry_id}"
