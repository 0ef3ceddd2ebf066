"""#13.5: a lead's changes to a published campaign go public only once the
Chair or an officer approves them; the public keeps the approved version
meanwhile, and the editor says what will be public."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Campaign, Notification
from tests.campaigns.test_campaigns import NEW
from tests.conftest import PortalClient, shows_49
from tests.factories import CampaignFactory, CampaignLeadFactory

# The edit form of "Mind matters" as the fixture publishes it (new_campaign's form, no dates or goal).
FORM = {**NEW, "body": "The approved words.", "starts_on": ["", "", ""], "goal": ""}


def client_for(app, email=None) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    if email:
        assert client.sign_in(email).status_code == 303
    return client


@pytest.fixture
def published(app, people):
    """'Mind matters', published, led by the youth member."""
    with app.app_context():
        campaign = CampaignFactory(
            title="Mind matters",
            slug="mind-matters",
            summary="Talk about it.",
            body="The approved words.",
            published=True,
        )
        CampaignLeadFactory(campaign=campaign, user=people["youth_member"])
        campaign.status = "active"
        db.session.commit()
        return campaign.id


def the_campaign(app, campaign_id: int) -> Campaign:
    with app.app_context():
        found = db.session.get(Campaign, campaign_id)
        db.session.expunge(found)
        return found


def lead_changes(client, people, **fields):
    """Save the edit form of 'Mind matters', the youth member staying its lead."""
    data = {**FORM, "base_version": "1", "leads": [str(people["youth_member"].id)], **fields}
    return client.submit("/campaigns/mind-matters/edit", data)


def test_a_leads_changes_wait_and_the_public_keeps_the_approved_words(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    edit_page = lead.get("/campaigns/mind-matters/edit").get_data(as_text=True)
    assert "This campaign’s page is public: anyone can read it, with the names of its leads." in edit_page
    assert "once the Chair or an officer approves them" in edit_page
    sent = lead_changes(lead, people, body="New words with a link to https://example.com")
    assert sent.status_code == 303
    shown = lead.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Your changes are saved and sent to the Chair and officers to approve." in shown
    assert "Changes waiting for approval" in shown and "The Chair or an officer will check the changes" in shown
    # The public still reads the approved words.
    public = client_for(app).get("/campaigns/mind-matters").get_data(as_text=True)
    assert "The approved words." in public and "New words" not in public and "Changes waiting" not in public
    campaign = the_campaign(app, published)
    assert campaign.body == "The approved words." and campaign.pending["body"].startswith("New words")
    # The lead's changes are in their form when they come back (nothing typed is lost).
    assert "New words with a link" in lead.get("/campaigns/mind-matters/edit").get_data(as_text=True)
    with app.app_context():
        told = set(db.session.scalars(select(Notification.user_id)))
        assert {people["chair"].id, people["officer"].id} <= told and people["youth_member"].id not in told
        assert (
            db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "campaign.changes_proposed"
        )


def test_the_chair_approves_and_the_changes_go_public(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    lead_changes(lead, people, title="Mind matters more", body="New words.")
    chair = client_for(app, people["chair"].email)
    page = chair.get("/campaigns/mind-matters").get_data(as_text=True)
    assert "A lead changed this campaign" in page
    removed = r'<del class="portal-diff__removed"><span class="govuk-visually-hidden">removed: </span>[^<]*approved'
    added = r'<ins class="portal-diff__added"><span class="govuk-visually-hidden">added: </span>[^<]*New'
    assert re.search(removed, page) and re.search(added, page)
    assert "Approve the changes and make them public" in page
    version = the_campaign(app, published).version
    approved = chair.submit("/campaigns/mind-matters/changes/approve", {"base_version": str(version)})
    assert approved.status_code == 303 and approved.headers["Location"].endswith("/campaigns/mind-matters-more")
    public = client_for(app).get("/campaigns/mind-matters-more").get_data(as_text=True)
    assert "New words." in public and "The approved words." not in public
    campaign = the_campaign(app, published)
    assert campaign.pending is None and campaign.title == "Mind matters more"
    with app.app_context():
        assert db.session.scalar(
            select(Notification.message).where(Notification.user_id == people["youth_member"].id)
        ).startswith("Your changes to “Mind matters more” were approved")


def test_changes_changed_again_after_the_page_was_opened_are_not_approved_unread(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    lead_changes(lead, people, body="First try.")
    seen = the_campaign(app, published).version
    lead_changes(lead, people, body="Second try, not read by the Chair.", base_version=str(seen))
    chair = client_for(app, people["chair"].email)
    stale = chair.submit("/campaigns/mind-matters/changes/approve", {"base_version": str(seen)})
    assert stale.headers["Location"].endswith("#changes")
    assert "The lead changed their changes again" in chair.get("/campaigns/mind-matters").get_data(as_text=True)
    assert the_campaign(app, published).body == "The approved words."


def test_changes_sent_back_stay_private_with_the_comment_for_the_lead(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    lead_changes(lead, people, body="Call me on 07700 900123.")
    officer = client_for(app, people["officer"].email)
    empty = officer.submit("/campaigns/mind-matters/changes/return", {"comment": "  "})
    assert empty.status_code == 422
    page = empty.get_data(as_text=True)
    assert "govuk-error-summary" in page and "Write what needs to change, so the lead knows what to do" in page
    returned = officer.submit(
        "/campaigns/mind-matters/changes/return", {"comment": "Please take out the phone number."}
    )
    assert returned.status_code == 303
    edit = lead.get("/campaigns/mind-matters/edit").get_data(as_text=True)
    assert "Please take out the phone number." in edit and "Call me on 07700 900123." in edit
    assert "07700" not in client_for(app).get("/campaigns/mind-matters").get_data(as_text=True)
    # Sending again clears the comment and waits again.
    lead_changes(lead, people, body="Come to the drop-in.", base_version=str(the_campaign(app, published).version))
    campaign = the_campaign(app, published)
    assert campaign.pending_comment == "" and campaign.pending["body"] == "Come to the drop-in."


def test_markup_in_changes_is_shown_as_text(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    lead_changes(lead, people, body="<script>alert(1)</script> {{7*7}}")
    page = client_for(app, people["chair"].email).get("/campaigns/mind-matters").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert not shows_49(page)


def test_the_chairs_changes_and_a_leads_changes_to_a_draft_go_live_at_once(app, people, published):
    chair = client_for(app, people["chair"].email)
    assert lead_changes(chair, people, body="The Chair's words.").status_code == 303
    assert "The Chair's words." in client_for(app).get("/campaigns/mind-matters").get_data(as_text=True)
    with app.app_context():
        draft = CampaignFactory(title="Draft one", slug="draft-one")
        CampaignLeadFactory(campaign=draft, user=people["youth_member"])
        db.session.commit()
        draft_id = draft.id
    lead = client_for(app, people["youth_member"].email)
    edit = lead.get("/campaigns/draft-one/edit").get_data(as_text=True)
    assert "Only the campaign’s leads, the Chair and officers can see it for now." in edit
    saved = lead.submit(
        "/campaigns/draft-one/edit",
        {
            **FORM,
            "title": "Draft one",
            "body": "Draft words.",
            "base_version": "1",
            "leads": [str(people["youth_member"].id)],
        },
    )
    assert saved.status_code == 303
    draft = the_campaign(app, draft_id)
    assert draft.body == "Draft words." and draft.pending is None


def test_approving_when_nothing_waits_says_so(app, people, published):
    chair = client_for(app, people["chair"].email)
    answer = chair.submit("/campaigns/mind-matters/changes/approve", {"base_version": "1"})
    assert answer.status_code == 303
    assert "There are no changes waiting for approval" in chair.get("/campaigns/mind-matters").get_data(as_text=True)


def test_what_waits_for_approval_is_on_the_chairs_and_officers_home(app, people, published):
    lead = client_for(app, people["youth_member"].email)
    lead_changes(lead, people, body="New words.")
    for role in ("chair", "officer"):
        home = client_for(app, people[role].email).get("/dashboard").get_data(as_text=True)
        assert "Changes to the campaign “Mind matters” wait for your approval." in home
        assert 'href="/campaigns/mind-matters#changes">Read the changes' in home
    assert "wait for your approval" not in lead.get("/dashboard").get_data(as_text=True)
