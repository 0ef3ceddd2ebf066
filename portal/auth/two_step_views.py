"""Two-step sign-in pages (#15): the code after the password, a recovery code
instead, setting it up, and the account's two-step settings. Thin views; the
rules are in portal/auth/two_step.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from portal.auth import bp, sessions, two_step
from portal.auth import operations as ops
from portal.auth.forms import AppCodeConfirmForm, RecoveryCodeForm, TwoStepCodeForm, TwoStepSetUpForm
from portal.extensions import limiter
from portal.forms import ButtonForm
from portal.lookup import get_or_404
from portal.models import User
from portal.permissions import requires
from portal.security_log import security_event

# The session key of a secret being set up: it becomes the account's only once
# a code from the app proves the app holds it.
SETUP_SECRET = "two_step_setup_secret"
TIMED_OUT = "The time to finish signing in ran out. Sign in again"


def start_session(user: User) -> None:
    """A fresh session for a fresh sign-in: nothing carried over from before."""
    session.clear()
    login_user(user)
    sessions.start()
    ops.record_sign_in(user)


def after_password(user: User, next_url: str | None) -> Response:
    """The password was right (or a link's new password was saved): sign in, or
    ask for the second step first."""
    landing = next_url or url_for("main.dashboard")
    if not two_step.asked_for(user):
        start_session(user)
        return redirect(landing, 303)
    if two_step.is_remembered(user, request.cookies.get(two_step.device_cookie_name())):
        security_event("two_step.passed", user=user, method="remembered device")
        start_session(user)
        return redirect(landing, 303)
    two_step.begin(user, next_url)
    return redirect(url_for("auth.two_step_code" if user.has_two_step else "auth.set_up_two_step"), 303)


def _code_key() -> str:
    """Rate-limit key for codes: the account being signed in to (or set up)."""
    state = session.get(two_step.PENDING)
    if isinstance(state, dict) and state.get("user"):
        return f"two-step:{state['user']}"
    if current_user.is_authenticated:
        return f"two-step:{current_user.id}"
    return f"two-step-address:{request.remote_addr}"


def _code_limit() -> str:
    return current_app.config["TWO_STEP_CODE_LIMIT"]


# One count of code tries per account, whichever page they are typed on.
CODE_LIMIT = limiter.shared_limit(_code_limit, scope="two-step-code", key_func=_code_key, methods=["POST"])


def _finish(user: User) -> Response:
    landing = two_step.pending_next() or url_for("main.dashboard")
    start_session(user)
    return redirect(landing, 303)


def _timed_out() -> Response:
    flash(TIMED_OUT, "important")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@requires("account.sign_in")
@CODE_LIMIT
def two_step_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"), 303)
    user = two_step.pending_user()
    if user is None or not user.has_two_step:
        return _timed_out()
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        if two_step.check_code(user, form.code.data or ""):
            remember = bool(form.remember.data) and two_step.remember_days() > 0
            response = _finish(user)
            if remember:
                response.set_cookie(
                    two_step.device_cookie_name(),
                    two_step.remember_device(user),
                    max_age=two_step.remember_days() * 86400,
                    secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                    httponly=True,
                    samesite="Lax",
                    path="/",
                )
            return response
        form.code.errors.append(
            "That code is not right. Type the code your app shows now: each code works once, for 30 seconds"
        )
    status = 422 if form.errors else 200
    return render_template("auth/two_step_code.html", form=form, remember_days=two_step.remember_days()), status


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@requires("account.sign_in")
@CODE_LIMIT
def recovery_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"), 303)
    user = two_step.pending_user()
    if user is None or not user.has_two_step:
        return _timed_out()
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        left = two_step.use_recovery_code(user, form.code.data or "")
        if left is not None:
            response = _finish(user)
            flash(
                f"You signed in with a recovery code. It will not work again. You have {left} left."
                + (" Get new ones from your account page." if left <= 3 else ""),
                "important" if left <= 3 else "success",
            )
            return response
        form.code.errors.append("That is not one of your recovery codes, or it has been used. Check it and try again")
    status = 422 if form.errors else 200
    return render_template("auth/recovery_code.html", form=form), status


def _enrolling_user() -> User | None:
    """Who is setting up: the signed-in person, or someone part-way through signing in."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return two_step.pending_user()


@bp.route("/account/two-step/set-up", methods=["GET", "POST"])
@requires("account.sign_in")
@CODE_LIMIT
def set_up_two_step():
    user = _enrolling_user()
    if user is None:
        return _timed_out()
    if not two_step.may_set_up(user):
        abort(403)
    signing_in = not current_user.is_authenticated
    if user.has_two_step and not signing_in:
        flash("Two-step sign-in is already on for your account.", "success")
        return redirect(url_for("auth.account"), 303)
    if user.has_two_step:  # part-way through signing in: the code page is where they go
        return redirect(url_for("auth.two_step_code"), 303)
    # The secret the app is given: kept in the session until a code proves it.
    secret = session.get(SETUP_SECRET)
    if not isinstance(secret, str) or request.method == "GET":
        secret = session[SETUP_SECRET] = two_step.new_secret()
    form = TwoStepSetUpForm()
    if form.validate_on_submit():
        done = two_step.set_up(user, secret, form.code.data or "")
        if done is not None:
            session.pop(SETUP_SECRET, None)
            landing = url_for("auth.account")
            if signing_in:
                landing = two_step.pending_next() or url_for("main.dashboard")
                start_session(user)
            return render_template("auth/recovery_codes.html", codes=done.recovery_codes, continue_to=landing)
        form.code.errors.append(
            "That code is not right. Check that you added the key shown here, then type the code your app shows now"
        )
    status = 422 if form.errors else 200
    return render_template(
        "auth/two_step_set_up.html",
        form=form,
        qr_code=two_step.qr_code(user, secret),
        key=two_step.key_in_groups(secret),
        signing_in=signing_in,
        required=two_step.required_for(user),
    ), status


@bp.route("/account/two-step/recovery-codes", methods=["GET", "POST"])
@requires("account.own")
@CODE_LIMIT
def renew_recovery_codes():
    user = current_user._get_current_object()
    if not user.has_two_step:
        abort(404)
    form = AppCodeConfirmForm()
    if form.validate_on_submit():
        codes = two_step.renew_recovery_codes(user, form.code.data or "")
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes, continue_to=url_for("auth.account"))
        form.code.errors.append("That code is not right. Type the code your app shows now")
    status = 422 if form.errors else 200
    return render_template(
        "auth/two_step_confirm.html",
        form=form,
        title="Get new recovery codes",
        intro="Your 10 new recovery codes will replace the old ones: the old ones will stop working.",
        left=two_step.recovery_codes_left(user),
    ), status


@bp.route("/account/two-step/turn-off", methods=["GET", "POST"])
@requires("account.own")
@CODE_LIMIT
def turn_off_two_step():
    user = current_user._get_current_object()
    if not two_step.may_turn_off(user):
        abort(404)
    form = AppCodeConfirmForm()
    if form.validate_on_submit():
        if two_step.turn_off(user, form.code.data or ""):
            flash("Two-step sign-in is off. You sign in with your password only.", "success")
            return redirect(url_for("auth.account"), 303)
        form.code.errors.append("That code is not right. Type the code your app shows now")
    status = 422 if form.errors else 200
    return render_template(
        "auth/two_step_confirm.html",
        form=form,
        title="Turn off two-step sign-in",
        intro="Anyone who finds out your password will then be able to sign in as you.",
    ), status


@bp.route("/account/two-step/forget-devices", methods=["POST"])
@requires("account.own")
def forget_devices():
    if not ButtonForm().validate_on_submit():
        abort(400)
    two_step.forget_devices(current_user._get_current_object())
    flash("Every device you asked to remember will ask for a code at the next sign-in.", "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/people/<int:user_id>/two-step/reset", methods=["GET", "POST"])
@requires("people.manage")
def reset_two_step(user_id: int):
    person = get_or_404(User, user_id)
    if not person.has_two_step or person.id == current_user.id:
        abort(404)
    form = ButtonForm()
    if form.validate_on_submit():
        two_step.reset(current_user._get_current_object(), person)
        flash(f"{person.display_name}'s two-step sign-in has been reset. They have been told by email.", "success")
        return redirect(url_for("people.person", user_id=person.id), 303)
    return render_template("auth/two_step_reset.html", form=form, person=person, required=two_step.required_for(person))
