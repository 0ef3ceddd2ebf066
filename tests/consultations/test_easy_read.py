"""Easy Read versions of consultations (#17.3): writing them in the request
builder (and every bad input), the link only once complete, answering them
(visitors and signed-in young people) into the same response and counters as
the standard version, the results' count of each version, and the fixed cost
of an Easy Read page."""

from __future__ import annotations

import io
import re

from PIL import Image as Pillow
from sqlalchemy import func, select

from portal.consultations import tally
from portal.extensions import db
from portal.models import AuditEntry, Consultation, Image, Question, Response
from tests.conftest import add_person
from tests.consultations.test_responding import (
    Ids,
    assert_counters_match,
    counters,
    form_for,
    make_consultation,
    the_response,
)
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory

KINDS = ("short", "long", "single", "multiple", "rating", "ranking")
EASY_WORDS = {
    "short": "Where do you meet your friends?",
    "long": "Tell us more.",
    "single": "What matters most to you?",
    "multiple": "What do you use?",
    "rating": "Do you feel safe?",
    "ranking": "Put these in order.",
}


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (width, height), (0, 120, 80)).save(out, "PNG")
    return out.getvalue()


def make_easy(app, audience: str = "young_people") -> Ids:
    """The open consultation of every kind (test_responding), with a complete Easy Read version."""
    ids = make_consultation(app, audience=audience)
    with app.app_context():
        consultation = db.session.get(Consultation, ids.consultation)
        consultation.easy_intro = "A mental health service wants to know what you think.\n\nIt is about youth clubs."
        for kind in KINDS:
            db.session.get(Question, getattr(ids, kind)).easy_prompt = EASY_WORDS[kind]
        db.session.commit()
    return ids


def easy(ids: Ids, tail: str = "") -> str:
    return f"/consultations/{ids.consultation}/easy-read/respond{tail}"


def answer_all_easy(client, ids: Ids) -> None:
    for kind in KINDS:
        answered = client.submit(easy(ids, f"/{getattr(ids, kind)}"), form_for(ids, kind, action="next"))
        assert answered.status_code == 303, answered.get_data(as_text=True)


def draft(app, partner_id: int) -> tuple[int, int, int]:
    """A partner's draft with two questions: (consultation, first question, second question)."""
    with app.app_context():
        consultation = ConsultationFactory(status="draft", partner_id=partner_id, title="Getting help")
        first = QuestionFactory(consultation=consultation, prompt="Which of these services have you used before?")
        second = QuestionFactory(consultation=consultation, prompt="What would make them better for you?")
        db.session.commit()
        return consultation.id, first.id, second.id


# Writing the Easy Read version ---------------------------------------------------------


def test_the_partner_writes_the_easy_read_version_and_it_is_offered_once_complete(app, client, signed_in, people):
    partner = signed_in("partner")
    consultation_id, first, second = draft(app, partner.id)
    edit = client.get(f"/consultations/{consultation_id}/edit").get_data(as_text=True)
    assert f"/consultations/{consultation_id}/easy-read" in edit and "Easy Read version (optional)" in edit
    page = client.get(f"/consultations/{consultation_id}/easy-read").get_data(as_text=True)
    assert "Not ready" in page and "Not written yet" in page

    saved = client.submit(
        f"/consultations/{consultation_id}/easy-read",
        {"intro": "Coastal Minds helps young people.\nTell us what you think."},
    )
    assert saved.status_code == 303
    for question_id, words in ((first, "Have you used these before?"), (second, "What would make them better?")):
        saved = client.submit(
            f"/consultations/{consultation_id}/easy-read/{question_id}", {"prompt": words, "help": "Choose one."}
        )
        assert saved.status_code == 303 and saved.headers["Location"].endswith(f"#easy-q{question_id}")
    page = client.get(f"/consultations/{consultation_id}/easy-read").get_data(as_text=True)
    assert "Ready" in page and "Have you used these before?" in page and "Not written yet" not in page
    with app.app_context():
        question = db.session.get(Question, first)
        assert (question.easy_prompt, question.easy_help) == ("Have you used these before?", "Choose one.")
        assert question.prompt == "Which of these services have you used before?"  # the standard words stay
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == consultation_id)).all()
        assert actions.count("consultation.easy_read_changed") == 3


def test_an_officer_writes_it_for_a_partner_and_young_people_cannot(app, client, signed_in, people):
    consultation_id, first, _ = draft(app, people["partner"].id)
    signed_in("officer")
    assert client.get(f"/consultations/{consultation_id}/easy-read/{first}").status_code == 200
    assert (
        client.submit(f"/consultations/{consultation_id}/easy-read/{first}", {"prompt": "Used them?"}).status_code
        == 303
    )
    client.submit("/sign-out")
    signed_in("young_person")
    assert client.get(f"/consultations/{consultation_id}/easy-read").status_code == 403


def test_bad_easy_read_words_are_refused_next_to_the_field_and_kept(app, client, signed_in):
    partner = signed_in("partner")
    consultation_id, first, _ = draft(app, partner.id)
    where = f"/consultations/{consultation_id}/easy-read/{first}"

    empty = client.submit(where, {"prompt": "  ", "help": "Choose one."})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "Write the question in Easy Read words" in page
    assert 'href="#prompt"' in page and "govuk-form-group--error" in page and "Choose one." in page

    long_sentence = " ".join(["word"] * 25) + "."
    refused = client.submit(where, {"prompt": long_sentence})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "a sentence of 25 words" in page and long_sentence in page

    too_long = client.submit(where, {"prompt": "Short. " * 40})
    assert too_long.status_code == 422 and "200 characters or fewer" in too_long.get_data(as_text=True)

    intro = client.submit(f"/consultations/{consultation_id}/easy-read", {"intro": "Fine.\n" + long_sentence})
    page = intro.get_data(as_text=True)
    assert (
        intro.status_code == 422 and "split it into sentences of 20 words or fewer" in page and 'href="#intro"' in page
    )
    with app.app_context():
        question = db.session.get(Question, first)
        assert question.easy_prompt == "" and db.session.get(Consultation, consultation_id).easy_intro == ""


def test_a_picture_needs_words_and_a_file_that_is_not_a_picture_is_refused(app, client, signed_in):
    partner = signed_in("partner")
    consultation_id, first, _ = draft(app, partner.id)
    where = f"/consultations/{consultation_id}/easy-read/{first}"

    def send(picture: bytes, name: str, alt: str):
        return client.submit(
            where,
            {"prompt": "Have you used these?", "picture": (io.BytesIO(picture), name), "picture_alt": alt},
            content_type="multipart/form-data",
        )

    php = send(b"<?php system($_GET['c']); ?>", "logo.png", "Our logo")
    page = php.get_data(as_text=True)
    assert php.status_code == 422 and "not a picture the portal can use" in page
    assert "Have you used these?" in page and "Our logo" in page  # everything typed is kept
    # A good picture on a form refused for something else: a file box cannot be filled in again, so it says so.
    refused = client.submit(
        where,
        {"prompt": "", "picture": (io.BytesIO(png()), "logo.png"), "picture_alt": "Our logo"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "Choose the picture again" in refused.get_data(as_text=True)
    # Too big: the page's own message beside the field (not the "too much to send" page), nothing stored.
    big = send(b"\x89PNG" + b"0" * (6 * 1024 * 1024), "big.png", "Our logo")
    assert big.status_code == 422 and "The picture must be 5 MB or smaller" in big.get_data(as_text=True)
    big.request.environ["wsgi.input"].close()  # the test client's copy of the big body, in a temporary file
    no_words = send(png(), "logo.png", "")
    assert no_words.status_code == 422 and "Describe the picture" in no_words.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Image.id))) == 0
        assert db.session.get(Question, first).easy_prompt == ""  # nothing half-stored

    assert send(png(), "../../ünïcode.png", "A green square").status_code == 303
    with app.app_context():
        question = db.session.get(Question, first)
        image = db.session.get(Image, question.easy_image_id)
        assert image.consultation_id == consultation_id and question.easy_image_alt == "A green square"


def test_an_approved_consultation_s_easy_read_words_cannot_change_and_approval_does_not_wait_for_them(
    app, client, signed_in
):
    partner = signed_in("partner")
    consultation_id, first, _ = draft(app, partner.id)
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        consultation.why, consultation.what_happens = "To learn.", "We change."
        db.session.commit()
    # No Easy Read version: sending it for approval is not held up.
    client.submit(f"/consultations/{consultation_id}/edit")  # the details as they are
    with app.app_context():
        db.session.get(Consultation, consultation_id).status = "approved"
        db.session.commit()
    page = client.get(f"/consultations/{consultation_id}/easy-read").get_data(as_text=True)
    assert "so its Easy Read words cannot be changed now" in page and "Save the introduction" not in page
    refused = client.submit(f"/consultations/{consultation_id}/easy-read/{first}", {"prompt": "Used them?"})
    assert refused.status_code == 422 and "approved, so it cannot be changed now" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, first).easy_prompt == ""


def test_sending_for_approval_does_not_need_an_easy_read_version(app, client, signed_in):
    partner = signed_in("partner")
    with app.app_context():
        consultation = ConsultationFactory(status="draft", partner_id=partner.id, opens=7, closes=30)
        QuestionFactory(consultation=consultation, prompt="What helps you?")
        db.session.commit()
        consultation_id = consultation.id
    sent = client.submit(f"/consultations/{consultation_id}/submit")
    assert sent.status_code == 303, sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).status == "submitted"


# Offered only when complete -----------------------------------------------------------


def test_the_link_appears_only_when_every_question_has_easy_read_words(app, client, signed_in):
    ids = make_easy(app)
    signed_in("young_person")
    page = client.get(f"/consultations/{ids.consultation}").get_data(as_text=True)
    assert "Read this in Easy Read" in page and easy(ids) in page
    with app.app_context():
        db.session.get(Question, ids.rating).easy_prompt = ""
        db.session.commit()
    page = client.get(f"/consultations/{ids.consultation}").get_data(as_text=True)
    assert "Read this in Easy Read" not in page
    assert client.get(easy(ids)).status_code == 404
    assert client.get(easy(ids, f"/{ids.short}")).status_code == 404


# Answering ----------------------------------------------------------------------------


def test_a_visitor_answers_in_easy_read_and_is_counted_with_the_standard_answers(app, client, people):
    ids = make_easy(app, audience="public")
    start = client.get(easy(ids)).get_data(as_text=True)
    assert "What is this about?" in start and "It is about youth clubs." in start and "How old are you?" in start
    started = client.submit(easy(ids), {"age_band": "11-13", "district": "Worthing", "extra_details": ""})
    assert started.status_code == 303 and started.headers["Location"].endswith(easy(ids, f"/{ids.short}"))
    assert the_response(app, ids).version == "easy_read"

    page = client.get(easy(ids, f"/{ids.single}")).get_data(as_text=True)
    assert "What matters most to you?" in page and "Which matters most?" not in page  # the Easy Read words
    assert "Youth clubs" in page  # the same options
    assert ">Next</button>" in page and ">Back</button>" in page
    answer_all_easy(client, ids)
    check = client.get(f"/consultations/{ids.consultation}/respond/check").get_data(as_text=True)
    assert "Where do you meet your friends?" in check  # the check page speaks Easy Read too
    assert easy(ids, f"/{ids.rating}?from=check") in check  # and "Change" goes back to its pages
    assert f'href="{easy(ids)}" class="govuk-back-link"' in check
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303

    # A signed-in young person answers the standard version.
    with app.app_context():
        person = add_person("young_person", email="standard@test.example")
    client.sign_in(person.email)
    client.submit(f"/consultations/{ids.consultation}/respond")
    for kind in KINDS:
        assert (
            client.submit(
                f"/consultations/{ids.consultation}/respond/{getattr(ids, kind)}", form_for(ids, kind)
            ).status_code
            == 303
        )
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303

    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 2
    assert counted[(ids.single, 1, -1, "", "")] == 2  # both versions' answers in the same results
    assert counted[(0, -1, -1, "version", "easy_read")] == counted[(0, -1, -1, "version", "standard")] == 1


def test_a_signed_in_young_person_answers_in_easy_read_and_changes_their_answers(app, client, signed_in):
    ids = make_easy(app)
    person = signed_in("young_person")
    start = client.get(easy(ids)).get_data(as_text=True)
    assert "How old are you?" not in start and ">\n          Start" in start
    assert client.submit(easy(ids)).status_code == 303
    answer_all_easy(client, ids)
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303
    assert the_response(app, ids, person.id).version == "easy_read"
    # Sent: the Easy Read start goes to the confirmation.
    assert client.get(easy(ids)).headers["Location"].endswith(f"/consultations/{ids.consultation}/respond/done")

    # Changing the sent answers keeps them counted under the version they were sent in.
    assert client.submit(f"/consultations/{ids.consultation}/respond", {"action": "change"}).status_code == 303
    changed = client.submit(
        easy(ids, f"/{ids.single}"), form_for(ids, "single", action="next", **{f"q{ids.single}": "2"})
    )
    assert changed.status_code == 303
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "version", "easy_read")] == 1 and (0, -1, -1, "version", "standard") not in counted
    assert counted[(ids.single, 2, -1, "", "")] == 1


def test_changes_made_in_easy_read_to_answers_sent_in_the_standard_version_stay_counted_as_sent(app, client, signed_in):
    ids = make_easy(app)
    person = signed_in("young_person")
    client.submit(f"/consultations/{ids.consultation}/respond")
    for kind in KINDS:
        client.submit(f"/consultations/{ids.consultation}/respond/{getattr(ids, kind)}", form_for(ids, kind))
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303
    client.submit(f"/consultations/{ids.consultation}/respond", {"action": "change"})
    changed = client.submit(
        easy(ids, f"/{ids.single}"), form_for(ids, "single", action="next", **{f"q{ids.single}": "0"})
    )
    assert changed.status_code == 303
    assert client.submit(f"/consultations/{ids.consultation}/respond/submit").status_code == 303
    # The counters were taken back from the version they were added under: they still add up.
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "version", "standard")] == 1 and (0, -1, -1, "version", "easy_read") not in counted
    assert the_response(app, ids, person.id).version == "standard"


def test_an_easy_read_error_keeps_what_was_typed_and_back_saves_without_asking(app, client, signed_in):
    ids = make_easy(app)
    signed_in("young_person")
    client.submit(easy(ids))
    ranking = easy(ids, f"/{ids.ranking}")
    refused = client.submit(ranking, form_for(ids, "ranking", action="next", **{f"q{ids.ranking}-1": "2"}))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "govuk-error-summary" in page and "govuk-form-group--error" in page
    assert re.search(rf'id="q{ids.ranking}-1"[^>]*>.*?<option value="2" selected', page, re.DOTALL)

    # "Back" from a question that must be answered, left empty: saved as not answered, on to the page before.
    back = client.submit(easy(ids, f"/{ids.rating}"), {"action": "back"})
    assert back.status_code == 303 and back.headers["Location"].endswith(easy(ids, f"/{ids.multiple}"))
    first_back = client.submit(easy(ids, f"/{ids.short}"), {"action": "back", f"q{ids.short}": "The park"})
    assert first_back.headers["Location"].endswith(easy(ids))
    assert "The park" in client.get(easy(ids, f"/{ids.short}")).get_data(as_text=True)
    # "Next" needs an answer to a question that must be answered.
    missing = client.submit(easy(ids, f"/{ids.rating}"), {"action": "next"})
    assert missing.status_code == 422


def test_the_picture_is_beside_the_easy_read_question(app, client, signed_in):
    ids = make_easy(app)
    with app.app_context():
        own = Image(
            consultation_id=ids.consultation,
            content_type="image/png",
            width=40,
            height=30,
            size=1,
            sha256="a",
            data=png(),
        )
        easy_one = Image(
            consultation_id=ids.consultation,
            content_type="image/png",
            width=80,
            height=60,
            size=1,
            sha256="b",
            data=png(),
        )
        db.session.add_all([own, easy_one])
        db.session.flush()
        rating = db.session.get(Question, ids.rating)
        rating.image_id, rating.image_alt = own.id, "The new logo: a green wave"
        single = db.session.get(Question, ids.single)
        single.image_id, single.image_alt = own.id, "The new logo: a green wave"
        single.easy_image_id, single.easy_image_alt = easy_one.id, "A smiling face"
        db.session.commit()
        own_id, easy_id = own.id, easy_one.id
    signed_in("young_person")
    client.submit(easy(ids))
    page = client.get(easy(ids, f"/{ids.single}")).get_data(as_text=True)
    assert f'src="/images/{easy_id}" alt="A smiling face" width="80" height="60"' in page
    assert "portal-easy-read__picture" in page
    # No Easy Read picture: the question's own.
    page = client.get(easy(ids, f"/{ids.rating}")).get_data(as_text=True)
    assert f'src="/images/{own_id}" alt="The new logo: a green wave"' in page
    assert "portal-easy-read__picture" not in client.get(easy(ids, f"/{ids.short}")).get_data(as_text=True)


# Results ------------------------------------------------------------------------------


def _sent(app, ids: Ids, version: str, n: int) -> None:
    with app.app_context():
        for i in range(n):
            person = add_person("young_person", email=f"{version}{i}@test.example")
            response = ResponseFactory(
                consultation_id=ids.consultation, respondent=person, submitted=True, version=version
            )
            AnswerFactory(response=response, question_id=ids.single, option=i % 3)
            tally.count(response, +1)
        db.session.commit()


def test_the_results_say_how_many_answered_each_version(app, client, signed_in):
    ids = make_easy(app)
    _sent(app, ids, "standard", 7)
    _sent(app, ids, "easy_read", 5)
    signed_in("officer")
    page = client.get(f"/consultations/{ids.consultation}/results").get_data(as_text=True)
    assert "12 people have answered" in page and "Which version they answered" in page
    table = page[page.index('id="versions"') :]
    assert re.search(r"Standard</th>\s*<td[^>]*>7</td>", table) and re.search(
        r"Easy Read</th>\s*<td[^>]*>5</td>", table
    )
    assert counters(app, ids.consultation)[(ids.single, -1, -1, "", "")] == 12  # one set of results


def test_fewer_than_5_easy_read_answers_are_not_shown(app, client, signed_in):
    ids = make_easy(app)
    _sent(app, ids, "standard", 9)
    _sent(app, ids, "easy_read", 2)
    signed_in("officer")
    page = client.get(f"/consultations/{ids.consultation}/results").get_data(as_text=True)
    table = page[page.index('id="versions"') :]
    assert "not shown: too few to show safely" in table and ">2</td>" not in table[: table.index("</table>")]


def test_no_version_table_when_everyone_answered_the_standard_version(app, client, signed_in):
    ids = make_easy(app)
    _sent(app, ids, "standard", 6)
    signed_in("officer")
    assert "Which version they answered" not in client.get(f"/consultations/{ids.consultation}/results").get_data(
        as_text=True
    )


# Cost ---------------------------------------------------------------------------------


def test_an_easy_read_page_costs_the_same_whatever_the_number_of_responses(app, client, signed_in, count_queries):
    ids = make_easy(app)
    signed_in("young_person")
    client.submit(easy(ids))

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(easy(ids, f"/{ids.multiple}")).status_code == 200
        return counter.count

    first = queries()
    _sent(app, ids, "easy_read", 30)
    with app.app_context():
        for n in range(10):
            person = add_person("young_person", email=f"busy{n}@test.example")
            response = ResponseFactory(consultation_id=ids.consultation, respondent=person, version="easy_read")
            AnswerFactory(response=response, question_id=ids.multiple, option=0)
        db.session.commit()
    assert queries() == first
    assert first <= 8


def test_the_version_of_a_response_counts_once_in_the_counters(app):
    ids = make_easy(app)
    with app.app_context():
        person = add_person("young_person", email="one@test.example")
        response = ResponseFactory(
            consultation_id=ids.consultation, respondent=person, submitted=True, version="easy_read"
        )
        tally.count(response, +1)
        db.session.commit()
        rows = {
            (t.dimension, t.value): t.count for t in tally.results_counts(ids.consultation) if t.dimension == "version"
        }
        assert rows == {("version", "easy_read"): 1}
        assert db.session.scalar(select(func.count(Response.id))) == 1


def test_a_copy_of_a_request_keeps_its_easy_read_version(app, client, signed_in):
    partner = signed_in("partner")
    consultation_id, first, _ = draft(app, partner.id)
    client.submit(f"/consultations/{consultation_id}/easy-read", {"intro": "Tell us what you think."})
    client.submit(
        f"/consultations/{consultation_id}/easy-read/{first}",
        {"prompt": "Used them?", "picture": (io.BytesIO(png()), "a.png"), "picture_alt": "A door"},
        content_type="multipart/form-data",
    )
    copied = client.submit(f"/consultations/{consultation_id}/copy")
    copy_id = int(re.search(r"/consultations/(\d+)/edit", copied.headers["Location"]).group(1))
    with app.app_context():
        assert db.session.get(Consultation, copy_id).easy_intro == "Tell us what you think."
        question = db.session.scalars(
            select(Question).where(Question.consultation_id == copy_id).order_by(Question.position)
        ).first()
        assert (question.easy_prompt, question.easy_image_alt) == ("Used them?", "A door")
        original = db.session.get(Question, first)
        assert question.easy_image_id and question.easy_image_id != original.easy_image_id  # its own picture
        assert db.session.get(Image, question.easy_image_id).consultation_id == copy_id


def test_the_demo_brand_consultation_has_an_easy_read_version_and_easy_read_answers(app, client, people):
    from portal.consultations.easy_read.operations import is_complete
    from portal.consultations.results.summary import results_for

    loaded = app.test_cli_runner().invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.title == "Our name, brand and wording")
        )
        questions = db.session.scalars(select(Question).where(Question.consultation_id == consultation.id)).all()
        assert is_complete(consultation, list(questions))
        easy_words = {question.prompt: question.easy_prompt for question in questions}
        assert easy_words["Is there anything in the way we write that puts you off?"] == (
            "Is there anything you do not like about how we write?"
        )
        results = results_for(consultation)
        versions = dict(results.versions)
        assert versions["Easy Read"] == 8 and versions["Standard"] == results.responses - 8
        easy_read = select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id, Response.version == "easy_read"
        )
        assert db.session.scalar(easy_read) == 8
        # The open consultation has one too, so that Easy Read can be tried in the demo.
        buses = db.session.scalar(select(Consultation).where(Consultation.title == "Getting to college: buses"))
        bus_questions = db.session.scalars(select(Question).where(Question.consultation_id == buses.id)).all()
        assert is_complete(buses, list(bus_questions))
        buses_id = buses.id
    client.sign_in("young.person@demo.example", "youth-cabinet-demo")
    assert "Read this in Easy Read" in client.get(f"/consultations/{buses_id}").get_data(as_text=True)


def test_the_migration_counts_every_response_so_far_as_standard(tmp_path):
    """0019: responses counted before it were all answered in the standard version."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.conftest import make_app
    from tests.core.test_migrations import _drop_everything
    from tests.database import scratch_database_url

    with scratch_database_url(tmp_path, "easy_read_migration") as database_url:
        app = make_app(tmp_path, database_url=database_url)
        with app.app_context():
            _drop_everything()
            upgrade()
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO consultation (title, organisation, why, what_happens, audience, "
                        "anonymous_to_partner, status, review_comment, feedback, feedback_pending, "
                        "feedback_review_comment, version, created_at, updated_at, easy_intro) VALUES "
                        "('Old', '', '', '', 'public', true, 'approved', '', '', '', '', 1, "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '')"
                    )
                )
                consultation_id = connection.execute(text("SELECT id FROM consultation")).scalar_one()
            downgrade(revision="0018")
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO consultation_tally (consultation_id, question_id, option, number, dimension, "
                        "value, count) VALUES (:c, 0, -1, -1, '', '', 3), (:c, 0, -1, -1, 'district', 'Adur', 2)"
                    ),
                    {"c": consultation_id},
                )
            upgrade()
            rows = db.session.execute(
                text("SELECT dimension, value, count FROM consultation_tally WHERE dimension = 'version'")
            ).all()
            db.session.remove()
            assert [tuple(row) for row in rows] == [("version", "standard", 3)]
            _drop_everything()
            db.session.remove()
            db.engine.dispose()
