"""The Cabinet Member's update, public side: the archive, search, the Atom
feed and every published version (page, print layout, PDF, Word), all served
from the frozen version; the PDF and Word file as stored once (stored.py).
Queries are in published.py."""

from __future__ import annotations

from datetime import date

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, make_response, render_template, request, url_for
from flask_login import current_user

from portal.extensions import db
from portal.lookup import ID_MAX, page_of
from portal.models import (
    CabinetUpdate,
    UpdateVersion,
)
from portal.permissions import requires
from portal.richtext import clean_document
from portal.templating import long_date
from portal.updates import bp, published, stored
from portal.updates.documents import doc_filename


def _archive(year: int | None = None, month: int | None = None):
    if year is not None and not published.ARCHIVE_YEARS[0] <= year <= published.ARCHIVE_YEARS[1]:
        abort(404)
    if month is not None and not 1 <= month <= 12:
        abort(404)
    listed = page_of(published.archive_query(year, month), published.ARCHIVE_PER_PAGE)  # the newest first
    return render_template(
        "updates/archive.html",
        rows=listed.items,
        listed=listed,
        years=published.archive_years(),
        year=year,
        month=date(year, month, 1) if year and month else None,
    )


@bp.route("")
@requires("update.read")
def archive():
    return _archive()


@bp.route("/archive/<int:year>")
@requires("update.read")
def archive_year(year: int):
    return _archive(year)


@bp.route("/archive/<int:year>/<int:month>")
@requires("update.read")
def archive_month(year: int, month: int):
    return _archive(year, month)


@bp.route("/search")
@requires("update.read")
def search():
    query_text = " ".join(request.args.get("q", "").split())[:200]
    words = query_text.split()[: published.SEARCH_MAX_WORDS]
    rows = published.search_rows(words) if words else []
    return render_template("updates/search.html", q=query_text, rows=rows, words=words, snippet=_snippet)


def _snippet(text: str, words: list[str], width: int = 220) -> str:
    lower = text.lower()
    at = min((lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0), default=0)
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


@bp.route("/feed.atom")
@requires("update.read")
def feed():
    versions = published.feed_rows()
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    generator = FeedGenerator()
    generator.id(f"{base}{url_for('updates.archive')}")
    generator.title(f"{config['CABINET_MEMBER_TITLE']}: updates to {config['COUNCIL_NAME']}")
    generator.author({"name": config["COUNCIL_NAME"]})
    generator.link(href=f"{base}{url_for('updates.archive')}", rel="alternate")
    generator.link(href=f"{base}{url_for('updates.feed')}", rel="self")
    generator.language("en-GB")
    generator.updated(versions[0].published_at if versions else date(2000, 1, 1).strftime("%Y-%m-%dT00:00:00Z"))
    for row in reversed(versions):  # feedgen lists the last added first
        link = f"{base}{url_for('updates.version', update_id=row.update_id, number=row.number)}"
        entry = generator.add_entry()
        entry.id(link)
        entry.title(row.title if row.number == 1 else f"{row.title} (version {row.number}, corrected)")
        entry.link(href=link)
        entry.author({"name": row.author_name})
        entry.published(row.published_at)
        entry.updated(row.published_at)
        summary = f"For the council meeting on {long_date(row.meeting_date)}."
        if row.note:
            summary += f" Correction: {row.note}"
        entry.summary(summary)
        # The whole update, as frozen when it was published, for feed readers that show it.
        entry.content(str(clean_document(row.html)), type="html")
    response = make_response(generator.atom_str(pretty=True))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


def _version_or_404(update_id: int, number: int | None = None) -> UpdateVersion:
    if not (0 < update_id <= ID_MAX and (number is None or 0 < number <= ID_MAX)):
        abort(404)
    version = published.find_version(update_id, number)
    if version is None:
        abort(404)
    return version


def _show_version(version: UpdateVersion):
    response = make_response(
        render_template(
            "updates/version.html",
            version=version,
            body=clean_document(version.html),
            versions=published.versions_of(version.update_id),
            update=db.session.get(CabinetUpdate, version.update_id) if current_user.is_authenticated else None,
        )
    )
    return response


@bp.route("/<int:update_id>")
@requires("update.read")
def latest(update_id: int):
    return _show_version(_version_or_404(update_id))


@bp.route("/<int:update_id>/v<int:number>")
@requires("update.read")
def version(update_id: int, number: int):
    return _show_version(_version_or_404(update_id, number))


@bp.route("/<int:update_id>/v<int:number>/print")
@requires("update.read")
def print_version(update_id: int, number: int):
    version = _version_or_404(update_id, number)
    return render_template(
        "updates/print.html",
        doc=version.content,
        for_pdf=False,
        back_url=url_for("updates.version", update_id=update_id, number=number),
    )


# A published version never changes, so neither do its files: kept a year, and
# a browser or cache that has one asks again only with If-None-Match (304).
DOCUMENT_CACHE = "public, max-age=31536000, immutable"


def _download(version: UpdateVersion, kind: str) -> Response:
    """The version's stored PDF or Word file (rendered once, portal/updates/stored.py)."""
    filename = doc_filename(version.content, kind)
    document = stored.document_of(version, kind)
    if request.if_none_match.contains_weak(document.sha256):
        response = Response(status=304)
    else:
        response = Response(document.content, mimetype=stored.KINDS[kind].mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(document.sha256)
    response.headers["Cache-Control"] = DOCUMENT_CACHE
    return response


@bp.route("/<int:update_id>/v<int:number>/pdf")
@requires("update.read")
def pdf(update_id: int, number: int):
    return _download(_version_or_404(update_id, number), "pdf")


@bp.route("/<int:update_id>/v<int:number>/docx")
@requires("update.read")
def docx(update_id: int, number: int):
    return _download(_version_or_404(update_id, number), "docx")
