"""Committees' recommendations (#17.1): recorded by officers, answered by the
people they are addressed to, read by anyone."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")

from portal.recommendations import routes  # noqa: E402,F401
