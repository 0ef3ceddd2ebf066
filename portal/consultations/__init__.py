"""Consultations: requests from outside bodies with their questions, approval,
responding, moderation, results, exports and "You said, we did"."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

from portal.consultations import insight, requests, responding  # noqa: E402,F401
