"""The Chair's statement pages: thin views over statements/operations.py."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.autosave import VersionConflict, conflict_response, status_response
from portal.diffs import count_words, word_diff
from portal.extensions import db
from portal.figures.facts import fact_by_key, facts_for
from portal.forms import ButtonForm
from portal.htmx import go_to
from portal.lookup import child_or_404, page_of
from portal.models import ChairStatement, StatementReview, StatementRevision, User
from portal.permissions import is_htmx, requires
from portal.statements import bp
from portal.statements import operations as ops
from portal.statements.access import can_edit, can_reopen, can_see, is_reviewer, visible_to
from portal.statements.forms import CommentForm, ReopenForm, StatementForm
from portal.statements.sources import source_of
from portal.templating import local_datetime

EDITOR = "statements/statement.html"
PER_PAGE = 24


def _statement_or_404(month: date) -> ChairStatement:
    statement = ops.find(month)
    if statement is None or not can_see(current_user, statement):
        abort(404)
    return statement


def _history(statement: ChairStatement) -> list[StatementReview]:
    return list(
        db.session.scalars(
            select(StatementReview)
            .options(joinedload(StatementReview.actor))
            .where(StatementReview.statement_id == statement.id)
            .order_by(StatementReview.at, StatementReview.id)
        )
    )


def _context(statement: ChairStatement, form: StatementForm | None = None, **extra) -> dict:
    if form is None:
        form = StatementForm(data={"text": statement.text, "base_version": statement.version})
    context = dict(
        statement=statement,
        form=form,
        editable=can_edit(current_user, statement),
        reviewer=is_reviewer(current_user),
        facts=facts_for(statement.month),
        history=_history(statement),
        words=count_words(statement.text),
        comment_form=CommentForm(),
        reopen_form=ReopenForm(),
        step_form=ButtonForm(),
    )
    context.update(extra)
    return context


def _page(statement: ChairStatement, form: StatementForm | None = None, status: int = 200, **extra):
    return render_template(EDITOR, **_context(statement, form, **extra)), status


@bp.route("")
@requires("statement.list")
def index():
    # 24 months a page, the newest first (#16.4): two years on each page.
    listed = page_of(
        select(ChairStatement).where(visible_to(current_user)).order_by(ChairStatement.month.desc()), PER_PAGE
    )
    this_month = ops.current_month()
    return render_template(
        "statements/index.html",
        statements=listed.items,
        listed=listed,
        this_month=this_month,
        has_this_month=db.session.scalar(select(ChairStatement.id).where(ChairStatement.month == this_month))
        is not None,
        step_form=ButtonForm(),
    )


@bp.route("/open", methods=["POST"])
@requires("statement.edit")
def open_current():
    if not ButtonForm().validate_on_submit():
        abort(400)
    statement = ops.open_statement(current_user, ops.current_month())
    return redirect(url_for("statements.show", month=statement.month), 303)


@bp.route("/<month:month>")
@requires("statement.list")
def show(month: date):
    return _page(_statement_or_404(month))


@bp.route("/<month:month>", methods=["POST"])
@requires("statement.edit")
def save(month: date):
    """Autosave (htmx), the Save button without JavaScript, adding a fact
    without JavaScript, and "Send to the Cabinet Member" all come here: the
    text in the box is saved first, so sending never sends an older text."""
    statement = _statement_or_404(month)
    form = StatementForm()
    htmx = is_htmx()
    if not form.validate_on_submit():
        error = (form.text.errors or form.base_version.errors or ["Reload the page and try again"])[0]
        return _save_refused(statement, form, error, 422)
    text = form.text.data
    fact = fact_by_key(statement.month, request.form.get("insert_fact", ""))
    added = []
    if fact is not None:
        text = f"{text}\n\n{fact.sentence}" if text.strip() else fact.sentence
        added = [source_of(fact)]  # its source is kept beside the text
    try:
        kind = "autosave" if htmx else "save"
        if request.form.get("send"):
            ops.save_and_submit(current_user, statement, text, form.base_version.data, kind)
        else:
            ops.save_text(current_user, statement, text, form.base_version.data, kind, sources=added)
    except VersionConflict as conflict:
        return conflict_response(EDITOR, "editor", **_conflict_context(statement, conflict))
    except ops.StatementError as error:
        if error.field == "text":
            form.text.errors = [error.message]
            return _save_refused(statement, form, error.message, 422)
        return _save_refused(statement, form, error.message, 409)
    if request.form.get("send"):
        flash("Your statement has been sent to the Cabinet Member. You will be told when they reply.", "success")
        return _go_to(statement)
    if htmx:
        return status_response(
            "statements/_status.html", statement=statement, words=count_words(statement.text), oob=True
        )
    flash(f"Saved at {local_datetime(statement.updated_at, '%H:%M')}.", "success")
    return _go_to(statement)


def _go_to(statement: ChairStatement):
    return go_to(url_for("statements.show", month=statement.month))


def _save_refused(statement: ChairStatement, form: StatementForm, message: str, status: int):
    """Not saved: the message in the status line (htmx) or next to the field; the typed text stays."""
    if is_htmx():
        return status_response(
            "statements/_status.html",
            status,
            statement=statement,
            words=count_words(statement.text),
            error=message,
            oob=True,
        )
    if status == 409:
        flash(message, "warning")
        return redirect(url_for("statements.show", month=statement.month), 303)
    return _page(statement, form, status)


def _conflict_context(statement: ChairStatement, conflict: VersionConflict) -> dict:
    """The editor, holding this tab's text against the newer saved one."""
    form = StatementForm(formdata=None, data={"text": conflict.their_text, "base_version": conflict.current_version})
    return _context(statement, form, conflict=conflict, changes=word_diff(conflict.current_text, conflict.their_text))


@bp.route("/<month:month>/preview")
@requires("statement.list")
def preview(month: date):
    statement = _statement_or_404(month)
    return render_template("statements/preview.html", statement=statement, words=count_words(statement.text))


@bp.route("/<month:month>/revisions")
@requires("statement.list")
def revisions(month: date):
    statement = _statement_or_404(month)
    rows = db.session.scalars(
        select(StatementRevision)
        .options(joinedload(StatementRevision.author))
        .where(StatementRevision.statement_id == statement.id)
        .order_by(StatementRevision.id.desc())
    ).all()
    return render_template("statements/revisions.html", statement=statement, revisions=rows)


def _revision_or_404(statement: ChairStatement, revision_id: int) -> StatementRevision:
    return child_or_404(StatementRevision, revision_id, statement_id=statement.id)


@bp.route("/<month:month>/revisions/<int:revision_id>")
@requires("statement.list")
def revision(month: date, revision_id: int):
    statement = _statement_or_404(month)
    revision = _revision_or_404(statement, revision_id)
    return render_template(
        "statements/revision.html",
        statement=statement,
        revision=revision,
        author=db.session.get(User, revision.author_id) if revision.author_id else None,
        changes=word_diff(revision.text, statement.text),
        editable=can_edit(current_user, statement),
        step_form=ButtonForm(),
    )


@bp.route("/<month:month>/revisions/<int:revision_id>/restore", methods=["POST"])
@requires("statement.edit")
def restore(month: date, revision_id: int):
    statement = _statement_or_404(month)
    revision = _revision_or_404(statement, revision_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    base = request.form.get("base_version", type=int)
    try:
        ops.restore(current_user, statement, revision, base if base is not None else -1)
    except VersionConflict as conflict:
        return conflict_response(EDITOR, "editor", **_conflict_context(statement, conflict))
    except ops.StatementError as error:
        flash(error.message, "warning")
        return redirect(url_for("statements.show", month=statement.month), 303)
    flash("That earlier version is now the current text. The text it replaced is kept in the history.", "success")
    return redirect(url_for("statements.show", month=statement.month), 303)


# The form each review step carries its words in, by the field's name.
STEP_FORMS = {"comment": "comment_form", "reason": "reopen_form"}


def _refused(statement: ChairStatement, error: ops.StatementError, form):
    """A refused step: the message next to its field, or at the top of the page."""
    if error.field in STEP_FORMS:
        error.show_on(form, "comment")
        return _page(statement, status=422, **{STEP_FORMS[error.field]: form})
    if error.field == "text":
        editor = StatementForm(formdata=None, data={"text": statement.text, "base_version": statement.version})
        editor.text.errors = [error.message]
        return _page(statement, editor, 422)
    flash(error.message, "warning")
    return redirect(url_for("statements.show", month=statement.month), 303)


def _review_step(
    month: date, operation, done: str, form_class=ButtonForm, field: str | None = None, allowed=lambda statement: True
):
    statement = _statement_or_404(month)
    if not allowed(statement):
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        if field is None:
            abort(400)
        return _page(statement, status=422, **{STEP_FORMS[field]: form})
    try:
        operation(current_user, statement, *([getattr(form, field).data or ""] if field else []))
    except ops.StatementError as error:
        return _refused(statement, error, form)
    flash(done, "success")
    return redirect(url_for("statements.show", month=statement.month), 303)


@bp.route("/<month:month>/submit", methods=["POST"])
@requires("statement.edit")
def submit(month: date):
    return _review_step(
        month, ops.submit, "Your statement has been sent to the Cabinet Member. You will be told when they reply."
    )


@bp.route("/<month:month>/request-changes", methods=["POST"])
@requires("statement.review")
def request_changes(month: date):
    return _review_step(
        month,
        ops.request_changes,
        "The Chair has been asked to make changes.",
        CommentForm,
        "comment",
        allowed=lambda s: is_reviewer(current_user),
    )


@bp.route("/<month:month>/accept", methods=["POST"])
@requires("statement.review")
def accept(month: date):
    return _review_step(
        month,
        ops.accept,
        "The statement is accepted. It will be added to your update.",
        allowed=lambda s: is_reviewer(current_user),
    )


@bp.route("/<month:month>/reopen", methods=["POST"])
@requires("statement.reopen")
def reopen(month: date):
    return _review_step(
        month,
        ops.reopen,
        "The statement is reopened. The Chair has been told.",
        ReopenForm,
        "reason",
        allowed=lambda s: can_reopen(current_user, s),
    )
