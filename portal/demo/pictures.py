"""Demo: pictures in the mental health service's consultation on its name,
brand and wording (#17.4). "How friendly does the new logo look?" shows the
logo, and "Which logo do you like best?" offers the two candidate logos as
picture options, answered in the demo's sent responses and counted.

The logos are small PNGs in portal/demo/data/, drawn once with Pillow; they
go through the same check and re-encoding as any upload."""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select

from portal.consultations import tally
from portal.extensions import db
from portal.images import accept_upload, keep
from portal.models import Answer, Consultation, Question, Response, User

TITLE = "Our name, brand and wording"
LOGO_QUESTION = "How friendly does the new logo look?"
CHOICE = "Which logo do you like best?"
DATA = Path(__file__).parent / "data"
LOGOS = [
    ("The green wave", "logo-green-wave.png", "A green wave under the letters MW, with the words Mind Waves"),
    ("The open door", "logo-blue-door.png", "A yellow door opening in a blue frame, beside the letters MW"),
]


def _picture(consultation: Consultation, partner: User | None, name: str):
    upload = SimpleNamespace(stream=io.BytesIO((DATA / name).read_bytes()))
    return keep(partner, consultation, accept_upload(upload))


def load_pictures() -> int:
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == TITLE))
    if consultation is None:
        return 0
    questions = list(
        db.session.scalars(
            select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position)
        )
    )
    if any(question.prompt == CHOICE for question in questions):
        return 0
    partner = db.session.get(User, consultation.partner_id) if consultation.partner_id else None
    pictures = [_picture(consultation, partner, name) for _, name, _ in LOGOS]
    logo = next(question for question in questions if question.prompt == LOGO_QUESTION)
    logo.image_id, logo.image_alt = pictures[0].id, LOGOS[0][2]
    # Straight after the logo question: the ones after it move down one place.
    for question in questions:
        if question.position > logo.position:
            question.position += 1
    choice = Question(
        consultation_id=consultation.id,
        position=logo.position + 1,
        kind="single",
        prompt=CHOICE,
        help="We are choosing between two logos.",
        options=[words for words, _, _ in LOGOS],
        option_images=[{"image": picture.id, "alt": alt} for picture, (_, _, alt) in zip(pictures, LOGOS, strict=True)],
    )
    db.session.add(choice)
    db.session.flush()
    _answer(consultation, choice)
    db.session.commit()
    return 1


def _answer(consultation: Consultation, choice: Question) -> None:
    """Most of the sent responses chose a logo: their answers, and the counters
    results read (everyone, and by age band and district, as tally.count keeps them)."""
    chance = random.Random(17)
    counters: Counter[tuple[int, str, str]] = Counter()
    responses = db.session.execute(
        select(Response.id, Response.age_band, Response.district)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .order_by(Response.id)
    ).all()
    answers = []
    for response_id, age_band, district in responses:
        if chance.random() < 0.1:
            continue  # an optional question: some left it
        option = chance.choices(range(len(LOGOS)), weights=[7, 4])[0]
        answers.append(Answer(response_id=response_id, question_id=choice.id, option=option))
        groups = [("", "")] + [
            (name, value) for name, value in (("age_band", age_band), ("district", district)) if value
        ]
        for dimension, value in groups:
            counters[(-1, dimension, value)] += 1
            counters[(option, dimension, value)] += 1
    db.session.add_all(answers)
    tally.add(
        [
            {
                "consultation_id": consultation.id,
                "question_id": choice.id,
                "option": option,
                "number": -1,
                "dimension": dimension,
                "value": value,
                "count": count,
            }
            for (option, dimension, value), count in counters.items()
        ]
    )
