"""Campaign pages: thin views over campaigns/operations.py."""

from __future__ import annotations

from typing import Any

import pygal
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.campaigns import access, bp
from portal.campaigns import operations as ops
from portal.campaigns.forms import CampaignForm, ReachForm, ReturnChangesForm
from portal.charts import CHART_POLICY, chart_style, svg_response
from portal.diffs import word_diff
from portal.extensions import db, talisman
from portal.htmx import render_page_or_block
from portal.lookup import ID_MAX, PAGE_MAX, child_or_404, page_of
from portal.models import Campaign, CampaignGoal, CampaignLead, Portfolio, ReachEntry, User
from portal.models.campaign import CHANNELS, CampaignStatus
from portal.permissions import can, is_htmx, requires
from portal.templating import long_date

PER_PAGE = 20
REACH_PER_PAGE = 20


def _portfolios() -> list[Portfolio]:
    return list(db.session.scalars(select(Portfolio).order_by(Portfolio.name)))


def _campaign_or_404(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).options(joinedload(Campaign.portfolio)).where(Campaign.slug == slug))
    if campaign is None or not access.can_see(current_user, campaign):
        abort(404)
    return campaign


def _editable_or_403(slug: str) -> Campaign:
    campaign = _campaign_or_404(slug)
    if not access.can_edit(current_user, campaign):
        abort(403)
    return campaign


@bp.route("")
@requires("campaign.read")
def index():
    status = request.args.get("status", "")
    status = status if status in {s.value for s in CampaignStatus} else ""
    portfolio = request.args.get("portfolio", type=int)
    portfolio = portfolio if portfolio is not None and 0 < portfolio <= ID_MAX else None  # no such portfolio: no filter
    query = select(Campaign).options(joinedload(Campaign.portfolio)).where(access.visible_to(current_user))
    if status:
        query = query.where(Campaign.status == status)
    if portfolio:
        query = query.where(Campaign.portfolio_id == portfolio)
    listed = page_of(query.order_by(Campaign.starts_on.desc().nulls_last(), Campaign.id.desc()), PER_PAGE)
    campaigns = list(listed.items)
    reach = ops.reach_for([c.id for c in campaigns])
    return render_page_or_block(
        "campaigns/index.html",
        "results",
        campaigns=campaigns,
        reach=reach,
        total=listed.total or 0,
        page=listed.page,
        pages=listed.pages,
        status=status,
        portfolio=portfolio,
        portfolios=_portfolios(),
        statuses=list(CampaignStatus),
    )


def _details(form: CampaignForm) -> ops.CampaignDetails:
    return ops.CampaignDetails(
        title=form.title.data,
        summary=form.summary.data or "",
        body=form.body.data or "",
        status=form.status.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        portfolio_id=int(form.portfolio.data) if form.portfolio.data else None,
        goal=form.goal.data,
        leads=[int(v) for v in form.leads.data or []],
    )


def _finding() -> bool:
    """The leads picker's search (#16.4), not a save: "Find" pressed (POST, with
    everything typed kept), or the words typed in "Find a member" (htmx GET)."""
    if request.method == "POST":
        return "find" in request.form
    return "find_member" in request.args


def _pick_leads(form: CampaignForm, keep: list[int]) -> int:
    """Show the leads picker's checkboxes: the leads ``keep`` and those ticked
    (always), and the members found by name. On a GET search (htmx as one
    types), the words and the ticks come from the URL. Says how many were found."""
    if request.method == "GET" and _finding():
        form.find_member.data = request.args.get("find_member", "").strip()[:60]
        if is_htmx():
            form.leads.data = request.args.getlist("leads")
    found, count = ops.lead_candidates(keep + form.chosen_leads(), form.find_member.data or "")
    form.show_members(found)
    return count


def _form_page(form: CampaignForm, status: int, **context):
    """The campaign form, or (for the leads picker's search with htmx) only its leads block."""
    if _finding() and is_htmx():
        return render_page_or_block("campaigns/edit.html", "leads", oob_blocks=("lead_status",), form=form, **context)
    return render_template("campaigns/edit.html", form=form, **context), status


@bp.route("/new", methods=["GET", "POST"])
@requires("campaign.create")
def new():
    form = CampaignForm(portfolios=_portfolios())
    keep = [current_user.id] if access.leads_campaigns(current_user) else []
    if request.method == "GET":
        form.leads.data = [str(i) for i in keep]
    if not _finding() and form.validate_on_submit():
        try:
            campaign = ops.create(current_user, _details(form))
        except ops.CampaignError as error:
            db.session.rollback()
            error.show_on(form, "title")
        else:
            flash("Your campaign is saved as a draft. Add its reach as it happens.", "success")
            return redirect(url_for("campaigns.show", slug=campaign.slug), 303)
    found = _pick_leads(form, keep)
    return _form_page(form, 422 if request.method == "POST" and not _finding() else 200, campaign=None, found=found)


@bp.route("/<slug>")
@requires("campaign.read")
def show(slug: str):
    campaign = _campaign_or_404(slug)
    return _campaign_page(campaign)


def _campaign_page(
    campaign: Campaign,
    reach_form: ReachForm | None = None,
    status: int = 200,
    block: str | None = None,
    editing: int | None = None,
    edit_form: ReachForm | None = None,
    changed: bool = False,
    return_form: ReturnChangesForm | None = None,
):
    editable = access.can_edit(current_user, campaign)
    # The reach log (for those who keep it) shows the newest entries, a page at a
    # time (#16.4); the outcome, chart and table of days are SQL sums over them all.
    entries = (
        page_of(
            select(ReachEntry)
            .where(ReachEntry.campaign_id == campaign.id)
            .order_by(ReachEntry.on.desc(), ReachEntry.id.desc()),
            REACH_PER_PAGE,
            param="reach_page",
        )
        if editable
        else None
    )
    leads = list(
        db.session.scalars(
            select(User)
            .join(CampaignLead, CampaignLead.user_id == User.id)
            .where(CampaignLead.campaign_id == campaign.id)
            .order_by(User.display_name)
        )
    )
    goals = list(db.session.scalars(select(CampaignGoal).where(CampaignGoal.campaign_id == campaign.id)))
    reach = ops.reach_for([campaign.id]).get(campaign.id, ops.NO_REACH)
    context: dict[str, Any] = dict(
        campaign=campaign,
        entries=entries,
        leads=leads,
        goals=goals,
        reach=reach,
        over_time=ops.reach_over_time(campaign.id),
        channels=CHANNELS,
        editable=editable,
        can_publish=can(current_user, "campaign.publish"),
        reach_form=reach_form or ReachForm(formdata=None),
        editing=editing,
        edit_form=edit_form,
        changed=changed,  # after an entry is added, corrected or removed: focus on the reach heading
        changes=_changes_to_show(campaign, leads, goals),
        return_form=return_form or ReturnChangesForm(formdata=None),
        approves=access.approves_changes(current_user),
    )
    if block and is_htmx():
        response = render_page_or_block("campaigns/show.html", block, **context)
        response.status_code = status
        return response
    return render_template("campaigns/show.html", **context), status


def _changes_to_show(campaign: Campaign, leads: list[User], goals: list[CampaignGoal]) -> list[tuple[str, list]] | None:
    """A lead's changes waiting for approval, field by field, word by word
    (for the lead and for those who approve); None when none wait."""
    pending = ops.pending_details(campaign)
    if pending is None or not (access.approves_changes(current_user) or access.can_edit(current_user, campaign)):
        return None
    portfolios = {p.id: p.name for p in _portfolios()}
    goal = goals[0].target_people if goals else None

    def day(value) -> str:
        return long_date(value) if value else "Not set"

    pairs = [
        ("Title", campaign.title, pending.title),
        ("Summary", campaign.summary, pending.summary),
        ("What the campaign is about", campaign.body, pending.body),
        ("Status", CampaignStatus(campaign.status).label, CampaignStatus(pending.status).label),
        ("Starts", day(campaign.starts_on), day(pending.starts_on)),
        ("Ends", day(campaign.ends_on), day(pending.ends_on)),
        (
            "Portfolio",
            portfolios.get(campaign.portfolio_id or 0, "None"),
            portfolios.get(pending.portfolio_id or 0, "None"),
        ),
        ("Goal (people)", f"{goal:,}" if goal else "None", f"{pending.goal:,}" if pending.goal else "None"),
    ]
    if pending.leads is not None:
        names = ops.lead_names(pending.leads)
        pairs.append(
            (
                "Leads",
                ", ".join(sorted(u.display_name for u in leads)),
                ", ".join(sorted(names.get(i, "A former member") for i in pending.leads)),
            )
        )
    return [(label, word_diff(old, new)) for label, old, new in pairs if old != new]


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("campaign.edit")
def edit(slug: str):
    campaign = _editable_or_403(slug)
    waiting = access.needs_approval(current_user, campaign)
    form = CampaignForm(
        data=None if request.method == "POST" else _form_data(campaign, waiting), portfolios=_portfolios()
    )
    stale = False
    if not _finding() and form.validate_on_submit():
        try:
            live = ops.update(current_user, campaign, _details(form), form.base_version.data or 0)
        except ops.StaleCampaign:
            db.session.rollback()
            stale = True
            form.base_version.data = campaign.version
        except ops.CampaignError as error:
            db.session.rollback()
            error.show_on(form, "title")
        else:
            if live:
                flash("The campaign is saved.", "success")
            else:
                flash(
                    "Your changes are saved and sent to the Chair and officers to approve. "
                    "Until then, the public page shows the campaign as it was.",
                    "success",
                )
            return redirect(url_for("campaigns.show", slug=campaign.slug), 303)
    leads = select(CampaignLead.user_id).where(CampaignLead.campaign_id == campaign.id)
    found = _pick_leads(form, list(db.session.scalars(leads)))
    status = 409 if stale else (422 if request.method == "POST" and not _finding() else 200)
    return _form_page(form, status, campaign=campaign, stale=stale, waiting=waiting, found=found)


def _form_data(campaign: Campaign, waiting: bool) -> dict:
    """The form as the campaign is, or, for a lead whose changes wait for
    approval, as they left it (their changes are never lost)."""
    pending = ops.pending_details(campaign) if waiting else None
    goal = db.session.scalar(select(CampaignGoal.target_people).where(CampaignGoal.campaign_id == campaign.id))
    leads = list(db.session.scalars(select(CampaignLead.user_id).where(CampaignLead.campaign_id == campaign.id)))
    source = pending or ops.CampaignDetails(
        campaign.title,
        campaign.summary,
        campaign.body,
        campaign.status,
        campaign.starts_on,
        campaign.ends_on,
        campaign.portfolio_id,
        goal,
        leads,
    )
    return {
        "title": source.title,
        "summary": source.summary,
        "body": source.body,
        "status": source.status,
        "starts_on": source.starts_on,
        "ends_on": source.ends_on,
        "portfolio": str(source.portfolio_id or ""),
        "goal": source.goal,
        "base_version": campaign.version,
        "leads": [str(i) for i in (source.leads if source.leads is not None else leads)],
    }


@bp.route("/<slug>/changes/approve", methods=["POST"])
@requires("campaign.publish")
def approve_changes(slug: str):
    campaign = _campaign_or_404(slug)
    try:
        ops.approve_changes(current_user, campaign, request.form.get("base_version", type=int) or 0)
    except ops.StaleCampaign:
        db.session.rollback()
        flash("The lead changed their changes again after you opened this page. Read them again below.", "warning")
        return redirect(url_for("campaigns.show", slug=campaign.slug) + "#changes", 303)
    except ops.CampaignError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("campaigns.show", slug=campaign.slug), 303)
    flash("The changes are approved and on the public page now. The lead has been told.", "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug), 303)


@bp.route("/<slug>/changes/return", methods=["POST"])
@requires("campaign.publish")
def return_changes(slug: str):
    campaign = _campaign_or_404(slug)
    form = ReturnChangesForm()
    if form.validate_on_submit():
        try:
            ops.return_changes(current_user, campaign, form.comment.data or "")
        except ops.CampaignError as error:
            db.session.rollback()
            if error.field != "comment":
                flash(error.message, "warning")
                return redirect(url_for("campaigns.show", slug=campaign.slug), 303)
            error.show_on(form, "comment")
        else:
            flash("The changes are sent back to the lead with your comment.", "success")
            return redirect(url_for("campaigns.show", slug=campaign.slug), 303)
    return _campaign_page(campaign, return_form=form, status=422)


@bp.route("/<slug>/publish", methods=["POST"])
@requires("campaign.publish")
def publish(slug: str):
    campaign = _campaign_or_404(slug)  # CSRFProtect has already checked the token
    try:
        ops.publish(current_user, campaign)
    except ops.CampaignError as error:
        flash(error.message, "warning")
    else:
        flash("The campaign is published. Anyone can now see its page.", "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug), 303)


def _reach_values(form: ReachForm) -> dict:
    return dict(
        on=form.on.data,
        channel=form.channel.data,
        people=form.people.data,
        impressions=form.impressions.data,
        note=form.note.data or "",
        confirmed=form.confirm_big.data,
    )


@bp.route("/<slug>/reach", methods=["POST"])
@requires("campaign.edit")
def add_reach(slug: str):
    campaign = _editable_or_403(slug)
    form = ReachForm()
    if form.validate_on_submit():
        try:
            ops.add_reach(current_user, campaign, **_reach_values(form))
        except ops.CampaignError as error:
            error.show_on(form, "people")
        else:
            if is_htmx():
                return _campaign_page(campaign, block="reach", status=200, changed=True)
            flash("The reach is added.", "success")
            return redirect(url_for("campaigns.show", slug=campaign.slug) + "#reach", 303)
    return _campaign_page(campaign, form, 422, block="reach")


def _reach_url(campaign: Campaign) -> str:
    """Back to the reach log, on the page it was corrected or removed from."""
    reach_page = request.args.get("reach_page", type=int)
    page = reach_page if reach_page and 1 < reach_page <= PAGE_MAX else None
    return url_for("campaigns.show", slug=campaign.slug, reach_page=page) + "#reach"


def _entry_or_404(campaign: Campaign, entry_id: int) -> ReachEntry:
    return child_or_404(ReachEntry, entry_id, campaign_id=campaign.id)


@bp.route("/<slug>/reach/<int:entry_id>", methods=["GET", "POST"])
@requires("campaign.edit")
def change_reach(slug: str, entry_id: int):
    campaign = _editable_or_403(slug)
    entry = _entry_or_404(campaign, entry_id)
    if request.method == "GET":
        form = ReachForm(
            formdata=None,
            data={
                "on": entry.on,
                "channel": entry.channel,
                "people": entry.people,
                "impressions": entry.impressions,
                "note": entry.note,
            },
        )
        return _campaign_page(campaign, block="reach", editing=entry.id, edit_form=form)
    form = ReachForm()
    if form.validate_on_submit():
        try:
            ops.change_reach(current_user, entry, **_reach_values(form))
        except ops.CampaignError as error:
            error.show_on(form, "people")
        else:
            if is_htmx():
                return _campaign_page(campaign, block="reach", changed=True)
            flash("The reach is corrected.", "success")
            return redirect(_reach_url(campaign), 303)
    return _campaign_page(campaign, status=422, block="reach", editing=entry.id, edit_form=form)


@bp.route("/<slug>/reach/<int:entry_id>/delete", methods=["POST"])
@requires("campaign.edit")
def remove_reach(slug: str, entry_id: int):
    campaign = _editable_or_403(slug)
    entry = _entry_or_404(campaign, entry_id)  # CSRFProtect has already checked the token
    ops.remove_reach(current_user, entry)
    if is_htmx():
        return _campaign_page(campaign, block="reach", changed=True)
    flash("The reach entry is removed.", "success")
    return redirect(_reach_url(campaign), 303)


@bp.route("/<slug>/reach.svg")
@requires("campaign.read")
@talisman(content_security_policy=CHART_POLICY, content_security_policy_nonce_in=[])
def chart(slug: str):
    """People reached per day (or week, or month), drawn by pygal (the same figures are in the table beside it)."""
    campaign = _campaign_or_404(slug)
    over_time = ops.reach_over_time(campaign.id)
    rows = over_time.rows
    impressions = any(seen for _, _, seen in rows)
    style = chart_style(colors=("#1d70b8", "#f47738"))
    bar = pygal.Bar(
        style=style,
        show_legend=impressions,
        legend_at_bottom=True,
        js=[],
        width=800,
        height=360,
        x_label_rotation=30,
        title=f"People reached each {over_time.unit}" + (", and social media impressions" if impressions else ""),
        disable_xml_declaration=False,
    )
    bar.x_labels = [over_time.short_label(day) for day, _, _ in rows]
    bar.add("People reached", [people for _, people, _ in rows])
    if impressions:
        bar.add("Impressions", [seen for _, _, seen in rows])
    return svg_response(bar)
