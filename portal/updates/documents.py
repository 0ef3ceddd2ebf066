"""The published update as files: a PDF (the print layout through WeasyPrint)
and a Word document, both made from the frozen ``doc`` dict only.

The PDF is the print page itself (templates/updates/print.html with
static/css/update-print.css), so the page, the print layout and the PDF cannot
drift apart. WeasyPrint fetches nothing: every URL it asks for is refused.
The Word file follows the same order, in Word's own styles (Title, Heading 1,
List Bullet 1-3, Table Grid) so a reader can restyle or navigate it.

Text only ever goes in as text: markup typed in a paragraph stays markup-looking
text in every format.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask import current_app, has_app_context, render_template

from portal.pdf import NOT_XML, html_to_pdf
from portal.updates.blocks import flat_items

PRINT_STYLESHEET = ("css", "update-print.css")
FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
NUMBER_INDENT = Cm(1.27)  # the paragraph number hangs in this gutter, as in the council's reports
LIST_STEP = Cm(0.63)  # each level of bullets
MAX_FILENAME = 80


def _clean(text: Any) -> str:
    return NOT_XML.sub("", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------
# Wording shared by the formats (the template writes the same lines)


def meeting_line(doc: dict[str, Any]) -> str:
    """ "For the meeting of <council> on <date>. Period covered: <period>." """
    parts = []
    if doc.get("meeting_label"):
        council = f"of {doc['council_name']} " if doc.get("council_name") else ""
        parts.append(f"For the meeting {council}on {doc['meeting_label']}.")
    if doc.get("period_label"):
        parts.append(f"Period covered: {doc['period_label']}.")
    return " ".join(parts)


def correction_line(doc: dict[str, Any]) -> tuple[str, str]:
    """("Version 2, corrected on <date>:", "<note>") for a correction, else ("", "")."""
    version = doc.get("version") or 0
    if version < 2:
        return "", ""
    when = f", corrected on {doc['published_label']}" if doc.get("published_label") else ", a correction"
    note = doc.get("note") or ""
    return f"Version {version}{when}{':' if note else '.'}", note


def sign_off_lines(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, text) for each sign-off line that has text, in order."""
    sign_off = doc.get("sign_off") or {}
    lines = [(key, sign_off.get(key) or "") for key in ("closing", "label", "name", "role")]
    if sign_off.get("contact"):
        lines.append(("contact", f"Contact Officer: {sign_off['contact']}"))
    return [(kind, text) for kind, text in lines if text]


# ---------------------------------------------------------------------------
# PDF


def render_pdf(doc: dict[str, Any]) -> bytes:
    """The update as an A4 PDF. Call inside an app and a request context."""
    name = _clean((doc.get("sign_off") or {}).get("name"))
    return html_to_pdf(
        render_template("updates/print.html", doc=doc, for_pdf=True, back_url=""),
        title=_clean(doc.get("title")) or "Progress report",
        authors=[name] if name else [],
        stylesheet=Path(current_app.static_folder or "", *PRINT_STYLESHEET),
        presentational_hints=True,  # <ol start> and <li value>: numbering runs through the sections
    )


# ---------------------------------------------------------------------------
# Word


def _use_font(style, size: float, bold: bool | None = None) -> None:
    """Arial in black at ``size``, whatever the template's theme fonts say."""
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.rPr.rFonts
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:cs"), FONT)


def _set_up_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _use_font(normal, 11.5)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    normal.element.get_or_add_rPr().append(language)

    title = styles["Title"]
    _use_font(title, 16, bold=True)
    title.paragraph_format.space_after = Pt(10)
    borders = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if borders is not None:
        title.element.pPr.remove(borders)

    heading = styles["Heading 1"]
    _use_font(heading, 12.5, bold=True)
    heading.paragraph_format.space_before = Pt(16)
    heading.paragraph_format.space_after = Pt(8)
    heading.paragraph_format.keep_with_next = True

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].paragraph_format.space_after = Pt(4)

    _use_font(styles["Caption"], 10, bold=True)


def _add_runs(paragraph, runs: list[dict[str, Any]]) -> None:
    for run in runs:
        text = _clean(run.get("text"))
        if not text:
            continue
        added = paragraph.add_run(text)
        added.bold = bool(run.get("bold")) or None
        added.italic = bool(run.get("italic")) or None
        href = _clean(run.get("href"))
        if href and href != text and href.removeprefix("mailto:") != text:
            paragraph.add_run(f" ({href.removeprefix('mailto:')})")


def _indent(paragraph, left, hanging=None) -> None:
    paragraph.paragraph_format.left_indent = left
    if hanging is not None:
        paragraph.paragraph_format.first_line_indent = -hanging
        paragraph.paragraph_format.tab_stops.add_tab_stop(left)


def _add_list(document, block: dict[str, Any]) -> None:
    counters: list[int] = []
    for level, runs in flat_items(block.get("items") or []):
        del counters[level:]
        counters.extend([0] * (level - len(counters)))
        counters[level - 1] += 1
        depth = min(level, 3)
        if block.get("ordered"):
            # Word's numbered styles share one count across the file, so the numbers are written in.
            paragraph = document.add_paragraph(style="List Continue" if depth == 1 else f"List Continue {depth}")
            paragraph.add_run(f"{counters[level - 1]}.\t")
            paragraph.paragraph_format.space_after = Pt(4)
        else:
            paragraph = document.add_paragraph(style="List Bullet" if depth == 1 else f"List Bullet {depth}")
        _indent(paragraph, NUMBER_INDENT + LIST_STEP * depth, hanging=LIST_STEP)
        _add_runs(paragraph, runs)


def _add_numbered_paragraph(document, paragraph: dict[str, Any]) -> None:
    blocks = list(paragraph.get("blocks") or [])
    numbered = document.add_paragraph()
    _indent(numbered, NUMBER_INDENT, hanging=NUMBER_INDENT)
    numbered.add_run(_clean(paragraph.get("number"))).bold = True
    numbered.add_run("\t")
    if blocks and blocks[0].get("type") == "text":
        _add_runs(numbered, blocks.pop(0).get("runs") or [])
    for block in blocks:
        if block.get("type") == "list":
            _add_list(document, block)
        else:
            # Text after a list stays in the paragraph: unnumbered, lined up with its text.
            follow_on = document.add_paragraph()
            _indent(follow_on, NUMBER_INDENT)
            _add_runs(follow_on, block.get("runs") or [])


def _add_recommendations(document, items: list[dict[str, Any]], more: dict[str, Any] | None = None) -> None:
    """ "Recommendations from committees" (#17.1), in the page's order and words."""
    document.add_heading("Recommendations from committees", level=1)
    for item in items:
        title = document.add_paragraph()
        title.add_run(
            _clean(
                f"{item.get('committee')}, {item.get('meeting_label')}, minute {item.get('minute')}, "
                f"recommendation {item.get('number')}"
            )
        ).bold = True
        title.paragraph_format.keep_with_next = True
        document.add_paragraph(_clean(item.get("text")))
        document.add_paragraph(
            _clean(
                f"Addressed to {item.get('addressed')}. Due by the meeting on {item.get('due_label')}. "
                f"Status: {item.get('status_label')}."
            )
        )
        response = item.get("response")
        line = document.add_paragraph()
        if response:
            line.add_run(_clean(f"Response, {response.get('on_label')}:")).bold = True
            line.add_run(" " + _clean(response.get("text")))
        else:
            line.add_run("No response yet.")
    if more and more.get("count"):
        count = int(more["count"])
        words = "recommendation is" if count == 1 else "recommendations are"
        link = _full_link(_clean(more.get("href")))
        document.add_paragraph(
            _clean(f"{count:,} more open {words} not listed here.")
            + (f" Every recommendation and where it stands: {link}." if link else "")
        )


def _mark_header_row(row) -> None:
    """Word repeats the row on every page, and screen readers read it as headers."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _add_numbers(document, numbers: dict[str, Any]) -> None:
    heading = _clean(numbers.get("heading")) or "Youth voice in numbers"
    this_period = _clean(numbers.get("period_label")) or "This period"
    previous_period = _clean(numbers.get("previous_label")) or "Previous period"
    document.add_heading(heading, level=1)
    caption = f"{heading}: {this_period}"
    if numbers.get("previous_label"):
        caption += f", compared with {previous_period}"
    document.add_paragraph(caption, style="Caption")

    rows = numbers.get("rows") or []
    table = document.add_table(rows=1, cols=4)
    styles = [style.name for style in document.styles]
    table.style = "Table Grid" if "Table Grid" in styles else "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ("Measure", this_period, previous_period, "Source"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _mark_header_row(table.rows[0])
    for row in rows:
        values = (row.get("label"), row.get("value"), row.get("previous"), row.get("source_label") or row.get("source"))
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = _clean(value)
    for table_row in table.rows:
        for index in (1, 2):
            table_row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT  # as on the page
    for breakdown in numbers.get("breakdowns") or []:
        _add_breakdown(document, breakdown, this_period, previous_period)
    if numbers.get("rule"):
        document.add_paragraph(_clean(numbers["rule"]))


def _add_breakdown(document, breakdown: dict[str, Any], this_period: str, previous_period: str) -> None:
    """Responses by age band or district, or recommendations by outcome, as on the page (#17.2)."""
    document.add_paragraph(f"{_clean(breakdown.get('heading'))}: {this_period}", style="Caption")
    table = document.add_table(rows=1, cols=3)
    styles = [style.name for style in document.styles]
    table.style = "Table Grid" if "Table Grid" in styles else "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells, (_clean(breakdown.get("group")) or "Group", this_period, previous_period), strict=True
    ):
        cell.paragraphs[0].add_run(text).bold = True
    _mark_header_row(table.rows[0])
    for row in breakdown.get("rows") or []:
        cells = table.add_row().cells
        for cell, value in zip(cells, (row.get("label"), row.get("value"), row.get("previous")), strict=True):
            cell.text = _clean(value)
    for table_row in table.rows:
        for index in (1, 2):
            table_row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if breakdown.get("source_label"):
        link = _full_link(_clean(breakdown.get("source")))
        document.add_paragraph(f"Source: {_clean(breakdown['source_label'])}" + (f" ({link})" if link else ""))


def _full_link(link: str) -> str:
    """A portal page's address in full (a Word reader is not on the portal)."""
    if link.startswith("/") and not link.startswith("//"):
        return (current_app.config["BASE_URL"].rstrip("/") if has_app_context() else "") + link
    return link if link.lower().startswith(("http://", "https://")) else ""


def _add_fact_sources(document, sources: list[dict[str, Any]]) -> None:
    """ "Source: <name> (<address>)" after a paragraph of the Chair's statement (#17.5)."""
    line = document.add_paragraph()
    line.add_run("Source: " if len(sources) == 1 else "Sources: ")
    for index, source in enumerate(sources):
        if index:
            line.add_run("; ")
        link = _full_link(_clean(source.get("link")))
        line.add_run(_clean(source.get("link_text")) or link)
        if link:
            line.add_run(f" ({link})")
    for run in line.runs:
        run.font.size = Pt(10)


def render_docx(doc: dict[str, Any]) -> bytes:  # noqa: C901 (written before the limit of 10)
    """The update as a Word document, in the same order as the page."""
    document = Document()
    _set_up_styles(document)
    title = _clean(doc.get("title")) or "Progress report"
    author = _clean((doc.get("sign_off") or {}).get("name"))
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.comments = ""
    properties.language = "en-GB"
    properties.subject = _clean(doc.get("council_name"))
    now = datetime.now(UTC).replace(microsecond=0)
    properties.created = properties.modified = now

    document.add_heading(title, level=0)
    if line := meeting_line(doc):
        document.add_paragraph(_clean(line))
    lead, note = correction_line(doc)
    if lead:
        correction = document.add_paragraph()
        correction.add_run(_clean(lead)).bold = True
        if note:
            correction.add_run(" " + _clean(note))

    for section in doc.get("sections") or []:
        if heading := _clean(section.get("heading")):
            document.add_heading(heading, level=1)
        for paragraph in section.get("paragraphs") or []:
            _add_numbered_paragraph(document, paragraph)

    if doc.get("recommendations"):
        _add_recommendations(document, doc["recommendations"], doc.get("recommendations_more"))

    lines = sign_off_lines(doc)
    for index, (kind, text) in enumerate(lines):
        sign_off = document.add_paragraph()
        sign_off.add_run(_clean(text)).bold = kind in ("label", "name") or None
        sign_off.paragraph_format.keep_with_next = index < len(lines) - 1
        if index == 0:
            sign_off.paragraph_format.space_before = Pt(18)
        if kind == "closing":
            sign_off.paragraph_format.space_after = Pt(16)

    statement = doc.get("chair_statement")
    if statement:
        document.add_heading(
            _clean(statement.get("heading")) or "Statement from the Chair of the Youth Cabinet", level=1
        )
        sources = statement.get("sources") or []
        for index, text in enumerate(statement.get("paragraphs") or []):
            document.add_paragraph(_clean(text))
            if index < len(sources) and sources[index]:
                _add_fact_sources(document, sources[index])

    if doc.get("numbers"):
        _add_numbers(document, doc["numbers"])

    out = BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# File names


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['\u2019]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def doc_filename(doc: dict[str, Any], ext: str) -> str:
    """A safe ASCII name: the title's last part (after its last colon, e.g.
    "Progress Report – July 2020") and the version:
    "progress-report-july-2020-v1.pdf"; "-preview" for an unpublished one."""
    title = str(doc.get("title") or "")
    slug = _slug(title.rsplit(":", 1)[-1]) or _slug(title) or "progress-report"
    version = doc.get("version")
    suffix = (
        f"-v{version}" if isinstance(version, int) and not isinstance(version, bool) and version > 0 else "-preview"
    )
    extension = re.sub(r"[^a-z0-9]", "", str(ext).lower())[:10] or "bin"
    room = MAX_FILENAME - len(suffix) - len(extension) - 1
    if len(slug) > room:
        slug = slug[:room]
        slug = (slug.rsplit("-", 1)[0] if "-" in slug else slug).strip("-")
    return f"{slug}{suffix}.{extension}"
