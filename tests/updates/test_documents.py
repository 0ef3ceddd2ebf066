"""The published update as a page fragment, a PDF and a Word file, all from
the frozen ``doc`` dict: the same order and numbering in every format, markup
typed in a paragraph kept as text, and safe file names."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO

import pytest
from docx import Document
from flask import render_template, render_template_string

from portal.pdf import RefuseEveryURL
from portal.updates.blocks import to_blocks
from portal.updates.documents import (
    doc_filename,
    meeting_line,
    render_docx,
    render_pdf,
)
from tests.conftest import shows_49

TITLE = "West Sussex County Council's Children First Service Improvement Programme: Progress Report – July 2020"
MARKUP = "<script>alert(1)</script> and {{7*7}}"

# A few paragraphs of the July 2020 report, as the Cabinet Member types them.
SEED_SECTIONS = [
    (
        "Introduction",
        [
            (
                "I am writing with a further update to all members to coincide with the County Council meeting "
                "on 17 July. The service has emerged from one of the most **challenging periods** of its history."
            ),
            (
                "I wish to pay tribute to our staff, who have remained healthy, committed and full of "
                "resourcefulness to keep our children and young people *safe and connected* at this time."
            ),
        ],
    ),
    (
        "Ofsted & Children's Trust",
        [
            (
                "Ofsted has currently suspended its inspection regime due to the Covid-19 crisis, which means a "
                "delay in the sequence of Monitoring Visits, probably until the autumn. However, in common with a "
                "number of other authorities, Ofsted inspectors who are currently unable to undertake inspection "
                "duties are working within the service in an advisory capacity, which is a welcome source of expertise."
            ),
            (
                "In regard to the possible Children's Trust, the [Department for Education](https://www.gov.uk/dfe) "
                "has confirmed that there will be a three-month delay in the timetable."
            ),
        ],
    ),
    (
        "Creating the Foundations for a Good Service",
        [
            (
                "The most important task now before us is to create the conditions for a service that we can "
                "genuinely call 'Good'. This is demonstrated by three 'pillars':\n\n"
                "- **Pillar 1 - 'What good looks like':** it is essential for us to set standards of expectation.\n"
                "- **Pillar 2 - Creating the right Environment:** this includes developing 'the social work offer':\n"
                "  - competitive remuneration\n"
                "    - and the best working environment\n"
                "- **Pillar 3 - Improved Service Model:** this is how we frame our entire service offer.\n\n"
                "I will report further on this programme over the coming months."
            ),
        ],
    ),
    (
        "Youth Cabinet",
        [
            (
                "I am delighted to end this update by introducing once again a message from Daisy, the Chair of "
                "our Youth Cabinet."
            ),
        ],
    ),
]

CHAIR_PARAGRAPHS = [
    (
        "The Youth Cabinet has had a month of decision making, with the introduction of new campaigns, roles "
        "and organising our schedule."
    ),
    "Our Covid-19 Wellbeing campaign came to a close this month. We reached 11,000 people over 11 days.",
]


def make_doc(sections, **changes) -> dict:
    """A frozen update from (heading, [paragraph text, ...]) pairs, numbered through."""
    number = 0
    frozen_sections = []
    for heading, texts in sections:
        paragraphs = []
        for text in texts:
            number += 1
            paragraphs.append({"number": number, "blocks": to_blocks(text)})
        frozen_sections.append({"heading": heading, "paragraphs": paragraphs})
    doc = {
        "format": 1,
        "title": TITLE,
        "council_name": "West Sussex County Council",
        "meeting_label": "17 July 2020",
        "period_label": "1 June to 17 July 2020",
        "version": 1,
        "published_label": "17 July 2020",
        "note": "",
        "sections": frozen_sections,
        "sign_off": {
            "closing": "With my best wishes for your continued good health.",
            "label": "For information",
            "name": "Jacquie Russell",
            "role": "Cabinet Member for Children and Young People",
            "contact": "Lance John, Business Manager, 033 022 23456",
        },
        "chair_statement": {
            "heading": "Statement from the Chair of West Sussex Youth Cabinet",
            "paragraphs": list(CHAIR_PARAGRAPHS),
        },
        "numbers": {
            "heading": "Youth voice in numbers",
            "period_label": "July 2020",
            "previous_label": "June 2020",
            "rows": [
                {
                    "label": "Campaign reach (people)",
                    "value": "11,000",
                    "previous": "0",
                    "source": "/campaigns",
                    "source_label": "Campaigns",
                },
                {
                    "label": "Consultations answered",
                    "value": "1",
                    "previous": "0",
                    "source": "/consultations",
                    "source_label": "Consultations",
                },
            ],
        },
    }
    doc.update(changes)
    return doc


def seed_doc(**changes) -> dict:
    return make_doc(SEED_SECTIONS, **changes)


def long_doc() -> dict:
    """200 paragraphs in 10 sections, each saying its own number in words."""
    sections = [
        (f"Section {s + 1}", [f"Paragraph number {s * 20 + p + 1} of the long report." for p in range(20)])
        for s in range(10)
    ]
    return make_doc(sections)


def markup_doc() -> dict:
    return make_doc([("Markup stays text", [f"Typed: {MARKUP}", f"- a bullet with {MARKUP}"])])


# ---------------------------------------------------------------------------
# Helpers


# PDFs take about a second each: each sample is rendered once per module.
_pdf_cache: dict[str, str] = {}


def pdf_text(app, name: str, doc: dict, tmp_path) -> str:
    """pdftotext -layout of the doc's PDF, rendered once per module per name."""
    if name not in _pdf_cache:
        with app.app_context(), app.test_request_context():
            data = render_pdf(doc)
        assert data.startswith(b"%PDF-")
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        _pdf_cache[name] = result.stdout
    return _pdf_cache[name]


@pytest.fixture
def pdfs(app, tmp_path):
    """``pdfs(name, doc)``: the text of the doc's PDF (cached by name)."""
    return lambda name, doc: pdf_text(app, name, doc, tmp_path)


def squash(text: str) -> str:
    """Text with every run of white space as one space (pdftotext wraps lines)."""
    return re.sub(r"\s+", " ", text).strip()


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def paragraph_numbers(pdf: str) -> list[int]:
    """The hanging numbers at the start of lines of the PDF's text. How many
    spaces pdftotext puts after a number depends on its version and the
    number's width, so any space counts; a date wrapped to a line's start does not."""
    pattern = rf"^\s{{0,3}}(\d+)\s+(?!(?:{MONTHS})\b)\S"
    return [int(number) for number in re.findall(pattern, pdf, flags=re.MULTILINE)]


def read_docx(data: bytes):
    return Document(BytesIO(data))


def docx_text(data: bytes) -> str:
    document = read_docx(data)
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines.extend("\t".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def render_fragment(app, doc: dict, **options) -> str:
    with app.app_context(), app.test_request_context():
        return render_template_string(
            '{% from "components/update_document.html" import update_document %}{{ update_document(doc, **options) }}',
            doc=doc,
            options=options,
        )


# ---------------------------------------------------------------------------
# The PDF


def test_pdf_reads_like_the_report(pdfs):
    pdf = pdfs("seed", seed_doc())
    flat = squash(pdf)

    assert "Progress Report – July 2020" in flat
    assert (
        "For the meeting of West Sussex County Council on 17 July 2020. Period covered: 1 June to 17 July 2020." in flat
    )
    headings = [
        "Introduction",
        "Ofsted & Children's Trust",
        "Creating the Foundations for a Good Service",
        "Youth Cabinet",
    ]
    positions = [flat.index(heading) for heading in headings]
    assert positions == sorted(positions)

    # Each number hangs at the start of a line, before its own paragraph's text.
    assert paragraph_numbers(pdf) == [1, 2, 3, 4, 5, 6]
    assert re.search(r"^\s*1\s+I am writing with a further update", pdf, flags=re.MULTILINE)
    assert re.search(r"^\s*5\s+The most important task", pdf, flags=re.MULTILINE)
    assert flat.index("Introduction") < flat.index("I am writing") < flat.index("Ofsted & Children's Trust")

    # Bullets, nested ones too, and the text after the list.
    for bullet in (
        "Pillar 1 - 'What good looks like':",
        "Pillar 2",
        "Pillar 3",
        "competitive remuneration",
        "and the best working environment",
    ):
        assert re.search(r"^\s*[•◦▪∘·○■-]\s+" + re.escape(bullet), pdf, flags=re.MULTILINE), bullet
    assert (
        flat.index("Pillar 3") < flat.index("I will report further on this programme") < flat.index("6 I am delighted")
    )

    # The sign-off, then the Chair's statement, then the numbers.
    order = [
        "I am delighted to end this update",
        "With my best wishes for your continued good health.",
        "For information",
        "Jacquie Russell",
        "Cabinet Member for Children and Young People",
        "Contact Officer: Lance John, Business Manager, 033 022 23456",
        "Statement from the Chair of West Sussex Youth Cabinet",
        "The Youth Cabinet has had a month of decision making",
        "We reached 11,000 people over 11 days.",
        "Youth voice in numbers",
        "Campaign reach (people)",
    ]
    positions = [flat.index(text) for text in order]
    assert positions == sorted(positions)
    assert re.search(r"Campaign reach \(people\)\s+11,000\s+0\s+Campaigns", pdf)
    assert "Page 1 of" in pdf


def test_pdf_numbers_200_paragraphs_in_order(pdfs):
    pdf = pdfs("long", long_doc())
    assert paragraph_numbers(pdf) == list(range(1, 201))
    for number in (1, 57, 200):
        assert re.search(rf"^\s*{number}\s+Paragraph number {number} of the long report\.", pdf, flags=re.MULTILINE)
    pages = re.findall(r"Page (\d+) of (\d+)", pdf)
    assert len(pages) > 3 and pages[0] == ("1", pages[0][1]) and pages[-1][0] == pages[-1][1]


def test_pdf_keeps_markup_as_text(pdfs):
    pdf = squash(pdfs("markup", markup_doc()))
    assert f"Typed: {MARKUP}" in pdf
    assert f"a bullet with {MARKUP}" in pdf
    assert "49" not in pdf


def test_pdf_metadata_and_no_fetching(app):
    doc = seed_doc()
    # A link in a paragraph stays a link, but nothing is ever fetched for the PDF.
    doc["sections"][0]["paragraphs"][0]["blocks"].append(
        {
            "type": "text",
            "runs": [{"text": "a picture", "bold": False, "italic": False, "href": "http://127.0.0.1:9/x.png"}],
        }
    )
    with app.app_context(), app.test_request_context():
        data = render_pdf(doc)
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "Title:" in info and "Progress Report" in info
    assert re.search(r"Author:\s+Jacquie Russell", info)
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)
    with pytest.raises(ValueError):
        RefuseEveryURL().fetch("file:///etc/passwd")


# ---------------------------------------------------------------------------
# The page fragment and the print page


def test_fragment_numbers_escapes_and_labels(app):
    html = render_fragment(app, markup_doc())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "{{7*7}}" in html
    assert not shows_49(html)

    html = render_fragment(app, seed_doc(), heading_level=3)
    assert re.findall(r'<li value="(\d+)"', html) == ["1", "2", "3", "4", "5", "6"]
    assert re.findall(r'<ol class="portal-update-paragraphs" start="(\d+)"', html) == ["1", "3", "5", "6"]
    assert '<h3 class="govuk-heading-m portal-update-heading">Introduction</h3>' in html
    assert 'id="chair-statement"' in html and 'id="youth-voice-in-numbers"' in html
    assert (
        '<a class="govuk-link" href="https://www.gov.uk/dfe" rel="noopener noreferrer nofollow">Department for Education</a>'
        in html
    )
    assert "<strong>challenging periods</strong>" in html and "<em>safe and connected</em>" in html
    assert '<a class="govuk-link" href="/campaigns">Campaigns</a>' in html
    assert '<th scope="col"' in html and '<th scope="row"' in html and "<caption" in html
    assert html.count('class="govuk-list govuk-list--bullet') == 3  # the list and its two nested levels

    unlinked = render_fragment(app, seed_doc(), link_sources=False)
    assert 'href="/campaigns"' not in unlinked and "Campaigns" in unlinked


def test_fragment_skips_what_is_empty(app):
    doc = seed_doc(meeting_label="", period_label="", version=0, published_label="", chair_statement=None, numbers=None)
    doc["sections"][0]["heading"] = ""
    doc["sign_off"] = {"closing": "", "label": "", "name": "A Member", "role": "", "contact": ""}
    html = render_fragment(app, doc)
    assert "Introduction" not in html and "<h2" in html  # the other sections keep theirs
    assert "Contact Officer" not in html and "For the meeting" not in html and "Period covered" not in html
    assert "chair-statement" not in html and "youth-voice-in-numbers" not in html
    assert "A Member" in html


@pytest.mark.parametrize("meeting", ["17 July 2020", ""])
@pytest.mark.parametrize("period", ["1 June to 17 July 2020", ""])
@pytest.mark.parametrize("council", ["West Sussex County Council", ""])
def test_meeting_line_is_the_same_on_the_page_and_in_word(app, meeting, period, council):
    doc = seed_doc(meeting_label=meeting, period_label=period, council_name=council)
    html = render_fragment(app, doc)
    line = meeting_line(doc)
    if meeting or period:
        assert f'<p class="govuk-body-l portal-update-meeting">{line}</p>' in html
        assert line in docx_text(render_docx(doc)).splitlines()
    else:
        assert line == "" and "portal-update-meeting" not in html


def test_correction_note(app, pdfs):
    doc = seed_doc(version=2, published_label="20 July 2020", note="Paragraph 4 gave the wrong date.")
    line = "Version 2, corrected on 20 July 2020: Paragraph 4 gave the wrong date."
    assert line in squash(re.sub(r"<[^>]+>", "", render_fragment(app, doc)))
    assert line in docx_text(render_docx(doc))
    flat = squash(pdfs("corrected", doc))
    assert flat.index("Period covered") < flat.index(line) < flat.index("Introduction")


def test_print_page(app):
    with app.app_context(), app.test_request_context():
        page = render_template("updates/print.html", doc=seed_doc(), for_pdf=False, back_url="/updates/7")
        pdf_source = render_template("updates/print.html", doc=seed_doc(), for_pdf=True, back_url="")
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page and "<main" in page
    assert f"<title>{TITLE.replace(chr(39), '&#39;')}</title>" in page
    assert '<a href="/updates/7">Back to the update</a>' in page
    assert "Use your browser's Print command" in page
    assert 'href="/static/css/update-print.css"' in page
    assert "Back to the update" not in pdf_source and "Print command" not in pdf_source
    assert "<link" not in pdf_source  # WeasyPrint is handed the stylesheet; it fetches nothing


# ---------------------------------------------------------------------------
# The Word file


def test_docx_structure():
    data = render_docx(seed_doc())
    document = read_docx(data)
    assert document.core_properties.title == TITLE
    assert document.core_properties.author == "Jacquie Russell"

    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == TITLE
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Introduction",
        "Ofsted & Children's Trust",
        "Creating the Foundations for a Good Service",
        "Youth Cabinet",
        "Statement from the Chair of West Sussex Youth Cabinet",
        "Youth voice in numbers",
    ]

    numbered = [p for p in paragraphs if re.match(r"\d+\t", p.text)]
    assert [p.text.split("\t")[0] for p in numbered] == ["1", "2", "3", "4", "5", "6"]
    first = numbered[0]
    assert first.runs[0].bold and first.runs[0].text == "1"
    assert first.paragraph_format.first_line_indent < 0 < first.paragraph_format.left_indent  # hanging number
    assert any(run.bold and run.text == "challenging periods" for run in first.runs)
    assert any(run.italic and run.text == "safe and connected" for run in numbered[1].runs)
    assert "Department for Education (https://www.gov.uk/dfe)" in numbered[3].text

    bullets = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("List Bullet")]
    assert [style for style, _ in bullets] == [
        "List Bullet",
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Bullet",
    ]
    assert bullets[2][1] == "competitive remuneration"
    pillar = next(p for p in paragraphs if p.text.startswith("Pillar 1"))
    assert pillar.runs[0].bold and pillar.runs[0].text == "Pillar 1 - 'What good looks like':"

    # The text after the list: unnumbered, lined up with the paragraph's text.
    after = next(p for p in paragraphs if p.text.startswith("I will report further"))
    assert after.paragraph_format.left_indent == first.paragraph_format.left_indent
    assert not after.paragraph_format.first_line_indent

    texts = [p.text for p in paragraphs]
    sign_off = [
        "With my best wishes for your continued good health.",
        "For information",
        "Jacquie Russell",
        "Cabinet Member for Children and Young People",
        "Contact Officer: Lance John, Business Manager, 033 022 23456",
    ]
    start = texts.index(sign_off[0])
    assert texts[start : start + 5] == sign_off
    assert start > texts.index(numbered[-1].text)
    assert texts.index("Statement from the Chair of West Sussex Youth Cabinet") == start + 5
    assert texts[start + 6] == CHAIR_PARAGRAPHS[0]

    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Measure", "July 2020", "June 2020", "Source"]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [cell.text for cell in table.rows[1].cells] == ["Campaign reach (people)", "11,000", "0", "Campaigns"]


def test_docx_numbers_200_paragraphs_in_order():
    document = read_docx(render_docx(long_doc()))
    numbered = [p.text for p in document.paragraphs if re.match(r"\d+\t", p.text)]
    assert [int(text.split("\t")[0]) for text in numbered] == list(range(1, 201))
    assert all(text == f"{n}\tParagraph number {n} of the long report." for n, text in enumerate(numbered, start=1))


def test_docx_keeps_markup_as_text_and_survives_control_characters():
    text = docx_text(render_docx(markup_doc()))
    assert f"Typed: {MARKUP}" in text and f"a bullet with {MARKUP}" in text
    assert "49" not in text

    nasty = "bad\x00 \x01chars\x0b\x1f\ufffe \ud800here"
    doc = make_doc([(nasty, [nasty, f"- {nasty}"])], title=nasty, note=nasty, version=3)
    doc["sign_off"]["name"] = nasty
    doc["chair_statement"]["paragraphs"] = [nasty]
    doc["numbers"]["rows"][0]["label"] = nasty
    text = docx_text(render_docx(doc))
    assert "bad chars here" in text


def test_pdf_survives_control_characters(app, pdfs):
    nasty = "bad\x00 \x01chars\x0b\x1f\ufffe \ud800here"
    doc = make_doc([(nasty, [nasty, f"- {nasty}"])], title=nasty, note=nasty, version=2)
    doc["sign_off"]["name"] = nasty
    doc["chair_statement"]["paragraphs"] = [nasty]
    # Title, correction, heading, paragraph, bullet, name, Chair's statement.
    # (Markdown itself turns NUL into U+FFFD in paragraphs: also harmless.)
    assert squash(pdfs("nasty", doc)).count("chars here") == 7


# ---------------------------------------------------------------------------
# File names


@pytest.mark.parametrize(
    ("title", "version", "ext", "expected"),
    [
        (TITLE, 1, "pdf", "progress-report-july-2020-v1.pdf"),
        (TITLE, 2, "docx", "progress-report-july-2020-v2.docx"),
        (TITLE, 0, "pdf", "progress-report-july-2020-preview.pdf"),
        ("Café Über: Progrès – été 2021", 1, "pdf", "progres-ete-2021-v1.pdf"),
        ("../../etc/passwd", 1, "pdf", "etc-passwd-v1.pdf"),
        ('a/b\\c:"d"<e>|f?*', 4, "pdf", "d-e-f-v4.pdf"),
        ("", 1, "pdf", "progress-report-v1.pdf"),
        ("报告：", 1, "docx", "progress-report-v1.docx"),
        ("Report", 1, ".PDF/../x", "report-v1.pdfx"),
    ],
)
def test_doc_filename(title, version, ext, expected):
    assert doc_filename({"title": title, "version": version}, ext) == expected


def test_doc_filename_is_short_and_ascii():
    name = doc_filename({"title": "Progress " + "very long words " * 40, "version": 12}, "pdf")
    assert len(name) <= 80 and name.endswith("-v12.pdf")
    assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9]+", name)
    assert "--" not in name and not name.startswith("-")
