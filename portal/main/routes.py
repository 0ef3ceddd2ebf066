"""Home, dashboard, the Manage page and the footer's pages."""

from __future__ import annotations

from flask import Response, abort, jsonify, make_response, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db, talisman
from portal.health import readiness
from portal.main import bp
from portal.main.home import home_for
from portal.models import Portfolio, User
from portal.notifications import mark_all_read, recent_for
from portal.people.operations import people_counts
from portal.permissions import can, requires
from portal.roles import Role
from portal.safeguarding.routes import concern_page, limited_per_address
from portal.templating import local_today, manage_page


def _cabinet() -> list[Portfolio]:
    return list(
        db.session.scalars(
            select(Portfolio)
            .options(joinedload(Portfolio.cabinet_member))
            .where(Portfolio.active)
            .order_by(Portfolio.name)
        )
    )


@bp.route("/")
@requires("public.read")
def home():
    return render_template("main/home.html", portfolios=_cabinet())


@bp.route("/dashboard")
@requires("dashboard.view")
def dashboard():
    counts = people_counts() if can(current_user, "people.manage") else None
    held = []
    if current_user.role == Role.CABINET_MEMBER:
        held = [p for p in _cabinet() if p.cabinet_member_id == current_user.id]
    notes, unread = recent_for(current_user)
    return render_template(
        "main/dashboard.html",
        home=home_for(current_user, local_today()),
        counts=counts,
        portfolios=held,
        notes=notes,
        unread=unread,
        read_form=FlaskForm(),
    )


@bp.route("/notifications/read", methods=["POST"])
@requires("notifications.own")
def notifications_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    mark_all_read(current_user)
    return redirect(url_for("main.dashboard"), 303)


@bp.route("/youth-cabinet")
@requires("youth_cabinet.members")
def youth_cabinet():
    return youth_cabinet_page()


def youth_cabinet_page(office_form=None, status: int = 200):
    """Who is on the Youth Cabinet and who holds which office: display names only (DESIGN.md: minimal data)."""
    from portal.plan.forms import OfficeForm
    from portal.plan.operations import current_offices
    from portal.templating import local_today

    members = db.session.scalars(
        select(User)
        .where(User.active, User.role.in_([Role.CHAIR.value, Role.YOUTH_MEMBER.value]))
        .order_by((User.role != Role.CHAIR.value), func.lower(User.display_name))
    ).all()
    if office_form is None and can(current_user, "plan.edit"):
        office_form = OfficeForm(members=members)
    return render_template(
        "main/youth_cabinet.html", members=members, offices=current_offices(local_today()), form=office_form
    ), status


@bp.route("/manage")
@requires("manage.view")
def manage():
    """The tools of the people who run the portal, grouped: their menu has one entry for them all."""
    return render_template("main/manage.html", sections=manage_page())


@bp.route("/privacy")
@requires("public.read")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/accessibility")
@requires("public.read")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/report-a-concern", methods=["GET", "POST"])
@requires("safeguarding.report")
@limited_per_address
def report_concern(too_many: str | None = None):
    """The form anyone can use, with or without an account (portal/safeguarding)."""
    return concern_page(too_many)


# For the load balancer and monitoring (#16): public, no cookie, never cached,
# and answered over plain HTTP too (a probe talks to gunicorn directly).


@bp.route("/healthz")
@requires("public.read")
@talisman(force_https=False)
def healthz():
    """The process answers: nothing else is asked (not the database)."""
    return _uncached(make_response("ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}))


@bp.route("/readyz")
@requires("public.read")
@talisman(force_https=False)
def readyz():
    """200 when the database (and Redis, if the limits use it) answers; 503 naming what did not."""
    checks, ready = readiness()
    return _uncached(make_response(jsonify(checks), 200 if ready else 503))


def _uncached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
