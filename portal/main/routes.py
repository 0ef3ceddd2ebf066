"""Home, dashboard and the footer's pages."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.main import bp
from portal.extensions import db
from portal.models import Portfolio
from portal.people.operations import people_counts
from portal.permissions import can, requires
from portal.roles import Role


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
    return render_template("main/dashboard.html", counts=counts, portfolios=held)


@bp.route("/privacy")
@requires("public.read")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/accessibility")
@requires("public.read")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/report-a-concern")
@requires("public.read")
def report_concern():
    return render_template("main/report_concern.html")
