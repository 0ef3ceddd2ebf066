"""Writing a consultation's Easy Read version in the request builder: one page
with the introduction and every question's Easy Read words, and a page for
each question. Thin views over operations.py; who may change what is the
builder's own rule (the partner it is for, or an officer)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.consultations import bp
from portal.consultations.easy_read import operations as ops
from portal.consultations.easy_read.forms import EasyQuestionForm, IntroForm
from portal.consultations.requests import operations as requests_ops
from portal.consultations.requests.operations import PictureChoice
from portal.consultations.requests.routes import _owned_or_404, _question_or_404
from portal.extensions import db
from portal.images import UPLOAD_ENDPOINTS
from portal.models import Consultation, Question
from portal.models.consultation import QUESTION_KINDS
from portal.permissions import requires

# This page's form carries a picture: let a big one reach the check (portal/images), which says what is wrong.
UPLOAD_ENDPOINTS.add("consultations.easy_read_question")

OVERVIEW = "consultations/requests/easy_read.html"
QUESTION = "consultations/requests/easy_read_question.html"


def _overview(consultation: Consultation, form: IntroForm | None = None, status: int = 200):
    questions = requests_ops.questions_of(consultation)
    return render_template(
        OVERVIEW,
        consultation=consultation,
        questions=questions,
        form=form or IntroForm(formdata=None, data={"intro": consultation.easy_intro}),
        complete=ops.is_complete(consultation, questions),
        locked=not consultation.state.editable,
        kinds=QUESTION_KINDS,
    ), status


@bp.route("/<int:consultation_id>/easy-read", methods=["GET", "POST"])
@requires("consultation.request")
def easy_read_edit(consultation_id: int):
    consultation = _owned_or_404(consultation_id)
    if request.method == "GET":
        return _overview(consultation)
    form = IntroForm()
    if form.validate_on_submit():
        try:
            ops.save_intro(current_user, consultation, form.intro.data or "")
        except requests_ops.ConsultationError as error:
            db.session.rollback()
            error.show_on(form, "intro")
        else:
            flash("The Easy Read introduction is saved.", "success")
            return redirect(url_for("consultations.easy_read_edit", consultation_id=consultation.id), 303)
    return _overview(consultation, form, 422)


def _question_page(consultation: Consultation, question: Question, form: EasyQuestionForm, status: int = 200):
    questions = requests_ops.questions_of(consultation)
    return render_template(
        QUESTION,
        consultation=consultation,
        question=question,
        form=form,
        number=[q.id for q in questions].index(question.id) + 1,
        total=len(questions),
        locked=not consultation.state.editable,
    ), status


@bp.route("/<int:consultation_id>/easy-read/<int:question_id>", methods=["GET", "POST"])
@requires("consultation.request")
def easy_read_question(consultation_id: int, question_id: int):
    consultation = _owned_or_404(consultation_id)
    question = _question_or_404(consultation, question_id)
    if request.method == "GET":
        form = EasyQuestionForm(
            formdata=None,
            data={"prompt": question.easy_prompt, "help": question.easy_help, "picture_alt": question.easy_image_alt},
        )
        return _question_page(consultation, question, form)
    form = EasyQuestionForm()
    if form.validate_on_submit():
        words = ops.EasyWords(
            prompt=form.prompt.data or "",
            help=form.help.data or "",
            picture=PictureChoice(
                upload=form.picture.data, alt=form.picture_alt.data or "", remove=bool(form.remove_picture.data)
            ),
        )
        try:
            ops.save_question(current_user, consultation, question, words)
        except requests_ops.ConsultationError as error:
            db.session.rollback()
            error.show_on(form, "prompt")
        else:
            flash("The Easy Read words are saved.", "success")
            return redirect(
                url_for("consultations.easy_read_edit", consultation_id=consultation.id) + f"#easy-q{question.id}", 303
            )
    if form.picture.data and not form.picture.errors:
        # A file input cannot be filled in again: say so beside it.
        form.picture.errors = [
            f"{requests_ops.CHOOSE_AGAIN}. Nothing on this page was saved yet, and a picture is not kept until it is saved"
        ]
    return _question_page(consultation, question, form, 422)
