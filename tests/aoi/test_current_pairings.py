"""#14.8: pages show the pairings of the round that stands now, and a member's
reason only beside the portfolio it was written for."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.models import Preference
from portal.models.base import utcnow
from tests.conftest import PortalClient, add_person
from tests.factories import PairingFactory, PortfolioFactory, PreferenceAnswerFactory, PreferenceRoundFactory


def _client(app, email: str) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


def test_a_new_confirmed_round_replaces_last_rounds_pairings(app, people):
    with app.app_context():
        portfolio = PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        old = PreferenceRoundFactory(title="Last year", status="confirmed", confirmed_at=utcnow() - timedelta(days=300))
        new = PreferenceRoundFactory(title="This year", status="confirmed", confirmed_at=utcnow())
        leaver = add_person("youth_member", email="leaver@test.example", name="Old M.")
        PairingFactory(round=old, member=leaver, portfolio=portfolio)
        PairingFactory(round=new, member=people["youth_member"], portfolio=portfolio)
        db.session.commit()
    page = _client(app, people["cabinet_member"].email).get("/area-of-interest").get_data(as_text=True)
    assert people["youth_member"].display_name in page and "Old M." not in page
    mine = _client(app, "leaver@test.example").get("/area-of-interest").get_data(as_text=True)
    assert "Open your shared page" not in mine  # last year's pairing is not theirs now


def test_a_reason_is_shown_only_beside_the_first_choice(app, people):
    with app.app_context():
        first = PortfolioFactory(name="Highways")
        second = PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        round_ = PreferenceRoundFactory(status="confirmed", confirmed_at=utcnow())
        answer = PreferenceAnswerFactory(
            round=round_, member=people["youth_member"], reason="I want safer roads to school."
        )
        db.session.add_all(
            [
                Preference(answer_id=answer.id, portfolio_id=first.id, rank=1),
                Preference(answer_id=answer.id, portfolio_id=second.id, rank=2),
            ]
        )
        pairing = PairingFactory(round=round_, member=people["youth_member"], portfolio=second)
        db.session.commit()
        pairing_id = pairing.id
    page = _client(app, people["cabinet_member"].email).get(f"/area-of-interest/pairings/{pairing_id}")
    assert page.status_code == 200
    assert "safer roads" not in page.get_data(as_text=True)
