"""Committees' recommendations: the public list and pages, an officer's
recording of a meeting, and responses. Thin views over operations.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.extensions import db
from portal.forms import entered
from portal.lookup import ID_MAX, get_or_404, page_of
from portal.models import CommitteeMeeting, Recommendation, RecommendationStatus
from portal.models.recommendation import STATUS_LABELS
from portal.permissions import can, requires
from portal.recommendations import bp
from portal.recommendations import operations as ops
from portal.recommendations.access import can_respond
from portal.recommendations.forms import MeetingForm, RecommendationForm, ResponseForm
from portal.templating import local_today

PER_PAGE = 30


@bp.route("")
@requires("recommendation.read")
def index():
    status = request.args.get("status", "")
    if status not in {s.value for s in RecommendationStatus}:
        status = ""
    listed = page_of(ops.public_list(status or None), PER_PAGE)
    return render_template(
        "recommendations/index.html",
        listed=listed,
        latest=ops.latest_responses(r.id for r in listed.items),
        status=status,
        statuses=STATUS_LABELS,
        empty_meetings=ops.meetings_without_recommendations() if can(current_user, "recommendation.record") else [],
    )


@bp.route("/<int:recommendation_id>")
@requires("recommendation.read")
def show(recommendation_id: int):
    recommendation = _load(recommendation_id)
    return render_template(
        "recommendations/show.html",
        recommendation=recommendation,
        responses=ops.responses_of(recommendation),
        responder=can_respond(current_user, recommendation),
    )


def _load(recommendation_id: int) -> Recommendation:
    """The recommendation with its meeting and people (one query), or 404."""
    found = (
        db.session.scalar(ops.with_people().where(Recommendation.id == recommendation_id))
        if 0 < recommendation_id <= ID_MAX
        else None
    )
    if found is None:
        abort(404)
    return found


def _back(recommendation: Recommendation) -> str:
    """Back to the update being written (``?update=``), or to the recommendation's page."""
    update_id = request.args.get("update", type=int)
    if update_id and 0 < update_id < 2**31:
        # The editor's panel open, showing the response just given.
        return url_for("updates.edit", update_id=update_id, recommendations="open") + "#recommendations"
    return url_for("recommendations.show", recommendation_id=recommendation.id)


@bp.route("/<int:recommendation_id>/respond", methods=["GET", "POST"])
@requires("recommendation.respond")
def respond(recommendation_id: int):
    recommendation = _load(recommendation_id)
    if not can_respond(current_user, recommendation):
        abort(403)
    form = ResponseForm(
        data=None if request.method == "POST" else {"on": local_today(), "status": recommendation.status}
    )
    if form.validate_on_submit():
        try:
            ops.respond(
                current_user,
                recommendation,
                on=entered(form.on.data),
                text=form.text.data or "",
                status=form.status.data or "",
            )
        except ops.RecommendationError as error:
            error.show_on(form, "text")
        else:
            flash(
                f"Your response is saved. Recommendation {recommendation.number} is now "
                f"“{recommendation.state.label}”.",
                "success",
            )
            return redirect(_back(recommendation), 303)
    return (
        render_template(
            "recommendations/respond.html",
            recommendation=recommendation,
            responses=ops.responses_of(recommendation),
            form=form,
            back=_back(recommendation),
        ),
        422 if request.method == "POST" else 200,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@requires("recommendation.record")
def new_meeting():
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = ops.record_meeting(
                current_user,
                committee=form.committee.data or "",
                held_on=entered(form.held_on.data),
                minute=form.minute.data or "",
            )
        except ops.RecommendationError as error:
            error.show_on(form, "committee")
        else:
            flash(f"Minute {meeting.minute} is recorded. Now add its recommendations.", "success")
            return redirect(url_for("recommendations.meeting", meeting_id=meeting.id), 303)
    return render_template("recommendations/new_meeting.html", form=form), 422 if request.method == "POST" else 200


def _recommendation_form(meeting: CommitteeMeeting, formdata=None) -> RecommendationForm:
    return RecommendationForm(
        formdata=formdata,
        data={"number": str(ops.next_number(meeting))},
        cabinet_members=ops.cabinet_members(),
        owners=ops.possible_owners(),
    )


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@requires("recommendation.record")
def meeting(meeting_id: int):
    found = get_or_404(CommitteeMeeting, meeting_id)
    if request.method == "GET":
        form = _recommendation_form(found)
    else:
        form = RecommendationForm(cabinet_members=ops.cabinet_members(), owners=ops.possible_owners())
        if form.validate_on_submit():
            try:
                added = ops.add_recommendation(
                    current_user,
                    found,
                    number=int(form.number.data or 0),
                    text=form.text.data or "",
                    addressed=form.addressed.data or "",
                    cabinet_member_id=form.cabinet_member_id,
                    officer_post=form.officer_post.data or "",
                    owner_id=form.owner_id,
                    due_on=entered(form.due_on.data),
                )
            except ops.RecommendationError as error:
                error.show_on(form, "text")
            else:
                flash(f"Recommendation {added.number} is added.", "success")
                return redirect(url_for("recommendations.meeting", meeting_id=found.id), 303)
    return (
        render_template(
            "recommendations/meeting.html", meeting=found, recommendations=ops.of_meeting(found), form=form
        ),
        422 if request.method == "POST" else 200,
    )
