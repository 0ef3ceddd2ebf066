"""Permission-matrix rows for answering consultations (consumed by
tests/core/test_permissions.py and the CSRF check in tests/auth/test_sign_in.py).

The state (``setup``):
- {resp_open}: approved, open today, for registered young people; a required
  choice question and an optional text question ({resp_question}). Each young
  role has a response in progress with the required question answered.
- {resp_done}: the same, each young role's response already sent.
- {resp_public}: open to the public (visitors too), no responses.
- {resp_cabinet}: open to Youth Cabinet members only.
- {resp_closed}: approved, closed yesterday.
- {resp_soon}: approved, opens tomorrow.
- {resp_draft}: a partner's draft (its existence is private).
Each has a complete Easy Read version.
"""

from __future__ import annotations

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]
YOUNG = {"young_person", "youth_member", "chair"}
CABINET = {"youth_member", "chair"}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(roles: set[str], allowed: int, refused: int = 403, anon: int = 302) -> dict[str, int]:
    """``anon`` 302: sent to sign in (the consultation is for people with an account)."""
    return {ANON: anon, **{r: (allowed if r in roles else refused) for r in ROLES[1:]}}


# Public: visitors answer too; staff and partner accounts are outside the audience.
def public(allowed: int) -> dict[str, int]:
    return {**only(YOUNG, allowed), ANON: allowed}


RESPOND = "/consultations/{resp_open}/respond"
EASY = "/consultations/{resp_open}/easy-read/respond"

ROWS: dict[str, list[tuple[str, str, dict[str, int]]]] = {
    "consultations.respond": [
        ("GET", RESPOND, only(YOUNG, 200)),
        ("GET", "/consultations/{resp_public}/respond", public(200)),
        ("GET", "/consultations/{resp_cabinet}/respond", only(CABINET, 200)),
        ("GET", "/consultations/{resp_closed}/respond", everyone(410)),
        ("GET", "/consultations/{resp_soon}/respond", everyone(403)),
        ("GET", "/consultations/{resp_draft}/respond", {**everyone(404), "partner": 403, "officer": 403, "chair": 403}),
        ("GET", "/consultations/999999/respond", everyone(404)),
        # In progress: on to the first unanswered question.
        ("POST", RESPOND, only(YOUNG, 303)),
        # Nothing yet: a response is started (a visitor's too).
        ("POST", "/consultations/{resp_public}/respond", public(303)),
        ("POST", "/consultations/{resp_closed}/respond", everyone(410)),
    ],
    "consultations.answer": [
        ("GET", RESPOND + "/{resp_question}", only(YOUNG, 200)),
        ("POST", RESPOND + "/{resp_question}", only(YOUNG, 303)),
        # A question of another consultation: not found.
        ("GET", RESPOND + "/{resp_public_question}", only(YOUNG, 404)),
        ("GET", "/consultations/{resp_closed}/respond/{resp_closed_question}", everyone(410)),
    ],
    "consultations.check": [
        ("GET", RESPOND + "/check", only(YOUNG, 200)),
        ("GET", "/consultations/{resp_closed}/respond/check", everyone(410)),
    ],
    "consultations.submit_response": [
        ("POST", RESPOND + "/submit", only(YOUNG, 303)),
        ("POST", "/consultations/{resp_closed}/respond/submit", everyone(410)),
    ],
    "consultations.cancel_changes": [
        # Nothing being changed: back to the confirmation, nothing happens.
        ("POST", "/consultations/{resp_done}/respond/cancel-changes", only(YOUNG, 303)),
        ("POST", "/consultations/{resp_closed}/respond/cancel-changes", everyone(410)),
    ],
    "consultations.confirmation": [
        ("GET", "/consultations/{resp_done}/respond/done", only(YOUNG, 200)),
    ],
    # The Easy Read version (#17.3): the same people, the same checks.
    "consultations.easy_read_start": [
        ("GET", EASY, only(YOUNG, 200)),
        ("GET", "/consultations/{resp_public}/easy-read/respond", public(200)),
        ("GET", "/consultations/{resp_closed}/easy-read/respond", everyone(410)),
        (
            "GET",
            "/consultations/{resp_draft}/easy-read/respond",
            {**everyone(404), "partner": 403, "officer": 403, "chair": 403},
        ),
        # In progress: on to the first unanswered Easy Read question.
        ("POST", EASY, only(YOUNG, 303)),
        ("POST", "/consultations/{resp_public}/easy-read/respond", public(303)),
    ],
    "consultations.easy_read_answer": [
        ("GET", EASY + "/{resp_question}", only(YOUNG, 200)),
        ("POST", EASY + "/{resp_question}", only(YOUNG, 303)),
        ("GET", EASY + "/{resp_public_question}", only(YOUNG, 404)),
        ("GET", "/consultations/{resp_closed}/easy-read/respond/{resp_closed_question}", everyone(410)),
    ],
}

# Form data that makes each POST valid, so the answer is about permission.
POST_DATA: dict[str, dict] = {
    "consultations.respond": {"age_band": "14-16", "district": ""},
    "consultations.answer": {"action": "continue"},  # the optional question, left empty
    "consultations.submit_response": {"tell_me": "yes"},
    "consultations.easy_read_start": {"age_band": "14-16", "district": ""},
    "consultations.easy_read_answer": {"action": "next"},  # the optional question, left empty
}

CSRF_POSTS = [
    "/consultations/1/respond",
    "/consultations/1/respond/1",
    "/consultations/1/respond/submit",
    "/consultations/1/respond/cancel-changes",
    "/consultations/1/easy-read/respond",
    "/consultations/1/easy-read/respond/1",
]


def setup(people) -> dict[str, int]:
    """The consultations above (inside an app context); returns their ids."""
    from portal.consultations import tally
    from portal.extensions import db
    from portal.models import Consultation, Question
    from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory

    def consultation(title: str, **fields) -> Consultation:
        return ConsultationFactory(
            title=title,
            organisation="A mental health service",
            partner=people["partner"],
            easy_intro="We want to know what you think.",  # each has a complete Easy Read version
            **fields,
        )

    def questions(of: Consultation) -> tuple[Question, Question]:
        choice = QuestionFactory(
            consultation=of,
            kind="single",
            prompt="Which matters most?",
            easy_prompt="What matters most to you?",
            required=True,
            options=["Clubs", "Buses"],
        )
        text = QuestionFactory(consultation=of, kind="long_text", prompt="Anything else?", easy_prompt="Tell us more.")
        return choice, text

    opened = consultation("Open")
    open_choice, open_text = questions(opened)
    done = consultation("Done")
    done_choice, _ = questions(done)
    public = consultation("Public", audience="public")
    _, public_text = questions(public)
    cabinet = consultation("Cabinet", audience="youth_cabinet")
    questions(cabinet)
    closed = consultation("Closed", opens=-30, closes=-1)
    _, closed_text = questions(closed)
    soon = consultation("Soon", opens=1, closes=30)
    questions(soon)
    draft = consultation("Draft", status="draft")
    questions(draft)

    for role in sorted(YOUNG):
        person = people[role]
        in_progress = ResponseFactory(consultation=opened, respondent=person)
        sent = ResponseFactory(consultation=done, respondent=person, submitted=True)
        AnswerFactory(response=in_progress, question=open_choice, option=0)
        AnswerFactory(response=sent, question=done_choice, option=1)
        tally.count(sent, +1)
    db.session.commit()
    return {
        "resp_open": opened.id,
        "resp_question": open_text.id,
        "resp_done": done.id,
        "resp_public": public.id,
        "resp_public_question": public_text.id,
        "resp_cabinet": cabinet.id,
        "resp_closed": closed.id,
        "resp_closed_question": closed_text.id,
        "resp_soon": soon.id,
        "resp_draft": draft.id,
    }
