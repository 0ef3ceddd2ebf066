"""Results (for the partner once released, live for officers and the chair),
their charts, releasing them, and the officers' moderation queue."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pygal
from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from portal.charts import CHART_POLICY, chart_style, svg_response
from portal.consultations import access, bp
from portal.consultations.access import can_read_results, can_see_request, owns
from portal.consultations.results import exports, spreadsheets
from portal.consultations.results import feedback as feedback_ops
from portal.consultations.results import moderation as mod
from portal.consultations.results.forms import ChangeDecisionForm, FeedbackForm, ModerateForm, ReturnFeedbackForm
from portal.consultations.results.summary import question_result, results_for
from portal.diffs import word_diff
from portal.extensions import db, talisman
from portal.forms import ButtonForm
from portal.htmx import go_to, render_page_or_block
from portal.lookup import PAGE_MAX, child_or_404, get_or_404
from portal.models import Answer, Consultation, ExportFile, ExportStatus, Moderation, Question
from portal.permissions import can, is_htmx, requires
from portal.templating import local_today


def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = get_or_404(Consultation, consultation_id)
    if not can_see_request(current_user, consultation):
        abort(404)
    return consultation


@bp.route("/<int:consultation_id>/results")
@requires("consultation.results")
def results(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not access.may_open_results(current_user, consultation):
        abort(404)  # another partner's consultation: not theirs to know about
    if not can_read_results(current_user, consultation):
        # Their own request, not released yet (or not approved): say so.
        return render_template("consultations/results/not_yet.html", consultation=consultation), 403
    return render_template(
        "consultations/results/results.html",
        consultation=consultation,
        results=results_for(consultation),
        today=local_today(),
        step_form=ButtonForm(),
        staff=access.is_staff(current_user),
    )


@bp.route("/<int:consultation_id>/results/<int:question_id>.svg")
@requires("consultation.results")
@talisman(content_security_policy=CHART_POLICY, content_security_policy_nonce_in=[])
def chart(consultation_id: int, question_id: int):
    """One question's answers as bars (the same figures are in the table beside it)."""
    consultation = _consultation_or_404(consultation_id)
    if not can_read_results(current_user, consultation):
        abort(404)
    question = child_or_404(Question, question_id, consultation_id=consultation.id)
    result = question_result(question)  # its own counters only, not the whole results
    if not result.chartable:
        abort(404)
    counts = [row.count or 0 for row in result.rows]
    top = max(counts + [1])
    step = max(1, -(-top // 5))  # whole people: at most six ticks
    style = chart_style(label_font_size=16, major_label_font_size=16, title_font_size=18)
    bar = pygal.HorizontalBar(
        style=style,
        show_legend=False,
        js=[],
        width=800,
        height=max(220, 80 + 48 * len(result.rows)),
        title=result.question.prompt[:80],
        y_labels=list(range(0, top + step, step)),
        disable_xml_declaration=False,
    )
    # pygal draws the first bar at the bottom: reversed, the chart reads top to bottom like the table.
    bar.x_labels = [row.label[:40] for row in reversed(result.rows)]
    bar.add("People", list(reversed(counts)))
    return svg_response(bar)


@bp.route("/<int:consultation_id>/results/release", methods=["POST"])
@requires("consultation.moderate")
def release_results(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        mod.release_results(current_user, consultation, local_today())
    except mod.ModerationError as error:
        flash(error.message, "warning")
    else:
        flash("The results are released: the partner can see them now.", "success")
    return redirect(url_for("consultations.results", consultation_id=consultation.id), 303)


MODERATION = "consultations/results/moderation.html"


@bp.route("/moderation")
@requires("consultation.moderate")
def moderation():
    """The answers waiting for a decision; with ``?show=decided``, the decided ones (#14.19)."""
    if request.args.get("show") == "decided":
        filters = DecidedFilters.read(
            request.args.get("decision"), request.args.get("consultation"), request.args.get("page")
        )
        return _decided_page(filters)
    waiting, total = mod.queue()
    return render_template(MODERATION, view="waiting", waiting=waiting, total=total, forms={}, page_size=mod.QUEUE_PAGE)


@bp.route("/answers/<int:answer_id>/moderate", methods=["POST"])
@requires("consultation.moderate")
def moderate(answer_id: int):
    """One decision. With htmx only that answer is swapped (and the count beside
    it); without JavaScript the queue comes back."""
    answer = get_or_404(Answer, answer_id)
    form = ModerateForm()
    if form.validate_on_submit():
        try:
            mod.moderate(current_user, answer, form.decision.data or "", form.reason.data or "", form.themes.data or "")
        except mod.ModerationError as refused:
            if refused.field == "done":
                return _back_to_queue(refused.message, "warning")
            getattr(form, refused.field or "decision").errors = [refused.message]
        else:
            done = "Approved" if answer.moderation == "approved" else "Hidden"
            if is_htmx():
                _, total = mod.queue()
                return render_template(
                    "consultations/results/_moderated.html",
                    answer=answer,
                    done=done,
                    total=total,
                    page_size=mod.QUEUE_PAGE,
                )
            return _back_to_queue(f"{done}. The next answer is below.", "success")
    if answer.moderation != "pending":
        return _back_to_queue("That answer has already been moderated, perhaps by another officer.", "warning")
    item = mod.waiting_item(answer.id)
    if item is None:
        abort(404)
    if is_htmx():
        response = make_response(render_template("consultations/results/_refused.html", item=item, form=form))
    else:
        waiting, total = mod.queue()
        if not any(entry.answer.id == answer.id for entry in waiting):
            waiting.insert(0, item)
        response = make_response(
            render_template(
                MODERATION,
                view="waiting",
                waiting=waiting,
                total=total,
                forms={answer.id: form},
                page_size=mod.QUEUE_PAGE,
            )
        )
    response.status_code = 422
    return response


def _back_to_queue(message: str, category: str):
    return go_to(url_for("consultations.moderation"), message, category)


# ---------------------------------------------------------------- decided answers, and changing a decision


def _whole_number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class DecidedFilters:
    """Which decided answers are listed: from the address (a GET form, so it
    works without JavaScript and can be shared), or from the hidden fields of
    a change, to come back to the same page. A value that is not one of the
    choices is ignored."""

    decision: str = ""
    consultation_id: int | None = None
    page: int = 1

    @classmethod
    def read(cls, decision: str | None, consultation: str | None, page: str | None) -> DecidedFilters:
        return cls(
            decision if decision in mod.DECIDED else "",
            _whole_number(consultation),
            max(1, min(_whole_number(page) or 1, PAGE_MAX)),
        )

    def url(self, **changes) -> str:
        args = {
            "show": "decided",
            "decision": self.decision or None,
            "consultation": self.consultation_id,
            "page": self.page if self.page > 1 else None,
            **changes,
        }
        return url_for("consultations.moderation", **{k: v for k, v in args.items() if v})


@dataclass
class DecidedPage:
    filters: DecidedFilters
    items: list[mod.Decided]
    total: int
    consultations: list[tuple[int, str]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // mod.DECIDED_PAGE))

    @property
    def first_number(self) -> int:
        return (self.filters.page - 1) * mod.DECIDED_PAGE + 1


def _decided_page(filters: DecidedFilters, *, forms=None, refused: mod.Decided | None = None, status: int = 200):
    """One page of decided answers: five queries, whatever the number."""
    consultations = mod.consultations_with_written_questions()
    if filters.consultation_id not in {consultation_id for consultation_id, _ in consultations}:
        filters = replace(filters, consultation_id=None)
    items, total = mod.decided(filters.decision, filters.consultation_id, filters.page)
    if refused is not None and not any(item.answer.id == refused.answer.id for item in items):
        items.insert(0, refused)  # its problem is shown, wherever it is in the list
    page = DecidedPage(filters, items, total, consultations)
    return render_template(
        MODERATION, view="decided", decided=page, total=mod.waiting_count(), forms=forms or {}
    ), status


CHANGED = {
    Moderation.APPROVED: "Changed to approved: it may be quoted now.",
    Moderation.HIDDEN: "Changed to hidden: it is not quoted anywhere now.",
    Moderation.PENDING: "Put back in the queue: it waits there for a decision.",
}


@bp.route("/answers/<int:answer_id>/decision", methods=["POST"])
@requires("consultation.moderate")
def change_decision(answer_id: int):
    """Correct a decision on an answer. With htmx only that answer is swapped
    (and the waiting count); without JavaScript the same page of decided answers comes back."""
    answer = get_or_404(Answer, answer_id)
    form = ChangeDecisionForm()
    filters = DecidedFilters.read(form.list_decision.data, form.list_consultation.data, form.list_page.data)
    number = min(_whole_number(form.number.data) or 1, PAGE_MAX * mod.DECIDED_PAGE)
    item = mod.decided_item(answer.id)  # as the officer saw it: its consultation, question and decision
    if item is None:
        # Waiting, not sent, or its words deleted: nothing to change here.
        return go_to(filters.url(), "That answer is not a decided one, so its decision cannot be changed.", "warning")
    try:
        new = mod.change_decision(
            current_user,
            answer,
            form.was.data or "",
            form.decision.data or "",
            form.reason.data or "",
            form.themes.data or "",
        )
    except mod.ModerationError as refused:
        if refused.field == "done":
            return go_to(filters.url(), refused.message, "warning")
        refused.show_on(form, "decision")
    else:
        if not is_htmx():
            return go_to(filters.url(), CHANGED[new])
        put_back = new == Moderation.PENDING
        return render_template(
            "consultations/results/_decided_answer.html",
            item=item if put_back else mod.decided_item(answer.id),
            form=None,
            number=number,
            filters=filters,
            changed=CHANGED[new],
            put_back=put_back,
            waiting=mod.waiting_count(),
        )
    if is_htmx():
        return make_response(
            render_template(
                "consultations/results/_decided_answer.html",
                item=item,
                form=form,
                number=number,
                filters=filters,
                changed=None,
                put_back=False,
                waiting=None,
            ),
            422,
        )
    return _decided_page(filters, forms={answer.id: form}, refused=item, status=422)


# ---------------------------------------------------------------- exports


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(consultation: Consultation, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", consultation.title.lower()).strip("-")[:60] or "consultation"
    return f"{slug}-responses.{ext}"


@bp.route("/<int:consultation_id>/export.csv")
@requires("consultation.export")
def export_csv(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    return _download(exports.csv_chunks(consultation), "text/csv", _filename(consultation, "csv"))


@bp.route("/<int:consultation_id>/export.xlsx", methods=["GET", "POST"])
@requires("consultation.export")
def export_xlsx(consultation_id: int):
    """The spreadsheet is made on the queue (spreadsheets.py): this page asks
    for one and lists those made for you; the button takes you to its progress."""
    consultation = _consultation_or_404(consultation_id)
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            abort(400)
        export = spreadsheets.request_spreadsheet(current_user, consultation)
        return redirect(url_for("consultations.spreadsheet", consultation_id=consultation.id, export_id=export.id), 303)
    return render_template(
        "consultations/results/spreadsheets.html",
        consultation=consultation,
        exports=spreadsheets.yours(current_user, consultation),
    )


def _export_or_404(consultation: Consultation, export_id: int) -> ExportFile:
    """Only who asked for a spreadsheet sees it (another officer gets 404)."""
    export = db.session.get(ExportFile, export_id)
    if export is None or export.consultation_id != consultation.id or export.requested_by_id != current_user.id:
        abort(404)
    if spreadsheets.expired(export):  # the nightly retention run has not deleted it yet: gone all the same
        abort(404)
    return export


@bp.route("/<int:consultation_id>/spreadsheets/<int:export_id>")
@requires("consultation.export")
def spreadsheet(consultation_id: int, export_id: int):
    """How far the spreadsheet has got; htmx asks again every two seconds for
    the status block until it is ready (or failed)."""
    consultation = _consultation_or_404(consultation_id)
    export = _export_or_404(consultation, export_id)
    response = render_page_or_block(
        "consultations/results/spreadsheet.html", "status", consultation=consultation, export=export
    )
    if is_htmx() and export.state not in spreadsheets.UNFINISHED:
        response.status_code = 286  # htmx: swap this, then stop asking
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:consultation_id>/spreadsheets/<int:export_id>/download")
@requires("consultation.export")
def download_spreadsheet(consultation_id: int, export_id: int):
    consultation = _consultation_or_404(consultation_id)
    export = _export_or_404(consultation, export_id)
    if export.state != ExportStatus.READY:
        return redirect(url_for("consultations.spreadsheet", consultation_id=consultation.id, export_id=export.id))
    response = Response(
        spreadsheets.content_for_download(export),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:consultation_id>/results.pdf")
@requires("consultation.results")
def summary_pdf(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not can_read_results(current_user, consultation):
        abort(404)
    response = Response(exports.summary_pdf(consultation, results_for(consultation)), mimetype="application/pdf")
    slug = _filename(consultation, "pdf").replace("-responses.pdf", "-results.pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}"'
    return response


# ---------------------------------------------------------------- "You said, we did"


@bp.route("/<int:consultation_id>/feedback", methods=["GET", "POST"])
@requires("consultation.feedback")
def feedback(consultation_id: int):
    """The partner writes "You said, we did" (an officer approves it before it
    is published); an officer writes their own, or reads the partner's and
    approves it or sends it back."""
    consultation = _consultation_or_404(consultation_id)
    if not owns(current_user, consultation):
        abort(404)
    waiting = feedback_ops.needs_approval(current_user) and consultation.feedback_pending
    form = FeedbackForm(data={"text": consultation.feedback_pending if waiting else consultation.feedback})
    status = 200
    if form.validate_on_submit():
        try:
            outcome = feedback_ops.send(current_user, consultation, form.text.data or "", local_today())
        except feedback_ops.FeedbackError as error:
            db.session.rollback()
            if error.field:
                form.text.errors = [error.message]
            else:
                flash(error.message, "warning")
            status = 422
        else:
            if outcome == "waiting":
                flash(
                    "Sent to an officer to check. Young people will see it on the consultation's page once it is "
                    "approved. You will be told.",
                    "success",
                )
                return redirect(url_for("consultations.feedback", consultation_id=consultation.id), 303)
            flash(
                "Published on the consultation's page."
                + (" The people who asked to be told have been emailed." if outcome == "told" else ""),
                "success",
            )
            return redirect(url_for("consultations.show", consultation_id=consultation.id) + "#you-said-we-did", 303)
    elif form.is_submitted():
        status = 422
    return _feedback_page(consultation, form, status=status)


def _feedback_page(consultation: Consultation, form: FeedbackForm, *, status: int = 200, return_form=None):
    return render_template(
        "consultations/results/feedback.html",
        consultation=consultation,
        form=form,
        today=local_today(),
        needs_approval=feedback_ops.needs_approval(current_user),
        approves=can(current_user, "consultation.approve_feedback"),
        changes=word_diff(consultation.feedback, consultation.feedback_pending)
        if consultation.feedback_pending
        else None,
        return_form=return_form or ReturnFeedbackForm(formdata=None),
    ), status


@bp.route("/<int:consultation_id>/feedback/approve", methods=["POST"])
@requires("consultation.approve_feedback")
def approve_feedback(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    try:
        told = feedback_ops.approve(current_user, consultation, request.form.get("seen", ""))
    except feedback_ops.FeedbackError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("consultations.feedback", consultation_id=consultation.id), 303)
    flash(
        "Published on the consultation's page. The partner has been told"
        + (", and the people who asked to be told have been emailed." if told else "."),
        "success",
    )
    return redirect(url_for("consultations.show", consultation_id=consultation.id) + "#you-said-we-did", 303)


@bp.route("/<int:consultation_id>/feedback/return", methods=["POST"])
@requires("consultation.approve_feedback")
def return_feedback(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    return_form = ReturnFeedbackForm()
    if return_form.validate_on_submit():
        try:
            feedback_ops.send_back(current_user, consultation, return_form.comment.data or "")
        except feedback_ops.FeedbackError as error:
            db.session.rollback()
            if error.field != "comment":
                flash(error.message, "warning")
                return redirect(url_for("consultations.feedback", consultation_id=consultation.id), 303)
            error.show_on(return_form, "comment")
        else:
            flash("Sent back to the partner with your comment.", "success")
            return redirect(url_for("consultations.feedback", consultation_id=consultation.id), 303)
    form = FeedbackForm(data={"text": consultation.feedback})
    return _feedback_page(consultation, form, status=422, return_form=return_form)
