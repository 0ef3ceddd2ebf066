"""Answering a consultation's Easy Read version: "What is this about?", then
one question a page with its picture beside it, "Next" and "Back". It is the
same response as the standard version's (one per person): the answers are
saved by the same operations (portal/consultations/responding/operations.py)
and the flow ends at the same "Check your answers", send and confirmation.
The response counts as Easy Read when its answers were last saved here.

Every page first makes the same checks as the standard pages (open, in the
audience, the visitor's own response), and is not found while the Easy Read
version is not complete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.consultations import bp
from portal.consultations.easy_read.operations import EasyQuestion, is_complete, picture_of
from portal.consultations.responding import operations as ops
from portal.consultations.responding.routes import (
    HONEYPOT,
    _answerable,
    _browser_token,
    _carry_on,
    _keep_visitor_token,
    _not_a_new_visitor,
    _questions,
    _refuse_not_open,
    _response,
    _start_limit,
)
from portal.consultations.responding.routes import _start_page as _standard_start_page
from portal.extensions import db, limiter
from portal.models import Consultation, Image, Question, Response, ResponseStatus
from portal.permissions import requires
from portal.templating import local_today

EASY_READ = "easy_read"


def _easy_read(consultation_id: int) -> tuple[Consultation, list[Question]]:
    """The consultation, if this person may answer it now and its Easy Read version is complete."""
    consultation = _answerable(consultation_id)
    questions = _questions(consultation)
    if not is_complete(consultation, questions):
        abort(404)
    return consultation, questions


def _question_url(consultation: Consultation, question: Question, **extra) -> str:
    return url_for("consultations.easy_read_answer", consultation_id=consultation.id, question_id=question.id, **extra)


def _continue_url(consultation: Consultation, response: Response, questions: list[Question]) -> str:
    question = ops.first_unanswered(questions, ops.answered_ids(response))
    if question is None:
        return url_for("consultations.check", consultation_id=consultation.id)
    return _question_url(consultation, question)


def _start_page(
    consultation: Consultation,
    response: Response | None,
    questions: list[Question],
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
):
    return _standard_start_page(
        consultation,
        response,
        questions,
        errors,
        typed,
        status,
        template="consultations/respond/easy_read_start.html",
        continue_url_for=_continue_url,
    )


@bp.route("/<int:consultation_id>/easy-read/respond", methods=["GET", "POST"])
@requires("consultation.respond")
# The same limit as the standard start: only visitors starting a new response count.
@limiter.limit(_start_limit, methods=["POST"], exempt_when=_not_a_new_visitor)
def easy_read_start(consultation_id: int):
    consultation, questions = _easy_read(consultation_id)
    response = _response(consultation)
    if response is not None and response.changing:
        return redirect(url_for("consultations.check", consultation_id=consultation.id), 303)
    if response is not None and response.status == ResponseStatus.SUBMITTED.value:
        return redirect(url_for("consultations.confirmation", consultation_id=consultation.id), 303)
    if request.method == "GET":
        if not current_user.is_authenticated:
            _browser_token(consultation.id)  # in the session before the form can be sent, even twice at once
        return _start_page(consultation, response, questions)
    if response is None:
        started = _start(consultation, questions)
        if not isinstance(started, Response):
            return started
        response = started
    return redirect(_continue_url(consultation, response, questions), 303)


def _start(consultation: Consultation, questions: list[Question]):
    """A new response in Easy Read (ops.start, as the standard start): the
    response, or the page to answer with (a robot's, or the about-you errors)."""
    if current_user.is_authenticated:
        return ops.start(consultation, current_user, today=local_today(), version=EASY_READ)[0]
    if request.form.get(HONEYPOT):
        # A robot filled the hidden field: store nothing, answer as usual.
        return redirect(_question_url(consultation, questions[0]), 303)
    typed = {"age_band": request.form.get("age_band", ""), "district": request.form.get("district", "")}
    try:
        response, token = ops.start(
            consultation,
            current_user,
            today=local_today(),
            visitor_token=_browser_token(consultation.id),
            version=EASY_READ,
            **typed,
        )
    except ops.NotOpen:
        raise _refuse_not_open(consultation) from None
    except ops.ResponseError as error:
        return _start_page(consultation, None, questions, {error.field or "age_band": error.message}, typed, 422)
    if token:
        _keep_visitor_token(consultation.id, token)
    return response


@bp.route("/<int:consultation_id>/easy-read/respond/<int:question_id>", methods=["GET", "POST"])
@requires("consultation.respond")
def easy_read_answer(consultation_id: int, question_id: int):
    consultation, questions = _easy_read(consultation_id)
    position = next((i for i, q in enumerate(questions) if q.id == question_id), None)
    if position is None:
        abort(404)
    question = questions[position]
    response = _response(consultation)
    if response is None:
        return redirect(url_for("consultations.easy_read_start", consultation_id=consultation.id), 303)
    away = _carry_on(consultation, response)
    if away is not None:
        return away
    from_check = request.values.get("from") == "check"
    check_url = url_for("consultations.check", consultation_id=consultation.id)
    back_url = _back_url(consultation, questions, position, from_check)
    error = None
    if request.method == "GET":
        value = ops.answers_by_question(response, questions, question.id).get(question.id)
    else:
        value = ops.typed_value(question, request.form)
        going_back = request.form.get("action") == "back"
        error = _save(consultation, response, question, value, going_back=going_back)
        if error is None:
            if going_back:
                return redirect(back_url, 303)
            if from_check or position + 1 == len(questions):
                return redirect(check_url, 303)
            return redirect(_question_url(consultation, questions[position + 1]), 303)
    if isinstance(error, str):
        return redirect(error, 303)
    return render_template(
        "consultations/respond/easy_read_question.html",
        consultation=consultation,
        question=EasyQuestion(question),
        number=position + 1,
        total=len(questions),
        value=value,
        error=error,
        from_check=from_check,
        picture=_picture(question),
    ), 422 if error else 200


def _back_url(consultation: Consultation, questions: list[Question], position: int, from_check: bool) -> str:
    """Where "Back" goes: "Check your answers" when they came from there, else the page before."""
    if from_check:
        return url_for("consultations.check", consultation_id=consultation.id)
    if position:
        return _question_url(consultation, questions[position - 1])
    return url_for("consultations.easy_read_start", consultation_id=consultation.id)


def _save(consultation: Consultation, response: Response, question: Question, value: object, *, going_back: bool):
    """Save the answer as the standard pages do (going back keeps what was
    typed without asking for an answer yet). None: saved; a ResponseError to
    show beside the question; or, when the answers were sent meanwhile, the
    address of the confirmation."""
    try:
        ops.save_answer(
            consultation, response, question, value, require=not going_back, today=local_today(), version=EASY_READ
        )
    except ops.NotInProgress as refused:
        flash(refused.message, "info")
        return url_for("consultations.confirmation", consultation_id=consultation.id)
    except ops.NotOpen:
        raise _refuse_not_open(consultation) from None
    except ops.ResponseError as refused:
        return refused
    return None


def _picture(question: Question) -> dict | None:
    """The picture beside the question, with its size (so the page does not jump as it loads)."""
    chosen = picture_of(question)
    image = db.session.get(Image, chosen.id) if chosen else None
    if chosen is None or image is None:
        return None
    return {
        "url": url_for("images.show", image_id=image.id),
        "alt": chosen.alt,
        "width": image.width,
        "height": image.height,
    }
