"""#16.1: a published version's PDF and Word file are rendered once (after the
publish, or at the first download of a version published before) and served
from storage, with a year's immutable cache and an ETag."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import CabinetUpdate, UpdateDocument, UpdateVersion, User
from portal.updates import documents
from portal.updates import operations as ops
from portal.updates.importer import ImportedReport, ImportedSection
from tests.conftest import at_the_same_moment
from tests.factories import CabinetUpdateFactory, PortfolioFactory, UpdateVersionFactory

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMMUTABLE = "public, max-age=31536000, immutable"


def _draft(app, people, paragraphs: int = 3, meeting: date = date(2020, 7, 17)) -> int:
    """A publishable draft by the cabinet_member (no Chair's statement)."""
    report = ImportedReport(
        title="Progress Report – July 2020",
        sections=[ImportedSection("Introduction", [f"Paragraph number {n} of the report." for n in range(paragraphs)])],
        signatory_name="Jacquie Russell",
        signatory_role="Cabinet Member",
    )
    with app.app_context(), app.test_request_context():
        if db.session.scalar(select(func.count()).select_from(CabinetUpdate)) == 0:
            PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        member = db.session.get(User, people["cabinet_member"].id)
        update = ops.create_from_import(member, member, meeting.replace(day=1), report)
        ops.save_details(
            member,
            update,
            {
                "title": update.title,
                "meeting_date": meeting,
                "period_start": meeting.replace(day=1),
                "period_end": meeting,
                "statement_month": meeting.replace(day=1),
                "include_numbers": False,
            },
            update.details_version,
        )
        return update.id


def _published_by_the_operation(app, people, paragraphs: int = 3, meeting: date = date(2020, 7, 17)) -> int:
    """Published without the publish page, as before #16.1: no files stored."""
    update_id = _draft(app, people, paragraphs, meeting)
    with app.app_context(), app.test_request_context():
        member = db.session.get(User, people["cabinet_member"].id)
        update = db.session.get(CabinetUpdate, update_id)
        ops.publish(member, update, without_statement=True, tell_chair=False, now=datetime(2020, 7, 14, tzinfo=UTC))
    return update_id


def _publish_on_the_page(client, update_id: int, **data) -> None:
    response = client.submit(f"/updates/{update_id}/publish", {"without_statement": "y", **data})
    assert response.status_code == 303, response.get_data(as_text=True)


def _stored(app, update_id: int) -> dict[tuple[int, str], str]:
    """(version number, kind): sha256 of every stored file of the update."""
    with app.app_context():
        rows = db.session.execute(
            select(UpdateVersion.number, UpdateDocument.kind, UpdateDocument.sha256)
            .join(UpdateVersion, UpdateVersion.id == UpdateDocument.version_id)
            .where(UpdateVersion.update_id == update_id)
        ).all()
    return {(number, kind): sha for number, kind, sha in rows}


def _content(app, update_id: int, number: int = 1) -> dict:
    with app.app_context():
        version = db.session.scalar(
            select(UpdateVersion).where(UpdateVersion.update_id == update_id, UpdateVersion.number == number)
        )
        return version.content


@pytest.fixture
def no_rendering(monkeypatch):
    """From here on, rendering a PDF or a Word file fails the test."""

    def refuse(doc):
        raise AssertionError("rendered again")

    def start() -> None:
        monkeypatch.setattr(documents, "render_pdf", refuse)
        monkeypatch.setattr(documents, "render_docx", refuse)

    return start


def docx_text(data: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(BytesIO(data)).paragraphs]


def pdf_to_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_publishing_stores_the_pdf_and_the_word_file(client, app, people, signed_in):
    update_id = _draft(app, people)
    signed_in("cabinet_member")
    _publish_on_the_page(client, update_id)
    stored = _stored(app, update_id)
    assert set(stored) == {(1, "pdf"), (1, "docx")}
    with app.app_context():
        sizes = db.session.execute(select(UpdateDocument.kind, UpdateDocument.size, UpdateDocument.content)).all()
    for kind, size, content in sizes:
        assert size == len(content) > 0
        assert content.startswith(b"%PDF-" if kind == "pdf" else b"PK")


def test_a_download_renders_nothing_and_is_the_same_document(client, app, people, signed_in, no_rendering, tmp_path):
    update_id = _draft(app, people)
    signed_in("cabinet_member")
    _publish_on_the_page(client, update_id)
    visitor = app.test_client()
    content = _content(app, update_id)
    with app.test_request_context():
        fresh_pdf = documents.render_pdf(content)
        fresh_docx = documents.render_docx(content)
    no_rendering()

    pdf = visitor.get(f"/updates/{update_id}/v1/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="progress-report-july-2020-v1.pdf"'
    assert pdf.headers["Cache-Control"] == IMMUTABLE
    assert pdf.headers["ETag"] == f'"{_stored(app, update_id)[(1, "pdf")]}"'
    assert "Set-Cookie" not in pdf.headers  # a public answer: shared caches may keep it
    text = pdf_to_text(pdf.data, tmp_path, "stored")
    assert "Paragraph number 2 of the report." in text
    assert text == pdf_to_text(fresh_pdf, tmp_path, "fresh")

    word = visitor.get(f"/updates/{update_id}/v1/docx")
    assert word.status_code == 200
    assert word.headers["Content-Type"] == DOCX
    assert word.headers["Content-Disposition"] == 'attachment; filename="progress-report-july-2020-v1.docx"'
    assert word.headers["Cache-Control"] == IMMUTABLE
    assert docx_text(word.data) == docx_text(fresh_docx)


def test_a_version_published_before_gets_its_file_at_the_first_download(client, app, people, no_rendering):
    update_id = _published_by_the_operation(app, people)
    assert _stored(app, update_id) == {}
    first = client.get(f"/updates/{update_id}/v1/pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    assert set(_stored(app, update_id)) == {(1, "pdf")}  # only the file asked for
    no_rendering()
    again = client.get(f"/updates/{update_id}/v1/pdf")
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_correction_gets_its_own_files_and_the_old_version_keeps_its_own(client, app, people, signed_in):
    update_id = _draft(app, people)
    signed_in("cabinet_member")
    _publish_on_the_page(client, update_id)
    first = _stored(app, update_id)
    old_pdf = client.get(f"/updates/{update_id}/v1/pdf").data
    assert client.submit(f"/updates/{update_id}/correct").status_code == 303
    _publish_on_the_page(client, update_id, note="Fixed a date.")
    both = _stored(app, update_id)
    assert set(both) == {(1, "pdf"), (1, "docx"), (2, "pdf"), (2, "docx")}
    assert {key: both[key] for key in first} == first
    assert both[(2, "pdf")] != both[(1, "pdf")]
    assert client.get(f"/updates/{update_id}/v1/pdf").data == old_pdf
    newer = client.get(f"/updates/{update_id}/v2/pdf")
    assert newer.headers["Content-Disposition"].endswith('-v2.pdf"')
    assert newer.data != old_pdf


def test_an_unchanged_file_is_not_sent_again(client, app, people):
    update_id = _published_by_the_operation(app, people)
    for kind in ("pdf", "docx"):
        url = f"/updates/{update_id}/v1/{kind}"
        etag = client.get(url).headers["ETag"]
        same = client.get(url, headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.data == b""
        assert same.headers["ETag"] == etag and same.headers["Cache-Control"] == IMMUTABLE
        assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_download_runs_a_fixed_number_of_queries(client, app, people, count_queries):
    small = _published_by_the_operation(app, people, paragraphs=1)
    big = _published_by_the_operation(app, people, paragraphs=60, meeting=date(2020, 9, 18))
    counts = []
    for update_id in (small, big):
        for kind in ("pdf", "docx"):
            url = f"/updates/{update_id}/v1/{kind}"
            etag = client.get(url).headers["ETag"]  # the first download stores it
            with count_queries() as sent:
                assert client.get(url).status_code == 200
            with count_queries() as not_modified:
                assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
            counts.append((sent.count, not_modified.count))
    assert len(set(counts)) == 1, counts
    assert counts[0][0] <= 3, counts  # the version, the file's details, its bytes


@pytest.mark.commits
def test_twenty_first_downloads_at_once_store_one_file(app, people):
    with app.app_context():
        update = CabinetUpdateFactory(author=people["cabinet_member"], meeting_date=date(2020, 7, 17))
        UpdateVersionFactory(update=update)
        update.status = "published"
        db.session.commit()
        update_id = update.id
    url = f"/updates/{update_id}/v1/pdf"
    clients = [app.test_client() for _ in range(20)]
    answers: list = []

    def download(client):
        def send():
            response = client.get(url)
            answers.append(response)
            return response

        return send

    assert at_the_same_moment([download(client) for client in clients]) == [200] * 20
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UpdateDocument)) == 1
    assert len({response.data for response in answers}) == 1
