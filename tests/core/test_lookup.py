"""Ids and numbers a database cannot hold answer 404 (or are ignored), never 500.

Every route with an id in its path is asked for an id far beyond the
database's integers, by every signed-in role that may reach it: each view
loads its objects through ``portal.lookup.get_or_404``.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import PortalClient

HUGE = "99999999999999999999"
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
# A value for the other kinds of path parameter.
OTHER = {"month": "2020-07", "path": "x", "string": "x", "default": "x"}


def _urls(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "int:" not in rule.rule:
            continue
        url = CONVERTER.sub(
            lambda m: HUGE if m.group(1) == "int" else OTHER.get(m.group(1) or "default", "x"), rule.rule
        )
        found.append(("POST" if "GET" not in rule.methods else "GET", url))
    return sorted(found)


@pytest.mark.parametrize("role", ["officer", "chair", "cabinet_member", "partner", "youth_member"])
def test_ids_beyond_the_database_are_not_found(app, client: PortalClient, signed_in, role):
    signed_in(role)
    token = client.csrf_token()
    urls = _urls(app)
    assert len(urls) > 40  # every kind of object is asked for
    crashed = []
    for method, url in urls:
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        if response.status_code >= 500:
            crashed.append(f"{method} {url}: {response.status_code}")
        elif method == "GET" and response.status_code not in (403, 404):
            crashed.append(f"{method} {url}: {response.status_code}, expected 404 (or 403)")
    assert not crashed, "\n".join(crashed)


@pytest.mark.parametrize(
    "url",
    [
        f"/campaigns?portfolio={HUGE}",
        f"/campaigns?page={HUGE}",
        f"/people?page={HUGE}",
        f"/consultations?page={HUGE}",
        f"/plan?year={HUGE}",
        f"/audit?page={HUGE}",
    ],
)
def test_huge_numbers_in_the_query_are_no_crash(client, signed_in, url):
    signed_in("officer")
    assert client.get(url).status_code in (200, 404)
