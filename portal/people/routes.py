"""Officer pages for people and the audit log."""

from __future__ import annotations

import hashlib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.operations import normalise_email
from portal.extensions import limiter
from portal.forms import ButtonForm, clean_text
from portal.htmx import render_page_or_block
from portal.lookup import get_or_404, page_of
from portal.models import User
from portal.people import bp, erasure, my_data
from portal.people import operations as ops
from portal.people.forms import ROLE_CHOICES, EraseForm, InviteForm, RoleForm
from portal.permissions import requires
from portal.roles import Role
from portal.templating import full_stop

AUDIT_PER_PAGE = 50
ERASED = "This account has been deleted, so it cannot be changed."


def _person_or_404(user_id: int) -> User:
    return get_or_404(User, user_id)


def _details(form) -> ops.RoleDetails:
    return ops.RoleDetails(form.role.data, form.age_band.data, form.district.data, form.organisation.data)


# Invitation emails are limited per officer (new ones and sent again together)
# and per address, so that the portal cannot be used to flood a mailbox. A new
# invitation counts once it is made (a form sent back with a mistake does not).
def _officer_key() -> str:
    return f"officer:{current_user.id}"


def _invited_address_key() -> str:
    """The address being invited, normalised as the account will store it, as
    a digest: the limits' store (Redis in production) holds no addresses."""
    address = normalise_email(clean_text(request.form.get("email", "")) or "")[:254]
    return "invite-to:" + hashlib.sha256(address.encode()).hexdigest()


def _person_key() -> str:
    # One account, one address: the account's id stands for its address.
    return f"invite-to-person:{(request.view_args or {}).get('user_id')}"


def _invitation_made(response) -> bool:
    return response.status_code == 303


def _limit(setting: str):
    return lambda: current_app.config[setting]


OFFICER_INVITATIONS = "invitation-mails-per-officer"


@bp.route("/people")
@requires("people.manage")
def index():
    query = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or ""
    if role not in {r.value for r in Role}:
        role = ""
    people, total = ops.search(query, role or None)
    return render_page_or_block(
        "people/index.html",
        "results",
        oob_blocks=("count",),
        people=people,
        total=total,
        query=query,
        role=role,
        role_choices=ROLE_CHOICES,
        limit=ops.SEARCH_LIMIT,
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@requires("people.manage")
@limiter.shared_limit(
    _limit("INVITATION_LIMIT_PER_OFFICER"),
    scope=OFFICER_INVITATIONS,
    key_func=_officer_key,
    methods=["POST"],
    deduct_when=_invitation_made,
    error_message="You have sent a lot of invitations in a short time.",
)
@limiter.limit(
    _limit("INVITATION_LIMIT_PER_ADDRESS"),
    key_func=_invited_address_key,
    methods=["POST"],
    deduct_when=_invitation_made,
    error_message="Too many invitations have gone to this email address.",
)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            person = ops.invite(current_user, form.email.data, form.display_name.data, _details(form))
        except ops.PeopleError as error:
            error.show_on(form, "email")
        else:
            # The mail goes once this page has answered; if it cannot go, the
            # officer finds a note on their dashboard.
            flash(f"Invitation sent to {person.email}.", "success")
            return redirect(url_for("people.person", user_id=person.id), 303)
    return render_template("people/invite.html", form=form), 422 if form.errors else 200


def _person_page(person: User, role_form: RoleForm | None = None, status: int = 200):
    if role_form is None:
        role_form = RoleForm(
            data={
                "role": person.role,
                "age_band": person.age_band or "",
                "district": person.district or "",
                "organisation": person.organisation or "",
            }
        )
    return render_template(
        "people/person.html",
        person=person,
        role_form=role_form,
        action_form=ButtonForm(),
        erased=erasure.is_erased(person),
        erase_refused=erasure.refusal_on_request(current_user, person),
    ), status


@bp.route("/people/<int:user_id>")
@requires("people.manage")
def person(user_id: int):
    return _person_page(_person_or_404(user_id))


@bp.route("/people/<int:user_id>/role", methods=["POST"])
@requires("people.manage")
def change_role(user_id: int):
    person = _person_or_404(user_id)
    form = RoleForm()
    if erasure.is_erased(person):
        flash(ERASED, "warning")
        return redirect(url_for("people.person", user_id=person.id), 303)
    if form.validate_on_submit():
        try:
            ops.change_role(current_user, person, _details(form))
        except ops.PeopleError as error:
            error.show_on(form, "role")
        else:
            flash(f"{person.display_name}'s role and details are saved.", "success")
            return redirect(url_for("people.person", user_id=person.id), 303)
    return _person_page(person, form, 422)


def _simple_action(user_id: int, operation, done: str):
    person = _person_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if erasure.is_erased(person):
        flash(ERASED, "warning")
        return redirect(url_for("people.person", user_id=person.id), 303)
    try:
        operation(current_user, person)
    except ops.PeopleError as error:
        flash(error.message, "warning")
    else:
        flash(done.format(name=person.display_name, name_ending=full_stop(person.display_name)), "success")
    return redirect(url_for("people.person", user_id=person.id), 303)


@bp.route("/people/<int:user_id>/deactivate", methods=["POST"])
@requires("people.manage")
def deactivate(user_id: int):
    return _simple_action(user_id, ops.deactivate, "{name}'s account is deactivated. They have been signed out.")


@bp.route("/people/<int:user_id>/reactivate", methods=["POST"])
@requires("people.manage")
def reactivate(user_id: int):
    return _simple_action(user_id, ops.reactivate, "{name}'s account is active again.")


@bp.route("/people/<int:user_id>/resend-invitation", methods=["POST"])
@requires("people.manage")
@limiter.shared_limit(
    _limit("INVITATION_LIMIT_PER_OFFICER"),
    scope=OFFICER_INVITATIONS,
    key_func=_officer_key,
    error_message="You have sent a lot of invitations in a short time.",
)
@limiter.limit(
    _limit("RESEND_LIMIT_PER_ADDRESS"),
    key_func=_person_key,
    error_message="Too many invitations have gone to this person.",
)
def resend_invitation(user_id: int):
    return _simple_action(
        user_id, ops.resend_invitation, "A new invitation has been sent to {name_ending} Older links no longer work."
    )


@bp.route("/people/<int:user_id>/data", methods=["POST"])
@requires("people.subject_access")
def download_data(user_id: int):
    """A subject access request: everything about the person, as they would get it themselves."""
    person = _person_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    content = my_data.download_for_request(current_user, person)
    return my_data.zip_response(content, my_data.filename(prefix=f"person-{person.id}-data"))


@bp.route("/people/<int:user_id>/delete", methods=["GET", "POST"])
@requires("people.erase")
def erase(user_id: int):
    person = _person_or_404(user_id)
    form = EraseForm()
    refused = erasure.refusal_on_request(current_user, person)
    if refused is None and form.validate_on_submit():
        try:
            erasure.delete_on_request(current_user, person, form.reason.data)
        except erasure.ErasureError as error:
            error.show_on(form, "reason")
        else:
            flash("The account has been deleted. Their sent answers still count, without their name.", "success")
            return redirect(url_for("people.person", user_id=person.id), 303)
    refused_post = refused is not None and request.method == "POST"
    status = 422 if form.errors or refused_post else 200
    return render_template("people/erase.html", person=person, form=form, refused=refused), status


@bp.route("/audit")
@requires("audit.read")
def audit():
    listed = page_of(ops.audit_query(), AUDIT_PER_PAGE)
    return render_template(
        "people/audit.html", entries=listed.items, total=listed.total or 0, page=listed.page, pages=listed.pages
    )
