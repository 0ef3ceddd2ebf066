"""The Cabinet Member's update, editing: their list of updates, the editor
(details, sections, numbered paragraphs that autosave, the sign-off) and the
preview. Thin views over operations.py."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.autosave import VersionConflict, conflict_response, status_response
from portal.diffs import word_diff
from portal.extensions import db
from portal.forms import ButtonForm
from portal.htmx import focus_after_move, go_to, swap_with_announcement
from portal.lookup import ID_MAX, child_or_404, get_or_404, page_of
from portal.models import (
    CabinetUpdate,
    ChairStatement,
    UpdateParagraph,
    UpdateSection,
)
from portal.permissions import is_htmx, requires
from portal.recommendations import operations as recommendation_ops
from portal.statements.operations import current_month
from portal.templating import local_datetime
from portal.updates import bp, published
from portal.updates import operations as ops
from portal.updates.access import can_edit, can_publish, sees_every_update
from portal.updates.forms import (
    DetailsForm,
    NewSectionForm,
    ParagraphForm,
    SectionForm,
    SignOffForm,
)

EDITOR = "updates/edit.html"
YOURS_PER_PAGE = 20
STATEMENT_YEARS = 2  # the statement months offered: the last two years'
RECOMMENDATIONS_SHOWN = 10  # the open recommendations beside the editor, a page at a time
RECOMMENDATIONS_PAGE = "recommendations_page"  # ?recommendations=open opens the panel (recommendations/routes.py)


# ---------------------------------------------------------------- the Cabinet Member's list


@bp.route("/yours")
@requires("update.manage")
def yours():
    query = (
        select(CabinetUpdate)
        .options(joinedload(CabinetUpdate.author))
        .order_by(CabinetUpdate.meeting_date.desc().nulls_first(), CabinetUpdate.id.desc())
    )
    if not sees_every_update(current_user):
        query = query.where(CabinetUpdate.author_id == current_user.id)
    listed = page_of(query, YOURS_PER_PAGE)  # 20 a page, the newest first (#16.4)
    return render_template("updates/yours.html", updates=listed.items, listed=listed, step_form=ButtonForm())


@bp.route("/new", methods=["POST"])
@requires("update.create")
def new():
    if not ButtonForm().validate_on_submit():
        abort(400)
    update = ops.create(current_user, current_user, current_month())
    flash("Your new update is ready to write. It saves as you type.", "success")
    return redirect(url_for("updates.edit", update_id=update.id), 303)


# ---------------------------------------------------------------- the editor


def update_or_404(update_id: int) -> CabinetUpdate:
    update = get_or_404(CabinetUpdate, update_id)
    if not can_edit(current_user, update):
        abort(403)
    return update


def _month_choices(update: CabinetUpdate) -> list[tuple[str, str]]:
    """The statements of the last two years (an update adds a recent month's),
    and the month already chosen, however old: one query, a bounded list (#16)."""
    this_month = current_month()
    first = date(this_month.year - STATEMENT_YEARS, this_month.month, 1)
    shown = ChairStatement.month > first
    if update.statement_month:
        shown = shown | (ChairStatement.month == update.statement_month)
    statements = db.session.execute(
        select(ChairStatement.month, ChairStatement.status).where(shown).order_by(ChairStatement.month.desc())
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
            "base_version": update.details_version,
        },
    )
    form.statement_month.choices = _month_choices(update)
    return form


def _sign_off_form(update: CabinetUpdate, formdata=None) -> SignOffForm:
    data = {name: getattr(update, name) for name in ops.SIGN_OFF_FIELDS}
    return SignOffForm(formdata=formdata, data={**data, "base_version": update.sign_off_version})


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
        **_open_recommendations(update),  # #17.1, the panel beside the editor
        versions=published.versions_of(update.id),
        details_form=_details_form(update),
        details_problems=ops.details_problems(update),
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


def _open_recommendations(update: CabinetUpdate) -> dict:
    """A page of the open recommendations addressed to the update's author,
    each with its latest response (three queries, however many are open)."""
    listed = page_of(recommendation_ops.open_to(update.author_id), RECOMMENDATIONS_SHOWN, param=RECOMMENDATIONS_PAGE)
    latest = recommendation_ops.latest_responses(r.id for r in listed.items)
    return {
        "recommendations": [(r, latest.get(r.id)) for r in listed.items],
        "recommendations_listed": listed,
        "open_shown": recommendation_ops.UPDATE_OPEN_SHOWN,  # how many open ones publishing lists
    }


def _editor(update: CabinetUpdate, status: int = 200, **extra):
    return render_template(EDITOR, **_context(update, **extra)), status


def _document(
    update: CabinetUpdate, *, focus: str | None = None, announce: str | None = None, status: int = 200, **extra
):
    """After a change to the document's shape: htmx gets the document (with the
    announcement for screen readers and the contents list, which counts its
    paragraphs); without JavaScript, back to the editor."""
    if is_htmx():
        return swap_with_announcement(
            EDITOR,
            "document",
            status,
            oob_blocks=("contents",),
            **_context(update, focus=focus, announce=announce, **extra),
        )
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
    return _editor(update_or_404(update_id))


@bp.route("/<int:update_id>/details", methods=["POST"])
@requires("update.edit")
def save_details(update_id: int):
    update = update_or_404(update_id)
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
    if status == 409:
        _conflict_seen(form, update.details_version)
    return _editor(update, status, details_form=form)


def _conflict_seen(form: DetailsForm | SignOffForm, version: int) -> None:
    """The person is now told of the other change: saving again from this page
    is their choice, so the form carries the current version (a page refused
    for another reason keeps the version it was loaded from)."""
    form.base_version.data = version
    form.base_version.raw_data = None  # else the field shows the version it was posted with


@bp.route("/<int:update_id>/sign-off", methods=["POST"])
@requires("update.edit")
def save_sign_off(update_id: int):
    update = update_or_404(update_id)
    form = _sign_off_form(update, request.form)
    if not form.validate_on_submit():
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
        _conflict_seen(form, update.sign_off_version)
        return _editor(update, 409, sign_off_form=form)
    flash("The sign-off is saved.", "success")
    return redirect(url_for("updates.edit", update_id=update.id) + "#sign-off", 303)


def _section_or_404(update: CabinetUpdate, section_id: int) -> UpdateSection:
    return child_or_404(UpdateSection, section_id, update_id=update.id)


def _paragraph_or_404(update: CabinetUpdate, paragraph_id: int) -> UpdateParagraph:
    return child_or_404(UpdateParagraph, paragraph_id, update_id=update.id)


def step_or_400() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.route("/<int:update_id>/sections", methods=["POST"])
@requires("update.edit")
def add_section(update_id: int):
    update = update_or_404(update_id)
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
    update = update_or_404(update_id)
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


@bp.route("/<int:update_id>/sections/<int:section_id>/move", methods=["POST"])
@requires("update.edit")
def move_section(update_id: int, section_id: int):
    update = update_or_404(update_id)
    section = _section_or_404(update, section_id)
    step_or_400()
    direction = request.form.get("direction", "")
    try:
        ops.move_section(current_user, update, section, direction)
    except ops.UpdateError as error:
        return _refused(update, error)
    sections = [entry.section.id for entry in ops.outline(update).sections]
    place = focus_after_move(direction, sections.index(section.id) + 1, len(sections))
    return _document(
        update,
        focus=f"section{section.id}-{place}",
        announce=f"Section “{section.heading}” moved {direction}. The paragraphs are numbered again.",
    )


@bp.route("/<int:update_id>/sections/<int:section_id>/delete", methods=["POST"])
@requires("update.edit")
def delete_section(update_id: int, section_id: int):
    update = update_or_404(update_id)
    section = _section_or_404(update, section_id)
    step_or_400()
    try:
        ops.delete_section(current_user, update, section)
    except ops.UpdateError as error:
        return _refused(update, error)
    return _document(update, focus="new-section", announce=f"Section “{section.heading}” deleted.")


@bp.route("/<int:update_id>/sections/<int:section_id>/paragraphs", methods=["POST"])
@requires("update.edit")
def add_paragraph(update_id: int, section_id: int):
    update = update_or_404(update_id)
    section = _section_or_404(update, section_id)
    step_or_400()
    try:
        paragraph = ops.add_paragraph(current_user, update, section)
    except ops.UpdateError as error:
        return _refused(update, error)
    number = ops.outline(update).paragraph_ids().index(paragraph.id) + 1
    return _document(update, focus=f"p{paragraph.id}-text", announce=f"Paragraph {number} added.")


@bp.route("/<int:update_id>/closing-paragraph", methods=["POST"])
@requires("update.edit")
def add_closing_paragraph(update_id: int):
    update = update_or_404(update_id)
    step_or_400()
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
    update = update_or_404(update_id)
    form = ParagraphForm()
    paragraph = db.session.get(UpdateParagraph, paragraph_id) if 0 < paragraph_id <= ID_MAX else None
    if paragraph is not None and paragraph.update_id != update.id:
        abort(404)
    if paragraph is None:
        return _paragraph_gone(update, form)
    if not form.validate_on_submit():
        error = (form.text.errors or form.base_version.errors or ["Reload the page and try again"])[0]
        return _paragraph_refused(update, paragraph, form, error)
    was_empty = not paragraph.text.strip()
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
        # Written into an empty paragraph, or emptied: the contents list's "empty" counts change too.
        refresh = was_empty != (not paragraph.text.strip())
        return status_response(
            "updates/_paragraph_status.html",
            paragraph=paragraph,
            oob=True,
            doc=ops.outline(update) if refresh else None,
            details_problems=ops.details_problems(update),
        )
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
    update = update_or_404(update_id)
    paragraph = _paragraph_or_404(update, paragraph_id)
    step_or_400()
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
    return _document(update, focus=f"p{paragraph.id}-{focus_after_move(direction, after, len(ids))}", announce=announce)


@bp.route("/<int:update_id>/paragraphs/<int:paragraph_id>/delete", methods=["POST"])
@requires("update.edit")
def delete_paragraph(update_id: int, paragraph_id: int):
    update = update_or_404(update_id)
    paragraph = _paragraph_or_404(update, paragraph_id)
    step_or_400()
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
    update = update_or_404(update_id)
    doc = ops.build_content(update)
    return render_template("updates/preview.html", update=update, doc=doc, check=ops.check_publishable(update))
