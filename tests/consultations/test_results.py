"""Results from the counters (with small numbers suppressed), charts, release
to the partner, and the moderation queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Consultation, Response
from portal.models.base import utcnow
from tests.conftest import add_person, shows_49
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory, TallyFactory


def make_consultation(people, *, closed=True, released=False, partner="partner") -> dict[str, int]:
    """An approved consultation with a choice, a rating, a ranking and a text question,
    counters as if 12 people answered (7 aged 14-16, 5 aged 17-19, 3 in Worthing),
    and two written answers waiting for moderation (one with an email address)."""
    consultation = ConsultationFactory(
        title="Our name and brand",
        organisation="Coastal Minds",
        why="We are changing.",
        what_happens="We decide.",
        opens=-30,
        closes=-1 if closed else 5,
        partner=people[partner],
        results_released_at=utcnow() if released else None,
    )
    single = QuestionFactory(
        consultation=consultation,
        kind="single",
        prompt="Which name?",
        required=True,
        options=["Coastal Minds", "Mind Waves", "Open Door"],
    )
    rating = QuestionFactory(
        consultation=consultation,
        kind="rating",
        prompt="How friendly is the logo?",
        scale_max=5,
        low_label="Not at all",
        high_label="Very",
    )
    ranking = QuestionFactory(
        consultation=consultation, kind="ranking", prompt="Order these words", options=["help", "support", "care"]
    )
    text = QuestionFactory(consultation=consultation, kind="long_text", prompt="Anything else?")

    def tally(question_id: int = 0, option: int = -1, number: int = -1, **fields) -> None:
        TallyFactory(consultation=consultation, question_id=question_id, option=option, number=number, **fields)

    tally(count=12)
    tally(count=7, dimension="age_band", value="14-16")
    tally(count=5, dimension="age_band", value="17-19")
    tally(count=3, dimension="district", value="Worthing")
    tally(single.id, count=12)
    tally(single.id, 0, count=6)
    tally(single.id, 1, count=4)
    tally(single.id, 2, count=2)
    tally(single.id, count=7, dimension="age_band", value="14-16")
    tally(single.id, 0, count=5, dimension="age_band", value="14-16")
    tally(single.id, 1, count=2, dimension="age_band", value="14-16")
    tally(single.id, count=3, dimension="district", value="Worthing")
    tally(single.id, 0, count=3, dimension="district", value="Worthing")
    tally(rating.id, count=10)
    tally(rating.id, number=5, count=6)
    tally(rating.id, number=3, count=4)
    tally(ranking.id, count=10)
    for option, ranks in {0: [6, 3, 1], 1: [3, 5, 2], 2: [1, 2, 7]}.items():
        for rank, count in enumerate(ranks, start=1):
            tally(ranking.id, option, rank, count=count)
    tally(text.id, count=2)
    response = ResponseFactory(
        consultation=consultation, respondent=people["young_person"], submitted=True, age_band="14-16"
    )
    quiet = AnswerFactory(response=response, question=text, text="I like <b>Mind Waves</b> {{7*7}}")
    flagged = AnswerFactory(
        response=response, question=text, text="email me at sam@example.com", flags="an email address"
    )
    db.session.commit()
    return {
        "consultation": consultation.id,
        "single": single.id,
        "rating": rating.id,
        "ranking": ranking.id,
        "text": text.id,
        "quiet": quiet.id,
        "flagged": flagged.id,
    }


@pytest.fixture
def state(app, people):
    with app.app_context():
        return make_consultation(people)


class TestResults:
    def test_counts_percentages_mean_and_ranking(self, client, state, signed_in):
        signed_in("officer")
        html = client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)
        assert "12 people have answered" in html
        assert "50%" in html and "33%" in html and "17%" in html  # 6, 4 and 2 of 12
        assert "The average rating is <strong>4.2</strong> out of 5" in html  # (6*5 + 4*3) / 10
        # Borda (3 options): help 6*2+3*1 = 15, support 3*2+5 = 11, care 1*2+2 = 4
        assert html.index(">help<") < html.index(">support<") < html.index(">care<")
        assert "1.5" in html  # help's average position: (6 + 6 + 3) / 10
        # The points are explained in plain words, with no jargon (#14.18).
        assert "Borda" not in html
        assert "first place is worth 2 points, second place 1" in html

    def test_small_groups_are_not_shown(self, client, state, signed_in):
        signed_in("chair")
        html = client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)
        assert "Worthing" in html and "fewer than 5" in html  # 3 people in Worthing
        assert ">3<" not in html.split("Who answered")[1].split("</table>")[1]  # the district table hides the 3
        assert "Fewer than 5 people: not shown" in html  # Worthing's row for question 1
        # 14-16 has 7 people: option 2 (2 people) is hidden, and so is option 1 (5 people):
        # 71% of 7 shown beside it would give the hidden 2 away by subtraction (#13.7).
        assert "71%" not in html and "29%" not in html

    def test_partner_sees_results_only_once_released(self, client, app, state, signed_in, people):
        signed_in("partner")
        response = client.get(f"/consultations/{state['consultation']}/results")
        assert response.status_code == 403 and "not released yet" in response.get_data(as_text=True)
        client.submit("/sign-out")
        signed_in("officer")
        assert client.submit(f"/consultations/{state['consultation']}/results/release").status_code == 303
        client.submit("/sign-out")
        signed_in("partner")
        assert "12 people have answered" in client.get(f"/consultations/{state['consultation']}/results").get_data(
            as_text=True
        )

    def test_results_cannot_be_released_while_open(self, client, app, people, signed_in):
        with app.app_context():
            ids = make_consultation(people, closed=False)
        signed_in("officer")
        page = client.submit(f"/consultations/{ids['consultation']}/results/release", follow_redirects=True).get_data(
            as_text=True
        )
        assert "once the consultation has closed" in page and "Live results" in page
        with app.app_context():
            assert db.session.get(Consultation, ids["consultation"]).results_released_at is None

    def test_another_partners_results_are_not_found(self, client, app, people, state):
        with app.app_context():
            other = add_person("partner", email="other.partner@test.example", name="Other Org")
            db.session.get(Consultation, state["consultation"]).results_released_at = utcnow()
            db.session.commit()
        client.sign_in(other.email)
        assert client.get(f"/consultations/{state['consultation']}/results").status_code == 404
        assert client.get(f"/consultations/{state['consultation']}/results/{state['single']}.svg").status_code == 404

    def test_chart_is_an_svg_with_its_own_narrow_policy(self, client, state, signed_in):
        signed_in("officer")
        response = client.get(f"/consultations/{state['consultation']}/results/{state['single']}.svg")
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/svg+xml"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert "src=" not in response.get_data(as_text=True)  # nothing loaded; inline config is blocked by the policy
        assert client.get(f"/consultations/{state['consultation']}/results/{state['text']}.svg").status_code == 404

    def test_only_approved_quotes_are_shown_and_they_stay_inert(self, client, app, state, signed_in):
        signed_in("officer")
        page = client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)
        assert "I like" not in page and "sam@example.com" not in page
        client.submit(f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve", "themes": "names"})
        page = client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)
        assert "I like &lt;b&gt;Mind Waves&lt;/b&gt; {{7*7}}" in page and not shows_49(page)
        assert "sam@example.com" not in page
        # The themes officers add are counted, hidden answers included (they were read), words never shown.
        client.submit(
            f"/consultations/answers/{state['flagged']}/moderate",
            {"decision": "hide", "reason": "Personal details", "themes": "Names, contact"},
        )
        page = client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)
        themes = page.split("Themes officers found")[1].split("</table>")[0]
        assert re.findall(r'portal-wrap"[^>]*>([a-z]+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)%', themes) == [
            ("names", "2", "100"),
            ("contact", "1", "50"),
        ]
        assert "sam@example.com" not in page

    def test_results_page_runs_a_fixed_number_of_queries(self, client, app, people, signed_in, count_queries):
        with app.app_context():
            small = make_consultation(people)["consultation"]
            big = make_consultation(people)["consultation"]
            for n in range(200):
                TallyFactory(consultation_id=big, dimension="district", value=f"Place {n}", count=9)
            db.session.commit()
        signed_in("officer")
        counts = []
        for consultation_id in (small, big):
            with count_queries() as counter:
                assert client.get(f"/consultations/{consultation_id}/results").status_code == 200
            counts.append(counter.count)
        assert counts[0] == counts[1]


class TestModeration:
    def test_flagged_answers_come_first(self, client, state, signed_in):
        signed_in("officer")
        html = client.get("/consultations/moderation").get_data(as_text=True)
        assert "2 answers are waiting" in html
        assert html.index("sam@example.com") < html.index("I like")
        assert "Marked automatically: an email address" in html

    def test_hiding_needs_a_reason_and_keeps_what_was_typed(self, client, app, state, signed_in):
        signed_in("officer")
        response = client.submit(
            f"/consultations/answers/{state['flagged']}/moderate",
            {"decision": "hide", "reason": "", "themes": "contact, privacy"},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "Say why you are hiding this answer" in html
        assert f'href="#reason-{state["flagged"]}"' in html and 'value="contact, privacy"' in html
        client.submit(
            f"/consultations/answers/{state['flagged']}/moderate",
            {"decision": "hide", "reason": "It has an email address.", "themes": "contact"},
        )
        with app.app_context():
            answer = db.session.get(Answer, state["flagged"])
            assert (answer.moderation, answer.moderation_reason, answer.themes) == (
                "hidden",
                "It has an email address.",
                ["contact"],
            )

    def test_tampered_decision_and_too_many_themes_are_refused(self, client, app, state, signed_in):
        signed_in("officer")
        response = client.submit(
            f"/consultations/answers/{state['quiet']}/moderate", {"decision": "publish-everything"}
        )
        assert response.status_code == 422 and "Choose whether to approve or hide" in response.get_data(as_text=True)
        response = client.submit(
            f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve", "themes": "a, b, c, d, e, f"}
        )
        assert response.status_code == 422 and "at most 5 themes" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(Answer, state["quiet"]).moderation == "pending"

    def test_htmx_decision_replaces_only_that_answer(self, client, state, signed_in):
        signed_in("officer")
        response = client.submit(
            f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve"}, headers={"HX-Request": "true"}
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<strong>Approved.</strong>" in html and "<html" not in html

    def test_an_answer_decided_elsewhere_is_not_decided_twice(self, client, app, state, signed_in):
        signed_in("officer")
        client.submit(f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve"})
        response = client.submit(
            f"/consultations/answers/{state['quiet']}/moderate",
            {"decision": "hide", "reason": "x"},
            follow_redirects=True,
        )
        assert "already been moderated" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(Answer, state["quiet"]).moderation == "approved"

    def test_unsubmitted_answers_are_not_in_the_queue(self, client, app, state, people, signed_in):
        with app.app_context():
            response = db.session.scalar(select(Response))
            response.status = "in_progress"
            db.session.commit()
        signed_in("officer")
        assert "0 answers are waiting" in client.get("/consultations/moderation").get_data(as_text=True)


def test_one_hidden_cell_takes_the_next_smallest_with_it():
    from portal.consultations.results.summary import hidden_cells

    assert hidden_cells([3, 9, 64, 15]) == {0, 1}  # 3 hidden, so 9 too: no subtraction gives it
    assert hidden_cells([2, 3, 40]) == {0, 1}  # two hidden already: their sum is all one learns
    assert hidden_cells([0, 12, 30]) == set()  # nothing small: nothing hidden
    assert hidden_cells([4, 0, 0]) == {0}  # no other answer to hide beside it
