"""The public pages (home, privacy, accessibility, report a concern), the dashboard and the Manage page."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import routes  # noqa: E402,F401
