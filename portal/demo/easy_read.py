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


# The consultation open now, so that Easy Read can be tried in the demo (sign in
# as Ruby T., young.person@demo.example, and choose "Read this in Easy Read").
BUSES = "Getting to college: buses"
BUSES_INTRO = (
    "The council plans the buses.\n\n"
    "We want to know how you get to school or college.\n\n"
    "Your answers help us choose new bus routes and fares.\n\n"
    "We will tell you what we decide."
)
BUSES_WORDS = {
    "How do you usually get to school or college?": ("How do you get to school or college?", "Choose one."),
    "How easy is it to get there on time?": (
        "Do you get there on time?",
        "1 means it is very hard. 5 means it is very easy.",
    ),
    "What should we fix first?": ("What should we fix first?", "Give the most important thing number 1."),
    "Tell us about your journey": ("Tell us about your journey.", "Do not write your name or where you live."),
}


def _words(title: str, intro: str, words: dict[str, tuple[str, str]]) -> Consultation | None:
    """The Easy Read introduction and every question's words, once."""
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == title))
    if consultation is None or consultation.easy_intro:
        return None
    consultation.easy_intro = intro
    for question in db.session.scalars(select(Question).where(Question.consultation_id == consultation.id)):
        prompt, hint = words.get(question.prompt, (question.prompt, ""))
        question.easy_prompt, question.easy_help = prompt, hint
    return consultation


def load_easy_read() -> int:
    _words(BUSES, BUSES_INTRO, BUSES_WORDS)
    consultation = _words(TITLE, INTRO, WORDS)
    if consultation is None:
        db.session.commit()
        return 0
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
