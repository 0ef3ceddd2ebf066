"""Safeguarding: "Report a concern" and "Report this" (no account needed), and
the officers' queue of reports."""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__)

from portal.safeguarding import routes  # noqa: E402,F401
from portal.safeguarding.operations import waiting_count  # noqa: E402,F401
