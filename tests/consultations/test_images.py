"""Pictures in questions and options (#17.4): every bad upload refused with
its message next to its field, nothing stored and the rest of the form kept;
what is kept is re-encoded without metadata; the picture is served with its
type, ``nosniff`` and a long cache, only to whoever may see its consultation;
picture options are radios and checkboxes whose label holds the picture."""

from __future__ import annotations

import io
import os
import re
from html import unescape

import pytest
from PIL import Image as Picture
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.extensions import db
from portal.images import Accepted, keep
from portal.images.upload import LONG_SIDE
from portal.models import AuditEntry, Consultation, Image, Question
from tests.conftest import PortalClient
from tests.factories import ConsultationFactory, QuestionFactory

GPS = 0x8825
ORIENTATION = 0x0112


def png(size: tuple[int, int] = (40, 30), colour: str = "green") -> bytes:
    out = io.BytesIO()
    Picture.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A photo 60 wide and 20 high, taken turned on its side (EXIF orientation 6), with a place in it."""
    exif = Picture.Exif()
    exif[ORIENTATION] = 6
    exif[GPS] = {1: "N", 2: (50.0, 50.0, 12.5), 3: "W", 4: (0.0, 30.0, 1.0)}
    exif[0x010F] = "Camera Maker Ltd"
    out = io.BytesIO()
    Picture.new("RGB", (60, 20), "red").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def twenty_megabytes() -> bytes:
    """A real PNG of about 20 MB: noise does not compress."""
    side = 2600
    out = io.BytesIO()
    Picture.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG", compress_level=0)
    assert len(out.getvalue()) > 19 * 1024 * 1024
    return out.getvalue()


def pixel_bomb() -> bytes:
    """30,000 x 30,000 pixels (900 megapixels) in about 100 KB."""
    out = io.BytesIO()
    Picture.new("1", (30_000, 30_000)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    return out.getvalue()


BAD_UPLOADS = {
    "a PHP file renamed .png": (b"<?php system($_GET['c']); ?>", "shell.png", "not a picture the portal can use"),
    "an SVG with a script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="5"/></svg>',
        "logo.svg",
        "not a picture the portal can use",
    ),
    "an SVG renamed .png": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "logo.png",
        "not a picture the portal can use",
    ),
    "a GIF": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "moving.gif", "not a picture the portal can use"),
    "a 20 MB picture": (None, "huge.png", "must be 5 MB or smaller"),
    "a 30,000 x 30,000 pixel bomb": (None, "bomb.png", "too many pixels"),
    "an empty file": (b"", "empty.png", "The file you chose is empty"),
    "a broken PNG": (None, "broken.png", "could not be read"),
}


def _content(name: str) -> bytes:
    data = BAD_UPLOADS[name][0]
    if data is not None:
        return data
    if name == "a 20 MB picture":
        return twenty_megabytes()
    if name == "a broken PNG":
        whole = png((400, 300))
        return whole[: len(whole) // 2]
    return pixel_bomb()


def client_for(app, email) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


@pytest.fixture
def draft(app, people):
    """A partner's draft with a single-choice question."""
    with app.app_context():
        consultation = ConsultationFactory(status="draft", partner=people["partner"], created_by=people["partner"])
        question = QuestionFactory(consultation=consultation, kind="single", prompt="Which logo?", options=["A", "B"])
        db.session.commit()
        return consultation.id, question.id


def save(client, draft, headers=None, **fields):
    """The question form sent as a browser sends it (multipart, files and all).
    The body is encoded here, in memory: the test client's own encoding of a
    big file leaves a temporary file open."""
    consultation_id, question_id = draft
    data = {
        "csrf_token": client.csrf_token(),
        "prompt": "Which logo do you like best?",
        "help": "Look at both.",
        "options": "Logo A\nLogo B",
    }
    data.update(fields)
    boundary, body = encode_multipart(data)
    return client.post(
        f"/consultations/{consultation_id}/questions/{question_id}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers or {},
    )


def upload(data: bytes, name: str = "picture.png") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="image/png")


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Image.id))) or 0


def question(app, question_id: int) -> Question:
    with app.app_context():
        found = db.session.get(Question, question_id)
        db.session.expunge(found)
        return found


def error_next_to(html: str, field: str) -> str:
    """The message shown next to ``field`` (GOV.UK's ``<id>-error``)."""
    match = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    assert match, f"no message next to {field}"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


# ---------------------------------------------------------------- bad uploads


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_each_bad_upload_is_refused_next_to_its_field_and_nothing_is_stored(app, people, draft, name):
    client = client_for(app, people["partner"].email)
    _, filename, message = BAD_UPLOADS[name]
    response = save(client, draft, picture=upload(_content(name), filename), picture_alt="Our new logo")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in error_next_to(html, "picture")
    assert "There is a problem" in html  # and in the error summary, linked to the field
    assert 'href="#picture"' in html
    # Nothing stored: no picture, and the question as it was.
    assert stored(app) == 0
    assert question(app, draft[1]).prompt == "Which logo?"
    # What was typed is kept.
    assert "Which logo do you like best?" in html
    assert 'value="Our new logo"' in html


def test_a_picture_as_an_option_refused_names_that_option(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(
        client, draft, option_picture_1=upload(b"<?php echo 1; ?>", "b.png"), option_alt_1="A blue square logo"
    )
    assert response.status_code == 422
    assert "not a picture the portal can use" in error_next_to(response.get_data(as_text=True), "option_picture_1")
    assert stored(app) == 0


def test_a_good_picture_chosen_beside_a_mistake_must_be_chosen_again(app, people, draft):
    """A browser never sends a file again: the page says which to choose again."""
    client = client_for(app, people["partner"].email)
    response = save(client, draft, prompt="", picture=upload(png()), picture_alt="Our logo")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "prompt") == "Error: Enter the question"
    assert "Choose the picture again" in error_next_to(html, "picture")
    assert stored(app) == 0


def test_a_filename_with_dots_and_unicode_is_accepted_and_never_kept(app, people, draft):
    client = client_for(app, people["partner"].email)
    name = "../../../etc/passwd/ünïcødé 📷 logo.png"
    response = save(client, draft, picture=upload(png(), name), picture_alt="Our logo")
    assert response.status_code == 303
    with app.app_context():
        image = db.session.scalars(select(Image)).one()
        assert image.consultation_id == draft[0]
        kept = [getattr(image, column.key) for column in Image.__table__.columns]
        assert not any(isinstance(value, str) and ("passwd" in value or "ünïcødé" in value) for value in kept)
        summaries = db.session.scalars(select(AuditEntry.summary)).all()
        assert not any("passwd" in summary or "ünïcødé" in summary for summary in summaries)


# ---------------------------------------------------------------- what is kept


def test_a_picture_needs_words_describing_it(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(client, draft, picture=upload(png()), picture_alt="")
    assert response.status_code == 422
    assert "Describe the picture in words" in error_next_to(response.get_data(as_text=True), "picture_alt")
    response = save(client, draft, option_picture_0=upload(png()), option_alt_0="  ")
    assert "Describe the picture for option 1" in error_next_to(response.get_data(as_text=True), "option_alt_0")
    assert stored(app) == 0


def test_every_picture_problem_is_shown_at_once(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(
        client,
        draft,
        picture=upload(b"<?php echo 1; ?>", "logo.png"),
        picture_alt="",
        option_picture_0=upload(png()),
        option_alt_0="",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not a picture the portal can use" in error_next_to(html, "picture")
    assert "Describe the picture in words" in error_next_to(html, "picture_alt")
    assert "Describe the picture for option 1" in error_next_to(html, "option_alt_0")
    assert "Choose the picture again" in error_next_to(html, "option_picture_0")
    assert stored(app) == 0


def test_words_without_a_picture_ask_for_the_picture(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(client, draft, picture_alt="A logo")
    assert response.status_code == 422
    assert "Choose the picture to go with the words" in error_next_to(response.get_data(as_text=True), "picture")


def test_metadata_is_stripped_and_the_photo_turned_the_right_way_up(app, people, draft):
    client = client_for(app, people["partner"].email)
    photo = jpeg_with_gps()
    assert b"Camera Maker" in photo
    assert save(client, draft, picture=upload(photo, "photo.jpg"), picture_alt="A red card").status_code == 303
    saved = question(app, draft[1])
    served = client.get(f"/images/{saved.image_id}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    data = served.get_data()
    assert b"Camera Maker" not in data and b"Exif" not in data
    picture = Picture.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert dict(picture.getexif()) == {}
    assert picture.size == (20, 60)  # orientation 6 applied: the photo stands up


def test_text_hidden_in_a_png_is_not_kept(app, people, draft):
    from PIL.PngImagePlugin import PngInfo

    notes = PngInfo()
    notes.add_text("Comment", "Jamie Collins, 12 Sea Road, Worthing")
    out = io.BytesIO()
    Picture.new("RGB", (40, 30), "green").save(out, "PNG", pnginfo=notes)
    client = client_for(app, people["partner"].email)
    assert save(client, draft, picture=upload(out.getvalue()), picture_alt="Our logo").status_code == 303
    served = client.get(f"/images/{question(app, draft[1]).image_id}").get_data()
    assert b"Sea Road" not in served
    assert Picture.open(io.BytesIO(served)).info == {}


def test_a_big_picture_is_made_smaller(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(client, draft, picture=upload(png((4000, 1000)), "wide.png"), picture_alt="A wide banner")
    assert response.status_code == 303
    with app.app_context():
        image = db.session.scalars(select(Image)).one()
        assert (image.width, image.height, image.content_type) == (LONG_SIDE, 400, "image/png")
        assert image.size == len(image.data)


def test_a_picture_is_removed_and_options_keep_their_pictures_when_moved(app, people, draft):
    client = client_for(app, people["partner"].email)
    response = save(
        client,
        draft,
        picture=upload(png()),
        picture_alt="Our logo",
        option_picture_1=upload(png(colour="blue")),
        option_alt_1="A blue circle with the letters MH",
    )
    assert response.status_code == 303
    saved = question(app, draft[1])
    assert saved.image_alt == "Our logo"
    assert saved.option_images[0] is None
    assert saved.option_images[1]["alt"] == "A blue circle with the letters MH"
    blue = saved.option_images[1]["image"]
    # Moved first, and the question's picture removed: the picture goes with its words.
    response = save(
        client,
        draft,
        options="Logo B\nLogo A\nLogo C",
        remove_picture="y",
        option_alt_0="A blue circle with the letters MH",
    )
    assert response.status_code == 303
    saved = question(app, draft[1])
    assert saved.image_id is None and saved.image_alt == ""
    assert saved.option_images == [{"image": blue, "alt": "A blue circle with the letters MH"}, None, None]


def test_a_rows_words_and_removal_follow_its_option_when_the_options_are_moved(app, people, draft):
    """The rows are sent as they were drawn (option 2's row still says option 2's words) while the
    options' lines were swapped: each row's words and "remove" go with the option it was drawn for."""
    client = client_for(app, people["partner"].email)
    first = save(
        client,
        draft,
        option_picture_0=upload(png(colour="red")),
        option_alt_0="A red square",
        option_picture_1=upload(png(colour="blue")),
        option_alt_1="A blue circle",
    )
    assert first.status_code == 303
    saved = question(app, draft[1])
    red, blue = saved.option_images[0]["image"], saved.option_images[1]["image"]
    options = saved.options
    swapped = save(
        client,
        draft,
        options="\n".join([options[1], options[0], *options[2:]]),
        option_was_0=options[0],
        option_alt_0="A red square",
        option_remove_0="y",  # the red one's row: remove its picture
        option_was_1=options[1],
        option_alt_1="A blue circle",
    )
    assert swapped.status_code == 303, swapped.get_data(as_text=True)[:2000]
    saved = question(app, draft[1])
    assert saved.option_images[0] == {"image": blue, "alt": "A blue circle"}
    assert saved.option_images[1] is None and all((entry or {}).get("image") != red for entry in saved.option_images)


def test_a_removed_picture_is_never_served_even_once_approved(app, people, draft):
    """A photo removed from a draft (say it showed a face) must not become public with the consultation."""
    client = client_for(app, people["partner"].email)
    assert save(client, draft, picture=upload(png()), picture_alt="Our logo").status_code == 303
    removed = question(app, draft[1]).image_id
    assert client.get(f"/images/{removed}").status_code == 200
    assert save(client, draft, remove_picture="y").status_code == 303
    assert client.get(f"/images/{removed}").status_code == 404
    with app.app_context():
        db.session.get(Consultation, draft[0]).status = "approved"
        db.session.commit()
    assert app.test_client().get(f"/images/{removed}").status_code == 404


def test_the_builder_takes_a_picture_with_htmx_too(app, people, draft):
    client = client_for(app, people["partner"].email)
    page = client.get(f"/consultations/{draft[0]}/questions/{draft[1]}", headers={"HX-Request": "true"})
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'for="option_picture_1">\s*Picture for option 2 \(optional\)', html)
    response = save(client, draft, headers={"HX-Request": "true"}, picture=upload(png()), picture_alt="Our logo")
    assert response.status_code == 200
    assert 'alt="Our logo"' in response.get_data(as_text=True)
    assert stored(app) == 1


# ---------------------------------------------------------------- serving


def _approved_with_pictures(app, people, audience="young_people"):
    with app.app_context():
        consultation = ConsultationFactory(partner=people["partner"], audience=audience)
        logo = keep(None, consultation, Accepted(png(), "image/png", 40, 30))
        other = keep(None, consultation, Accepted(png(colour="blue"), "image/png", 40, 30))
        question = QuestionFactory(
            consultation=consultation,
            kind="single",
            prompt="Which logo do you like best?",
            required=True,
            options=["Logo A", "Logo B"],
            image_id=logo.id,
            image_alt="Both logos side by side",
            option_images=[{"image": logo.id, "alt": "A green leaf"}, {"image": other.id, "alt": "A blue circle"}],
        )
        db.session.commit()
        return consultation.id, question.id, logo.id


def test_a_picture_is_served_with_its_type_nosniff_and_a_long_cache(app, client, people):
    _, _, logo = _approved_with_pictures(app, people)
    response = client.get(f"/images/{logo}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == "inline"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    assert response.get_data() == png()
    again = client.get(f"/images/{logo}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_a_drafts_picture_is_not_seen_by_a_visitor(app, client, people, draft):
    partner = client_for(app, people["partner"].email)
    assert save(partner, draft, picture=upload(png()), picture_alt="Our logo").status_code == 303
    image_id = question(app, draft[1]).image_id
    served = partner.get(f"/images/{image_id}")
    assert served.status_code == 200
    assert "no-store" in served.headers["Cache-Control"]  # a request's picture: not kept by any cache
    assert client.get(f"/images/{image_id}").status_code == 404
    young = client_for(app, people["young_person"].email)
    assert young.get(f"/images/{image_id}").status_code == 404


# ---------------------------------------------------------------- answering


def test_picture_options_are_radios_whose_label_holds_the_picture(app, people):
    consultation_id, question_id, logo = _approved_with_pictures(app, people)
    client = client_for(app, people["young_person"].email)
    client.submit(f"/consultations/{consultation_id}/respond")
    html = client.get(f"/consultations/{consultation_id}/respond/{question_id}").get_data(as_text=True)
    labels = re.findall(r'<label class="govuk-label govuk-radios__label" for="([^"]+)">(.*?)</label>', html, re.S)
    assert len(labels) == 2
    assert f'src="/images/{logo}" alt="A green leaf"' in labels[0][1] and "Logo A" in labels[0][1]
    assert 'alt="A blue circle"' in labels[1][1]
    assert 'alt="Both logos side by side"' in html  # the question's own picture
    # Answered and counted by its words.
    response = client.submit(
        f"/consultations/{consultation_id}/respond/{question_id}", {f"q{question_id}": "1", "action": "continue"}
    )
    assert response.status_code == 303
    check = client.get(f"/consultations/{consultation_id}/respond/check").get_data(as_text=True)
    assert "Logo B" in check


def test_a_copy_gets_its_own_pictures(app, people):
    consultation_id, question_id, logo = _approved_with_pictures(app, people)
    client = client_for(app, people["partner"].email)
    assert client.submit(f"/consultations/{consultation_id}/copy").status_code == 303
    with app.app_context():
        copy = db.session.scalars(select(Consultation).order_by(Consultation.id.desc())).first()
        copied = db.session.scalars(select(Question).where(Question.consultation_id == copy.id)).one()
        assert copied.image_id != logo
        assert db.session.get(Image, copied.image_id).consultation_id == copy.id
        assert [picture["alt"] for picture in copied.option_images] == ["A green leaf", "A blue circle"]


# ---------------------------------------------------------------- the demo


def test_the_demo_brand_consultation_shows_its_logos(app):
    from portal.consultations.results.summary import results_for

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        consultation = db.session.scalars(
            select(Consultation).where(Consultation.title == "Our name, brand and wording")
        ).one()
        questions = {
            q.prompt: q for q in db.session.scalars(select(Question).where(Question.consultation_id == consultation.id))
        }
        logo = questions["How friendly does the new logo look?"]
        choice = questions["Which logo do you like best?"]
        assert logo.image_id and "green wave" in logo.image_alt
        assert choice.position == logo.position + 1
        assert [picture["alt"] for picture in choice.option_images] == [
            "A green wave under the letters MW, with the words Mind Waves",
            "A yellow door opening in a blue frame, beside the letters MW",
        ]
        pictures = db.session.scalars(select(Image).where(Image.consultation_id == consultation.id)).all()
        assert {p.content_type for p in pictures} == {"image/png"} and len(pictures) == 2
        # Counted like any answer: the results name each option by its words.
        result = next(r for r in results_for(consultation).questions if r.question.id == choice.id)
        assert [row.label for row in result.rows] == ["The green wave", "The open door"]
        assert sum(row.count or 0 for row in result.rows) == result.answered > 150
    # The closed consultation is public: its pictures are served to a visitor.
    assert app.test_client().get(f"/images/{logo.image_id}").status_code == 200
