"""The Chair's monthly statement: editor with autosave, revisions, facts, review."""

from flask import Blueprint

bp = Blueprint("statements", __name__, url_prefix="/statements")

from portal.statements import routes  # noqa: E402,F401
