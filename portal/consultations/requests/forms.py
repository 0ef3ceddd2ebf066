"""Forms for consultation requests: the details, the question builder, the review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.consultations.requests.operations import ALT_MAX, COMMENT_MAX, OPTIONS_MAX, SCALE_MAX, SCALE_MIN
from portal.forms import DayMonthYearField, MaxLength, clean_text
from portal.models.consultation import AUDIENCES, QUESTION_KINDS

YEARS = (2000, 2100)


def _text(value: str | None) -> str:
    return clean_text(value) if value is not None else ""


def _line(value: str | None) -> str:
    """One line: line breaks become spaces."""
    return " ".join((clean_text(value) or "").split())


DateField = DayMonthYearField


def _in_range(field) -> None:
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(f"Enter a date between the years {YEARS[0]} and {YEARS[1]}")


class RequestForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[_line],
        description="A short name young people will see, like “Getting help with your mental health”.",
        validators=[DataRequired("Enter a title for the consultation"), MaxLength(200, "The title")],
    )
    organisation = StringField(
        "Who is asking?",
        widget=GovTextInput(),
        filters=[_line],
        description="The name of the organisation, as young people will see it.",
        validators=[MaxLength(200, "The name of the organisation")],
    )
    why = TextAreaField(
        "Why are you asking?",
        widget=GovTextArea(),
        filters=[_text],
        description="Say it in words a 12-year-old understands.",
        validators=[MaxLength(5000, "Why you are asking")],
    )
    what_happens = TextAreaField(
        "What will happen with the answers?",
        widget=GovTextArea(),
        filters=[_text],
        description="Who reads them, what they can change, and when people will hear back.",
        validators=[MaxLength(5000, "What will happen with the answers")],
    )
    opens_on = DateField("Opening date", validators=[Optional()])
    closes_on = DateField("Closing date", validators=[Optional()])
    audience = RadioField(
        "Who can answer?",
        widget=GovRadioInput(),
        validate_choice=False,
        description="Only the people you choose can answer; anyone can read the consultation's page.",
        choices=[SelectChoice(k, v) for k, v in AUDIENCES.items()],
        default="young_people",
    )
    anonymous = RadioField(
        "Can the organisation see who answered?",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[
            SelectChoice("yes", "No: answers are anonymous to the organisation (recommended)"),
            SelectChoice("no", "Yes: the organisation sees each person's first name and initial"),
        ],
        default="yes",
    )
    partner = SelectField(
        "Partner organisation it is for",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
        description="The partner account that can follow the request and read the results.",
    )
    # Read by the view: a tampered value is treated like an old one (nothing is overwritten).
    base_version = StringField(widget=HiddenInput())

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partner.choices = [SelectChoice("", "None (the council asks)")] + [
            SelectChoice(str(p.id), f"{p.organisation or p.display_name} ({p.display_name})") for p in partners
        ]
        self._partner_ids = {str(p.id) for p in partners}

    def validate_opens_on(self, field) -> None:
        _in_range(field)

    def validate_closes_on(self, field) -> None:
        _in_range(field)

    def validate_audience(self, field) -> None:
        if field.data not in AUDIENCES:
            raise ValidationError("Choose who can answer from the list")

    def validate_anonymous(self, field) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Choose whether the organisation can see who answered")

    def validate_partner(self, field) -> None:
        if field.data and field.data not in self._partner_ids:
            raise ValidationError("Choose a partner from the list")


class AddQuestionForm(FlaskForm):
    kind = RadioField(
        "What kind of question?",
        widget=GovRadioInput(),
        validate_choice=False,
        description="You write the question next.",
        choices=[SelectChoice(k, v) for k, v in QUESTION_KINDS.items()],
    )

    def validate_kind(self, field) -> None:
        if field.data not in QUESTION_KINDS:
            raise ValidationError("Choose what kind of question to add")


class QuestionForm(FlaskForm):
    prompt = TextAreaField(
        "The question",
        widget=GovTextArea(),
        filters=[_line],
        validators=[DataRequired("Enter the question"), MaxLength(500, "The question")],
    )
    help = TextAreaField(
        "Help text (optional)",
        widget=GovTextArea(),
        filters=[_text],
        description="A hint shown under the question, like “Think about the last month”.",
        validators=[MaxLength(1000, "The help text")],
    )
    required = BooleanField(
        "People must answer this question",
        widget=GovCheckboxInput(),
        description="Leave it unticked to let people skip it.",
    )
    options = TextAreaField(
        "Options",
        widget=GovTextArea(),
        filters=[_text],
        description="Put each option on its own line. From 2 to 12 options.",
        validators=[MaxLength(3000, "The options")],
    )
    scale_max = SelectField(
        "How many points on the scale?",
        widget=GovSelect(),
        validate_choice=False,
        choices=[SelectChoice(str(n), f"1 to {n}") for n in range(SCALE_MIN, SCALE_MAX + 1)],
        default="5",
    )
    low_label = StringField(
        "Words for the lowest point (1)",
        widget=GovTextInput(),
        filters=[_line],
        description="Like “Not at all”.",
        validators=[MaxLength(100, "The words for the lowest point")],
    )
    high_label = StringField(
        "Words for the highest point",
        widget=GovTextInput(),
        filters=[_line],
        description="Like “Very much”.",
        validators=[MaxLength(100, "The words for the highest point")],
    )

    # A picture shown with the question (#17.4): its file is checked by
    # portal/images; its words, for people who cannot see it, are required with it.
    picture = FileField(
        "Picture (optional)",
        widget=GovFileInput(),
        description="A PNG, JPEG or WebP picture, 5 MB or smaller.",
    )
    picture_alt = StringField(
        "Describe the picture",
        widget=GovTextInput(),
        filters=[_line],
        description="For people who cannot see it, like “A green leaf with the letters MH”.",
        validators=[MaxLength(ALT_MAX, "The description of the picture")],
    )
    remove_picture = BooleanField("Remove the picture", widget=GovCheckboxInput())


def option_field(kind: str, index: int) -> str:
    """The form field of option ``index``'s picture (``picture``), its words (``alt``) or removal (``remove``)."""
    return f"option_{kind}_{index}"


# Each option of a choice question may be a picture, with words describing it.
for _index in range(OPTIONS_MAX):
    setattr(QuestionForm, option_field("picture", _index), FileField(widget=GovFileInput()))
    setattr(
        QuestionForm,
        option_field("alt", _index),
        StringField(
            widget=GovTextInput(),
            filters=[_line],
            validators=[MaxLength(ALT_MAX, f"The description of option {_index + 1}'s picture")],
        ),
    )
    setattr(QuestionForm, option_field("remove", _index), BooleanField(widget=GovCheckboxInput()))


class ReturnForm(FlaskForm):
    comment = TextAreaField(
        "What needs to change?",
        widget=GovTextArea(),
        filters=[_text],
        description="The partner sees this on their request.",
        validators=[
            DataRequired("Write what needs to change before the request can be approved"),
            MaxLength(COMMENT_MAX, "The comment"),
        ],
    )
