"""Sign-in, invitation, reset and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, ValidationError

from portal.auth.passwords import MAX_LENGTH, password_problem
from portal.forms import MaxLength, clean_text
from portal.models.user import EMAIL_MAX


def email_field(missing: str = "Enter your email address", what: str = "Your email address") -> StringField:
    """An email address field; ``missing`` and ``what`` word the messages for whoever fills it in."""
    return StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(missing),
            MaxLength(EMAIL_MAX, what),
            Email("Enter an email address in the right format, like name@example.com"),
        ],
    )


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), MaxLength(MAX_LENGTH, "Your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class NewPasswordMixin:
    """A new password typed twice, checked against the password rules."""

    password = PasswordField(
        "Create a password",
        description="At least 8 characters. A few words you can remember work well.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Create a password")],
    )
    confirm = PasswordField(
        "Type the password again",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Type the password again"),
            EqualTo("password", "The two passwords are not the same. Type them again"),
        ],
    )

    account_email: str | None = None

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", self.account_email)
        if problem:
            raise ValidationError(problem)


class ChoosePasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField("Save password and sign in", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(
        "Your current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), MaxLength(MAX_LENGTH, "Your password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class DeleteAccountForm(FlaskForm):
    """Deleting your own account: your password says it is really you."""

    password = PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), MaxLength(MAX_LENGTH, "Your password")],
    )
    submit = SubmitField("Delete my account", widget=GovSubmitInput())


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""


class AppCodeMixin:
    """The 6-digit code an authenticator app shows (spaces allowed)."""

    code = StringField(
        "Code from your authenticator app",
        description="The 6 numbers your app shows now, for example 123456.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter the 6 numbers your authenticator app shows")],
    )

    def validate_code(self, field) -> None:
        digits = "".join(ch for ch in field.data or "" if not ch.isspace() and ch != "-")
        if not (len(digits) == 6 and digits.isascii() and digits.isdigit()):
            raise ValidationError("The code is 6 numbers, like 123456. Check your authenticator app and type it again")


class TwoStepCodeForm(AppCodeMixin, FlaskForm):
    remember = BooleanField(widget=GovCheckboxInput())
    submit = SubmitField("Continue", widget=GovSubmitInput())


class TwoStepSetUpForm(AppCodeMixin, FlaskForm):
    submit = SubmitField("Turn on two-step sign-in", widget=GovSubmitInput())


class AppCodeConfirmForm(AppCodeMixin, FlaskForm):
    """A change to two-step sign-in itself needs a code from the app."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        "Recovery code",
        description="One of the 10 codes you saved when you set up two-step sign-in, for example abcde-fghjk.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[InputRequired("Enter one of your recovery codes"), MaxLength(40, "A recovery code")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
