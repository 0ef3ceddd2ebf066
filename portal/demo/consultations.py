"""Demo: the mental health service's consultation on its name, brand and
wording from the seed report (July 2020, closed, 200 generated responses,
moderated quotes, results released, "You said, we did" published), one open
now, and a request waiting for approval."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.consultations import tally
from portal.consultations.flagging import flags_for
from portal.extensions import db
from portal.models import Answer, Consultation, Question, Response, User
from portal.roles import AGE_BANDS
from portal.templating import local_today

JULY = datetime(2020, 7, 10, 17, 0, tzinfo=UTC)

SAYINGS = [
    ("Mind Waves sounds calm and not scary. I would actually click on it.", "approved", ["names"]),
    ("Please don't use the word 'service', it sounds like a dentist.", "approved", ["wording"]),
    ("The green logo looks friendly but the letters are hard to read on a phone.", "approved", ["logo", "phones"]),
    ("Say how long the wait is, honestly. That matters more than the name.", "approved", ["waiting times"]),
    ("Talk like a person, not like a leaflet.", "approved", ["wording"]),
    ("I'd look for you on TikTok before anywhere else.", "approved", ["where to find us"]),
    ("my name is Jamie Collins and you can email me at jamie@example.com", "hidden", []),
    ("Open Door Minds is a bit long but I like that it says the door is open.", "pending", []),
    ("Use pictures of real young people, not cartoons.", "pending", []),
    ("It's fine.", "pending", []),
]

FEEDBACK = (
    "You told us that Mind Waves felt the friendliest name (it was the first choice of more young people than any "
    "other), and that words like 'service' and 'referral' put you off.\n\n"
    "So from September we are called Mind Waves. We rewrote our website and leaflets with the Youth Cabinet, we say "
    "how long the wait is on our front page, and we made the logo's letters bigger so they are easy to read on a phone."
)


def _consultation(partner: User | None, officer: User, **fields) -> Consultation:
    consultation = Consultation(partner_id=partner.id if partner else None, created_by_id=officer.id, **fields)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def _questions(consultation: Consultation, specs: list[dict]) -> list[Question]:
    questions = [Question(consultation_id=consultation.id, position=n, **spec) for n, spec in enumerate(specs)]
    db.session.add_all(questions)
    db.session.flush()
    return questions


def _name_and_brand(partner: User, officer: User, chair: User) -> None:
    consultation = _consultation(
        partner,
        officer,
        title="Our name, brand and wording",
        organisation="Coastal Minds",
        why="We are the mental health service for young people in West Sussex. We are changing our name, our logo "
        "and the way we write, and we want them to feel right to the people who use us.",
        what_happens="We will choose the name, look and words young people like most, and tell you here what we "
        "decided and why.",
        opens_on=date(2020, 7, 1),
        closes_on=date(2020, 7, 10),
        audience="public",
        anonymous_to_partner=True,
        status="approved",
        reviewed_by_id=chair.id,
        approved_at=datetime(2020, 6, 29, 10, tzinfo=UTC),
        results_released_at=datetime(2020, 7, 13, 9, tzinfo=UTC),
        feedback=FEEDBACK,
        feedback_published_at=datetime(2020, 9, 1, 9, tzinfo=UTC),
    )
    name, logo, words, where, put_off, sound = _questions(
        consultation,
        [
            {
                "kind": "single",
                "prompt": "Which name do you like best?",
                "required": True,
                "options": ["Coastal Minds (our name now)", "Mind Waves", "Open Door Minds", "Headroom"],
            },
            {
                "kind": "rating",
                "prompt": "How friendly does the new logo look?",
                "required": True,
                "scale_max": 5,
                "low_label": "Not friendly",
                "high_label": "Very friendly",
                "help": "The green wave on our leaflet.",
            },
            {
                "kind": "ranking",
                "prompt": "Put these words in order: which would you most like us to use?",
                "options": ["support", "help", "care", "wellbeing"],
            },
            {
                "kind": "multiple",
                "prompt": "Where would you look for us?",
                "help": "Choose all that apply.",
                "options": ["School", "Instagram", "TikTok", "My GP", "A youth club"],
            },
            {"kind": "long_text", "prompt": "Is there anything in the way we write that puts you off?"},
            {"kind": "short_text", "prompt": "One word for how we should sound"},
        ],
    )
    chance = random.Random(2020)
    # Two of the answers are demo accounts' (the rest came from visitors), so
    # Ruby T.'s and Aisha K.'s homes lead to the results and "You said, we did".
    respondents = list(
        db.session.scalars(
            select(User.id)
            .where(User.email.in_(["young.person@demo.example", "member@demo.example"]))
            .order_by(User.email.desc())
        )
    )
    districts = current_app.config["DISTRICTS"]
    bands = list(AGE_BANDS)
    sounds = ["kind", "honest", "calm", "real", "friendly", "chill", "clear"]
    for n in range(200):
        response = Response(
            consultation_id=consultation.id,
            respondent_id=respondents[n] if n < len(respondents) else None,
            status="submitted",
            age_band=chance.choice(bands + [""]),
            district=chance.choice(list(districts) + [""]),
            started_at=JULY - timedelta(days=chance.randint(1, 9), minutes=12),
            submitted_at=JULY - timedelta(days=chance.randint(0, 8)),
        )
        db.session.add(response)
        db.session.flush()
        answers = [
            Answer(
                response_id=response.id, question_id=name.id, option=chance.choices(range(4), weights=[3, 8, 4, 2])[0]
            ),
            Answer(
                response_id=response.id,
                question_id=logo.id,
                number=chance.choices(range(1, 6), weights=[1, 2, 4, 7, 5])[0],
            ),
            Answer(
                response_id=response.id,
                question_id=sound.id,
                text=chance.choice(sounds),
                moderation="approved",
                moderated_at=JULY,  # decided, as an officer's decision is, at a time
            ),
        ]
        if chance.random() < 0.9:
            order = sorted(
                range(4), key=lambda option: chance.random() + (0.4 if option == 0 else 0) - (0.3 if option == 3 else 0)
            )
            answers += [
                Answer(response_id=response.id, question_id=words.id, option=option, number=rank)
                for rank, option in enumerate(order, start=1)
            ]
        answers += [
            Answer(response_id=response.id, question_id=where.id, option=option)
            for option in range(5)
            if chance.random() < (0.2, 0.5, 0.6, 0.25, 0.2)[option]
        ]
        if n < len(SAYINGS):
            text, moderation, themes = SAYINGS[n]
            answers.append(
                Answer(
                    response_id=response.id,
                    question_id=put_off.id,
                    text=text,
                    moderation=moderation,
                    themes=themes,
                    flags=", ".join(flags_for(text)),
                    moderated_by_id=officer.id if moderation != "pending" else None,
                    moderated_at=JULY + timedelta(days=2) if moderation != "pending" else None,
                    moderation_reason="It holds a name and an email address." if moderation == "hidden" else "",
                )
            )
        db.session.add_all(answers)
        db.session.flush()
        tally.count(response, 1)


def _buses(officer: User) -> None:
    today = local_today()
    consultation = _consultation(
        None,
        officer,
        title="Getting to college: buses",
        organisation="West Sussex County Council, Transport",
        why="Many young people tell us buses to college are late, full or too expensive. We are planning next year's "
        "routes and fares.",
        what_happens="The transport team will use your answers to choose which routes to add and whether to change "
        "the under-19 fare. We will publish what we decide here.",
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        audience="young_people",
        anonymous_to_partner=True,
        status="approved",
        approved_at=datetime.now(UTC) - timedelta(days=8),
    )
    _questions(
        consultation,
        [
            {
                "kind": "single",
                "prompt": "How do you usually get to school or college?",
                "required": True,
                "options": ["Bus", "Train", "Walk or cycle", "Someone drives me", "Other"],
            },
            {
                "kind": "rating",
                "prompt": "How easy is it to get there on time?",
                "required": True,
                "scale_max": 5,
                "low_label": "Very hard",
                "high_label": "Very easy",
            },
            {
                "kind": "ranking",
                "prompt": "What should we fix first?",
                "options": ["Price", "Late buses", "Full buses", "No bus at all"],
            },
            {
                "kind": "long_text",
                "prompt": "Tell us about your journey",
                "help": "Please do not write your name or address.",
            },
        ],
    )


def _waiting_room(partner: User) -> None:
    today = local_today()
    consultation = _consultation(
        partner,
        partner,
        title="Our waiting room",
        organisation="Coastal Minds",
        why="We are redecorating the room where young people wait before an appointment.",
        what_happens="We will choose colours, seats and what to read from your answers.",
        opens_on=today + timedelta(days=14),
        closes_on=today + timedelta(days=42),
        audience="young_people",
        status="submitted",
    )
    _questions(
        consultation,
        [
            {
                "kind": "multiple",
                "prompt": "What would make the waiting room feel better?",
                "options": ["Comfy seats", "Plants", "Music", "Something to read", "A quiet corner"],
            },
            {"kind": "short_text", "prompt": "One colour for the walls"},
        ],
    )


def load_consultations() -> int:
    by_email = {
        u.email: u
        for u in db.session.scalars(
            select(User).where(User.email.in_(["partner@demo.example", "officer@demo.example", "chair@demo.example"]))
        )
    }
    partner, officer, chair = (
        by_email.get(e) for e in ("partner@demo.example", "officer@demo.example", "chair@demo.example")
    )
    if partner is None or officer is None or chair is None:
        return 0
    titles = set(db.session.scalars(select(Consultation.title)))
    created = 0
    for title, make in (
        ("Our name, brand and wording", lambda: _name_and_brand(partner, officer, chair)),
        ("Getting to college: buses", lambda: _buses(officer)),
        ("Our waiting room", lambda: _waiting_room(partner)),
    ):
        if title not in titles:
            make()
            created += 1
    db.session.commit()
    return created
