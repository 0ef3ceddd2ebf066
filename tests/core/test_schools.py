"""A whole school behind one public address: a class signs in and a year
group answers a public consultation without a refusal, while guessing one
account's password is still stopped; a visitor's cookie ends with the browser."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Response
from tests.conftest import PASSWORD, PortalClient, add_person
from tests.consultations.test_responding import make_consultation, url


def test_a_class_of_35_signs_in_from_one_address(app):
    """Default limits (config.py): every pupil of a class, some mistyping once first."""
    with app.app_context():
        pupils = [add_person("young_person", email=f"pupil{n}@school.example", name=f"Pupil {n}.") for n in range(35)]
    app.test_client_class = PortalClient
    refused = []
    for n, pupil in enumerate(pupils):
        browser = app.test_client()
        if n % 3 == 0:
            assert browser.sign_in(pupil.email, "a typo in it").status_code == 422
        answer = browser.sign_in(pupil.email, PASSWORD)
        if answer.status_code != 303:
            refused.append((pupil.email, answer.status_code))
    assert refused == []


def test_guessing_one_pupils_password_is_still_stopped(app, client):
    with app.app_context():
        pupil = add_person("young_person", email="pupil@school.example")
    for _ in range(10):
        assert client.sign_in(pupil.email, "guess").status_code == 422
    assert client.sign_in(pupil.email, PASSWORD).status_code == 429


def test_a_year_group_of_200_starts_a_public_consultation_from_one_address(app):
    ids = make_consultation(app, audience="public")
    app.test_client_class = PortalClient
    statuses = [app.test_client().submit(url(ids), {"age_band": "", "district": ""}).status_code for _ in range(200)]
    assert statuses == [303] * 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 200


def test_a_visitors_cookie_ends_when_the_browser_closes(app, client):
    """No Expires or Max-Age: the next person at a shared computer starts afresh
    (the privacy notice says the cookie is deleted when the browser closes)."""
    ids = make_consultation(app, audience="public")
    started = client.submit(url(ids), {"age_band": "", "district": ""})
    assert started.status_code == 303
    cookies = [
        value for name, value in started.headers.items() if name == "Set-Cookie" and value.startswith("session=")
    ]
    assert cookies, "starting keeps the way back in the session cookie"
    assert all("expires=" not in value.lower() and "max-age" not in value.lower() for value in cookies)
