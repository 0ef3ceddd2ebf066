"""The plan (a calendar of the year) and the offices: thin views over plan/operations.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.forms import entered
from portal.lookup import get_or_404, page_of
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


# The plan is shown 20 items at a time either side of today (#16.4): earlier
# items (before today) the newest first ("Earlier items", ?earlier=2, 3 ...),
# and what is still to come the soonest first ("Later items", ?later=2, 3 ...).
# The year's first page holds both: the 20 latest before today and the next 20.
EARLIER_PER_PAGE = 20
LATER_PER_PAGE = 20


def _today_in(year: int) -> date:
    """Where "earlier" ends in ``year``: today, or the year's edge for another year."""
    today = local_today()
    return min(max(today, date(year, 1, 1)), date(year + 1, 1, 1))


def _earlier(year: int):
    return (PlanItem.on >= date(year, 1, 1)) & (PlanItem.on < _today_in(year))


def _later(year: int):
    return (PlanItem.on >= _today_in(year)) & (PlanItem.on < date(year + 1, 1, 1))


def _plan_page(year: int, form: PlanItemForm | None = None, status: int = 200):
    earlier = page_of(
        select(PlanItem)
        .options(joinedload(PlanItem.campaign))
        .where(_earlier(year))
        .order_by(PlanItem.on.desc(), PlanItem.id.desc()),
        EARLIER_PER_PAGE,
        param="earlier",
    )
    later = page_of(
        select(PlanItem).options(joinedload(PlanItem.campaign)).where(_later(year)).order_by(PlanItem.on, PlanItem.id),
        LATER_PER_PAGE,
        param="later",
    )
    # One direction at a time: a page of earlier items, a page of later ones, or the first page with both.
    if earlier.page > 1:
        items = list(reversed(earlier.items))
        older, newer = earlier.has_next, True
    elif later.page > 1:
        items = list(later.items)
        older, newer = True, later.has_next
    else:
        items = list(reversed(earlier.items)) + list(later.items)
        older, newer = earlier.has_next, later.has_next
    moves = defaultdict(list)
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
    # The months this page covers: from the oldest item shown when older pages
    # hold more, up to the newest shown when newer pages do.
    first_month = items[0].on.month if older and items else 1
    last_month = items[-1].on.month if newer and items else 12
    return render_template(
        "plan/index.html",
        year=year,
        months=MONTHS,
        shown_months=range(first_month, last_month + 1),
        by_month=by_month,
        moves=moves,
        earlier=earlier,
        later=later,
        kinds=PLAN_KINDS,
        form=form or (PlanItemForm(campaigns=_campaigns()) if can(current_user, "plan.edit") else None),
    ), status


def _where(item: PlanItem) -> str:
    """The plan's page that shows ``item``: the page of earlier or of later items it is on."""
    year = item.on.year
    if item.on < _today_in(year):
        newer = db.session.scalar(
            select(func.count(PlanItem.id)).where(
                _earlier(year), (PlanItem.on > item.on) | ((PlanItem.on == item.on) & (PlanItem.id > item.id))
            )
        )
        earlier, later = (newer or 0) // EARLIER_PER_PAGE + 1, 1
    else:
        sooner = db.session.scalar(
            select(func.count(PlanItem.id)).where(
                _later(year), (PlanItem.on < item.on) | ((PlanItem.on == item.on) & (PlanItem.id < item.id))
            )
        )
        earlier, later = 1, (sooner or 0) // LATER_PER_PAGE + 1
    return (
        url_for("plan.index", year=year, earlier=earlier if earlier > 1 else None, later=later if later > 1 else None)
        + f"#item-{item.id}"
    )


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
            return redirect(_where(item), 303)
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
            return redirect(_where(item), 303)
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
            return redirect(_where(item), 303)
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
