"""Who a consultation is for, said to each person in words that fit them (#14.17)."""

from __future__ import annotations

from tests.consultations.test_responding import make_consultation


def test_a_signed_in_officer_is_not_told_to_sign_in(app, client, signed_in):
    ids = make_consultation(app, audience="young_people")
    signed_in("officer")
    page = client.get(f"/consultations/{ids.consultation}").get_data(as_text=True)
    assert "Sign in with your account" not in page
    assert "Your account is not a young person" in page
    refused = client.get(f"/consultations/{ids.consultation}/respond")
    assert refused.status_code == 403
    assert "Sign in with your account" not in refused.get_data(as_text=True)


def test_a_visitor_is_told_to_sign_in(app, client):
    ids = make_consultation(app, audience="young_people")
    page = client.get(f"/consultations/{ids.consultation}").get_data(as_text=True)
    assert "Sign in with your account to answer it." in page
