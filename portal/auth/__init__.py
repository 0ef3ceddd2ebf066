"""Accounts: sign in and out, invitations, password reset and change."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import routes, two_step_views  # noqa: E402,F401
