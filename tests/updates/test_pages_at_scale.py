"""Issue #16, the update's pages at a county's scale: the public list shows
20 updates a page, the newest first; the editor offers the statement months
of the last two years (and the one chosen) and the open recommendations ten
at a time; each page runs the same number of queries however much there is."""

from __future__ import annotations

import re
from datetime import date

from portal.extensions import db
from portal.models import UpdateVersion
from portal.models.base import utcnow
from portal.statements.operations import current_month
from tests.factories import CabinetUpdateFactory, ChairStatementFactory
from tests.recommendations.helpers import FUTURE, add, meeting


def month_back(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------- the public list


def publish_updates(app, author_id: int, count: int, first: int = 0) -> None:
    """``count`` published updates "Update n", one a month from January 2000 (n later = newer)."""
    with app.app_context():
        for n in range(first, first + count):
            update = CabinetUpdateFactory(author_id=author_id, title=f"Update {n}", status="published")
            month = month_back(date(2000, 1, 1), -n)
            db.session.add(
                UpdateVersion(
                    update_id=update.id,
                    number=1,
                    title=f"Update {n}",
                    meeting_date=month.replace(day=15),
                    report_month=month,
                    author_name="Jacquie Russell",
                    content={},
                    html="<p>The whole update.</p>",
                    search_text="The whole update.",
                    published_at=utcnow(),
                )
            )
        db.session.commit()


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a class="govuk-link" href="/updates/\d+">Update (\d+)</a>', page)]


def test_the_public_list_shows_20_a_page_the_newest_first(app, client, people):
    publish_updates(app, people["cabinet_member"].id, 45)
    first = client.get("/updates").get_data(as_text=True)
    assert listed(first) == list(range(44, 24, -1))
    assert 'aria-label="Pages of updates"' in first and 'href="/updates?page=2"' in first
    assert "page 1 of 3" in first
    second = client.get("/updates?page=2").get_data(as_text=True)
    assert listed(second) == list(range(24, 4, -1))  # the 21st newest is first on page 2
    assert 'href="/updates"' in second and 'href="/updates?page=3"' in second
    assert listed(client.get("/updates?page=3").get_data(as_text=True)) == [4, 3, 2, 1, 0]
    past = client.get("/updates?page=9")
    assert past.status_code == 200 and "There are no more updates." in past.get_data(as_text=True)


def test_a_year_of_the_archive_pages_too(app, client, people):
    publish_updates(app, people["cabinet_member"].id, 30)  # 2000 and half of 2001
    year = client.get("/updates/archive/2000").get_data(as_text=True)
    assert listed(year) == list(range(11, -1, -1))
    assert 'aria-label="Pages of updates"' not in year  # 12 fit on one page


def test_the_public_list_runs_the_same_queries_with_5_and_60_updates(app, client, count_queries, people):
    def queries() -> list[int]:
        counts = []
        for url in ("/updates", "/updates?page=2"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    publish_updates(app, people["cabinet_member"].id, 25)
    small = queries()
    publish_updates(app, people["cabinet_member"].id, 35, first=25)
    assert queries() == small


# ---------------------------------------------------------------- the editor


def draft(app, people, **values) -> int:
    with app.app_context():
        update = CabinetUpdateFactory(author_id=people["cabinet_member"].id, **values)
        db.session.commit()
        return update.id


def add_statements(app, months: int) -> None:
    """A statement (accepted) for each of the last ``months`` months."""
    with app.app_context():
        for n in range(months):
            ChairStatementFactory(month=month_back(current_month(), n), status="accepted")
        db.session.commit()


def offered(page: str) -> list[str]:
    choice = page[page.index('name="statement_month"') :]
    choice = choice[: choice.index("</select>")]
    return re.findall(r'<option value="([^"]*)"', choice)


def test_the_editor_offers_the_last_two_years_of_statements_and_the_chosen_one(app, client, signed_in, people):
    add_statements(app, 40)
    chosen = month_back(current_month(), 30)
    update_id = draft(app, people, statement_month=chosen)
    signed_in("cabinet_member")
    months = offered(client.get(f"/updates/{update_id}/edit").get_data(as_text=True))
    assert months[0] == ""  # "None"
    assert months[1:25] == [f"{month_back(current_month(), n):%Y-%m}" for n in range(24)]
    assert months[25:] == [f"{chosen:%Y-%m}"]  # older, but chosen: still there, so saving keeps it
    other = draft(app, people)
    assert len(offered(client.get(f"/updates/{other}/edit").get_data(as_text=True))) == 1 + 24


def test_an_older_statement_month_can_still_be_saved(app, client, signed_in, people):
    add_statements(app, 40)
    update_id = draft(app, people)
    signed_in("cabinet_member")
    old = month_back(current_month(), 36)
    response = client.submit(
        f"/updates/{update_id}/details",
        {
            "title": "An update",
            "meeting_date": ["17", "7", "2020"],
            "period_start": ["", "", ""],
            "period_end": ["", "", ""],
            "statement_month": f"{old:%Y-%m}",
            "base_version": "1",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        from portal.models import CabinetUpdate

        assert db.session.get(CabinetUpdate, update_id).statement_month == old


def add_recommendations(app, people, count: int, first: int = 0) -> None:
    """``count`` open recommendations addressed to the cabinet_member, numbered
    from ``first`` + 1, the later numbers due later."""
    with app.app_context(), app.test_request_context():
        found = meeting(people["officer"], minute=f"67.{first}")
        for n in range(first, first + count):
            add(
                people["officer"],
                found,
                n + 1,
                cabinet_member=people["cabinet_member"],
                text=f"Recommendation number {n + 1}.",
                due_on=FUTURE.replace(day=1 + n % 28, month=1 + n // 28),
            )
        db.session.commit()


def panel(page: str) -> str:
    start = page.index('id="recommendations"')
    return page[start : page.index("</details>", start)]


def shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"Recommendation number (\d+)\.", panel(page))]


def test_the_editor_shows_the_open_recommendations_ten_at_a_time(app, client, signed_in, people):
    add_recommendations(app, people, 23)
    update_id = draft(app, people)
    signed_in("cabinet_member")
    first = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
    assert "Recommendations from committees: 23 open" in first
    assert shown(first) == list(range(1, 11))
    assert "Showing 1 to 10 of 23, the soonest due first." in panel(first)
    page_2 = f"/updates/{update_id}/edit?recommendations=open&amp;recommendations_page=2#recommendations"
    assert f'href="{page_2}"' in panel(first)
    second = client.get(f"/updates/{update_id}/edit?recommendations=open&recommendations_page=2")
    assert shown(second.get_data(as_text=True)) == list(range(11, 21))  # the 11th is first on page 2
    assert '<details class="govuk-details" id="recommendations" open>' in second.get_data(as_text=True)
    third = client.get(f"/updates/{update_id}/edit?recommendations_page=3").get_data(as_text=True)
    assert shown(third) == [21, 22, 23] and 'id="recommendations" open>' in third
    past = client.get(f"/updates/{update_id}/edit?recommendations_page=7").get_data(as_text=True)
    assert "There are no more open recommendations." in panel(past)


def test_the_editor_and_preview_run_the_same_queries_whatever_the_data(app, client, signed_in, count_queries, people):
    update_id = draft(
        app,
        people,
        period_start=date(2020, 7, 1),
        period_end=date(2020, 7, 31),
        include_numbers=True,
        statement_month=current_month(),
    )
    signed_in("cabinet_member")

    def queries() -> list[int]:
        counts = []
        for url in (f"/updates/{update_id}/edit", f"/updates/{update_id}/preview"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    add_statements(app, 3)
    add_recommendations(app, people, 2)
    small = queries()
    with app.app_context():
        for n in range(3, 40):
            ChairStatementFactory(month=month_back(current_month(), n), status="accepted")
        db.session.commit()
    add_recommendations(app, people, 30, first=2)
    assert queries() == small
