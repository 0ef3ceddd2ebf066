"""The Cabinet Member's monthly update: the editor, the combined report with
the Chair's statement, publishing frozen versions, and the public archive."""

from flask import Blueprint

bp = Blueprint("updates", __name__, url_prefix="/updates")

from portal.updates import editor, public, publishing  # noqa: E402,F401
