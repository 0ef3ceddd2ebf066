"""Permission-matrix rows for consultation requests (consumed by tests/core/test_permissions.py
and the CSRF check in tests/auth/test_sign_in.py).

The state: a partner's complete draft with two questions ({req_draft}, {req_question}), a
request of theirs waiting for approval ({req_submitted}), an approved consultation that
has not opened yet ({req_approved}), and another partner's draft ({req_other},
{req_other_question}) and approved consultation ({req_other_approved}).
"""

from __future__ import annotations

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]
OWNERS = {"partner", "officer"}  # the partner it is for, and officers (who draft for partners)
REVIEWERS = {"officer", "chair"}
SEE_DRAFTS = {"partner", "officer", "chair"}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(roles: set[str], allowed: int, refused: int = 403, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **{r: (allowed if r in roles else refused) for r in ROLES[1:]}}


def seen_by(roles: set[str], allowed: int = 200) -> dict[str, int]:
    """Public URL, private object: 404 for anyone who may not know it exists."""
    return {r: (allowed if r in roles else 404) for r in ROLES}


ROWS: dict[str, list[tuple[str, str, dict[str, int]]]] = {
    "consultations.index": [("GET", "/consultations", everyone(200))],
    "consultations.show": [
        ("GET", "/consultations/{req_draft}", seen_by(SEE_DRAFTS)),
        ("GET", "/consultations/{req_submitted}", seen_by(SEE_DRAFTS)),
        ("GET", "/consultations/{req_other}", seen_by({"officer", "chair"})),
        ("GET", "/consultations/{req_approved}", everyone(200)),
        ("GET", "/consultations/999999", everyone(404)),
    ],
    "consultations.new": [
        ("GET", "/consultations/new", only(OWNERS, 200)),
        ("POST", "/consultations/new", only(OWNERS, 303)),
    ],
    "consultations.edit": [
        ("GET", "/consultations/{req_draft}/edit", only(OWNERS, 200)),
        # Waiting for approval: a page that says it cannot be changed now.
        ("GET", "/consultations/{req_submitted}/edit", only(OWNERS, 200)),
        ("GET", "/consultations/{req_other}/edit", {**only(OWNERS, 200), "partner": 404}),
        ("GET", "/consultations/999999/edit", only(OWNERS, 404)),
        ("POST", "/consultations/{req_draft}/edit", only(OWNERS, 303)),
    ],
    "consultations.add_question": [
        ("POST", "/consultations/{req_draft}/questions/add", only(OWNERS, 303)),
        ("POST", "/consultations/{req_other}/questions/add", {**only(OWNERS, 303), "partner": 404}),
    ],
    "consultations.edit_question": [
        ("GET", "/consultations/{req_draft}/questions/{req_question}", only(OWNERS, 200)),
        # Another request's question: not found, whoever asks.
        ("GET", "/consultations/{req_draft}/questions/{req_other_question}", only(OWNERS, 404)),
        ("POST", "/consultations/{req_draft}/questions/{req_question}", only(OWNERS, 303)),
    ],
    "consultations.move_question": [
        ("POST", "/consultations/{req_draft}/questions/{req_question}/move", only(OWNERS, 303)),
    ],
    "consultations.delete_question": [
        ("POST", "/consultations/{req_draft}/questions/{req_question}/delete", only(OWNERS, 303)),
        (
            "POST",
            "/consultations/{req_other}/questions/{req_other_question}/delete",
            {**only(OWNERS, 303), "partner": 404},
        ),
    ],
    "consultations.preview": [
        ("GET", "/consultations/{req_draft}/preview", seen_by(SEE_DRAFTS)),
        # Approved: everyone knows it exists; the preview is for the people behind it.
        (
            "GET",
            "/consultations/{req_approved}/preview",
            {**everyone(403), "partner": 200, "officer": 200, "chair": 200},
        ),
    ],
    "consultations.submit": [("POST", "/consultations/{req_draft}/submit", only(OWNERS, 303))],
    "consultations.approve": [("POST", "/consultations/{req_submitted}/approve", only(REVIEWERS, 303))],
    "consultations.return_request": [("POST", "/consultations/{req_submitted}/return", only(REVIEWERS, 303))],
    # Starting a new request from a copy (#14.20): the earlier ones to choose from, and the copy itself.
    "consultations.choose_copy": [("GET", "/consultations/copy", only(OWNERS, 200))],
    "consultations.copy_request": [
        ("POST", "/consultations/{req_draft}/copy", only(OWNERS, 303)),
        ("POST", "/consultations/{req_approved}/copy", only(OWNERS, 303)),
        # Another partner's request, even one anyone may read: not found for a partner.
        ("POST", "/consultations/{req_other}/copy", {**only(OWNERS, 303), "partner": 404}),
        ("POST", "/consultations/{req_other_approved}/copy", {**only(OWNERS, 303), "partner": 404}),
        ("POST", "/consultations/999999/copy", only(OWNERS, 404)),
    ],
    # A picture (#17.4): seen by whoever may see its consultation.
    "images.show": [
        ("GET", "/images/{img_draft}", seen_by(SEE_DRAFTS)),
        ("GET", "/images/{img_other}", seen_by({"officer", "chair"})),
        ("GET", "/images/{img_approved}", everyone(200)),
        ("GET", "/images/999999", everyone(404)),
    ],
    # The Easy Read version (#17.3): written by the partner it is for, or an officer.
    "consultations.easy_read_edit": [
        ("GET", "/consultations/{req_draft}/easy-read", only(OWNERS, 200)),
        ("GET", "/consultations/{req_other}/easy-read", {**only(OWNERS, 200), "partner": 404}),
        ("POST", "/consultations/{req_draft}/easy-read", only(OWNERS, 303)),
    ],
    "consultations.easy_read_question": [
        ("GET", "/consultations/{req_draft}/easy-read/{req_question}", only(OWNERS, 200)),
        ("GET", "/consultations/{req_draft}/easy-read/{req_other_question}", only(OWNERS, 404)),
        ("POST", "/consultations/{req_draft}/easy-read/{req_question}", only(OWNERS, 303)),
    ],
}

POST_DATA: dict[str, dict] = {
    "consultations.new": {
        "title": "Getting help",
        "organisation": "A service",
        "why": "To learn.",
        "what_happens": "We change.",
        "opens_on": ["", "", ""],
        "closes_on": ["", "", ""],
        "audience": "young_people",
        "anonymous": "yes",
        "partner": "",
    },
    "consultations.edit": {
        "title": "Getting help",
        "organisation": "A service",
        "why": "To learn.",
        "what_happens": "We change.",
        "opens_on": ["", "", ""],
        "closes_on": ["", "", ""],
        "audience": "young_people",
        "anonymous": "yes",
        "partner": "",
        "base_version": "1",
    },
    "consultations.add_question": {"kind": "rating"},
    "consultations.edit_question": {"prompt": "What would help?", "help": "", "required": "y"},
    "consultations.move_question": {"direction": "down"},
    "consultations.delete_question": {"confirmed": "yes"},
    "consultations.return_request": {"comment": "Please say what happens with the answers."},
    "consultations.easy_read_edit": {"intro": "We want to know what helps you."},
    "consultations.easy_read_question": {"prompt": "What helps you?", "help": ""},
}

CSRF_POSTS = [
    "/consultations/new",
    "/consultations/1/edit",
    "/consultations/1/questions/add",
    "/consultations/1/questions/1",
    "/consultations/1/questions/1/move",
    "/consultations/1/questions/1/delete",
    "/consultations/1/submit",
    "/consultations/1/approve",
    "/consultations/1/return",
    "/consultations/1/copy",
    "/consultations/1/easy-read",
    "/consultations/1/easy-read/1",
]


def setup(people) -> dict[str, int]:
    """The requests above (inside an app context); returns their ids."""
    from portal.extensions import db
    from portal.models import Consultation
    from tests.conftest import Person, add_person
    from tests.factories import ConsultationFactory, QuestionFactory

    partner = people["partner"]
    other = add_person("partner", email="other-partner@test.example", name="Other P.", organisation="Another service")

    def request(status: str, owner: Person) -> Consultation:
        return ConsultationFactory(
            title=f"A {status} request", status=status, partner=owner, created_by=owner, opens=7, closes=30
        )

    draft = request("draft", partner)
    first = QuestionFactory(consultation=draft, prompt="What helps you?")
    QuestionFactory(consultation=draft, prompt="What gets in the way?")
    submitted = request("submitted", partner)
    QuestionFactory(consultation=submitted, prompt="What helps you?")
    approved = request("approved", partner)
    QuestionFactory(consultation=approved, prompt="What helps you?")
    other_draft = request("draft", other)
    other_question = QuestionFactory(consultation=other_draft, prompt="Theirs")
    other_approved = request("approved", other)
    pictures = {"draft": _picture(draft), "other": _picture(other_draft), "approved": _picture(approved)}
    db.session.commit()
    return {
        "req_draft": draft.id,
        "req_question": first.id,
        "req_submitted": submitted.id,
        "req_approved": approved.id,
        "req_other": other_draft.id,
        "req_other_question": other_question.id,
        "req_other_approved": other_approved.id,
        **{f"img_{name}": image.id for name, image in pictures.items()},
    }


def _picture(consultation):
    """A picture of ``consultation``, stored as an upload would be (#17.4),
    shown by a question of it (a picture no question shows is never served)."""
    from portal.images import Accepted, keep
    from tests.consultations.test_images import png
    from tests.factories import QuestionFactory

    image = keep(None, consultation, Accepted(png(), "image/png", 40, 30))
    QuestionFactory(consultation=consultation, prompt="Look at this", image_id=image.id, image_alt="A picture")
    return image
