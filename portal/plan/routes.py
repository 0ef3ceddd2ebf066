"""The plan (a calendar of the year) and the offices: thin views over plan/operations.py."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import extract, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.forms import entered
from portal.lookup import get_or_404
from portal.models import Campaign, Office, PlanItem, PlanMove
from portal.models.plan import PLAN_KINDS
from portal.people.operations import youth_cabinet_members
from portal.permissions import can, requires
from portal.plan import bp
from portal.plan import operations as ops
from portal.plan.forms import CancelForm, MoveForm, OfficeForm, PlanItemForm
from portal.templating import local_today, long_date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.title)))


def _plan_page(year: int, form: PlanItemForm | None = None, status: int = 200):
    items = list(
        db.session.scalars(
            select(PlanItem)
            .options(joinedload(PlanItem.campaign))
            .where(extract("year", PlanItem.on) == year)
            .order_by(PlanItem.on, PlanItem.id)
        )
    )
    moves = defaultdict(list)
    if items:
        for move in db.session.scalars(
            select(PlanMove)
            .options(joinedload(PlanMove.moved_by))
            .where(PlanMove.item_id.in_([i.id for i in items]))
            .order_by(PlanMove.at, PlanMove.id)
        ):
            moves[move.item_id].append(move)
    by_month = defaultdict(list)
    for item in items:
        by_month[item.on.month].append(item)
    return render_template(
        "plan/index.html",
        year=year,
        months=MONTHS,
        by_month=by_month,
        moves=moves,
        kinds=PLAN_KINDS,
        form=form or (PlanItemForm(campaigns=_campaigns()) if can(current_user, "plan.edit") else None),
    ), status


@bp.route("/plan")
@requires("plan.read")
def index():
    year = request.args.get("year", local_today().year, type=int)
    if not 2000 <= year <= 2100:
        abort(404)
    return _plan_page(year)


@bp.route("/plan/items", methods=["POST"])
@requires("plan.edit")
def add_item():
    form = PlanItemForm(campaigns=_campaigns())
    if form.validate_on_submit():
        try:
            item = ops.add_item(
                current_user,
                title=form.title.data,
                kind=form.kind.data,
                on=entered(form.on.data),
                note=form.note.data or "",
                campaign_id=int(form.campaign.data) if form.campaign.data else None,
            )
        except ops.PlanError as error:
            error.show_on(form, "title")
        else:
            flash(f"{item.title} is on the plan.", "success")
            return redirect(url_for("plan.index", year=item.on.year) + f"#item-{item.id}", 303)
    year = form.on.data.year if form.on.data else local_today().year
    return _plan_page(year, form, 422)


@bp.route("/plan/items/<int:item_id>/move", methods=["GET", "POST"])
@requires("plan.edit")
def move(item_id: int):
    item = get_or_404(PlanItem, item_id)
    # The form starts from the item's date (#14.4): change what needs changing.
    form = MoveForm(data=None if request.method == "POST" else {"to_date": item.on})
    if form.validate_on_submit():
        try:
            ops.move_item(current_user, item, entered(form.to_date.data), form.reason.data)
        except ops.PlanError as error:
            error.show_on(form, "reason")
        else:
            flash(f"{item.title} is moved to {long_date(item.on)}. Its history keeps the reason.", "success")
            return redirect(url_for("plan.index", year=item.on.year) + f"#item-{item.id}", 303)
    return render_template("plan/move.html", item=item, form=form), 422 if request.method == "POST" else 200


@bp.route("/plan/items/<int:item_id>/cancel", methods=["GET", "POST"])
@requires("plan.edit")
def cancel(item_id: int):
    item = get_or_404(PlanItem, item_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            ops.cancel_item(current_user, item, form.reason.data or "")
        except ops.PlanError as error:
            error.show_on(form, "reason")
        else:
            flash(f"{item.title} is cancelled. The plan keeps it, with the reason.", "success")
            return redirect(url_for("plan.index", year=item.on.year) + f"#item-{item.id}", 303)
    return render_template("plan/cancel.html", item=item, form=form), 422 if request.method == "POST" else 200


@bp.route("/youth-cabinet/offices", methods=["POST"])
@requires("plan.edit")
def add_office():
    form = OfficeForm(members=youth_cabinet_members())
    if form.validate_on_submit():
        try:
            office = ops.add_office(
                current_user,
                title=form.title.data,
                holder_id=int(form.holder.data),
                starts_on=entered(form.starts_on.data),
                ends_on=form.ends_on.data,
            )
        except ops.PlanError as error:
            error.show_on(form, "title")
        else:
            flash(f"{office.title} is added.", "success")
            return redirect(url_for("main.youth_cabinet"), 303)
    from portal.main.routes import youth_cabinet_page

    return youth_cabinet_page(form, 422)


@bp.route("/youth-cabinet/offices/<int:office_id>/end", methods=["POST"])
@requires("plan.edit")
def end_office(office_id: int):
    office = get_or_404(Office, office_id)
    try:
        ops.end_office(current_user, office, local_today())
    except ops.PlanError as error:
        flash(error.message, "warning")
    else:
        flash(f"{office.title} has ended.", "success")
    return redirect(url_for("main.youth_cabinet"), 303)
