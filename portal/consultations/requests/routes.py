"""Consultation requests: the list, a consultation's page, drafting with the
question builder, starting from a copy, the preview, submitting and
reviewing. Thin views over operations.py; who may see and change what is in
access.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import CombinedMultiDict

from portal.consultations import access, bp
from portal.consultations import yours as yours_ops
from portal.consultations.easy_read.operations import available as easy_read_available
from portal.consultations.requests import operations as ops
from portal.consultations.requests.forms import AddQuestionForm, QuestionForm, RequestForm, ReturnForm, option_field
from portal.consultations.requests.operations import OPTIONS_MAX
from portal.consultations.results.summary import in_plain_words, results_for
from portal.extensions import db
from portal.htmx import focus_after_move, go_to, swap_with_announcement
from portal.lookup import ID_MAX, child_or_404, get_or_404, page_of
from portal.models import Consultation, ConsultationStatus, Question, Response, User
from portal.models.consultation import AUDIENCES, OPTION_KINDS, QUESTION_KINDS
from portal.permissions import can, is_htmx, requires
from portal.roles import Role
from portal.templating import local_today

EDIT = "consultations/requests/edit.html"
QUESTION = "consultations/requests/question.html"
PER_PAGE = 25


# ---------------------------------------------------------------- loading


def _visible_or_404(consultation_id: int) -> Consultation:
    """Drafts and requests waiting for approval exist only for their partner, officers and the Chair."""
    consultation = get_or_404(Consultation, consultation_id)
    if not access.can_see_request(current_user, consultation):
        abort(404)
    return consultation


def _owned_or_404(consultation_id: int) -> Consultation:
    """The partner it is for, or an officer; 404 where even its existence is private."""
    consultation = _visible_or_404(consultation_id)
    if not access.owns(current_user, consultation):
        abort(403)
    return consultation


def _question_or_404(consultation: Consultation, question_id: int) -> Question:
    return child_or_404(Question, question_id, consultation_id=consultation.id)


def _partner_of(consultation: Consultation) -> User | None:
    return db.session.get(User, consultation.partner_id) if consultation.partner_id else None


# ---------------------------------------------------------------- the list


@bp.route("")
@requires("consultation.read")
def index():
    today = local_today()
    user = current_user
    open_now = yours_ops.open_to(user, today)
    archive = _archive(today)
    yours = waiting = everything = None
    total = page = pages = 0
    if user.is_authenticated and user.role == Role.PARTNER:
        # A partner's own requests, the latest changed first, a page at a time (#16.4).
        yours = page_of(
            select(Consultation)
            .where(Consultation.partner_id == user.id)
            .order_by(Consultation.updated_at.desc(), Consultation.id.desc()),
            PER_PAGE,
            param="yours_page",
        )
    if access.is_staff(user):
        waiting = list(
            db.session.scalars(
                select(Consultation)
                .options(joinedload(Consultation.partner))
                .where(Consultation.status == ConsultationStatus.SUBMITTED.value)
                .order_by(Consultation.updated_at, Consultation.id)
            )
        )
        listed = page_of(
            select(Consultation)
            .options(joinedload(Consultation.partner))
            .order_by(Consultation.created_at.desc(), Consultation.id.desc()),
            PER_PAGE,
        )
        everything, total, page, pages = list(listed.items), listed.total or 0, listed.page, listed.pages
    return render_template(
        "consultations/requests/index.html",
        open_now=open_now,
        archive=archive,
        yours=yours,
        waiting=waiting,
        everything=everything,
        total=total,
        page=page,
        pages=pages,
        audiences=AUDIENCES,
        today=today,
    )


@dataclass
class Archive:
    """One page of the archive, as filtered."""

    consultations: list[Consultation]
    progress: dict[int, yours_ops.Progress]
    stage: str
    year: int | None
    years: list[int]
    total: int
    page: int
    pages: int
    today: date

    def stage_of(self, consultation: Consultation) -> yours_ops.Stage:
        return yours_ops.stage_of(consultation, self.today)

    def url(self, **changes) -> str:
        args = {"stage": self.stage or None, "year": self.year, "archive_page": None, **changes}
        return url_for("consultations.index", **{k: v for k, v in args.items() if v}) + "#archive"


def _archive(today) -> Archive:
    """The archive's filters come from the address (a GET form, so a filtered
    list can be shared and works without JavaScript); a value that is not one
    of the choices is ignored."""
    stage = request.args.get("stage", "")
    if stage not in {s.value for s in yours_ops.Stage}:
        stage = ""
    years = yours_ops.archive_years(today)
    year = request.args.get("year", type=int)
    if year not in years:
        year = None
    listed = page_of(yours_ops.archive_query(today, stage, year), PER_PAGE, param="archive_page")
    consultations = list(listed.items)
    return Archive(
        consultations,
        yours_ops.progress_in(current_user, consultations),
        stage,
        year,
        years,
        listed.total or 0,
        listed.page,
        listed.pages,
        today,
    )


# ---------------------------------------------------------------- a consultation's page


def _show_page(consultation: Consultation, return_form: ReturnForm | None = None, status: int = 200):
    today = local_today()
    response = None
    if current_user.is_authenticated and consultation.state == ConsultationStatus.APPROVED:
        response = db.session.scalar(
            select(Response).where(
                Response.consultation_id == consultation.id, Response.respondent_id == current_user.id
            )
        )
    question_count = (
        db.session.scalar(select(func.count(Question.id)).where(Question.consultation_id == consultation.id)) or 0
    )
    owner = access.owns(current_user, consultation)
    staff = access.is_staff(current_user)
    can_review = can(current_user, "consultation.review") and consultation.state == ConsultationStatus.SUBMITTED
    # Once released, a closed consultation's page says what people said, in plain words, to everyone.
    said = None
    if consultation.results_released_at is not None and consultation.is_closed(today):
        said = in_plain_words(results_for(consultation))
    return render_template(
        "consultations/requests/show.html",
        consultation=consultation,
        partner=_partner_of(consultation) if (owner or staff) else None,
        today=today,
        is_open=consultation.is_open(today),
        is_closed=consultation.is_closed(today),
        # "Read this in Easy Read" (#17.3): only once its Easy Read version is complete.
        easy_read=consultation.is_open(today) and easy_read_available(consultation),
        in_audience=access.in_audience(current_user, consultation),
        audience_message=access.audience_message(consultation, current_user),
        response=response,
        said=said,
        question_count=question_count,
        owner=owner,
        staff=staff,
        editable=access.can_edit_request(current_user, consultation),
        can_review=can_review,
        may_approve=can_review and ops.may_approve(current_user, consultation),
        return_form=return_form or ReturnForm(formdata=None),
        audiences=AUDIENCES,
    ), status


@bp.route("/<int:consultation_id>")
@requires("consultation.read")
def show(consultation_id: int):
    return _show_page(_visible_or_404(consultation_id))


# ---------------------------------------------------------------- drafting: the details


def _request_form(consultation: Consultation | None = None, formdata=None) -> RequestForm:
    """The details form: from what was typed (``formdata``), or from the request as saved."""
    partners: list[User] = []
    if access.drafts_for_partners(current_user):
        partners = ops.active_partners()
        if consultation is not None and consultation.partner_id not in {None, *(p.id for p in partners)}:
            # Its partner's account was closed since: still a choice, so saving does not drop them by surprise.
            current = _partner_of(consultation)
            partners += [current] if current is not None else []
    if formdata is not None:
        return RequestForm(formdata=formdata, partners=partners)
    if consultation is None:
        data = {"organisation": current_user.organisation or "" if current_user.role == Role.PARTNER else ""}
    else:
        data = {
            "title": consultation.title,
            "organisation": consultation.organisation,
            "why": consultation.why,
            "what_happens": consultation.what_happens,
            "opens_on": consultation.opens_on,
            "closes_on": consultation.closes_on,
            "audience": consultation.audience,
            "anonymous": "yes" if consultation.anonymous_to_partner else "no",
            "partner": str(consultation.partner_id or ""),
            "base_version": str(consultation.version),
        }
    return RequestForm(formdata=None, data=data, partners=partners)


def _details(form: RequestForm) -> ops.RequestDetails:
    return ops.RequestDetails(
        title=form.title.data or "",
        organisation=form.organisation.data or "",
        why=form.why.data or "",
        what_happens=form.what_happens.data or "",
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        audience=form.audience.data or "",
        anonymous_to_partner=form.anonymous.data != "no",
        partner_id=int(form.partner.data) if form.partner.data else None,
    )


def _version(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _field_error(form, error: ops.ConsultationError) -> None:
    field = getattr(form, error.field or "", None) or form.title
    field.errors = [error.message]


def _edit_context(consultation: Consultation, **extra) -> dict:
    context = dict(
        consultation=consultation,
        questions=ops.questions_of(consultation),
        kinds=QUESTION_KINDS,
        option_kinds=OPTION_KINDS,
        audiences=AUDIENCES,
        partner=None,
        form=None,
        add_form=AddQuestionForm(formdata=None),
        editing=None,
        question_form=None,
        focus=None,
        announce=None,
        refused=None,
        kept_text=None,
        details_refused=None,
        problems=[],
        stale=False,
        locked=not consultation.state.editable,
    )
    context.update(extra)
    if context["form"] is None:
        context["form"] = _request_form(consultation)
    context["partner"] = _partner_of(consultation)
    return context


def _edit_page(consultation: Consultation, status: int = 200, **extra):
    return render_template(EDIT, **_edit_context(consultation, **extra)), status


@bp.route("/new", methods=["GET", "POST"])
@requires("consultation.request")
def new():
    form = _request_form(None, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            consultation = ops.create(current_user, _details(form))
        except ops.ConsultationError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            flash("Your request is saved as a draft. Now add the questions.", "success")
            return redirect(url_for("consultations.edit", consultation_id=consultation.id) + "#questions", 303)
    return render_template(
        EDIT,
        consultation=None,
        form=form,
        stale=False,
        locked=False,
        problems=[],
        audiences=AUDIENCES,
        can_copy=ops.has_copyable(current_user),
    ), 422 if request.method == "POST" else 200


# ---------------------------------------------------------------- starting from a copy


@bp.route("/copy")
@requires("consultation.request")
def choose_copy():
    """The earlier requests a new one can start from: a partner's own, every one for an officer."""
    listed = page_of(ops.copyable(current_user), PER_PAGE)
    return render_template(
        "consultations/requests/copy.html",
        consultations=list(listed.items),
        total=listed.total or 0,
        page=listed.page,
        pages=listed.pages,
        today=local_today(),
        show_partner=access.drafts_for_partners(current_user),
    )


@bp.route("/<int:consultation_id>/copy", methods=["POST"])
@requires("consultation.request")
def copy_request(consultation_id: int):
    """A new draft from a copy of this request. A partner copies only their
    own: another's is not found, even an approved one anyone can read
    (which requests are whose is private)."""
    source = get_or_404(Consultation, consultation_id)
    if not access.owns(current_user, source):
        abort(404)
    consultation = ops.copy(current_user, source)
    flash(
        f"This is a new draft, copied from “{source.title or 'an untitled request'}”. "
        "Change what you need, choose the dates, then send it for approval.",
        "success",
    )
    return redirect(url_for("consultations.edit", consultation_id=consultation.id), 303)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@requires("consultation.request")
def edit(consultation_id: int):
    consultation = _owned_or_404(consultation_id)
    if request.method == "GET":
        if is_htmx():
            # "Cancel" in the builder: the questions again, focus back on the question's "Change" link.
            cancelled = request.args.get("question", type=int)
            return _builder(consultation, focus=f"q{cancelled}-change" if cancelled else "questions-heading")
        response = make_response(*_edit_page(consultation))
        response.headers["Vary"] = "HX-Request"
        return response
    form = _request_form(consultation, request.form)
    stale = False
    if not consultation.state.editable:
        # Sent or approved meanwhile (another tab): what was typed stays on the page.
        return _edit_page(
            consultation,
            409,
            form=form,
            details_refused=(
                "This request has been sent for approval, so your changes could not be saved. "
                "They are still in the boxes below, so you can copy them."
                if consultation.state == ConsultationStatus.SUBMITTED
                else "This consultation is approved, so your changes could not be saved. "
                "They are still in the boxes below, so you can copy them."
            ),
        )
    if form.validate_on_submit():
        try:
            ops.save_details(current_user, consultation, _details(form), _version(form.base_version.data))
        except ops.StaleRequest:
            db.session.rollback()
            stale = True
        except ops.ConsultationError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            flash("The details are saved.", "success")
            return redirect(url_for("consultations.edit", consultation_id=consultation.id), 303)
    if stale:
        # Seen the clash: saving again keeps these changes, so the form now carries the newest version.
        form.base_version.data = str(consultation.version)
    return _edit_page(consultation, 409 if stale else 422, form=form, stale=stale)


# ---------------------------------------------------------------- drafting: the questions


def _question_form(question: Question, formdata=None) -> QuestionForm:
    if formdata is not None:
        return QuestionForm(formdata=CombinedMultiDict([request.files, formdata]))
    data = {
        "prompt": question.prompt,
        "help": question.help,
        "required": question.required,
        "options": "\n".join(question.options or []),
        "scale_max": str(question.scale_max),
        "low_label": question.low_label,
        "high_label": question.high_label,
        "picture_alt": question.image_alt,
    }
    for index in range(len(question.options or [])):
        picture = question.option_image(index)
        data[option_field("alt", index)] = picture["alt"] if picture else ""
    return QuestionForm(formdata=None, data=data)


def _choice(form: QuestionForm, upload: str, alt: str, remove: str, was: str = "") -> ops.PictureChoice:
    return ops.PictureChoice(form[upload].data, form[alt].data or "", bool(form[remove].data), was)


def _question_values(form: QuestionForm) -> ops.QuestionValues:
    return ops.QuestionValues(
        prompt=form.prompt.data or "",
        help=form.help.data or "",
        required=bool(form.required.data),
        options_text=form.options.data or "",
        scale_max=form.scale_max.data or "",
        low_label=form.low_label.data or "",
        high_label=form.high_label.data or "",
        picture=_choice(form, "picture", "picture_alt", "remove_picture"),
        option_pictures=tuple(
            _choice(
                form,
                option_field("picture", i),
                option_field("alt", i),
                option_field("remove", i),
                request.form.get(option_field("was", i), "")[:200],
            )
            for i in range(OPTIONS_MAX)
        ),
    )


def _choose_pictures_again(form: QuestionForm) -> None:
    """A browser never sends a file again by itself: each picture chosen in a
    form that was not saved is named, so it is chosen again."""
    for name in ["picture"] + [option_field("picture", i) for i in range(OPTIONS_MAX)]:
        if form[name].data and not form[name].errors:
            form[name].errors = [
                f"{ops.CHOOSE_AGAIN}. Nothing on this page was saved yet, and a picture is not kept until it is saved"
            ]


def _builder(consultation: Consultation, *, status: int = 200, anchor: str = "questions", **extra):
    """After a question step: htmx gets the builder (and the announcement for screen
    readers, out of band); without JavaScript, back to the edit page."""
    if is_htmx():
        return swap_with_announcement(EDIT, "questions", status, **_edit_context(consultation, **extra))
    if status >= 400:
        return _edit_page(consultation, status, **extra)
    if extra.get("announce"):
        flash(extra["announce"], "success")
    return redirect(url_for("consultations.edit", consultation_id=consultation.id) + f"#{anchor}", 303)


def _refused(consultation: Consultation, error: ops.ConsultationError):
    """A step the rules refused: said in the builder (htmx) or at the top of the edit page."""
    if is_htmx():
        if not consultation.state.editable:
            # Sent for approval meanwhile: the whole page, which says so.
            return go_to(url_for("consultations.edit", consultation_id=consultation.id), error.message, "warning")
        return _builder(consultation, status=422, refused=error.message, announce=error.message)
    flash(error.message, "warning")
    return redirect(url_for("consultations.edit", consultation_id=consultation.id) + "#questions", 303)


def _number(consultation: Consultation, question: Question) -> int:
    ids = [q.id for q in ops.questions_of(consultation)]
    return ids.index(question.id) + 1 if question.id in ids else 0


@bp.route("/<int:consultation_id>/questions/add", methods=["POST"])
@requires("consultation.request")
def add_question(consultation_id: int):
    consultation = _owned_or_404(consultation_id)
    form = AddQuestionForm()
    if not form.validate_on_submit():
        return _builder(consultation, status=422, add_form=form, focus="add-heading")
    try:
        question = ops.add_question(current_user, consultation, form.kind.data)
    except ops.ConsultationError as error:
        if error.field != "kind" or not consultation.state.editable:
            return _refused(consultation, error)
        form.kind.errors = [error.message]
        return _builder(consultation, status=422, add_form=form, focus="add-heading")
    number = _number(consultation, question)
    if is_htmx():
        return _builder(
            consultation,
            editing=question.id,
            question_form=_question_form(question),
            focus="prompt",
            announce=f"Question {number} added: {QUESTION_KINDS[question.kind].lower()}. Write it below.",
        )
    return redirect(
        url_for("consultations.edit_question", consultation_id=consultation.id, question_id=question.id), 303
    )


def _question_page(
    consultation: Consultation, question: Question, form: QuestionForm, status: int = 200, refused: str | None = None
):
    questions = ops.questions_of(consultation)
    number = [q.id for q in questions].index(question.id) + 1
    return render_template(
        QUESTION,
        consultation=consultation,
        question=question,
        form=form,
        number=number,
        total=len(questions),
        kinds=QUESTION_KINDS,
        option_kinds=OPTION_KINDS,
        refused=refused,
    ), status


def _question_gone(consultation: Consultation):
    """A save for a question removed meanwhile (another tab): what was typed is shown, not lost."""
    form = QuestionForm()
    typed = [
        form.prompt.data or "",
        form.help.data or "",
        form.options.data or "",
        " / ".join(part for part in (form.low_label.data, form.high_label.data) if part),
    ]
    kept = "\n\n".join(part for part in typed if part)
    message = (
        "This question was removed, perhaps in another tab, so your changes could not be saved. "
        "What you typed is kept below: add a new question and copy it in."
    )
    if is_htmx():
        return _builder(consultation, status=409, refused=message, announce=message, kept_text=kept)
    return _edit_page(consultation, 409, refused=message, kept_text=kept)


@bp.route("/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@requires("consultation.request")
def edit_question(consultation_id: int, question_id: int):  # noqa: C901 (written before the limit of 10)
    consultation = _owned_or_404(consultation_id)
    if request.method == "POST":
        found = db.session.get(Question, question_id) if 0 < question_id <= ID_MAX else None
        if found is None:
            return _question_gone(consultation)
    question = _question_or_404(consultation, question_id)
    if request.method == "GET":
        try:
            ops.check_editable(consultation)
        except ops.ConsultationError as error:
            return _refused(consultation, error)
        form = _question_form(question)
        if is_htmx():
            return _builder(consultation, editing=question.id, question_form=form, focus="prompt")
        response = make_response(*_question_page(consultation, question, form))
        response.headers["Vary"] = "HX-Request"
        return response
    form = _question_form(question, request.form)
    refused = None
    status = 422
    if form.validate_on_submit():
        try:
            ops.save_question(current_user, consultation, question, _question_values(form))
        except ops.ConsultationError as error:
            db.session.rollback()
            if error.field:
                for each in getattr(error, "problems", [error]):
                    each.show_on(form, "prompt")
            else:
                refused, status = error.message + " Your words are still in the boxes below.", 409
        else:
            number = _number(consultation, question)
            return _builder(
                consultation,
                focus=f"q{question.id}-change",
                anchor=f"q{question.id}",
                announce=f"Question {number} is saved.",
            )
    _choose_pictures_again(form)
    if is_htmx():
        return _builder(
            consultation,
            status=status,
            editing=question.id,
            question_form=form,
            refused=refused,
            focus="question-form-heading",
        )
    return _question_page(consultation, question, form, status, refused=refused)


@bp.route("/<int:consultation_id>/questions/<int:question_id>/move", methods=["POST"])
@requires("consultation.request")
def move_question(consultation_id: int, question_id: int):
    consultation = _owned_or_404(consultation_id)
    question = _question_or_404(consultation, question_id)
    direction = request.form.get("direction", "")
    before = _number(consultation, question)
    try:
        ops.move_question(current_user, consultation, question, direction)
    except ops.ConsultationError as error:
        return _refused(consultation, error)
    questions = ops.questions_of(consultation)
    after = [q.id for q in questions].index(question.id) + 1
    return _builder(
        consultation,
        focus=f"q{question.id}-{focus_after_move(direction, after, len(questions), alone='change')}",
        anchor=f"q{question.id}",
        announce=f"Question {before} moved {direction}. It is now question {after}.",
    )


@bp.route("/<int:consultation_id>/questions/<int:question_id>/delete", methods=["POST"])
@requires("consultation.request")
def delete_question(consultation_id: int, question_id: int):
    consultation = _owned_or_404(consultation_id)
    question = _question_or_404(consultation, question_id)
    questions = ops.questions_of(consultation)
    ids = [q.id for q in questions]
    number = ids.index(question.id) + 1
    try:
        ops.check_editable(consultation)
    except ops.ConsultationError as error:
        return _refused(consultation, error)
    if request.form.get("confirmed") != "yes":
        # Without JavaScript there was no "Are you sure?": ask it on a page.
        return render_template(
            "consultations/requests/delete_question.html",
            consultation=consultation,
            question=question,
            number=number,
            kinds=QUESTION_KINDS,
            option_kinds=OPTION_KINDS,
        )
    try:
        ops.delete_question(current_user, consultation, question)
    except ops.ConsultationError as error:
        return _refused(consultation, error)
    # The pressed button is gone: focus goes to the question now in its place, or the one before, or "Add a question".
    rest = [i for i in ids if i != question_id]
    neighbour = rest[number - 1] if number - 1 < len(rest) else (rest[-1] if rest else None)
    focus = f"q{neighbour}-title" if neighbour else "add-heading"
    return _builder(
        consultation, focus=focus, announce=f"Question {number} removed. The questions after it are numbered again."
    )


# ---------------------------------------------------------------- preview, submitting, reviewing


@bp.route("/<int:consultation_id>/preview")
@requires("consultation.read")
def preview(consultation_id: int):
    consultation = _visible_or_404(consultation_id)
    if not (access.owns(current_user, consultation) or access.is_staff(current_user)):
        abort(403)
    return render_template(
        "consultations/requests/preview.html",
        consultation=consultation,
        questions=ops.questions_of(consultation),
        audiences=AUDIENCES,
        editable=access.can_edit_request(current_user, consultation),
    )


@bp.route("/<int:consultation_id>/submit", methods=["POST"])
@requires("consultation.request")
def submit(consultation_id: int):
    consultation = _owned_or_404(consultation_id)
    try:
        ops.submit(current_user, consultation, local_today())
    except ops.NotReady as not_ready:
        return _edit_page(consultation, 422, problems=not_ready.problems)
    except ops.ConsultationError as error:
        flash(error.message, "warning")
        return redirect(url_for("consultations.edit", consultation_id=consultation.id), 303)
    flash(
        "Your request is sent. An officer or the Chair will approve it, or return it with comments. "
        "You will be told either way.",
        "success",
    )
    return redirect(url_for("consultations.show", consultation_id=consultation.id), 303)


@bp.route("/<int:consultation_id>/approve", methods=["POST"])
@requires("consultation.review")
def approve(consultation_id: int):
    consultation = _visible_or_404(consultation_id)
    try:
        ops.approve(current_user, consultation, local_today())
    except ops.ConsultationError as error:
        flash(error.message, "warning")
    else:
        flash("The consultation is approved. It opens on its opening date, and the partner is told.", "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id), 303)


@bp.route("/<int:consultation_id>/return", methods=["POST"])
@requires("consultation.review")
def return_request(consultation_id: int):
    consultation = _visible_or_404(consultation_id)
    form = ReturnForm()
    if consultation.state != ConsultationStatus.SUBMITTED:
        # Approved or returned meanwhile (another reviewer): say so, rather than show a form that is gone.
        flash("This request is no longer waiting for approval, so it cannot be returned.", "warning")
        return redirect(url_for("consultations.show", consultation_id=consultation.id), 303)
    if form.validate_on_submit():
        try:
            ops.return_request(current_user, consultation, form.comment.data or "")
        except ops.ConsultationError as error:
            db.session.rollback()
            if error.field != "comment":
                flash(error.message, "warning")
                return redirect(url_for("consultations.show", consultation_id=consultation.id), 303)
            form.comment.errors = [error.message]
        else:
            flash("The request is returned with your comments. The partner is told.", "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id), 303)
    return _show_page(consultation, return_form=form, status=422)
