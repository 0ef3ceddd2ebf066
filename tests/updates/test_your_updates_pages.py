"""Issue #16.4: "Your updates" shows 20 a page, the newest first, in a fixed
number of queries; a Cabinet Member pages through their own updates only."""

from __future__ import annotations

import re
from datetime import date, timedelta

from portal.extensions import db
from portal.models import CabinetUpdate
from portal.models.base import utcnow


def add_updates(app, author_id: int, count: int, first: int = 0) -> None:
    """``count`` updates "Update n", a meeting every week from 2020 (n later = newer)."""
    with app.app_context():
        now = utcnow()
        db.session.execute(
            db.insert(CabinetUpdate),
            [
                {
                    "author_id": author_id,
                    "title": f"Update {n}",
                    "meeting_date": date(2020, 1, 6) + timedelta(weeks=n),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(first, first + count)
            ],
        )
        db.session.commit()


def listed(page: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'data-label="Update"><a class="govuk-link" href="[^"]+">Update (\d+)</a>', page)
    ]


def test_the_list_runs_the_same_queries_with_5_and_200_updates(app, client, signed_in, count_queries, people):
    signed_in("cabinet_member")

    def queries():
        counts = []
        for url in ("/updates/yours", "/updates/yours?page=2"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    add_updates(app, people["cabinet_member"].id, 5)
    small = queries()
    add_updates(app, people["cabinet_member"].id, 195, first=5)
    assert queries() == small


def test_20_a_page_the_newest_first(app, client, signed_in, people):
    add_updates(app, people["cabinet_member"].id, 45)
    signed_in("cabinet_member")
    first = client.get("/updates/yours").get_data(as_text=True)
    assert listed(first) == list(range(44, 24, -1))
    assert 'href="/updates/yours?page=2"' in first and "Earlier updates" in first
    second = client.get("/updates/yours?page=2").get_data(as_text=True)
    assert listed(second) == list(range(24, 4, -1)) and "Later updates" in second
    assert listed(client.get("/updates/yours?page=3").get_data(as_text=True)) == list(range(4, -1, -1))
    assert "There are no more updates" in client.get("/updates/yours?page=9").get_data(as_text=True)


def test_the_officer_sees_every_authors_name_on_each_page(app, client, signed_in, people):
    add_updates(app, people["cabinet_member"].id, 25)
    signed_in("officer")
    second = client.get("/updates/yours?page=2").get_data(as_text=True)
    assert listed(second) == list(range(4, -1, -1))
    assert second.count(f'data-label="Cabinet Member">{people["cabinet_member"].display_name}<') == 5
