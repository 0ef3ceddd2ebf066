"""The Youth Cabinet's annual plan and its offices."""

from flask import Blueprint

bp = Blueprint("plan", __name__)

from portal.plan import routes  # noqa: E402,F401
