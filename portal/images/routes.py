"""Serving a picture: to whoever may see its consultation (everyone once it
is approved; its partner, officers and the Chair while it is a request)."""

from __future__ import annotations

from flask import abort, make_response, request
from flask_login import current_user
from sqlalchemy import select

from portal.consultations import access
from portal.extensions import db
from portal.images import bp
from portal.lookup import get_or_404
from portal.models import Consultation, ConsultationStatus, Image, Question
from portal.permissions import requires

YEAR = 365 * 24 * 60 * 60


def _in_use(image: Image) -> bool:
    """Whether a question of its consultation still shows it (as its picture,
    its Easy Read picture or an option's): a picture removed or replaced in
    a draft is never served, not even once the consultation is approved."""
    questions = db.session.scalars(select(Question).where(Question.consultation_id == image.consultation_id))
    return any(
        image.id in (question.image_id, question.easy_image_id)
        or any(isinstance(entry, dict) and entry.get("image") == image.id for entry in question.option_images or [])
        for question in questions
    )


@bp.route("/<int:image_id>")
@requires("consultation.read")
def show(image_id: int):
    """An image's bytes never change for its id: an approved consultation's
    pictures may be kept a year by any cache; a request's only by the browser
    of the person allowed to see it, and not after they sign out."""
    image = get_or_404(Image, image_id)
    consultation = get_or_404(Consultation, image.consultation_id)
    if not access.can_see_request(current_user, consultation) or not _in_use(image):
        abort(404)
    public = consultation.state == ConsultationStatus.APPROVED
    unchanged = request.if_none_match.contains(image.sha256)
    # The bytes are read from the database only when the browser has not got them.
    response = make_response(b"" if unchanged else image.data, 304 if unchanged else 200)
    response.headers["Content-Type"] = image.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(image.sha256)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if public else "private, no-store"
    return response
