"""The menu by role (#14.25): the officer's is short, with a Manage page for
the rest; every other role's menu is as it was."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from portal.templating import MANAGE_PAGE, NAVIGATION

ITEM = re.compile(
    r'<li class="govuk-service-navigation__item[^"]*">\s*<a[^>]*href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)'
)
ACTIVE = re.compile(r'govuk-service-navigation__item--active">\s*<a[^>]*>\s*(?:<strong[^>]*>)?([^<]+)')

MENUS = {
    "young_person": [
        "Home",
        "Your dashboard",
        "Campaigns",
        "Consultations",
        "Updates",
        "Youth Cabinet",
        "Your account",
    ],
    "youth_member": [
        "Home",
        "Your dashboard",
        "Campaigns",
        "Plan",
        "Consultations",
        "Updates",
        "Area of Interest",
        "Youth Cabinet",
        "Your account",
    ],
    "chair": [
        "Home",
        "Your dashboard",
        "Campaigns",
        "Plan",
        "Consultations",
        "Updates",
        "Chair's statement",
        "Area of Interest",
        "Youth Cabinet",
        "Your account",
    ],
    "cabinet_member": [
        "Home",
        "Your dashboard",
        "Campaigns",
        "Plan",
        "Consultations",
        "Updates",
        "Your updates",
        "Chair's statement",
        "Area of Interest",
        "Youth Cabinet",
        "Your account",
    ],
    "partner": ["Home", "Your dashboard", "Campaigns", "Consultations", "Updates", "Youth Cabinet", "Your account"],
    "officer": ["Your dashboard", "Campaigns", "Consultations", "Updates", "Manage", "Your account"],
}


def menu(html: str) -> list[str]:
    return [label.strip().replace("&#39;", "'") for _, label in ITEM.findall(html)]


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_has_its_menu(client, signed_in, role):
    signed_in(role)
    assert menu(client.get("/dashboard").get_data(as_text=True)) == MENUS[role]


def test_a_visitor_has_the_public_menu(client):
    assert menu(client.get("/").get_data(as_text=True)) == ["Home", "Campaigns", "Consultations", "Updates", "Sign in"]


def test_the_manage_page_lists_what_the_officers_menu_leaves_out(app, client, signed_in):
    signed_in("officer")
    page = client.get("/manage").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Manage the portal</h1>", page)
    tools = [tool for _, tools in MANAGE_PAGE for tool in tools]
    with app.test_request_context():
        addresses = {url_for(tool.endpoint) for tool in tools}
        # Every entry the short menu leaves out, Home apart (the service name links it).
        left_out = {url_for(item.endpoint) for item in NAVIGATION if not item.in_short_menu} - {url_for("main.home")}
    linked = set(re.findall(r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)">', page))
    assert linked == addresses
    assert left_out | {"/people", "/safeguarding", "/audit", "/consultations/moderation"} <= linked
    # The Manage entry is marked on the page and on every page it lists.
    assert ACTIVE.findall(page) == ["Manage"]
    assert ACTIVE.findall(client.get("/people").get_data(as_text=True)) == ["Manage"]


def test_the_manage_page_runs_no_queries_of_its_own(client, signed_in, count_queries):
    signed_in("officer")
    with count_queries() as manage:
        assert client.get("/manage").status_code == 200
    with count_queries() as privacy:
        assert client.get("/privacy").status_code == 200
    # As many as a page that shows no data (the signed-in person).
    assert manage.count == privacy.count
