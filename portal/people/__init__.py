"""Officer pages: find people, invite, change role, deactivate, resend an invitation; the audit log."""

from flask import Blueprint

bp = Blueprint("people", __name__)

from portal.people import routes  # noqa: E402,F401
