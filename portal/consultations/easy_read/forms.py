"""Forms for writing a consultation's Easy Read version."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired

from portal.consultations.easy_read.operations import HELP_MAX, INTRO_MAX, PROMPT_MAX, SENTENCE_WORDS
from portal.consultations.requests.operations import ALT_MAX
from portal.forms import MaxLength, clean_text


def _text(value: str | None) -> str:
    return clean_text(value) if value is not None else ""


def _line(value: str | None) -> str:
    """One line: line breaks become spaces."""
    return " ".join((clean_text(value) or "").split())


class IntroForm(FlaskForm):
    intro = TextAreaField(
        "What is this about?",
        widget=GovTextArea(),
        filters=[_text],
        description=f"A few short sentences, each on its own line and no longer than {SENTENCE_WORDS} words. "
        "Say who is asking, what about, and what happens with the answers.",
        validators=[MaxLength(INTRO_MAX, "“What is this about?”")],
    )


class EasyQuestionForm(FlaskForm):
    prompt = TextAreaField(
        "The question in Easy Read words",
        widget=GovTextArea(),
        filters=[_line],
        description=f"Short and plain, like “Do you like this name?”. No more than {SENTENCE_WORDS} words a sentence.",
        validators=[DataRequired("Write the question in Easy Read words"), MaxLength(PROMPT_MAX, "The question")],
    )
    help = TextAreaField(
        "A short hint (optional)",
        widget=GovTextArea(),
        filters=[_text],
        description="One or two short sentences that help people answer.",
        validators=[MaxLength(HELP_MAX, "The hint")],
    )
    # Checked by portal/images; without one, the question's own picture is shown (if it has one).
    picture = FileField(
        "Picture (optional)",
        widget=GovFileInput(),
        description="A simple, clear picture of what the question is about. A PNG, JPEG or WebP picture, "
        "5 MB or smaller. Without one, the question’s own picture is shown, if it has one.",
    )
    picture_alt = StringField(
        "Describe the picture",
        widget=GovTextInput(),
        filters=[_line],
        description="For people who cannot see it, like “A smiling face”.",
        validators=[MaxLength(ALT_MAX, "The description of the picture")],
    )
    remove_picture = BooleanField("Remove the Easy Read picture", widget=GovCheckboxInput())
