"""Reporting (no account needed) and the officers' queue. Thin views over
operations.py; what "Report this" can point at is in reportable.py.

"Report a concern" lives at /report-a-concern (portal/main/routes.py calls
``concern_page``); "Report this" at /report?what=<kind>:<key>. Both send to
the same reference page, and share one limit per address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.errors import _wait
from portal.extensions import limiter
from portal.lookup import get_or_404, page_of
from portal.models import ReportStatus, SafeguardingReport
from portal.permissions import requires
from portal.safeguarding import bp
from portal.safeguarding import operations as ops
from portal.safeguarding.forms import HONEYPOT, ConcernForm, ContentReportForm, HandleForm
from portal.safeguarding.reportable import NotPublic, Reported, UnknownWhat, find

# The session key holding the reference of the last report sent from this browser.
SENT = "safeguarding_sent"
QUEUE_PER_PAGE = 25


def _report_limit() -> str:
    return str(current_app.config["REPORT_LIMIT_PER_ADDRESS"])


# One budget per address for every report form, counted before anything is stored.
_counted = limiter.shared_limit(_report_limit, scope="safeguarding-report", methods=["POST"])


def limited_per_address(view: Callable[..., Any]) -> Callable[..., Any]:
    """Count each report sent to ``view`` towards its address's limit. Over the
    limit the view still runs, with ``too_many`` saying how long to wait: it
    shows the form again with everything typed, and stores nothing."""
    counted = _counted(view)

    @wraps(view)
    def guarded(**kwargs):
        try:
            return counted(**kwargs)
        except RateLimitExceeded as error:
            return view(too_many=_wait(error), **kwargs)

    return guarded


def _reporter():
    return current_user if current_user.is_authenticated else None


def _sent(reference: str):
    """Remember the reference for this browser's reference page, and go there."""
    session[SENT] = reference
    return redirect(url_for("safeguarding.sent"), 303)


# ---------------------------------------------------------------- Report a concern


def concern_page(too_many: str | None = None):
    """Report a concern: GET shows the form, POST sends the report."""
    form = ConcernForm()
    if request.method == "GET":
        return _concern(form)
    if too_many:
        return _concern(form, 429, too_many)
    if request.form.get(HONEYPOT):
        return _sent(ops.random_reference())  # a robot: store nothing, answer as usual
    if form.validate_on_submit():
        try:
            report = ops.send_report(
                _reporter(), ops.NewReport(details=form.details.data or "", contact=form.contact.data or "")
            )
        except ops.ReportError as error:
            error.show_on(form, "details")
        else:
            return _sent(report.reference)
    return _concern(form, 422)


def _concern(form: ConcernForm, status: int = 200, too_many: str | None = None):
    return render_template("main/report_concern.html", form=form, honeypot=HONEYPOT, too_many=too_many), status


# ---------------------------------------------------------------- Report this


def _item() -> Reported | None:
    """The public item ``?what=`` names; None when the link is not one of ours; 404 when it is not public."""
    try:
        return find(request.args.get("what"))
    except UnknownWhat:
        return None
    except NotPublic:
        abort(404)


@bp.route("/report", methods=["GET", "POST"])
@requires("safeguarding.report")
@limited_per_address
def report(too_many: str | None = None):
    item = _item()
    if item is None:
        return render_template("safeguarding/unknown.html"), 400
    form = ContentReportForm()
    if request.method == "GET":
        return _content(form, item)
    if too_many:
        return _content(form, item, 429, too_many)
    if request.form.get(HONEYPOT):
        return _sent(ops.random_reference())
    if form.validate_on_submit():
        new = ops.NewReport(
            details=form.details.data or "", contact=form.contact.data or "", reason=form.reason.data, item=item
        )
        try:
            sent = ops.send_report(_reporter(), new)
        except ops.ReportError as error:
            error.show_on(form, "details")
        else:
            return _sent(sent.reference)
    return _content(form, item, 422)


def _content(form: ContentReportForm, item: Reported, status: int = 200, too_many: str | None = None):
    return render_template(
        "safeguarding/report.html", form=form, item=item, honeypot=HONEYPOT, too_many=too_many
    ), status


@bp.route("/report/sent")
@requires("safeguarding.report")
def sent():
    reference = session.get(SENT)
    if not reference:
        abort(404)
    return render_template("safeguarding/sent.html", reference=reference)


# ---------------------------------------------------------------- the officers' queue


@bp.route("/safeguarding")
@requires("safeguarding.handle")
def queue():
    listed = page_of(ops.queue_query(), QUEUE_PER_PAGE)
    return render_template(
        "safeguarding/queue.html",
        reports=listed.items,
        total=listed.total or 0,
        page=listed.page,
        pages=listed.pages,
        waiting=ops.waiting_count(),
    )


@bp.route("/safeguarding/<int:report_id>", methods=["GET", "POST"])
@requires("safeguarding.handle")
def report_page(report_id: int):
    found = get_or_404(
        SafeguardingReport,
        report_id,
        joinedload(SafeguardingReport.reporter),
        joinedload(SafeguardingReport.handled_by),
    )
    if request.method == "GET":
        data = {"status": found.status if found.state != ReportStatus.NEW else None, "note": found.officer_note}
        return _handling(found, HandleForm(formdata=None, data=data))
    form = HandleForm()
    if form.validate_on_submit():
        try:
            changed = ops.handle(current_user, found, form.status.data or "", form.note.data or "")
        except ops.ReportError as error:
            error.show_on(form, "note")
        else:
            if changed:
                flash(f"Report {found.reference} is marked {found.state.label.lower()}.", "success")
            return redirect(url_for("safeguarding.report_page", report_id=found.id), 303)
    return _handling(found, form, 422)


def _handling(found: SafeguardingReport, form: HandleForm, status: int = 200):
    return render_template("safeguarding/show.html", report=found, form=form), status
