"""Campaigns: pages, the reach log, the outcome in plain words, the chart."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from portal.campaigns import routes  # noqa: E402,F401
