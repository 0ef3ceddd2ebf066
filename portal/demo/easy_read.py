"""Demo: the Easy Read version of the mental health service's consultation on
its name, brand and wording (#17.3), and some of its answers sent in Easy
Read, so its results show how many answered each version."""

from __future__ import annotations

from sqlalchemy import select

from portal.consultations import tally
from portal.extensions import db
from portal.models import Consultation, Question, Response

TITLE = "Our name, brand and wording"

INTRO = (
    "Coastal Minds helps young people with their mental health.\n\n"
    "We want a new name and a new logo.\n\n"
    "We want to use words you like.\n\n"
    "Please tell us what you think.\n\n"
    "We will tell you what we chose and why."
)

# The standard question (as the demo writes it) -> its Easy Read words and hint.
WORDS = {
    "Which name do you like best?": ("Which name do you like best?", "Choose one name."),
    "How friendly does the new logo look?": (
        "Look at our new logo. Does it look friendly?",
        "1 means not friendly. 5 means very friendly.",
    ),
    "Put these words in order: which would you most like us to use?": (
        "Which words do you like best?",
        "Give your favourite word number 1.",
    ),
    "Where would you look for us?": ("Where would you look for us?", "You can choose more than one."),
    "Is there anything in the way we write that puts you off?": (
        "Is there anything you do not like about how we write?",
        "You can leave this empty.",
    ),
    "One word for how we should sound": ("Tell us one word. How should we sound?", "For example: kind."),
    # Added with the demo's pictures (portal/demo/pictures.py).
    "Which logo do you like best?": ("Which logo do you like best?", "Look at the two logos. Choose one."),
}

# Visitors' responses counted as sent in Easy Read: enough that the results
# can show the number (groups under 5 are never shown).
EASY_READ_RESPONSES = 8


def load_easy_read() -> int:
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == TITLE))
    if consultation is None or consultation.easy_intro:
        return 0
    consultation.easy_intro = INTRO
    for question in db.session.scalars(select(Question).where(Question.consultation_id == consultation.id)):
        prompt, hint = WORDS.get(question.prompt, (question.prompt, ""))
        question.easy_prompt, question.easy_help = prompt, hint
    answered = db.session.scalars(
        select(Response)
        .where(
            Response.consultation_id == consultation.id,
            Response.respondent_id.is_(None),
            Response.status == "submitted",
        )
        .order_by(Response.id.desc())
        .limit(EASY_READ_RESPONSES)
    ).all()
    for response in answered:
        # Counted again under its version: taken back as it was, added as it is now.
        tally.count(response, -1)
        response.version = "easy_read"
        db.session.flush()
        tally.count(response, +1)
    db.session.commit()
    return 1
