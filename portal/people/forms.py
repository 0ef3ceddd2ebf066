"""Forms for managing people."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from portal.auth.forms import email_field
from portal.forms import MaxLength, clean_text
from portal.models.user import NAME_MAX, ORGANISATION_MAX
from portal.people.erasure import REASON_MAX
from portal.roles import AGE_BANDS, ROLE_LABELS, Role

ROLE_CHOICES = [SelectChoice("", "Choose a role")] + [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class RoleDetailsMixin:
    """Role, and the details each role needs (age band and district for young people)."""

    role = SelectField(
        "Role",
        widget=GovSelect(),
        choices=ROLE_CHOICES,
        validate_choice=False,
        validators=[DataRequired("Choose a role")],
    )
    age_band = SelectField(
        "Age band (young people only)",
        widget=GovSelect(),
        choices=[SelectChoice("", "Not given")] + [SelectChoice(k, v) for k, v in AGE_BANDS.items()],
        validate_choice=False,
        validators=[Optional()],
    )
    district = SelectField(
        "District (young people only)",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
        validators=[Optional()],
    )
    organisation = StringField(
        "Organisation (partners only)",
        description="For example, the name of the mental health service",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[MaxLength(ORGANISATION_MAX, "The organisation's name")],
    )

    def set_district_choices(self) -> None:
        self.district.choices = [SelectChoice("", "Not given")] + [
            SelectChoice(d, d) for d in current_app.config["DISTRICTS"]
        ]

    def validate_role(self, field) -> None:
        if field.data and field.data not in {r.value for r in Role}:
            raise ValidationError("Choose a role from the list")

    def validate_age_band(self, field) -> None:
        if field.data and field.data not in AGE_BANDS:
            raise ValidationError("Choose an age band from the list")

    def validate_district(self, field) -> None:
        if field.data and field.data not in current_app.config["DISTRICTS"]:
            raise ValidationError("Choose a district from the list")

    def validate_organisation(self, field) -> None:
        if self.role.data == Role.PARTNER and not field.data:
            raise ValidationError("Enter the partner's organisation")


class InviteForm(RoleDetailsMixin, FlaskForm):
    display_name = StringField(
        "Name",
        description="For young people: first name and the first letter of their last name, like Sam K.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the person's name"), MaxLength(NAME_MAX, "The name")],
    )
    email = email_field("Enter the person's email address", "The email address")
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_district_choices()


class RoleForm(RoleDetailsMixin, FlaskForm):
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_district_choices()


class EraseForm(FlaskForm):
    """An officer deletes someone's account on their request: why, and a tick
    to say the request was checked (the person is not there to type a password)."""

    reason = TextAreaField(
        "Why are you deleting this account?",
        description="For example, ‘Asked by email on 3 March’. Do not write their name or contact details here.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Say why you are deleting this account"), MaxLength(REASON_MAX, "The reason")],
    )
    checked = BooleanField(
        "I have checked this request",
        description="The request really comes from this person, or from someone allowed to ask for them.",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Tick the box to say you have checked this request")],
    )
    submit = SubmitField("Delete this account", widget=GovSubmitInput())
