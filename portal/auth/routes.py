"""Account pages: thin views that parse, check, call one operation and render."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, get_flashed_messages, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from portal.auth import bp, sessions, two_step
from portal.auth import operations as ops
from portal.auth.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    SignInForm,
    SignOutForm,
)
from portal.auth.tokens import INVITATION, RESET, LinkProblem, read_link_token
from portal.auth.two_step_views import after_password, start_session
from portal.extensions import limiter
from portal.forms import clean_text
from portal.people import erasure, my_data
from portal.permissions import requires
from portal.templating import full_stop

WRONG_DETAILS = "Your email address or password is not right. Check them and try again"


def _email_key() -> str:
    """The account a try is for, normalised exactly as the sign-in looks it up."""
    return "account:" + ops.normalise_email(clean_text(request.form.get("email", "")) or "")[:254]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@requires("account.sign_in")
# Every try counts, counted before the password is checked, so that tries sent
# at the same moment cannot slip past the limit.
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=_email_key, methods=["POST"])
def sign_in():
    next_url = _safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = ops.authenticate(form.email.data, form.password.data)
        if user is not None:
            return after_password(user, next_url)
        form.password.errors.append(WRONG_DETAILS)
    # Signed out by a time limit: the page says why, and needs no other reason.
    timed_out = bool(get_flashed_messages(category_filter=[sessions.SESSION_ENDED]))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form, timed_out=timed_out), status


@bp.route("/sign-out", methods=["POST"])
@requires("account.own")
def sign_out():
    ops.end_sessions(current_user._get_current_object(), "signed_out")
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("main.home"), 303)


@bp.route("/session/keep-alive", methods=["POST"])
@requires("account.keep_alive")
def keep_alive():
    """The warning's "Stay signed in", before the idle limit. Past a limit the
    session ended before this view, with a 401 (sessions.py): no extension."""
    sessions.stay_signed_in()
    return "", 204


def _link_page(token: str, purpose: str, template: str, action: str):
    """Shared by invitations and resets: check the link, then choose a password."""
    if current_user.is_authenticated:
        return render_template("auth/already_signed_in.html", sign_out_form=SignOutForm())
    try:
        user = read_link_token(token, purpose)
    except LinkProblem as problem:
        return render_template("auth/link_problem.html", problem=problem.message, purpose=purpose), 400
    form = ChoosePasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        ops.set_password(user, form.password.data, action)
        # Two-step sign-in, where the role asks for it, before signing in.
        response = after_password(user, None)
        welcome = f"Welcome, {full_stop(user.display_name)} " if purpose == INVITATION else ""
        if current_user.is_authenticated:
            flash(f"{welcome}Your {'' if welcome else 'new '}password is saved and you are signed in.", "success")
        else:
            flash(f"{welcome}Your {'' if welcome else 'new '}password is saved. One more step to sign in.", "success")
        return response
    return render_template(template, form=form, person=user), 422 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@requires("account.sign_in")
def accept_invitation(token: str):
    return _link_page(token, INVITATION, "auth/accept_invitation.html", "account.invitation_accepted")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@requires("account.sign_in")
def reset_password(token: str):
    return _link_page(token, RESET, "auth/reset_password.html", "account.password_reset")


@bp.route("/forgot-password", methods=["GET", "POST"])
@requires("account.sign_in")
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_email_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data)
        # The same answer whether or not the email is known.
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/account")
@requires("account.own")
def account():
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html",
        sign_out_form=SignOutForm(),
        two_step=two_step,
        recovery_codes_left=two_step.recovery_codes_left(user) if user.has_two_step else 0,
        remembered_devices=two_step.remembered_count(user) if user.has_two_step else 0,
    )


@bp.route("/account/password", methods=["GET", "POST"])
@requires("account.own")
@limiter.limit("10 per hour", methods=["POST"], key_func=lambda: f"user:{current_user.id}")
def change_password():
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if ops.change_password(user, form.current.data, form.password.data):
            # The password change ended every session; start this one again.
            start_session(user)
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("auth.account"), 303)
        form.current.errors.append("That is not your current password. Check it and try again")
    return render_template("auth/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/account/data")
@requires("account.data")
def download_data():
    return my_data.zip_response(my_data.download(current_user._get_current_object()), my_data.filename())


@bp.route("/account/delete", methods=["GET", "POST"])
@requires("account.delete")
@limiter.limit("10 per hour", methods=["POST"], key_func=lambda: f"user:{current_user.id}")
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    refused = erasure.refusal(user, user)
    if refused is None and form.validate_on_submit():
        try:
            erasure.delete_own_account(user, form.password.data)
        except erasure.ErasureError as error:
            error.show_on(form, "password")
        else:
            logout_user()
            session.clear()
            # Only this browser, straight after deleting, sees the confirmation.
            session["account_deleted"] = True
            return redirect(url_for("auth.account_deleted"), 303)
    refused_post = refused is not None and request.method == "POST"
    status = 422 if form.errors or refused_post else 200
    return render_template("auth/delete_account.html", form=form, refused=refused), status


@bp.route("/account/deleted")
@requires("public.read")
def account_deleted():
    if not session.get("account_deleted"):
        abort(404)
    return render_template("auth/account_deleted.html")
