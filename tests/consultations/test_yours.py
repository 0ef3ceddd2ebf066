"""#12.1 and #12.2: a young person's home says what they can do now, and the
consultations archive leads everyone to closed consultations' results and
"You said, we did"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.consultations import tally
from portal.extensions import db
from portal.models import Consultation, Response
from portal.models.base import utcnow
from portal.templating import local_today
from tests.conftest import PortalClient
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ConsultationFactory,
    PairingFactory,
    PortfolioFactory,
    QuestionFactory,
    ResponseFactory,
)


def client_for(app, email: str) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


def section(page: str, heading_id: str) -> str:
    """The part of a page from one heading to the next heading of the same level."""
    start = page.index(f'id="{heading_id}"')
    following = re.search(r"<h2 ", page[start:])
    return page[start : start + following.start()] if following else page[start:]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def send(consultation: Consultation, *answers: dict) -> Response:
    """A visitor's sent response with these answer rows, counted as the portal counts."""
    response = ResponseFactory(consultation_id=consultation.id, submitted=True)
    for row in answers:
        AnswerFactory(response=response, **row)
    db.session.flush()
    tally.count(response, +1)
    return response


# The home --------------------------------------------------------------------------------


def test_a_young_persons_home_starts_with_what_they_can_answer(app, people):
    young = people["young_person"]
    with app.app_context():
        new = ConsultationFactory(title="Buses after school", organisation="The bus company", closes=9)
        for _ in range(7):
            QuestionFactory(consultation=new)
        started = ConsultationFactory(title="Parks", closes=20)
        ResponseFactory(consultation_id=started.id, respondent=young)
        sent = ConsultationFactory(title="Libraries", closes=30)
        ResponseFactory(consultation_id=sent.id, respondent=young, submitted=True)
        changing = ConsultationFactory(title="Clubs", closes=40)
        ResponseFactory(consultation_id=changing.id, respondent=young, submitted=True, changing=True)
        ConsultationFactory(title="For the Youth Cabinet only", audience="youth_cabinet")
        ConsultationFactory(title="Not open yet", opens=2, closes=20)
        ids = {c.title: c.id for c in (new, started, sent, changing)}
        closes = new.closes_on
        db.session.commit()
    page = client_for(app, young.email).get("/dashboard").get_data(as_text=True)
    # "What can I do now?" comes before their details.
    assert page.index('id="have-your-say"') < page.index("Your details")
    say = text_of(section(page, "have-your-say"))
    html = section(page, "have-your-say")
    assert re.findall(r">([^<]+)</a></h3>", html) == [
        "Buses after school",
        "Parks",
        "Libraries",
        "Clubs",
    ]  # closing soonest first, only what they may answer now
    assert f"Asked by The bus company. Closes on {closes:%-d %B %Y}. It takes about 7 minutes." in say
    assert f'href="/consultations/{ids["Buses after school"]}/respond">Answer it' in html
    assert f'href="/consultations/{ids["Parks"]}/respond">Continue your answers' in html
    assert "You have answered You can change your answers to ‘Libraries’ until it closes" in say
    assert f'href="/consultations/{ids["Clubs"]}/respond/check">Carry on changing your answers' in html


def test_nothing_open_says_so(app, people):
    page = client_for(app, people["young_person"].email).get("/dashboard").get_data(as_text=True)
    assert "There are no consultations open for you just now." in page
    assert "Consultations you answered" not in page


def test_the_consultations_they_answered_lead_to_results_and_you_said_we_did(app, people):
    young = people["young_person"]
    with app.app_context():
        waiting = ConsultationFactory(title="Waiting for results", opens=-30, closes=-2)
        released = ConsultationFactory(title="Results out", opens=-30, closes=-3, results_released_at=utcnow())
        done = ConsultationFactory(
            title="They did something",
            opens=-30,
            closes=-4,
            results_released_at=utcnow(),
            feedback="We opened the youth club on Fridays.",
            feedback_published_at=utcnow(),
        )
        not_answered = ConsultationFactory(title="Someone else's", opens=-30, closes=-1)
        unsent = ConsultationFactory(title="Started, never sent", opens=-30, closes=-1)
        for consultation in (waiting, released, done):
            ResponseFactory(consultation_id=consultation.id, respondent=young, submitted=True)
        ResponseFactory(consultation_id=unsent.id, respondent=young)
        ResponseFactory(consultation_id=not_answered.id, respondent=people["youth_member"], submitted=True)
        ids = {c.title: c.id for c in (waiting, released, done)}
        db.session.commit()
    client = client_for(app, young.email)
    page = client.get("/dashboard").get_data(as_text=True)
    answered = section(page, "you-answered")
    assert re.findall(r">([^<]+)</a></h3>", answered) == ["Waiting for results", "Results out", "They did something"]
    assert "Results coming" in answered
    assert f'/consultations/{ids["Results out"]}#what-people-said">Read the results' in answered
    assert f'/consultations/{ids["They did something"]}#you-said-we-did">Read what they did' in answered
    # Following the link reaches "You said, we did".
    feedback = client.get(f"/consultations/{ids['They did something']}").get_data(as_text=True)
    assert 'id="you-said-we-did"' in feedback and "We opened the youth club on Fridays." in feedback
    assert "You answered" in feedback


def test_a_youth_members_home_adds_campaigns_pairing_and_what_waits(app, people):
    member = people["youth_member"]
    with app.app_context():
        campaign = CampaignFactory(title="Mind your mates", published=True)
        CampaignLeadFactory(campaign=campaign, user=member)
        CampaignFactory(title="Someone else's campaign", published=True)
        portfolio = PortfolioFactory(name="Children and young people", cabinet_member=people["cabinet_member"])
        from portal.models import PreferenceRound

        confirmed = PreferenceRound(
            title="Spring", closes_on=local_today() - timedelta(days=10), status="confirmed", confirmed_at=utcnow()
        )
        db.session.add(confirmed)
        db.session.flush()
        pairing = PairingFactory(round_id=confirmed.id, member=member, portfolio=portfolio)
        pairing_id = pairing.id
        db.session.commit()
    page = client_for(app, member.email).get("/dashboard").get_data(as_text=True)
    campaigns = section(page, "your-campaigns")
    assert "Mind your mates" in campaigns and "Someone else" not in campaigns
    pairing_text = text_of(section(page, "your-pairing"))
    assert "on Children and young people" in pairing_text
    assert f'href="/area-of-interest/pairings/{pairing_id}">Open your pairing page' in section(page, "your-pairing")
    assert 'id="have-your-say"' in page  # a member answers consultations too


def test_the_chairs_home_says_the_statement_and_requests_wait(app, people):
    with app.app_context():
        ConsultationFactory(title="Waiting", status="submitted", opens_on=None, closes_on=None)
        db.session.commit()
    page = client_for(app, people["chair"].email).get("/dashboard").get_data(as_text=True)
    waiting = text_of(section(page, "waiting-for-you"))
    assert "is not sent yet. Write this month’s statement" in waiting
    assert "1 consultation request waiting for approval. Review requests" in waiting
    assert page.index('id="waiting-for-you"') < page.index('id="have-your-say"')


def test_adults_do_not_get_have_your_say(app, people):
    for role in ("officer", "cabinet_member", "partner"):
        page = client_for(app, people[role].email).get("/dashboard").get_data(as_text=True)
        assert 'id="have-your-say"' not in page and 'id="your-campaigns"' not in page


def test_the_home_runs_the_same_queries_whatever_the_number_of_consultations(app, people, count_queries):
    young = people["young_person"]
    client = client_for(app, young.email)

    def add(n: int) -> None:
        with app.app_context():
            for i in range(n):
                open_one = ConsultationFactory(closes=5 + i)
                QuestionFactory(consultation=open_one)
                ResponseFactory(consultation_id=open_one.id, respondent=young, submitted=bool(i % 2))
                closed = ConsultationFactory(opens=-40, closes=-1 - i, results_released_at=utcnow())
                ResponseFactory(consultation_id=closed.id, respondent=young, submitted=True)
            db.session.commit()

    add(1)
    with count_queries() as few:
        assert client.get("/dashboard").status_code == 200
    add(12)
    with count_queries() as many:
        assert client.get("/dashboard").status_code == 200
    assert many.count == few.count


# The archive ------------------------------------------------------------------------------


@pytest.fixture
def archive(app):
    """Consultations at every stage, closing in two years."""
    today = local_today()
    with app.app_context():
        made = {
            "Open one": ConsultationFactory(title="Open one", audience="public"),
            "Closed one": ConsultationFactory(title="Closed one", opens=-60, closes=-30),
            "Fed back": ConsultationFactory(
                title="Fed back",
                opens=-500,
                closes=-400,
                results_released_at=utcnow(),
                feedback="We changed the timetable.",
                feedback_published_at=utcnow(),
            ),
            "Not open yet": ConsultationFactory(title="Not open yet", opens=5, closes=30),
            "A draft": ConsultationFactory(title="A draft", status="draft"),
        }
        db.session.commit()
        years = {title: c.closes_on.year for title, c in made.items() if c.closes_on}
        return {title: c.id for title, c in made.items()}, years, today


def listed(page: str) -> list[str]:
    return re.findall(
        r'<h3 class="[^"]*"><a class="govuk-link" href="/consultations/\d+">([^<]+)</a>', section(page, "archive")
    )


def test_everyone_reaches_closed_consultations_from_the_archive(app, archive):
    ids, years, today = archive
    visitor = app.test_client()
    page = visitor.get("/consultations").get_data(as_text=True)
    assert listed(page) == ["Open one", "Closed one", "Fed back"]  # latest closing first; never drafts or unopened
    archive_text = text_of(section(page, "archive"))
    assert "Open one Open" in archive_text
    assert "Closed one Closed: results coming" in archive_text
    assert "Fed back You said, we did" in archive_text
    assert f'/consultations/{ids["Fed back"]}#you-said-we-did">Read what they did' in page
    closed = visitor.get(f"/consultations/{ids['Closed one']}").get_data(as_text=True)
    assert "This consultation closed on" in closed and "The results are coming." in closed


@pytest.mark.parametrize(
    "query, shown",
    [
        ("stage=open", ["Open one"]),
        ("stage=closed", ["Closed one"]),
        ("stage=feedback", ["Fed back"]),
        ("stage=<script>", ["Open one", "Closed one", "Fed back"]),  # a tampered value is ignored
        ("year=1066", ["Open one", "Closed one", "Fed back"]),
        ("year={{7*7}}", ["Open one", "Closed one", "Fed back"]),
    ],
)
def test_the_archive_filters_by_stage(app, archive, query, shown):
    page = app.test_client().get(f"/consultations?{query}").get_data(as_text=True)
    assert listed(page) == shown
    assert "<script>" not in section(page, "archive") and "49" not in text_of(section(page, "archive")).split()


def test_the_archive_filters_by_year(app, archive):
    ids, years, today = archive
    page = app.test_client().get(f"/consultations?year={years['Fed back']}").get_data(as_text=True)
    assert "Fed back" in listed(page)
    assert f'<option value="{years["Fed back"]}" selected>' in page
    if years["Fed back"] != years["Open one"]:
        assert "Open one" not in listed(page)


def test_the_archive_pages_and_keeps_its_filters(app):
    with app.app_context():
        for n in range(30):
            ConsultationFactory(title=f"Old {n:02}", opens=-100 - n, closes=-50 - n)
        db.session.commit()
    client = app.test_client()
    first = client.get("/consultations?stage=closed").get_data(as_text=True)
    assert len(listed(first)) == 25 and "30 consultations" in first
    assert "/consultations?stage=closed&amp;archive_page=2#archive" in first
    second = client.get("/consultations?stage=closed&archive_page=2").get_data(as_text=True)
    assert listed(second) == [f"Old {n:02}" for n in range(25, 30)]


def test_the_archive_runs_the_same_queries_whatever_its_size(app, people, count_queries):
    client = client_for(app, people["young_person"].email)

    def add(n: int) -> None:
        with app.app_context():
            for i in range(n):
                closed = ConsultationFactory(opens=-40, closes=-1 - i)
                ResponseFactory(consultation_id=closed.id, respondent_id=people["young_person"].id, submitted=True)
                ConsultationFactory(closes=3 + i)
            db.session.commit()

    add(1)
    with count_queries() as few:
        assert client.get("/consultations").status_code == 200
    add(10)
    with count_queries() as many:
        assert client.get("/consultations").status_code == 200
    assert many.count == few.count


# A closed consultation's page --------------------------------------------------------------


def test_released_results_are_summed_up_in_plain_words_on_the_page(app, people):
    with app.app_context():
        consultation = ConsultationFactory(title="Safer streets", opens=-20, closes=-1)
        choice = QuestionFactory(
            consultation=consultation, kind="single", prompt="What helps most?", options=["Lights", "Buses"]
        )
        rating = QuestionFactory(consultation=consultation, kind="rating", prompt="How safe?", scale_max=5)
        text = QuestionFactory(consultation=consultation, kind="long_text", prompt="Tell us more")
        for n in range(8):
            send(
                consultation,
                {"question_id": choice.id, "option": 0 if n < 6 else 1},
                {"question_id": rating.id, "number": 3 + n % 2},
                {"question_id": text.id, "text": f"Words {n}"},
            )
        consultation_id = consultation.id
        db.session.commit()
    client = app.test_client()
    before = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert "The results are coming." in before and 'id="what-people-said"' not in before
    with app.app_context():
        db.session.get(Consultation, consultation_id).results_released_at = utcnow()
        db.session.commit()
    said = text_of(section(client.get(f"/consultations/{consultation_id}").get_data(as_text=True), "what-people-said"))
    assert "8 people answered." in said
    assert "Question 1, ‘What helps most?’: ‘Lights’ was chosen most, by 75% of the people who answered it." in said
    assert "Question 2, ‘How safe?’: on average people gave 3.5 out of 5." in said
    assert "Question 3, ‘Tell us more’: 8 people wrote an answer." in said
    assert "Words 1" not in said  # written answers are not shown to the public here


def test_a_handful_of_answers_is_not_summed_up(app):
    with app.app_context():
        consultation = ConsultationFactory(opens=-20, closes=-1, results_released_at=utcnow())
        choice = QuestionFactory(consultation=consultation, kind="single", options=["Yes", "No"])
        for _ in range(3):
            send(consultation, {"question_id": choice.id, "option": 0})
        consultation_id = consultation.id
        db.session.commit()
    said = text_of(
        section(app.test_client().get(f"/consultations/{consultation_id}").get_data(as_text=True), "what-people-said")
    )
    assert "Fewer than 5 people answered, so we do not show what they said" in said and "Yes" not in said
