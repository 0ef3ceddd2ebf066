"""#13.6: new safeguarding reports wait on the officers' home."""

from __future__ import annotations

from portal.extensions import db
from portal.models import SafeguardingReport
from tests.campaigns.test_pre_moderation import client_for


def test_new_safeguarding_reports_are_on_the_officers_home(app, people):
    with app.app_context():
        db.session.add(SafeguardingReport(reference="YC-TEST-01", kind="concern", details="Someone is unkind."))
        db.session.commit()
    home = client_for(app, people["officer"].email).get("/dashboard").get_data(as_text=True)
    assert "1 safeguarding report waits for an officer." in home
    assert "safeguarding report" not in client_for(app, people["chair"].email).get("/dashboard").get_data(as_text=True)
