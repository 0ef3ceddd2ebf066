"""The Cabinet Member's monthly update: the editor, the combined report with
the Chair's statement, publishing frozen versions, and the public archive."""

import logging

from flask import Blueprint

# WeasyPrint logs every step of every PDF (and of its own start) at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

bp = Blueprint("updates", __name__, url_prefix="/updates")

from portal.updates import editor, public, publishing  # noqa: E402,F401
