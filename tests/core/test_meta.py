"""#14.26: every page describes itself; a published update names its canonical address in full."""

from __future__ import annotations

import re

import pytest

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0


@pytest.mark.parametrize("path", ["/", "/privacy", "/campaigns", "/updates", "/consultations", "/sign-in"])
def test_every_page_has_a_description(client, demo, path):
    found = DESCRIPTION.findall(client.get(path).get_data(as_text=True))
    assert len(found) == 1 and len(found[0]) > 40


def test_a_published_update_describes_itself_and_its_canonical_address_is_absolute(app, client, demo):
    page = client.get("/updates/1").get_data(as_text=True)
    (description,) = DESCRIPTION.findall(page)
    assert "for the meeting on 17 July 2020" in description
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    assert canonical and canonical.group(1) == f"{app.config['BASE_URL']}/updates/1/v1"
