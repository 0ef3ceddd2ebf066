"""Consultations: requests from outside bodies with their questions, approval,
responding, moderation, results, exports and "You said, we did"."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

from portal.consultations.easy_read import answering as _easy_read_answering  # noqa: E402,F401
from portal.consultations.easy_read import editing as _easy_read_editing  # noqa: E402,F401
from portal.consultations.requests import routes as _requests  # noqa: E402,F401
from portal.consultations.responding import routes as _responding  # noqa: E402,F401
from portal.consultations.results import routes as _results  # noqa: E402,F401
