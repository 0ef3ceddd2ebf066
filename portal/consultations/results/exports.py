"""Exports of a consultation's responses (CSV streamed; XLSX made on the
queue, spreadsheets.py) and the results summary as a PDF (for the partner).

Responses are read in batches (``yield_per``) and written row by row, so the
memory used stays flat whatever the number of responses. Any cell that a
spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
carriage return) is neutralised with a leading apostrophe in the CSV; the
spreadsheet stores every answer as text, so it needs none."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from portal.consultations.kinds import KINDS, kind_of
from portal.extensions import db
from portal.models import Answer, Consultation, Question, Response, ResponseStatus
from portal.pdf import html_to_pdf
from portal.security_log import security_event
from portal.templating import LOCAL_ZONE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2000
CHUNK = 64 * 1024


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _columns(questions: list[Question]) -> list[tuple[str, int, int | None]]:
    """(heading, question id, option index for a per-option column), each kind's own."""
    return [
        column
        for number, question in enumerate(questions, start=1)
        for column in kind_of(question).columns(number, question)
    ]


def _questions(consultation: Consultation) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.consultation_id == consultation.id).order_by(Question.position, Question.id)
        )
    )


def rows(consultation: Consultation) -> Iterator[list[object]]:
    """The header, then one row per submitted response, read in batches."""
    questions = _questions(consultation)
    by_id = {q.id: q for q in questions}
    columns = _columns(questions)
    place = {(question_id, option): i for i, (_, question_id, option) in enumerate(columns)}
    yield ["Response", "Submitted", "Age band", "District", *[heading for heading, _, _ in columns]]
    query = (
        select(
            Response.id,
            Response.submitted_at,
            Response.age_band,
            Response.district,
            Answer.question_id,
            Answer.option,
            Answer.number,
            Answer.text,
        )
        .outerjoin(Answer, (Answer.response_id == Response.id) & Answer.sent())
        .where(Response.consultation_id == consultation.id, Response.status == ResponseStatus.SUBMITTED.value)
        .order_by(Response.id, Answer.id)
        .execution_options(yield_per=BATCH)
    )
    current: int | None = None
    row: list[object] = []
    serial = 0
    for response_id, submitted_at, age_band, district, question_id, option, number, text in db.session.execute(query):
        if response_id != current:
            if current is not None:
                yield row
            current = response_id
            serial += 1
            # The day only: a minute could be matched to the audit log and name whoever answered.
            when = submitted_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d") if submitted_at else ""
            row = [serial, when, age_band, district, *[""] * len(columns)]
        question = by_id.get(question_id) if question_id is not None else None
        if question is None or question.kind not in KINDS:
            continue
        # A per-option column (a ranking's), or the question's own.
        index = place.get((question.id, option), place.get((question.id, None)))
        if index is not None:
            row[4 + index] = KINDS[question.kind].export_cell(question, row[4 + index], option, number, text)
    if current is not None:
        yield row


def csv_chunks(consultation: Consultation) -> Iterator[str]:
    security_event("export.consultation_responses", user=current_user, consultation=consultation.id, format="csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so spreadsheet programs read the text as UTF-8
    for row in rows(consultation):
        writer.writerow([neutralise(value) for value in row])
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(consultation: Consultation, file: BinaryIO, progress: Callable[[int], None] | None = None) -> int:
    """Every response into ``file`` as a write-only workbook (rows go to disk
    as they come); ``progress(rows written)`` after each batch. The number of
    responses written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    bold = Font(bold=True)

    def cell(value: object, header: bool) -> WriteOnlyCell:
        """Text is stored as text (type "s"), so "=..." is never a formula and
        needs no apostrophe: the answer reads back exactly as typed."""
        made = WriteOnlyCell(sheet, value=_xml_safe(value))
        if isinstance(value, str):
            made.data_type = "s"
        if header:
            made.font = bold
        return made

    written = 0
    for number, row in enumerate(rows(consultation)):
        sheet.append([cell(value, number == 0) for value in row])
        written = number
        if progress and number and number % BATCH == 0:
            progress(number)
    workbook.save(file)
    return written


def _xml_safe(value: object) -> object:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def summary_pdf(consultation: Consultation, results) -> bytes:
    """The results summary for the partner, as an A4 PDF (nothing fetched from anywhere)."""
    html = render_template("consultations/results/summary_pdf.html", consultation=consultation, results=results)
    return html_to_pdf(
        html, title=f"Results: {consultation.title}", authors=[consultation.organisation or "Youth Cabinet Portal"]
    )
