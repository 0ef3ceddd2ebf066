"""Forms for the Area of Interest programme."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from portal.forms import DayMonthYearField, MaxLength, clean_text


class PortfolioForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the portfolio's name"), MaxLength(120, "The name")],
    )
    description = TextAreaField(
        "What it covers", widget=GovTextArea(), filters=[clean_text], validators=[MaxLength(500, "The description")]
    )
    cabinet_member = SelectField("Cabinet Member", widget=GovSelect(), choices=[], validate_choice=False)
    capacity = IntegerField(
        "How many Youth Cabinet members it can take",
        widget=GovTextInput(),
        validators=[InputRequired("Enter how many members it can take, as a whole number like 2")],
    )
    active = BooleanField("In use (members can choose it)", widget=GovCheckboxInput(), default=True)

    def __init__(self, *args, cabinet_members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cabinet_member.choices = [SelectChoice("", "Nobody yet")] + [
            SelectChoice(str(u.id), u.display_name) for u in cabinet_members
        ]
        self._holder_ids = {str(u.id) for u in cabinet_members}
        self.capacity.process_errors = [
            "Enter how many members it can take, as a whole number like 2" for _ in self.capacity.process_errors
        ]

    def validate_cabinet_member(self, field) -> None:
        if field.data and field.data not in self._holder_ids:
            raise ValidationError("Choose a Cabinet Member from the list")

    def validate_capacity(self, field) -> None:
        if field.data is not None and field.data > 100:
            raise ValidationError("A portfolio can take at most 100 members")


class RoundForm(FlaskForm):
    title = StringField(
        "Name of the round",
        widget=GovTextInput(),
        filters=[clean_text],
        description="For example, Area of Interest 2027",
        validators=[DataRequired("Enter a name for the round"), MaxLength(120, "The name")],
    )
    closes_on = DayMonthYearField(
        "Closing date", description="For example, 27 3 2027", validators=[InputRequired("Enter the closing date")]
    )


RANK_LABELS = ("First choice", "Second choice (optional)", "Third choice (optional)")


class ChoicesForm(FlaskForm):
    first = SelectField(RANK_LABELS[0], widget=GovSelect(), choices=[], validate_choice=False)
    second = SelectField(RANK_LABELS[1], widget=GovSelect(), choices=[], validate_choice=False)
    third = SelectField(RANK_LABELS[2], widget=GovSelect(), choices=[], validate_choice=False)
    reason = TextAreaField(
        "Why? (optional)",
        description="One sentence is enough. Only council officers and the Cabinet Member concerned will see it.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[MaxLength(300, "Your reason")],
    )

    def __init__(self, *args, portfolios=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [SelectChoice("", "Choose a portfolio")] + [SelectChoice(str(p.id), p.name) for p in portfolios]
        for field in (self.first, self.second, self.third):
            field.choices = options
        self._ids = {str(p.id) for p in portfolios}

    def ranked(self) -> list[int | None]:
        return [int(f.data) if f.data else None for f in (self.first, self.second, self.third)]

    def _known(self, field) -> None:
        if field.data and field.data not in self._ids:
            raise ValidationError("Choose a portfolio from the list")

    validate_first = validate_second = validate_third = _known


class MoveForm(FlaskForm):
    portfolio = SelectField("Move to", widget=GovSelect(), choices=[], validate_choice=False)
    allow_over = BooleanField("Yes, go over this portfolio's places", widget=GovCheckboxInput())

    def __init__(self, *args, portfolios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.portfolio.choices = [SelectChoice(str(p.id), p.name) for p in portfolios]

    def validate_portfolio(self, field) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("Choose a portfolio from the list")


class LogEntryForm(FlaskForm):
    kind = RadioField(
        "What are you adding?",
        widget=GovRadioInput(),
        choices=[SelectChoice("meeting", "A meeting"), SelectChoice("action", "An action")],
        default="meeting",
        validate_choice=False,
    )
    on = DayMonthYearField(
        "Date",
        description="The day of the meeting, or when the action is due. For example, 27 3 2027",
        validators=[InputRequired("Enter the date")],
    )
    text = TextAreaField(
        "What was discussed, or what needs doing",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Write what was discussed or what needs doing"), MaxLength(2000, "This")],
    )
    who = StringField(
        "Who will do it (actions only)",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[MaxLength(120, "The name")],
    )

    def validate_kind(self, field) -> None:
        if field.data not in ("meeting", "action"):
            raise ValidationError("Choose a meeting or an action")

    def validate_who(self, field) -> None:
        if self.kind.data == "action" and not field.data:
            raise ValidationError("Say who will do the action")


class EditEntryForm(FlaskForm):
    """Changing an entry keeps its kind."""

    on = LogEntryForm.on
    text = LogEntryForm.text
    who = LogEntryForm.who

    def __init__(self, *args, kind: str = "meeting", **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_kind = kind

    def validate_who(self, field) -> None:
        if self.entry_kind == "action" and not field.data:
            raise ValidationError("Say who will do the action")
