"""The Area of Interest programme: portfolios, preference rounds, optimal pairing, shared logs."""

from flask import Blueprint

bp = Blueprint("aoi", __name__, url_prefix="/area-of-interest")

from portal.aoi import routes  # noqa: E402,F401
