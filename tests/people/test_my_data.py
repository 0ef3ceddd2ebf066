"""Download my data (#13.1): the person's own ZIP, an officer's download for a
subject access request, what each holds (and never holds), and its cost."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Notification, Preference
from portal.templating import local_today
from tests.conftest import Person, PortalClient, add_person
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ChairStatementFactory,
    ConsultationFactory,
    PairingFactory,
    PairingLogEntryFactory,
    PortfolioFactory,
    PreferenceAnswerFactory,
    PreferenceRoundFactory,
    QuestionFactory,
    ResponseFactory,
    StatementRevisionFactory,
)


def give_data(person: Person, words: str, month: date) -> None:
    """One of everything the portal keeps about ``person``, each piece
    carrying ``words`` (call inside an app context)."""
    consultation = ConsultationFactory(title=f"Consultation for {words}")
    text = QuestionFactory(consultation=consultation, kind="long_text", prompt="Tell us more")
    choice = QuestionFactory(consultation=consultation, kind="single", prompt="Pick one", options=["Buses", "Parks"])
    response = ResponseFactory(consultation=consultation, respondent=person, submitted=True, age_band="14-16")
    AnswerFactory(response=response, question=text, text=f"Answer: {words}")
    AnswerFactory(response=response, question=choice, option=1)
    campaign = CampaignFactory(title=f"Campaign {words}")
    CampaignLeadFactory(campaign=campaign, user=person)
    portfolio = PortfolioFactory(name=f"Portfolio {words}")
    round_ = PreferenceRoundFactory(title=f"Round {words}")
    answer = PreferenceAnswerFactory(round=round_, member=person, reason=f"Because {words}")
    db.session.add(Preference(answer_id=answer.id, portfolio_id=portfolio.id, rank=1))
    pairing = PairingFactory(round=round_, member=person, portfolio=portfolio)
    PairingLogEntryFactory(pairing=pairing, author=person, text=f"We met about {words}")
    statement = ChairStatementFactory(month=month, text=f"Statement {words}", created_by=person)
    StatementRevisionFactory(statement=statement, author=person, text=f"Draft {words}")
    db.session.add(Notification(user_id=person.id, message=f"Hello {words}"))
    db.session.commit()


@pytest.fixture
def two_people(app) -> tuple[Person, Person]:
    """Aisha and Bobby, each with data of their own."""
    with app.app_context():
        aisha = add_person("youth_member", email="aisha@test.example", name="Aisha K.")
        bobby = add_person("youth_member", email="bobby@test.example", name="Bobby L.")
        give_data(aisha, "aisha-words", date(2020, 7, 1))
        give_data(bobby, "bobby-words", date(2020, 6, 1))
    return aisha, bobby


def open_zip(response) -> tuple[dict, str]:
    """The JSON (as data) and the page in a download."""
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert sorted(archive.namelist()) == ["my-data.html", "my-data.json"]
        return json.loads(archive.read("my-data.json")), archive.read("my-data.html").decode()


def test_the_zip_holds_my_data_and_nothing_of_anyone_else(client, two_people):
    aisha, _ = two_people
    client.sign_in(aisha.email)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    name = f"my-data-{local_today().isoformat()}.zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Cache-Control"] == "no-store"
    data, page = open_zip(response)

    assert data["account"]["email"] == "aisha@test.example" and data["account"]["display_name"] == "Aisha K."
    (sent,) = data["consultation_responses"]
    assert sent["consultation"] == "Consultation for aisha-words" and sent["status"] == "submitted"
    assert [(a["question"], a["text"], a["choice"]) for a in sent["answers"]] == [
        ("Tell us more", "Answer: aisha-words", None),
        ("Pick one", None, "Parks"),
    ]
    assert [c["title"] for c in data["campaigns_led"]] == ["Campaign aisha-words"]
    aoi = data["area_of_interest"]
    assert aoi["preferences"][0]["reason"] == "Because aisha-words"
    assert aoi["preferences"][0]["choices"] == [{"rank": 1, "portfolio": "Portfolio aisha-words"}]
    assert [p["portfolio"] for p in aoi["pairings"]] == ["Portfolio aisha-words"]
    assert [e["text"] for e in aoi["pairing_log"]] == ["We met about aisha-words"]
    assert [s["text"] for s in data["chair_statements"]["statements"]] == ["Statement aisha-words"]
    assert [r["text"] for r in data["chair_statements"]["revisions"]] == ["Draft aisha-words"]
    assert [n["message"] for n in data["notifications"]] == ["Hello aisha-words"]
    assert {e["action"] for e in data["audit_entries"]} >= {"people.created", "account.signed_in"}
    # ISO dates that read back.
    datetime.fromisoformat(data["account"]["created_at"])
    datetime.fromisoformat(sent["submitted_at"])
    for words in ("Answer: aisha-words", "Campaign aisha-words", "We met about aisha-words", "Because aisha-words"):
        assert words in page

    everything = json.dumps(data) + page
    assert "bobby" not in everything.lower()


def test_the_keys_stay_the_same_for_someone_with_nothing(client, signed_in, two_people):
    aisha, _ = two_people
    signed_in("young_person")
    empty, page = open_zip(client.get("/account/data"))
    client.submit("/sign-out")
    client.sign_in(aisha.email)
    full, _ = open_zip(client.get("/account/data"))
    assert empty.keys() == full.keys()
    assert empty["area_of_interest"].keys() == full["area_of_interest"].keys()
    assert empty["consultation_responses"] == [] and "You have not answered any consultations" in page


def test_the_page_is_self_contained_and_escapes_what_was_typed(app, client, people):
    with app.app_context():
        question = QuestionFactory(kind="long_text", prompt="Say <b>anything</b>")
        response = ResponseFactory(consultation_id=question.consultation_id, respondent=people["young_person"])
        AnswerFactory(response=response, question=question, text="<script>alert('hi')</script> & {{7*7}}")
        db.session.commit()
    client.sign_in(people["young_person"].email)
    data, page = open_zip(client.get("/account/data"))
    assert data["consultation_responses"][0]["answers"][0]["text"] == "<script>alert('hi')</script> & {{7*7}}"
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; {{7*7}}" in page
    assert "<script" not in page and "<b>anything" not in page
    # Nothing loaded from anywhere: no stylesheet, script, image or font links.
    assert "<link" not in page and "src=" not in page and "url(" not in page and "@import" not in page
    assert "not sent yet" in page  # an unsent response is said to be so


def test_an_officer_downloads_someones_data_and_it_is_audited(app, client, signed_in, two_people):
    aisha, _ = two_people
    officer = signed_in("officer")
    page = client.get(f"/people/{aisha.id}").get_data(as_text=True)
    assert "Download their data (subject access request)" in page
    response = client.submit(f"/people/{aisha.id}/data")
    assert response.status_code == 200
    name = f"person-{aisha.id}-data-{local_today().isoformat()}.zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Cache-Control"] == "no-store"
    data, _ = open_zip(response)
    assert data["account"]["email"] == "aisha@test.example"
    assert "bobby" not in json.dumps(data).lower()
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "people.data_downloaded"))
    assert entry is not None
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (officer.id, "user", aisha.id)
    assert "aisha" not in entry.summary.lower()  # who downloaded whose, never what it held


def test_the_officers_download_needs_the_csrf_token(client, signed_in, two_people):
    signed_in("officer")
    assert client.post(f"/people/{two_people[0].id}/data").status_code == 400


def test_downloading_your_own_data_changes_nothing(app, client, two_people):
    client.sign_in(two_people[0].email)
    with app.app_context():
        before = db.session.scalar(select(db.func.count(AuditEntry.id)))
    client.get("/account/data")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEntry.id))) == before


def test_the_download_costs_the_same_whatever_the_amount_of_data(app, count_queries):
    """One query per table: a person with forty responses costs what one with one costs."""
    with app.app_context():
        few = add_person("youth_member", email="few@test.example")
        many = add_person("youth_member", email="many@test.example")
        give_data(few, "few", date(2020, 1, 1))
        give_data(many, "many", date(2020, 2, 1))
        for n in range(40):
            question = QuestionFactory(kind="long_text")
            response = ResponseFactory(consultation_id=question.consultation_id, respondent=many, submitted=True)
            AnswerFactory(response=response, question=question, text=f"Answer {n}")
            db.session.add(Notification(user_id=many.id, message=f"Note {n}"))
        db.session.commit()

    def cost(person: Person) -> int:
        app.test_client_class = PortalClient
        client = app.test_client()
        client.sign_in(person.email)
        with count_queries() as counter:
            assert client.get("/account/data").status_code == 200
        return counter.count

    assert cost(few) == cost(many)
