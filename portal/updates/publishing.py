"""The Cabinet Member's update: publishing a frozen version, starting a
correction, and importing a report pasted as text."""

from __future__ import annotations

import hashlib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.background import after_response
from portal.models import (
    UpdateStatus,
)
from portal.permissions import requires
from portal.statements.operations import current_month
from portal.updates import bp, stored
from portal.updates import operations as ops
from portal.updates.access import can_publish
from portal.updates.editor import step_or_400, update_or_404
from portal.updates.forms import (
    ImportForm,
    PublishForm,
)
from portal.updates.importer import parse_report

# ---------------------------------------------------------------- publishing


@bp.route("/<int:update_id>/publish", methods=["GET", "POST"])
@requires("update.publish")
def publish(update_id: int):
    update = update_or_404(update_id)
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
            # Its PDF and Word file are rendered once, after this answer (seconds for a long update).
            after_response(stored.store_documents, version.id)
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
    update = update_or_404(update_id)
    if not can_publish(current_user, update):
        abort(403)
    step_or_400()
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
