"""Area of Interest pages: thin views over aoi/operations.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.aoi import bp
from portal.aoi import operations as ops
from portal.aoi.access import can_accept, can_see_pairing, sees_reasons
from portal.aoi.forms import ChoicesForm, EditEntryForm, LogEntryForm, MoveForm, PortfolioForm, RoundForm
from portal.extensions import db
from portal.forms import ButtonForm, entered
from portal.htmx import render_page_or_block
from portal.lookup import child_or_404, get_or_404, page_of
from portal.models import Pairing, PairingLogEntry, Portfolio, PreferenceAnswer, PreferenceRound, RoundStatus, User
from portal.permissions import is_htmx, requires
from portal.roles import Role

# A round's pairings (and the officer's list of them) are shown a page at a time (#16.4).
PAIRINGS_PER_PAGE = 25


def _round_or_404(round_id: int) -> PreferenceRound:
    return get_or_404(PreferenceRound, round_id)


def _pairing_or_404(pairing_id: int) -> Pairing:
    pairing = get_or_404(
        Pairing,
        pairing_id,
        joinedload(Pairing.member),
        joinedload(Pairing.round),
        joinedload(Pairing.portfolio).joinedload(Portfolio.cabinet_member),
    )
    if not can_see_pairing(current_user, pairing):
        abort(404)
    return pairing


def _active_portfolios() -> list[Portfolio]:
    return list(db.session.scalars(select(Portfolio).where(Portfolio.active).order_by(Portfolio.name)))


def _portfolio_values(form: PortfolioForm) -> dict:
    return dict(
        name=form.name.data,
        description=form.description.data or "",
        cabinet_member_id=int(form.cabinet_member.data) if form.cabinet_member.data else None,
        capacity=form.capacity.data,
        active=form.active.data,
    )


def _cabinet_members() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.CABINET_MEMBER.value, User.active).order_by(User.display_name)
        )
    )


# The programme's page: what each role needs ------------------------------------


@bp.route("")
@requires("aoi.view")
def index():
    latest = ops.latest_round()
    user = current_user
    context: dict = {"latest": latest, "round_form": RoundForm(), "action_form": ButtonForm()}
    if latest is not None:
        context["open_for_choices"] = ops.is_open_for_choices(latest)
    if user.role in (Role.YOUTH_MEMBER, Role.CHAIR):
        context["mine"] = db.session.scalar(
            select(Pairing)
            .options(joinedload(Pairing.portfolio).joinedload(Portfolio.cabinet_member), joinedload(Pairing.round))
            .where(Pairing.member_id == user.id, Pairing.round_id == ops.current_round_id())
        )
        context["answered"] = latest is not None and ops.answer_of(latest.id, user.id) is not None
    if user.role == Role.CABINET_MEMBER:
        context["paired_with_me"] = list(
            db.session.scalars(
                select(Pairing)
                .options(joinedload(Pairing.member), joinedload(Pairing.portfolio), joinedload(Pairing.round))
                .join(Pairing.portfolio)
                .join(Pairing.round)
                .where(Portfolio.cabinet_member_id == user.id, Pairing.round_id == ops.current_round_id())
                .order_by(Portfolio.name)
            )
        )
    if user.role == Role.OFFICER and latest is not None:
        context["pairings"] = page_of(ops.round_pairings_query(latest.id), PAIRINGS_PER_PAGE)
    return render_template("aoi/index.html", **context)


# Portfolios (officers) ------------------------------------------------------------


@bp.route("/portfolios", methods=["GET", "POST"])
@requires("aoi.portfolios")
def portfolios():
    form = PortfolioForm(cabinet_members=_cabinet_members())
    if form.validate_on_submit():
        try:
            portfolio = ops.save_portfolio(current_user, None, **_portfolio_values(form))
        except ops.AoiError as error:
            error.show_on(form, "name")
        else:
            flash(f"{portfolio.name} is added.", "success")
            return redirect(url_for("aoi.portfolios"), 303)
    rows = db.session.scalars(
        select(Portfolio).options(joinedload(Portfolio.cabinet_member)).order_by(Portfolio.name)
    ).all()
    latest = ops.latest_round()
    return render_template(
        "aoi/portfolios.html", form=form, portfolios=rows, counts=ops.paired_counts(latest.id if latest else None)
    ), 422 if request.method == "POST" else 200


@bp.route("/portfolios/<int:portfolio_id>", methods=["GET", "POST"])
@requires("aoi.portfolios")
def portfolio(portfolio_id: int):
    item = get_or_404(Portfolio, portfolio_id)
    data = {
        "name": item.name,
        "description": item.description,
        "capacity": item.youth_capacity,
        "active": item.active,
        "cabinet_member": str(item.cabinet_member_id or ""),
    }
    form = PortfolioForm(data=None if request.method == "POST" else data, cabinet_members=_cabinet_members())
    if form.validate_on_submit():
        try:
            ops.save_portfolio(current_user, item, **_portfolio_values(form))
        except ops.AoiError as error:
            db.session.rollback()
            error.show_on(form, "name")
        else:
            flash(f"{form.name.data} is saved.", "success")
            return redirect(url_for("aoi.portfolios"), 303)
    return render_template("aoi/portfolio.html", form=form, portfolio=item), 422 if request.method == "POST" else 200


# Rounds ---------------------------------------------------------------------------


@bp.route("/rounds", methods=["POST"])
@requires("aoi.open_round")
def open_round():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            round_ = ops.open_round(current_user, form.title.data, entered(form.closes_on.data))
        except ops.AoiError as error:
            error.show_on(form, "title")
        else:
            flash(f"{round_.title} is open. Youth Cabinet members have been told.", "success")
            return redirect(url_for("aoi.round", round_id=round_.id), 303)
    latest = ops.latest_round()
    return render_template(
        "aoi/index.html",
        latest=latest,
        round_form=form,
        action_form=ButtonForm(),
        pairings=page_of(ops.round_pairings_query(latest.id), PAIRINGS_PER_PAGE) if latest else None,
        open_for_choices=bool(latest and ops.is_open_for_choices(latest)),
    ), 422


def _round_page(
    round_: PreferenceRound, move_forms: dict | None = None, warning: dict | None = None, status: int = 200
):
    figures = ops.round_figures(round_.id)
    listed = page_of(ops.round_pairings_query(round_.id), PAIRINGS_PER_PAGE)
    pairings = list(listed.items)
    portfolios = _active_portfolios()
    counts = ops.paired_counts(round_.id)
    total = sum(figures.by_rank.values())
    summary = {
        "total": total,
        "first": figures.by_rank.get(1, 0),
        "second": figures.by_rank.get(2, 0),
        "third": figures.by_rank.get(3, 0),
        "none": figures.by_rank.get(None, 0),
        "unplaced": figures.unplaced,
    }
    forms = move_forms or {}
    if round_.status == RoundStatus.PROPOSED.value:  # the "Move to" forms, for the pairings on this page only
        for pairing in pairings:
            forms.setdefault(
                pairing.id,
                MoveForm(formdata=None, data={"portfolio": str(pairing.portfolio_id)}, portfolios=portfolios),
            )
    failed = next(((pid, f) for pid, f in forms.items() if f.errors), None)
    return render_template(
        "aoi/round.html",
        form=failed[1] if failed else None,
        failed_pairing=failed[0] if failed else None,
        round=round_,
        open_for_choices=ops.is_open_for_choices(round_),
        figures=figures,
        answers=ops.answers_of(round_.id, [p.member_id for p in pairings]),
        pairings=pairings,
        listed=listed,
        counts=counts,
        summary=summary,
        move_forms=forms,
        warning=warning,
        show_reasons=sees_reasons(current_user, None),
        action_form=ButtonForm(),
    ), status


@bp.route("/rounds/<int:round_id>")
@requires("aoi.run")
def round(round_id: int):
    return _round_page(_round_or_404(round_id))


def _round_step(round_id: int, operation, done: str):
    round_ = _round_or_404(round_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        operation(current_user, round_)
    except ops.AoiError as error:
        flash(error.message, "warning")
    else:
        flash(done, "success")
    return redirect(url_for("aoi.round", round_id=round_.id), 303)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@requires("aoi.open_round")
def close_round(round_id: int):
    return _round_step(round_id, ops.close_round, "The round is closed. You can now run the pairing.")


@bp.route("/rounds/<int:round_id>/pair", methods=["POST"])
@requires("aoi.run")
def run_pairing(round_id: int):
    return _round_step(
        round_id, ops.run_pairing, "The pairing has run. Check it, change it if you need to, then confirm it."
    )


@bp.route("/rounds/<int:round_id>/confirm", methods=["POST"])
@requires("aoi.run")
def confirm(round_id: int):
    return _round_step(round_id, ops.confirm, "The pairings are confirmed. Members and Cabinet Members have been told.")


@bp.route("/rounds/<int:round_id>/pairings/<int:pairing_id>/move", methods=["POST"])
@requires("aoi.run")
def move(round_id: int, pairing_id: int):
    round_ = _round_or_404(round_id)
    pairing = child_or_404(Pairing, pairing_id, round_id=round_.id)
    form = MoveForm(portfolios=_active_portfolios())
    if not form.validate_on_submit():
        return _round_page(round_, {pairing.id: form}, status=422)
    try:
        check = ops.move(current_user, round_, pairing, int(form.portfolio.data), form.allow_over.data)
    except ops.AoiError as error:
        form.portfolio.errors = [error.message]
        return _round_page(round_, {pairing.id: form}, status=422)
    if check.over_capacity and not form.allow_over.data:
        form.portfolio.errors = [
            f"That portfolio has {check.capacity} places and this would make {check.taken}. "
            "Tick the box to go over its places, or choose another portfolio."
        ]
        return _round_page(round_, {pairing.id: form}, warning={"pairing": pairing.id}, status=422)
    flash("The pairing is changed.", "success")
    # Back to the page of the list that shows the pairing in its new place.
    page = ops.place_in_list(pairing) // PAIRINGS_PER_PAGE + 1
    return redirect(
        url_for("aoi.round", round_id=round_.id, page=page if page > 1 else None) + f"#pairing-{pairing.id}", 303
    )


# Choices (Youth Cabinet members) ------------------------------------------------------

CHOICE_FIELDS = {"csrf_token", "first", "second", "third", "reason"}


@bp.route("/rounds/<int:round_id>/choices", methods=["GET", "POST"])
@requires("aoi.choose")
def choices(round_id: int):
    round_ = _round_or_404(round_id)
    portfolios = _active_portfolios()
    answer = ops.answer_of(round_.id, current_user.id)
    data = None
    if request.method == "GET" and answer is not None:
        ranked = [str(c.portfolio_id) for c in answer.choices] + ["", "", ""]
        data = {"first": ranked[0], "second": ranked[1], "third": ranked[2], "reason": answer.reason}
    form = ChoicesForm(data=data, portfolios=portfolios)
    if request.method == "POST" and set(request.form) - CHOICE_FIELDS:
        form.first.errors = ["Choose up to three portfolios"]  # a tampered form with more ranks
    elif form.validate_on_submit():
        try:
            ops.save_choices(current_user, round_, form.ranked(), form.reason.data or "")
        except ops.AoiError as error:
            error.show_on(form, "first")
        else:
            flash("Your choices are saved. You can change them until the round closes.", "success")
            return redirect(url_for("aoi.index"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "aoi/choices.html", form=form, round=round_, answer=answer, open_for_choices=ops.is_open_for_choices(round_)
    ), status


# Pairings ---------------------------------------------------------------------------


@bp.route("/pairings/accept", methods=["POST"])
@requires("aoi.accept")
def accept():
    """Accept every confirmed pairing listed in the form that this person may accept."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("pairing") if v.isdigit()]
    pairings = (
        db.session.scalars(
            select(Pairing).options(joinedload(Pairing.portfolio), joinedload(Pairing.round)).where(Pairing.id.in_(ids))
        ).all()
        if ids
        else []
    )
    if any(not can_accept(current_user, p) for p in pairings):
        abort(403)
    try:
        count = ops.accept(current_user, list(pairings))
    except ops.AoiError as error:
        flash(error.message, "warning")
    else:
        flash(f"{count} pairing{'s' if count != 1 else ''} accepted.", "success")
    back = request.form.get("back") or ""
    return redirect(back if back.startswith("/area-of-interest") else url_for("aoi.index"), 303)


# The shared log is shown newest first, a page at a time (#16.4).
LOG_PER_PAGE = 20


def _log(pairing: Pairing, page: int | None = None) -> Pagination:
    """The page of the log the URL asks for (``?log_page=``), or page ``page``."""
    query = (
        select(PairingLogEntry)
        .options(joinedload(PairingLogEntry.author))
        .where(PairingLogEntry.pairing_id == pairing.id)
        .order_by(PairingLogEntry.on.desc(), PairingLogEntry.id.desc())
    )
    if page is None:
        return page_of(query, LOG_PER_PAGE, param="log_page")
    return db.paginate(query, page=page, per_page=LOG_PER_PAGE, max_per_page=LOG_PER_PAGE, error_out=False)


def _log_page_of(entry: PairingLogEntry) -> int:
    return ops.newer_in_log(entry) // LOG_PER_PAGE + 1


def _entry_url(pairing: Pairing, entry: PairingLogEntry) -> str:
    page = _log_page_of(entry)
    return url_for("aoi.pairing", pairing_id=pairing.id, log_page=page if page > 1 else None) + f"#entry-{entry.id}"


def _reason_for(answer: PreferenceAnswer | None, pairing: Pairing) -> str:
    """The member's one sentence explains their first choice: it is shown on
    the pairing only when that is the portfolio they were paired with."""
    if answer is None or not answer.choices or answer.choices[0].portfolio_id != pairing.portfolio_id:
        return ""
    return answer.reason


def _pairing_page(
    pairing: Pairing,
    form: LogEntryForm | None = None,
    status: int = 200,
    block: str = "log",
    log_page: int | None = None,
    **extra,
):
    # The portfolio by its id: after a change is saved the pairing's relationships are expired.
    portfolio = get_or_404(Portfolio, pairing.portfolio_id)
    answer = (
        ops.answer_of(pairing.round_id, pairing.member_id)
        if sees_reasons(current_user, portfolio.cabinet_member_id)
        else None
    )
    response = render_page_or_block(
        "aoi/pairing.html",
        block,
        pairing=pairing,
        entries=_log(pairing, log_page),
        form=form or LogEntryForm(),
        reason=_reason_for(answer, pairing),
        can_change=lambda entry: ops.can_change_entry(current_user, entry),
        can_accept=can_accept(current_user, pairing),
        action_form=ButtonForm(),
        **extra,
    )
    response.status_code = status
    return response


@bp.route("/pairings/<int:pairing_id>")
@requires("aoi.pairing")
def pairing(pairing_id: int):
    return _pairing_page(_pairing_or_404(pairing_id))


@bp.route("/pairings/<int:pairing_id>/log", methods=["POST"])
@requires("aoi.pairing")
def add_entry(pairing_id: int):
    pairing = _pairing_or_404(pairing_id)
    form = LogEntryForm()
    if not form.validate_on_submit():
        return _pairing_page(pairing, form, 422, block="log")
    entry = ops.add_entry(
        current_user,
        pairing,
        kind=form.kind.data,
        on=entered(form.on.data),
        text=form.text.data,
        who=form.who.data or "",
    )
    if is_htmx():  # the log swapped to the page that shows the new entry
        return _pairing_page(
            pairing, LogEntryForm(formdata=None), block="log", log_page=_log_page_of(entry), added=entry.id
        )
    flash("Added to the log.", "success")
    return redirect(_entry_url(pairing, entry), 303)


def _entry_or_404(pairing: Pairing, entry_id: int) -> PairingLogEntry:
    return child_or_404(PairingLogEntry, entry_id, pairing_id=pairing.id)


@bp.route("/pairings/<int:pairing_id>/log/<int:entry_id>", methods=["GET", "POST"])
@requires("aoi.pairing")
def edit_entry(pairing_id: int, entry_id: int):
    pairing = _pairing_or_404(pairing_id)
    entry = _entry_or_404(pairing, entry_id)
    if entry.author_id != current_user.id:
        abort(403)
    data = None if request.method == "POST" else {"on": entry.on, "text": entry.text, "who": entry.who}
    form = EditEntryForm(data=data, kind=entry.kind)
    if form.validate_on_submit():
        try:
            ops.change_entry(
                current_user, entry, on=entered(form.on.data), text=form.text.data, who=form.who.data or ""
            )
        except ops.AoiError as error:
            form.text.errors = [error.message]
        else:
            flash("The entry is changed.", "success")
            return redirect(_entry_url(pairing, entry), 303)
    locked = not ops.can_change_entry(current_user, entry)
    status = 422 if request.method == "POST" else (403 if locked else 200)
    return render_template("aoi/edit_entry.html", form=form, pairing=pairing, entry=entry, locked=locked), status


@bp.route("/pairings/<int:pairing_id>/log/<int:entry_id>/done", methods=["POST"])
@requires("aoi.pairing")
def mark_done(pairing_id: int, entry_id: int):
    pairing = _pairing_or_404(pairing_id)
    entry = _entry_or_404(pairing, entry_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        ops.mark_done(current_user, entry, request.form.get("done") == "1")
    except ops.AoiError as error:
        flash(error.message, "warning")
    if is_htmx():
        # A new-entry form of its own: this request's form data is the button's, not the form's.
        return _pairing_page(pairing, LogEntryForm(formdata=None), block="log")
    return redirect(_entry_url(pairing, entry), 303)
