"""The Cabinet Member's update: thin views over updates/operations.py.

Public: the archive, search, the feed and every published version (page,
print layout, PDF, Word), all served from the frozen version.
Editing: the editor (details, sections, numbered paragraphs that autosave,
the sign-off), preview, publish, correct, import."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from portal.autosave import VersionConflict, conflict_response, status_response
from portal.diffs import word_diff
from portal.extensions import db
from portal.forms import ButtonForm
from portal.htmx import go_to
from portal.lookup import ID_MAX, child_or_404, get_or_404
from portal.models import (
    CabinetUpdate,
    ChairStatement,
    UpdateParagraph,
    UpdateSection,
    UpdateStatus,
    UpdateVersion,
    User,
)
from portal.permissions import is_htmx, requires
from portal.statements.operations import current_month
from portal.templating import local_datetime, long_date
from portal.updates import bp
from portal.updates import operations as ops
from portal.updates.access import can_edit, can_publish
from portal.updates.documents import doc_filename, render_docx, render_pdf
from portal.updates.forms import (
    DetailsForm,
    ImportForm,
    NewSectionForm,
    ParagraphForm,
    PublishForm,
    SectionForm,
    SignOffForm,
)
from portal.updates.importer import parse_report

EDITOR = "updates/edit.html"


# ---------------------------------------------------------------- public


def _latest_versions():
    """Published updates, newest meeting first: the columns a list needs, not the frozen document."""
    return (
        select(
            UpdateVersion.update_id,
            UpdateVersion.number,
            UpdateVersion.title,
            UpdateVersion.meeting_date,
            UpdateVersion.author_name,
            UpdateVersion.published_at,
        )
        .where(UpdateVersion.is_latest)
        .order_by(UpdateVersion.meeting_date.desc(), UpdateVersion.id.desc())
    )


# Meeting dates are between these years (portal/updates/forms.py), so is the archive.
ARCHIVE_YEARS = (2000, 2100)


def _archive(year: int | None = None, month: int | None = None):
    query = _latest_versions()
    if year is not None:
        if not ARCHIVE_YEARS[0] <= year <= ARCHIVE_YEARS[1]:
            abort(404)
        query = query.where(UpdateVersion.meeting_date.between(date(year, 1, 1), date(year, 12, 31)))
        if month is not None:
            if not 1 <= month <= 12:
                abort(404)
            end = date(year + (month == 12), month % 12 + 1, 1)
            query = query.where(UpdateVersion.meeting_date >= date(year, month, 1), UpdateVersion.meeting_date < end)
    rows = db.session.execute(query).all()
    years = db.session.execute(
        select(func.extract("year", UpdateVersion.meeting_date).label("year"), func.count(UpdateVersion.id))
        .where(UpdateVersion.is_latest)
        .group_by("year")
        .order_by(func.extract("year", UpdateVersion.meeting_date).desc())
    ).all()
    return render_template(
        "updates/archive.html",
        rows=rows,
        years=[(int(y), n) for y, n in years],
        year=year,
        month=date(year, month, 1) if year and month else None,
    )


@bp.route("")
@requires("update.read")
def archive():
    return _archive()


@bp.route("/archive/<int:year>")
@requires("update.read")
def archive_year(year: int):
    return _archive(year)


@bp.route("/archive/<int:year>/<int:month>")
@requires("update.read")
def archive_month(year: int, month: int):
    return _archive(year, month)


SEARCH_MAX_WORDS = 8


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.route("/search")
@requires("update.read")
def search():
    query_text = " ".join(request.args.get("q", "").split())[:200]
    words = query_text.split()[:SEARCH_MAX_WORDS]
    rows: Sequence[Any] = []
    if words:
        query = select(
            UpdateVersion.update_id,
            UpdateVersion.number,
            UpdateVersion.title,
            UpdateVersion.meeting_date,
            UpdateVersion.author_name,
            UpdateVersion.search_text,
        ).where(UpdateVersion.is_latest)
        for word in words:
            query = query.where(func.lower(UpdateVersion.search_text).like(_like(word.lower()), escape="\\"))
        rows = db.session.execute(query.order_by(UpdateVersion.meeting_date.desc()).limit(50)).all()
    return render_template("updates/search.html", q=query_text, rows=rows, words=words, snippet=_snippet)


def _snippet(text: str, words: list[str], width: int = 220) -> str:
    lower = text.lower()
    at = min((lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0), default=0)
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


@bp.route("/feed.atom")
@requires("update.read")
def feed():
    versions = db.session.execute(
        select(
            UpdateVersion.update_id,
            UpdateVersion.number,
            UpdateVersion.title,
            UpdateVersion.author_name,
            UpdateVersion.published_at,
            UpdateVersion.note,
            UpdateVersion.meeting_date,
        )
        .order_by(UpdateVersion.published_at.desc(), UpdateVersion.id.desc())
        .limit(50)
    ).all()
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    generator = FeedGenerator()
    generator.id(f"{base}{url_for('updates.archive')}")
    generator.title(f"{config['CABINET_MEMBER_TITLE']}: updates to {config['COUNCIL_NAME']}")
    generator.author({"name": config["COUNCIL_NAME"]})
    generator.link(href=f"{base}{url_for('updates.archive')}", rel="alternate")
    generator.link(href=f"{base}{url_for('updates.feed')}", rel="self")
    generator.language("en-GB")
    generator.updated(versions[0].published_at if versions else date(2000, 1, 1).strftime("%Y-%m-%dT00:00:00Z"))
    for row in reversed(versions):  # feedgen lists the last added first
        link = f"{base}{url_for('updates.version', update_id=row.update_id, number=row.number)}"
        entry = generator.add_entry()
        entry.id(link)
        entry.title(row.title if row.number == 1 else f"{row.title} (version {row.number}, corrected)")
        entry.link(href=link)
        entry.author({"name": row.author_name})
        entry.published(row.published_at)
        entry.updated(row.published_at)
        summary = f"For the council meeting on {long_date(row.meeting_date)}."
        if row.note:
            summary += f" Correction: {row.note}"
        entry.summary(summary)
    response = make_response(generator.atom_str(pretty=True))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


def _version_or_404(update_id: int, number: int | None = None) -> UpdateVersion:
    if not (0 < update_id <= ID_MAX and (number is None or 0 < number <= ID_MAX)):
        abort(404)
    query = select(UpdateVersion).where(UpdateVersion.update_id == update_id)
    query = query.where(UpdateVersion.is_latest) if number is None else query.where(UpdateVersion.number == number)
    version = db.session.scalar(query)
    if version is None:
        abort(404)
    return version


def _other_versions(update_id: int):
    return db.session.execute(
        select(UpdateVersion.number, UpdateVersion.published_at, UpdateVersion.note, UpdateVersion.is_latest)
        .where(UpdateVersion.update_id == update_id)
        .order_by(UpdateVersion.number)
    ).all()


def _show_version(version: UpdateVersion):
    response = make_response(
        render_template(
            "updates/version.html",
            version=version,
            body=Markup(version.html),
            versions=_other_versions(version.update_id),
            update=db.session.get(CabinetUpdate, version.update_id) if current_user.is_authenticated else None,
        )
    )
    return response


@bp.route("/<int:update_id>")
@requires("update.read")
def latest(update_id: int):
    return _show_version(_version_or_404(update_id))


@bp.route("/<int:update_id>/v<int:number>")
@requires("update.read")
def version(update_id: int, number: int):
    return _show_version(_version_or_404(update_id, number))


@bp.route("/<int:update_id>/v<int:number>/print")
@requires("update.read")
def print_version(update_id: int, number: int):
    version = _version_or_404(update_id, number)
    return render_template(
        "updates/print.html",
        doc=version.content,
        for_pdf=False,
        back_url=url_for("updates.version", update_id=update_id, number=number),
    )


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=86400"  # a published version never changes
    return response


@bp.route("/<int:update_id>/v<int:number>/pdf")
@requires("update.read")
def pdf(update_id: int, number: int):
    version = _version_or_404(update_id, number)
    return _download(render_pdf(version.content), "application/pdf", doc_filename(version.content, "pdf"))


@bp.route("/<int:update_id>/v<int:number>/docx")
@requires("update.read")
def docx(update_id: int, number: int):
    version = _version_or_404(update_id, number)
    return _download(
        render_docx(version.content),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        doc_filename(version.content, "docx"),
    )


# ---------------------------------------------------------------- the Cabinet Member's list


@bp.route("/yours")
@requires("update.manage")
def yours():
    query = (
        select(CabinetUpdate, User.display_name)
        .join(User, User.id == CabinetUpdate.author_id)
        .order_by(CabinetUpdate.meeting_date.desc().nulls_first(), CabinetUpdate.id.desc())
    )
    if current_user.role != "officer":
        query = query.where(CabinetUpdate.author_id == current_user.id)
    rows = db.session.execute(query).all()
    return render_template("updates/yours.html", rows=rows, step_form=ButtonForm())


@bp.route("/new", methods=["POST"])
@requires("update.create")
def new():
    if not ButtonForm().validate_on_submit():
        abort(400)
    update = ops.create(current_user, current_user, current_month())
    flash("Your new update is ready to write. It saves as you type.", "success")
    return redirect(url_for("updates.edit", update_id=update.id), 303)


# ---------------------------------------------------------------- the editor


def _update_or_404(update_id: int) -> CabinetUpdate:
    update = get_or_404(CabinetUpdate, update_id)
    if not can_edit(current_user, update):
        abort(403)
    return update


def _month_choices(update: CabinetUpdate) -> list[tuple[str, str]]:
    statements = db.session.execute(
        select(ChairStatement.month, ChairStatement.status).order_by(ChairStatement.month.desc())
    ).all()
    choices = [("", "None")]
    months = {month for month, _ in statements}
    if update.statement_month and update.statement_month not in months:
        choices.append((f"{update.statement_month:%Y-%m}", f"{update.statement_month:%B %Y} (not written yet)"))
    for month, status in statements:
        state = "accepted" if status == "accepted" else "not accepted yet"
        choices.append((f"{month:%Y-%m}", f"{month:%B %Y} ({state})"))
    return choices


def _details_form(update: CabinetUpdate, formdata=None) -> DetailsForm:
    form = DetailsForm(
        formdata=formdata,
        data={
            "title": update.title,
            "meeting_date": update.meeting_date,
            "period_start": update.period_start,
            "period_end": update.period_end,
            "statement_month": f"{update.statement_month:%Y-%m}" if update.statement_month else "",
            "include_numbers": update.include_numbers,
            "base_version": update.version,
        },
    )
    form.statement_month.choices = _month_choices(update)
    return form


def _sign_off_form(update: CabinetUpdate, formdata=None) -> SignOffForm:
    data = {name: getattr(update, name) for name in ops.SIGN_OFF_FIELDS}
    return SignOffForm(formdata=formdata, data={**data, "base_version": update.version})


def _context(update: CabinetUpdate, **extra) -> dict:
    doc = ops.outline(update)
    statement = ops.statement_for(update)
    period = ops.period_of(update)
    context = dict(
        update=update,
        doc=doc,
        statement=statement,
        period=period,
        numbers=ops.youth_voice(period) if (period and update.include_numbers) else None,
        versions=_other_versions(update.id),
        details_form=_details_form(update),
        sign_off_form=_sign_off_form(update),
        new_section_form=NewSectionForm(formdata=None),
        step_form=ButtonForm(),
        paragraph_forms={},  # paragraph id -> a form holding refused input
        section_forms={},
        publisher=can_publish(current_user, update),
        closing_text=ops.closing_paragraph_text(update),
        focus=None,
        announce=None,
        conflict=None,
        conflict_paragraph=None,
        kept_text=None,
    )
    context.update(extra)
    return context


def _editor(update: CabinetUpdate, status: int = 200, **extra):
    return render_template(EDITOR, **_context(update, **extra)), status


def _document(
    update: CabinetUpdate, *, focus: str | None = None, announce: str | None = None, status: int = 200, **extra
):
    """After a change to the document's shape: htmx gets the document (and the
    announcement for screen readers); without JavaScript, back to the editor."""
    if is_htmx():
        from jinja2_fragments.flask import render_block

        context = _context(update, focus=focus, announce=announce, **extra)
        html = render_block(EDITOR, "document", **context) + render_block(EDITOR, "announce", oob=True, **context)
        response = make_response(html, status)
        response.headers["Vary"] = "HX-Request"
        return response
    if status >= 400:
        return _editor(update, status, focus=focus, **extra)
    if announce:
        flash(announce, "success")
    anchor = f"#{focus.split('-')[0]}" if focus else ""
    return redirect(url_for("updates.edit", update_id=update.id) + anchor, 303)


def _refused(update: CabinetUpdate, error: ops.UpdateError):
    """A step the rules refused: said at the top of the page (or in the live region)."""
    if is_htmx() and not update.state.editable:
        # Published meanwhile: the whole page, with the offer to make a correction.
        return go_to(url_for("updates.edit", update_id=update.id), error.message, "warning")
    if is_htmx():
        return _document(update, announce=error.message, status=422, refused=error.message)
    flash(error.message, "warning")
    return redirect(url_for("updates.edit", update_id=update.id), 303)


@bp.route("/<int:update_id>/edit")
@requires("update.edit")
def edit(update_id: int):
    return _editor(_update_or_404(update_id))


@bp.route("/<int:update_id>/details", methods=["POST"])
@requires("update.edit")
def save_details(update_id: int):
    update = _update_or_404(update_id)
    form = _details_form(update, request.form)
    valid = form.validate_on_submit()
    month = None
    if form.statement_month.data:
        month = _parse_month(form.statement_month.data)
        if month is None:
            form.statement_month.errors = ["Choose a month from the list"]
            valid = False
    if not valid:
        return _details_refused(update, form)
    values = {
        "title": form.title.data or "",
        "meeting_date": form.meeting_date.data,
        "period_start": form.period_start.data,
        "period_end": form.period_end.data,
        "statement_month": month,
        "include_numbers": bool(form.include_numbers.data),
    }
    try:
        ops.save_details(current_user, update, values, form.base_version.data)
    except ops.UpdateError as error:
        target = form.meeting_date if error.field == "meeting_date" else form.title
        if error.field in ("stale", None) and not update.state.editable:
            return _refused(update, error)
        target.errors = [error.message]
        return _details_refused(update, form, 409 if error.field == "stale" else 422)
    flash("The details are saved.", "success")
    return redirect(url_for("updates.edit", update_id=update.id) + "#details", 303)


def _parse_month(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def _details_refused(update: CabinetUpdate, form: DetailsForm, status: int = 422):
    form.base_version.data = update.version
    return _editor(update, status, details_form=form)


@bp.route("/<int:update_id>/sign-off", methods=["POST"])
@requires("update.edit")
def save_sign_off(update_id: int):
    update = _update_or_404(update_id)
    form = _sign_off_form(update, request.form)
    if not form.validate_on_submit():
        form.base_version.data = update.version
        return _editor(update, 422, sign_off_form=form)
    try:
        ops.save_sign_off(
            current_user,
            update,
            {name: getattr(form, name).data or "" for name in ops.SIGN_OFF_FIELDS},
            form.base_version.data,
        )
    except ops.UpdateError as error:
        if not update.state.editable:
            return _refused(update, error)
        form.closing.errors = [error.message]
        form.base_version.data = update.version
        return _editor(update, 409, sign_off_form=form)
    flash("The sign-off is saved.", "success")
    return redirect(url_for("updates.edit", update_id=update.id) + "#sign-off", 303)


def _section_or_404(update: CabinetUpdate, section_id: int) -> UpdateSection:
    return child_or_404(UpdateSection, section_id, update_id=update.id)


def _paragraph_or_404(update: CabinetUpdate, paragraph_id: int) -> UpdateParagraph:
    return child_or_404(UpdateParagraph, paragraph_id, update_id=update.id)


def _step_or_400() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.route("/<int:update_id>/sections", methods=["POST"])
@requires("update.edit")
def add_section(update_id: int):
    update = _update_or_404(update_id)
    form = NewSectionForm()
    if not form.validate_on_submit():
        return _document(update, status=422, new_section_form=form, focus="new-section")
    try:
        section = ops.add_section(current_user, update, form.heading.data or "")
    except ops.UpdateError as error:
        if error.field == "heading":
            form.heading.errors = [error.message]
            return _document(update, status=422, new_section_form=form, focus="new-section")
        return _refused(update, error)
    return _document(
        update, focus=f"section{section.id}-heading", announce=f"Section “{section.heading}” added at the end."
    )


@bp.route("/<int:update_id>/sections/<int:section_id>", methods=["POST"])
@requires("update.edit")
def rename_section(update_id: int, section_id: int):
    update = _update_or_404(update_id)
    section = _section_or_404(update, section_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            changed = ops.rename_section(current_user, update, section, form.heading.data or "", form.base_version.data)
        except ops.UpdateError as error:
            if error.field != "heading":
                return _refused(update, error)
            form.heading.errors = [error.message]
        else:
            return _document(
                update,
                focus=f"section{section.id}-heading",
                announce="Heading saved." if changed else "The heading was already saved.",
            )
    form.base_version.data = section.version
    return _document(update, status=422, section_forms={section.id: form}, focus=f"section{section.id}-heading")


def _still_there(direction: str, place: int, count: int) -> str:
    """The move button to keep focus on: the same one, unless the item has
    reached the end it was moving to (then that button is gone)."""
    if direction == "up" and place == 1:
        return "down"
    if direction == "down" and place == count:
        return "up"
    return direction


@bp.route("/<int:update_id>/sections/<int:section_id>/move", methods=["POST"])
@requires("update.edit")
def move_section(update_id: int, section_id: int):
    update = _update_or_404(update_id)
    section = _section_or_404(update, section_id)
    _step_or_400()
    direction = request.form.get("direction", "")
    try:
        ops.move_section(current_user, update, section, direction)
    except ops.UpdateError as error:
        return _refused(update, error)
    sections = [entry.section.id for entry in ops.outline(update).sections]
    place = _still_there(direction, sections.index(section.id) + 1, len(sections))
    return _document(
        update,
        focus=f"section{section.id}-{place}",
        announce=f"Section “{section.heading}” moved {direction}. The paragraphs are numbered again.",
    )


@bp.route("/<int:update_id>/sections/<int:section_id>/delete", methods=["POST"])
@requires("update.edit")
def delete_section(update_id: int, section_id: int):
    update = _update_or_404(update_id)
    section = _section_or_404(update, section_id)
    _step_or_400()
    try:
        ops.delete_section(current_user, update, section)
    except ops.UpdateError as error:
        return _refused(update, error)
    return _document(update, focus="new-section", announce=f"Section “{section.heading}” deleted.")


@bp.route("/<int:update_id>/sections/<int:section_id>/paragraphs", methods=["POST"])
@requires("update.edit")
def add_paragraph(update_id: int, section_id: int):
    update = _update_or_404(update_id)
    section = _section_or_404(update, section_id)
    _step_or_400()
    try:
        paragraph = ops.add_paragraph(current_user, update, section)
    except ops.UpdateError as error:
        return _refused(update, error)
    number = ops.outline(update).paragraph_ids().index(paragraph.id) + 1
    return _document(update, focus=f"p{paragraph.id}-text", announce=f"Paragraph {number} added.")


@bp.route("/<int:update_id>/closing-paragraph", methods=["POST"])
@requires("update.edit")
def add_closing_paragraph(update_id: int):
    update = _update_or_404(update_id)
    _step_or_400()
    try:
        paragraph = ops.add_closing_paragraph(current_user, update)
    except ops.UpdateError as error:
        return _refused(update, error)
    number = ops.outline(update).paragraph_ids().index(paragraph.id) + 1
    return _document(
        update,
        focus=f"p{paragraph.id}-text",
        announce=f"Paragraph {number} added with the usual words introducing the Chair's message. Change it as you like.",
    )


@bp.route("/<int:update_id>/paragraphs/<int:paragraph_id>", methods=["POST"])
@requires("update.edit")
def save_paragraph(update_id: int, paragraph_id: int):
    """Autosave (htmx) and the Save button without JavaScript."""
    update = _update_or_404(update_id)
    form = ParagraphForm()
    paragraph = db.session.get(UpdateParagraph, paragraph_id) if 0 < paragraph_id <= ID_MAX else None
    if paragraph is not None and paragraph.update_id != update.id:
        abort(404)
    if paragraph is None:
        return _paragraph_gone(update, form)
    if not form.validate_on_submit():
        error = (form.text.errors or form.base_version.errors or ["Reload the page and try again"])[0]
        return _paragraph_refused(update, paragraph, form, error)
    try:
        ops.save_paragraph(
            current_user,
            update,
            paragraph,
            form.text.data or "",
            form.base_version.data,
            "autosave" if is_htmx() else "save",
        )
    except VersionConflict as conflict:
        refused = ParagraphForm(
            formdata=None, data={"text": conflict.their_text, "base_version": conflict.current_version}
        )
        return conflict_response(
            EDITOR,
            "document",
            "#update-document",
            **_context(
                update,
                conflict=conflict,
                conflict_paragraph=paragraph.id,
                changes=word_diff(conflict.current_text, conflict.their_text),
                paragraph_forms={paragraph.id: refused},
                focus=f"p{paragraph.id}-conflict",
            ),
        )
    except ops.UpdateError as error:
        return _paragraph_refused(update, paragraph, form, error.message)
    if is_htmx():
        return status_response("updates/_paragraph_status.html", paragraph=paragraph, oob=True)
    flash(f"Paragraph saved at {local_datetime(paragraph.updated_at, '%H:%M')}.", "success")
    return redirect(url_for("updates.edit", update_id=update.id) + f"#p{paragraph.id}", 303)


def _paragraph_gone(update: CabinetUpdate, form: ParagraphForm):
    """A save for a paragraph deleted meanwhile (in another tab): its text is kept and shown."""
    text = form.text.data or ""
    if form.validate_on_submit():
        ops.keep_refused_text(current_user, update, text)
    message = (
        "This paragraph was deleted, perhaps in another tab, so your text could not be saved into it. "
        "It is kept: copy it, add a paragraph and paste it in."
    )
    if is_htmx():
        return status_response("updates/_paragraph_status.html", 422, paragraph=None, error=message, oob=False)
    flash(message, "warning")
    return _editor(update, 409, kept_text=text)


def _paragraph_refused(update: CabinetUpdate, paragraph: UpdateParagraph, form: ParagraphForm, message: str):
    """Not saved: why, next to the paragraph; the typed text stays in the box."""
    if is_htmx():
        return status_response("updates/_paragraph_status.html", 422, paragraph=paragraph, error=message, oob=True)
    if not update.state.editable:
        ops.keep_refused_text(current_user, update, form.text.data or "")
        flash(message, "warning")
        return _editor(update, 409, kept_text=form.text.data)
    form.text.errors = [message]
    form.base_version.data = paragraph.version
    return _editor(update, 422, paragraph_forms={paragraph.id: form})


@bp.route("/<int:update_id>/paragraphs/<int:paragraph_id>/move", methods=["POST"])
@requires("update.edit")
def move_paragraph(update_id: int, paragraph_id: int):
    update = _update_or_404(update_id)
    paragraph = _paragraph_or_404(update, paragraph_id)
    _step_or_400()
    direction = request.form.get("direction", "")
    before = ops.outline(update).paragraph_ids().index(paragraph.id) + 1
    section_id = paragraph.section_id
    try:
        ops.move_paragraph(current_user, update, paragraph, direction)
    except ops.UpdateError as error:
        return _refused(update, error)
    doc = ops.outline(update)
    ids = doc.paragraph_ids()
    after = ids.index(paragraph.id) + 1
    if paragraph.section_id != section_id:
        place = next(i for i, entry in enumerate(doc.sections, start=1) if entry.section.id == paragraph.section_id)
        heading = doc.sections[place - 1].section.heading
        announce = (
            f"Paragraph {before} moved {direction} into section {place}"
            f"{': ' + heading if heading else ''}. It is still paragraph {after}."
        )
    else:
        announce = f"Paragraph {before} moved {direction}. It is now paragraph {after}."
    return _document(update, focus=f"p{paragraph.id}-{_still_there(direction, after, len(ids))}", announce=announce)


@bp.route("/<int:update_id>/paragraphs/<int:paragraph_id>/delete", methods=["POST"])
@requires("update.edit")
def delete_paragraph(update_id: int, paragraph_id: int):
    update = _update_or_404(update_id)
    paragraph = _paragraph_or_404(update, paragraph_id)
    _step_or_400()
    number = ops.outline(update).paragraph_ids().index(paragraph.id) + 1
    if request.form.get("confirmed") != "yes":
        # Without JavaScript there was no "Are you sure?": ask it on a page.
        return render_template(
            "updates/delete_paragraph.html", update=update, paragraph=paragraph, number=number, to_blocks=ops.to_blocks
        )
    section_id = paragraph.section_id
    try:
        ops.delete_paragraph(current_user, update, paragraph)
    except ops.UpdateError as error:
        return _refused(update, error)
    # The pressed button is gone: focus goes to its section's "Add a paragraph".
    return _document(
        update,
        focus=f"section{section_id}-add",
        announce=f"Paragraph {number} deleted. The paragraphs after it are numbered again.",
    )


@bp.route("/<int:update_id>/preview")
@requires("update.edit")
def preview(update_id: int):
    update = _update_or_404(update_id)
    doc = ops.build_content(update)
    return render_template("updates/preview.html", update=update, doc=doc, check=ops.check_publishable(update))


# ---------------------------------------------------------------- publishing


@bp.route("/<int:update_id>/publish", methods=["GET", "POST"])
@requires("update.publish")
def publish(update_id: int):
    update = _update_or_404(update_id)
    if not can_publish(current_user, update):
        abort(403)
    form = PublishForm()
    check = ops.check_publishable(update)
    correcting = update.state == UpdateStatus.CORRECTING
    status = 200
    if form.validate_on_submit():
        try:
            version = ops.publish(
                current_user,
                update,
                note=form.note.data or "",
                without_statement=bool(form.without_statement.data),
                seen=form.seen.data or None,
            )
        except ops.UpdateError as error:
            if error.field in ("note", "without_statement"):
                error.show_on(form, "note")
            else:
                flash(error.message, "warning")
            status = 422
        else:
            flash(
                f"Published as version {version.number}. It can no longer be changed; a correction makes a new version.",
                "success",
            )
            return redirect(url_for("updates.version", update_id=update.id, number=version.number), 303)
    elif request.method == "POST":
        status = 422
    form.seen.data = ops.seen_stamp(update)
    return render_template("updates/publish.html", update=update, form=form, check=check, correcting=correcting), status


@bp.route("/<int:update_id>/correct", methods=["POST"])
@requires("update.publish")
def correct(update_id: int):
    update = _update_or_404(update_id)
    if not can_publish(current_user, update):
        abort(403)
    _step_or_400()
    try:
        ops.start_correction(current_user, update)
    except ops.UpdateError as error:
        flash(error.message, "warning")
    else:
        flash(
            "You can now correct the update. The published version stays as it is until you publish the correction.",
            "success",
        )
    return redirect(url_for("updates.edit", update_id=update.id), 303)


# ---------------------------------------------------------------- import


@bp.route("/import", methods=["GET", "POST"])
@requires("update.create")
def import_report():
    form = ImportForm()
    if request.method == "GET":
        return render_template("updates/import.html", form=form, report=None)
    if not form.validate_on_submit():
        return render_template("updates/import.html", form=form, report=None), 422
    text = form.text.data or ""
    report = parse_report(text)
    if not report.sections:
        form.text.errors = ["There is no text to import. Paste the report's text into the box."]
        return render_template("updates/import.html", form=form, report=None), 422
    fingerprint = hashlib.sha256(text.encode()).hexdigest()
    if request.form.get("save") and form.checked.data != fingerprint:
        flash("The text was changed after it was checked. Check this import, then save it.", "warning")
    elif request.form.get("save"):
        try:
            update = ops.create_from_import(current_user, current_user, current_month(), report)
        except ops.UpdateError as error:
            form.text.errors = [error.message]
            return render_template("updates/import.html", form=form, report=report), 422
        flash(
            "The report is imported as a new draft. Check each section and paragraph, then publish when it is ready.",
            "success",
        )
        return redirect(url_for("updates.edit", update_id=update.id), 303)
    form.checked.data = fingerprint
    return render_template("updates/import.html", form=form, report=report, to_blocks=ops.to_blocks)
