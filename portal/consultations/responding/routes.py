"""Answering a consultation: start (or continue), one question per page, check
your answers, send, confirmation. Thin views over operations.py.

Every page first checks the consultation is open and the person is in its
audience (a clear page when not: 403, or 410 once it has closed). Signed-in
people have one response each; visitors (public consultations only) find
theirs again through a random token kept in their session.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy import select

from portal.consultations import access, bp
from portal.consultations.responding import operations as ops
from portal.extensions import db, limiter
from portal.lookup import get_or_404
from portal.models import Consultation, ConsultationStatus, Question, Response, ResponseStatus
from portal.permissions import _ask_to_sign_in, requires
from portal.roles import AGE_BANDS
from portal.templating import local_today, long_date

# The session key that holds a visitor's tokens: {consultation id: token}.
VISITOR_TOKENS = "consultation_responses"
# The session key of a visitor's browser secret, from which each start's token comes.
VISITOR_KEY = "visitor_key"
# The consultations this visitor's browser sent answers to (no way back to the answers).
VISITOR_SENT = "consultations_sent"
# The field people leave empty (it is hidden from them) and form-filling robots do not.
HONEYPOT = "extra_details"


class Refused(Exception):
    """This person cannot answer this consultation now: a page that says why."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class SignInFirst(Exception):
    """Only people with an account can answer: sign in, then come back."""


@bp.errorhandler(Refused)
def _refused(error: Refused):
    return render_template(
        "consultations/respond/refused.html", title=error.title, message=error.message, back_url=_consultation_url(None)
    ), error.status


@bp.errorhandler(SignInFirst)
def _sign_in_first(error: SignInFirst):
    return _ask_to_sign_in()


@bp.errorhandler(RateLimitExceeded)
def _too_many(error: RateLimitExceeded):
    from portal.errors import _wait, render_error

    if request.endpoint != "consultations.respond":
        return render_error(429, f"You have tried too many times. Wait {_wait(error)}, then try again.")
    return render_template(
        "consultations/respond/too_many.html", title="Too many people started from here", wait=_wait(error)
    ), 429


def _consultation_url(consultation: Consultation | None) -> str:
    """The consultation's own page, or the list of consultations."""
    if consultation is None:
        return url_for("consultations.index")
    return url_for("consultations.show", consultation_id=consultation.id)


def _refuse_not_open(consultation: Consultation) -> Refused:
    if consultation.is_closed(local_today()):
        return Refused(
            410,
            "This consultation has closed",
            f"This consultation closed on {long_date(consultation.closes_on)}. "
            "You can no longer answer it or change your answers.",
        )
    if consultation.state != ConsultationStatus.APPROVED:
        return Refused(
            403,
            "This consultation is not open yet",
            "This consultation has not been approved yet, so nobody can answer it.",
        )
    if consultation.opens_on:
        return Refused(
            403,
            "This consultation is not open yet",
            f"This consultation opens on {long_date(consultation.opens_on)}. Come back then to answer it.",
        )
    return Refused(403, "This consultation is not open yet", "This consultation does not have an opening date yet.")


def _answerable(consultation_id: int) -> Consultation:
    """The consultation, if it is open and this person may answer it; else a
    clear refusal (404 when even its existence is private)."""
    consultation = get_or_404(Consultation, consultation_id)
    if not access.can_see_request(current_user, consultation):
        abort(404)
    if not consultation.is_open(local_today()):
        raise _refuse_not_open(consultation)
    if not access.in_audience(current_user, consultation):
        if not current_user.is_authenticated:
            raise SignInFirst()
        raise Refused(403, "You cannot answer this consultation", access.audience_message(consultation, current_user))
    return consultation


def _visitor_token(consultation_id: int | None) -> str | None:
    if current_user.is_authenticated or consultation_id is None:
        return None
    return (session.get(VISITOR_TOKENS) or {}).get(str(consultation_id))


def _browser_token(consultation_id: int) -> str:
    """The token a visitor's start uses: one per browser session and
    consultation, so starts from one browser at once find one response."""
    key = session.get(VISITOR_KEY)
    if not key:
        key = session[VISITOR_KEY] = secrets.token_urlsafe(32)
    return f"{key}.{consultation_id}"


def _keep_visitor_token(consultation_id: int, token: str) -> None:
    tokens = dict(session.get(VISITOR_TOKENS) or {})
    tokens[str(consultation_id)] = token
    # The cookie stays a session cookie (ended when the browser closes, as the
    # privacy notice says): the next person at a shared school or library
    # computer never finds these answers.
    session[VISITOR_TOKENS] = tokens


def _forget_visitor(consultation_id: int) -> None:
    """A visitor has sent their answers: the way back to them ends here, so the
    next person at a shared computer cannot open them. The session remembers
    only that this browser sent answers (for the confirmation page)."""
    tokens = dict(session.get(VISITOR_TOKENS) or {})
    tokens.pop(str(consultation_id), None)
    session[VISITOR_TOKENS] = tokens
    session.pop(VISITOR_KEY, None)
    session[VISITOR_SENT] = sorted({*session.get(VISITOR_SENT, []), consultation_id})


def _visitor_sent(consultation_id: int) -> bool:
    return not current_user.is_authenticated and consultation_id in session.get(VISITOR_SENT, [])


def _response(consultation: Consultation) -> Response | None:
    return ops.response_for(consultation, current_user, _visitor_token(consultation.id))


def _questions(consultation: Consultation) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position, Question.id)
        )
    )


def _continue_url(consultation: Consultation, response: Response, questions: list[Question]) -> str:
    """Where someone coming back carries on: the first question not answered yet."""
    return _carry_on_at(consultation.id, response, [question.id for question in questions])


def _carry_on_at(consultation_id: int, response: Response, question_ids: list[int]) -> str:
    """``_continue_url`` from ids taken before a commit, which expires the rows
    they came from: read after it, each would be loaded again (#16)."""
    answered = ops.answered_ids(response)
    first = next((question_id for question_id in question_ids if question_id not in answered), None)
    if first is None:
        return url_for("consultations.check", consultation_id=consultation_id)
    return url_for("consultations.answer", consultation_id=consultation_id, question_id=first)


def _start_limit() -> str:
    return str(current_app.config["VISITOR_START_LIMIT"])


def _not_a_new_visitor() -> bool:
    """Only visitors starting a new response count towards the limit."""
    consultation_id = (request.view_args or {}).get("consultation_id")
    return current_user.is_authenticated or _visitor_token(consultation_id) is not None


def _start_page(
    consultation: Consultation,
    response: Response | None,
    questions: list[Question],
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
    *,
    template: str = "consultations/respond/start.html",
    continue_url_for=None,
):
    """The start page (age band and district), or the Easy Read one
    (``template``, with its own ``continue_url_for``)."""
    answered = ops.answered_ids(response) if response is not None else set()
    continue_url_for = continue_url_for or _continue_url
    return render_template(
        template,
        title=consultation.title or "Consultation",
        consultation=consultation,
        response=response,
        questions=questions,
        answered=len(answered & {q.id for q in questions}),
        continue_url=continue_url_for(consultation, response, questions) if response is not None else None,
        errors=errors or {},
        typed=typed or {},
        age_bands=AGE_BANDS,
        districts=current_app.config["DISTRICTS"],
        honeypot=HONEYPOT,
        long_date=long_date,
        back_url=_consultation_url(consultation),
    ), status


@bp.route("/<int:consultation_id>/respond", methods=["GET", "POST"])
@requires("consultation.respond")
# Counted before anything is stored, per address; signed-in people and visitors
# carrying on with their own response do not count.
@limiter.limit(_start_limit, methods=["POST"], exempt_when=_not_a_new_visitor)
def respond(consultation_id: int):  # noqa: C901 (written before the limit of 10)
    consultation = _answerable(consultation_id)
    response = _response(consultation)
    questions = _questions(consultation)
    done_url = url_for("consultations.confirmation", consultation_id=consultation.id)
    check_url = url_for("consultations.check", consultation_id=consultation.id)
    if request.method == "GET":
        if response is not None and response.changing:
            return redirect(check_url, 303)
        if response is not None and response.status == ResponseStatus.SUBMITTED.value:
            return redirect(done_url, 303)
        if not current_user.is_authenticated:
            _browser_token(consultation.id)  # in the session before the form can be sent, even twice at once
        return _start_page(consultation, response, questions)
    if response is not None and response.status == ResponseStatus.SUBMITTED.value:
        if request.form.get("action") != "change":
            return redirect(check_url if response.changing else done_url, 303)
        # Started now, or already started in another tab: carry on with the copy either way.
        try:
            ops.start_changes(consultation, response, current_user, today=local_today())
        except ops.NotOpen:
            raise _refuse_not_open(consultation) from None
        return redirect(check_url, 303)
    if response is None and request.form.get("action") == "change":
        # "Change your answers" from a page left open after a visitor sent them: the way back has ended.
        flash(
            "Your answers were sent. To keep them private on a shared computer, they cannot be opened again here.",
            "info",
        )
        return redirect(_consultation_url(consultation), 303)
    question_ids = [question.id for question in questions]
    if response is None:
        if current_user.is_authenticated:
            response, _ = ops.start(consultation, current_user, today=local_today())
        else:
            if request.form.get(HONEYPOT):
                # A robot filled the hidden field: store nothing, answer as usual.
                first = questions[0] if questions else None
                return redirect(
                    url_for("consultations.answer", consultation_id=consultation.id, question_id=first.id)
                    if first
                    else url_for("consultations.check", consultation_id=consultation.id),
                    303,
                )
            typed = {"age_band": request.form.get("age_band", ""), "district": request.form.get("district", "")}
            try:
                response, token = ops.start(
                    consultation,
                    current_user,
                    today=local_today(),
                    visitor_token=_browser_token(consultation.id),
                    **typed,
                )
            except ops.NotOpen:
                raise _refuse_not_open(consultation) from None
            except ops.ResponseError as error:
                return _start_page(
                    consultation, None, questions, {error.field or "age_band": error.message}, typed, 422
                )
            if token:
                _keep_visitor_token(consultation_id, token)
    return redirect(_carry_on_at(consultation_id, response, question_ids), 303)


def _carry_on(consultation: Consultation, response: Response | None):
    """Where to send someone who cannot be on this page: no response yet ->
    the start; a sent one -> the confirmation. None: stay."""
    if response is None:
        return redirect(url_for("consultations.respond", consultation_id=consultation.id), 303)
    if response.status == ResponseStatus.SUBMITTED.value and not response.changing:
        return redirect(url_for("consultations.confirmation", consultation_id=consultation.id), 303)
    return None


@bp.route("/<int:consultation_id>/respond/<int:question_id>", methods=["GET", "POST"])
@requires("consultation.respond")
def answer(consultation_id: int, question_id: int):  # noqa: C901 (written before the limit of 10)
    consultation = _answerable(consultation_id)
    questions = _questions(consultation)
    position = next((i for i, q in enumerate(questions) if q.id == question_id), None)
    if position is None:
        abort(404)
    question = questions[position]
    response = _response(consultation)
    away = _carry_on(consultation, response)
    if away is not None:
        return away
    assert response is not None
    from_check = request.values.get("from") == "check"
    check_url = url_for("consultations.check", consultation_id=consultation.id)
    error = None
    status = 200
    if request.method == "POST":
        value = ops.typed_value(question, request.form)
        later = request.form.get("action") == "later"
        # Where to go next, worked out before the save commits: afterwards each
        # row read here would be loaded again (#16).
        closes_on = consultation.closes_on
        next_id = questions[position + 1].id if position + 1 < len(questions) else None
        try:
            ops.save_answer(
                consultation, response, question, value, require=not later, today=local_today(), version="standard"
            )
        except ops.NotInProgress as refused:
            flash(refused.message, "info")
            return redirect(url_for("consultations.confirmation", consultation_id=consultation.id), 303)
        except ops.NotOpen:
            raise _refuse_not_open(consultation) from None
        except ops.ResponseError as refused:
            error, status = refused, 422
        else:
            if later:
                flash(
                    f"Your answers are saved. Come back before the end of {long_date(closes_on)} "
                    "to finish and send them."
                    + ("" if current_user.is_authenticated else " Use this same device and web browser."),
                    "success",
                )
                return redirect(url_for("consultations.respond", consultation_id=consultation_id), 303)
            if from_check or next_id is None:
                return redirect(check_url, 303)
            return redirect(url_for("consultations.answer", consultation_id=consultation_id, question_id=next_id), 303)
    else:
        value = ops.answers_by_question(response, questions, question.id).get(question.id)
    if from_check:
        back = check_url
    elif position:
        back = url_for("consultations.answer", consultation_id=consultation.id, question_id=questions[position - 1].id)
    else:
        back = url_for("consultations.respond", consultation_id=consultation.id)
    return render_template(
        "consultations/respond/question.html",
        title=question.prompt,
        consultation=consultation,
        question=question,
        number=position + 1,
        total=len(questions),
        value=value,
        error=error,
        from_check=from_check,
        back_url=back,
    ), status


def _check_page(
    consultation: Consultation,
    response: Response,
    questions: list[Question],
    refused: list[Question] | None = None,
    status: int = 200,
):
    values = ops.answers_by_question(response, questions)
    return render_template(
        "consultations/respond/check.html",
        title="Check your answers",
        consultation=consultation,
        response=response,
        questions=questions,
        values=values,
        missing=ops.missing_required(questions, set(values)),
        refused=refused,
        long_date=long_date,
        tell_me=response.tell_me if refused is None else request.form.get("tell_me") == "yes",
    ), status


@bp.route("/<int:consultation_id>/respond/check")
@requires("consultation.respond")
def check(consultation_id: int):
    consultation = _answerable(consultation_id)
    response = _response(consultation)
    away = _carry_on(consultation, response)
    if away is not None:
        return away
    assert response is not None
    return _check_page(consultation, response, _questions(consultation))


@bp.route("/<int:consultation_id>/respond/submit", methods=["POST"])
@requires("consultation.respond")
def submit_response(consultation_id: int):
    consultation = _answerable(consultation_id)
    response = _response(consultation)
    done_url = url_for("consultations.confirmation", consultation_id=consultation.id)
    if response is None:
        return redirect(url_for("consultations.respond", consultation_id=consultation.id), 303)
    questions = _questions(consultation)
    try:
        ops.submit(
            consultation,
            response,
            questions,
            current_user,
            tell_me=request.form.get("tell_me") == "yes",
            today=local_today(),
        )
    except ops.MissingAnswers as missing:
        return _check_page(consultation, response, questions, refused=missing.questions, status=422)
    except ops.NotOpen:
        raise _refuse_not_open(consultation) from None
    if not current_user.is_authenticated:
        _forget_visitor(consultation.id)
    # Sent now, or already sent from another tab: the confirmation either way.
    return redirect(done_url, 303)


@bp.route("/<int:consultation_id>/respond/done")
@requires("consultation.respond")
def confirmation(consultation_id: int):
    consultation = _answerable(consultation_id)
    response = _response(consultation)
    if response is None and _visitor_sent(consultation.id):
        return _confirmation_page(consultation, None)  # sent, and no way back to the answers
    if response is None:
        return redirect(url_for("consultations.respond", consultation_id=consultation.id), 303)
    if response.status != ResponseStatus.SUBMITTED.value:
        return redirect(url_for("consultations.check", consultation_id=consultation.id), 303)
    return _confirmation_page(consultation, response)


@bp.route("/<int:consultation_id>/respond/cancel-changes", methods=["POST"])
@requires("consultation.respond")
def cancel_changes(consultation_id: int):
    """Leave the changes unsent: the answers sent before stay as they were."""
    consultation = _answerable(consultation_id)
    response = _response(consultation)
    if response is None:
        return redirect(url_for("consultations.respond", consultation_id=consultation.id), 303)
    try:
        cancelled = ops.cancel_changes(consultation, response, current_user, today=local_today())
    except ops.NotOpen:
        raise _refuse_not_open(consultation) from None
    if cancelled:
        flash("Your changes were not sent. The answers you sent before still count.", "success")
    return redirect(url_for("consultations.confirmation", consultation_id=consultation.id), 303)


def _confirmation_page(consultation: Consultation, response: Response | None):
    return render_template(
        "consultations/respond/confirmation.html",
        title="Your answers have been sent",
        consultation=consultation,
        response=response,
        long_date=long_date,
        back_url=_consultation_url(consultation),
    )
