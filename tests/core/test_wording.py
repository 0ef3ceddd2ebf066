"""Sentences read as written (#14.5): no doubled word, no doubled full stop."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.figures.facts import facts_for
from portal.templating import full_stop
from tests.auth.test_links import choose, invite
from tests.conftest import link_in, outbox_messages
from tests.factories import CampaignFactory


def test_a_full_stop_is_added_once():
    assert full_stop("Zed R.") == "Zed R."
    assert full_stop("Daisy") == "Daisy."
    assert full_stop("Is it?") == "Is it?"


def test_welcome_to_a_name_ending_in_an_initial(app, client, signed_in):
    signed_in("officer")
    assert invite(client, display_name="Zed R.").status_code == 303
    client.submit("/sign-out")
    link = link_in(outbox_messages(app)[-1])
    page = client.get(link).get_data(as_text=True)
    assert "Welcome, Zed R. You have been invited" in page and "R.." not in page
    choose(client, link)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome, Zed R. Your password is saved" in dashboard and "R.." not in dashboard


def test_a_campaign_named_campaign_is_not_a_campaign_campaign(app):
    with app.app_context(), app.test_request_context():
        CampaignFactory(title="Mission check campaign", status="active", starts_on=date(2020, 7, 1), published=True)
        db.session.commit()
        sentences = [fact.sentence for fact in facts_for(date(2020, 7, 1)) if fact.source == "Campaigns"]
    assert sentences == ["Our Mission check campaign is running this month."]


def test_shows_49_finds_an_evaluated_template_but_not_a_time():
    from tests.conftest import shows_49

    assert shows_49("<p>The answer is 49.</p>")
    assert not shows_49("<p>Saved at 13:49.</p>") and not shows_49('<p data-x="49">{{7*7}}</p>')
