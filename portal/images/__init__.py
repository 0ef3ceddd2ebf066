"""Pictures in consultations (#17.4): checking an upload and keeping its
re-encoded copy (upload.py, ``keep``), and serving it (routes.py)."""

from __future__ import annotations

from flask import Blueprint, Flask, request

from portal.extensions import db
from portal.images.upload import MAX_BYTES, Accepted, ImageRefused, accept_upload
from portal.models import Consultation, Image, User

bp = Blueprint("images", __name__, url_prefix="/images")

# The pages whose forms carry a picture: they may send more than the portal's
# usual MAX_CONTENT_LENGTH, so that a picture over MAX_BYTES reaches the check
# (and gets its message next to its field, with the rest of the form kept)
# instead of the "too much to send" page. Another feature adds its endpoint here.
UPLOAD_ENDPOINTS = {"consultations.edit_question"}
UPLOAD_READ_LIMIT = 4 * MAX_BYTES + 1024 * 1024

__all__ = ["Accepted", "ImageRefused", "accept_upload", "bp", "init_app", "keep"]


def keep(actor: User | None, consultation: Consultation, accepted: Accepted) -> Image:
    """A new picture of ``consultation`` from a checked upload (added, not committed:
    the operation that uses it commits it with its change)."""
    import hashlib

    image = Image(
        consultation_id=consultation.id,
        content_type=accepted.content_type,
        width=accepted.width,
        height=accepted.height,
        size=len(accepted.data),
        sha256=hashlib.sha256(accepted.data).hexdigest(),
        data=accepted.data,
        uploaded_by_id=actor.id if actor is not None else None,
    )
    db.session.add(image)
    db.session.flush()
    return image


def _allow_uploads() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = UPLOAD_READ_LIMIT


def init_app(app: Flask) -> None:
    """The blueprint, and the bigger limit for the forms that carry a picture,
    set before anything reads the form (CSRF protection reads it first)."""
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, _allow_uploads)


from portal.images import routes as _routes  # noqa: E402,F401
