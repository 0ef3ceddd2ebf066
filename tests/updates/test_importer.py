"""The plain-text importer for a Cabinet Member progress report: the real
July 2020 report (pasted out of a PDF, page breaks and all) and the shapes
and accidents around it."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.updates.blocks import flat_items, runs_text, to_blocks
from portal.updates.importer import ImportedReport, ImportedSection, parse_report
from tests.conftest import SEEDS

SEED = SEEDS / "2020-07-cabinet-member-progress-report.txt"

HEADINGS = [
    "Introduction",
    "Covid-19 Response",
    "Covid-19 Recovery",
    "Service Leadership",
    "Ofsted & Children's Trust",
    "Creating the Foundations for a Good Service",
    "Strengthening the Workforce within the new model",
    "Continued Service Improvement",
    "Youth Cabinet",
]


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"The seed report is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ImportedReport:
    return parse_report(seed_text)


def all_paragraphs(report: ImportedReport) -> list[str]:
    return [paragraph for section in report.sections for paragraph in section.paragraphs]


def bullets(paragraph: str) -> list[str]:
    return [line for line in paragraph.split("\n") if re.match(r" *- ", line)]


def words(text: str) -> list[str]:
    """The words of a paragraph, without bullet markers or bold markers."""
    text = re.sub(r"^[ \t]*- ", "", text, flags=re.MULTILINE)
    return text.replace("**", "").split()


def seed_paragraph_words(seed_text: str) -> dict[int, list[str]]:
    """Each numbered paragraph's words, read straight from the seed (not with the importer)."""
    body = seed_text.split("With my best wishes")[0]
    starts: list[tuple[int, int, int]] = []  # number, marker start, text start
    expected = 1
    for match in re.finditer(r"^ *(?:- )?(\d+)(?:\*\*)? ", body, flags=re.MULTILINE):
        if int(match.group(1)) == expected:
            starts.append((expected, match.start(), match.end()))
            expected += 1
    assert expected == 12, "the seed should number its paragraphs 1 to 11"
    found = {}
    for index, (number, _, text_start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(body)
        lines = [line for line in body[text_start:end].splitlines() if line.strip() not in HEADINGS]
        found[number] = words("\n".join(lines))
    return found


# The real report


def test_seed_title_is_the_first_line(seed: ImportedReport, seed_text: str) -> None:
    first_line = next(line for line in seed_text.splitlines() if line.strip())
    assert seed.title == first_line.strip()
    assert seed.title.startswith("West Sussex County Council's Children First Service Improvement Programme")


def test_seed_has_eleven_numbered_paragraphs_in_nine_sections(seed: ImportedReport) -> None:
    assert seed.numbered is True
    assert seed.paragraph_count == 11
    assert len(all_paragraphs(seed)) == 11
    assert [section.heading for section in seed.sections] == HEADINGS
    assert [len(section.paragraphs) for section in seed.sections] == [2, 1, 1, 1, 2, 1, 1, 1, 1]
    ofsted = seed.sections[HEADINGS.index("Ofsted & Children's Trust")]
    assert ofsted.paragraphs[0].startswith("Ofsted has currently suspended its inspection regime")
    assert ofsted.paragraphs[1].startswith("In regard to the possible Children's Trust")


def test_seed_paragraph_numbers_are_removed(seed: ImportedReport) -> None:
    paragraphs = all_paragraphs(seed)
    assert paragraphs[0].startswith("I am writing with a further update")
    assert paragraphs[1].startswith("I wish to pay tribute")
    assert paragraphs[6].startswith("In regard to")
    assert paragraphs[8].startswith("The issues that we have been continuously monitoring")
    for paragraph in paragraphs:
        assert not re.match(r"(- )?\d", paragraph)
        assert "\r" not in paragraph


def test_seed_paragraph_6_is_joined_across_the_page_break(seed: ImportedReport) -> None:
    paragraph = all_paragraphs(seed)[5]
    assert "probably until the autumn. However, in common with a number of other authorities" in paragraph
    assert "\n" not in paragraph
    assert paragraph.endswith("which is a welcome source of expertise.")
    assert any("Paragraph 6" in message and "two pages" in message for message in seed.messages)


def test_seed_paragraph_8_has_three_pillars_then_a_closing_sentence(seed: ImportedReport) -> None:
    paragraph = all_paragraphs(seed)[7]
    assert paragraph.startswith("The most important task now before us")
    items = bullets(paragraph)
    assert len(items) == 3
    assert items[0].startswith("- **Pillar 1 - 'What good looks like':** it is essential")
    assert items[1].startswith("- **Pillar 2 - Creating the right Environment:**")
    assert items[2].startswith("- **Pillar 3 - Improved Service Model:**")
    assert paragraph.endswith("\n\nI will report further on this programme over the coming months.")
    assert "three 'pillars':\n\n- **Pillar 1" in paragraph
    # The portal's renderer reads it as text, one flat list of three, text.
    blocks = to_blocks(paragraph)
    assert [block["type"] for block in blocks] == ["text", "list", "text"]
    assert [level for level, _ in flat_items(blocks[1]["items"])] == [1, 1, 1]
    assert runs_text(blocks[1]["items"][1]["runs"]).startswith("Pillar 2 - Creating the right Environment:")
    assert blocks[1]["items"][1]["runs"][0]["bold"] is True


def test_seed_paragraph_10_has_five_bullets_one_joined_across_the_page_break(seed: ImportedReport) -> None:
    paragraph = all_paragraphs(seed)[9]
    assert paragraph.startswith("Notwithstanding the pandemic")
    items = bullets(paragraph)
    assert len(items) == 5
    assert all(item.startswith("- ") for item in items)
    assert "of receiving advice, and full access to education and training" in items[0]
    assert items[0].endswith("strengthening our practical service offer to support care leavers.")
    assert "80% of the workforce" in items[3]
    assert paragraph.endswith("Education and Skills workforce.")
    blocks = to_blocks(paragraph)
    assert [block["type"] for block in blocks] == ["text", "list"]
    assert len(blocks[1]["items"]) == 5


def test_seed_paragraph_11(seed: ImportedReport) -> None:
    paragraph = all_paragraphs(seed)[10]
    assert paragraph.startswith("I am delighted")
    assert paragraph.endswith("right at the heart of all that we do.")
    assert "best wishes" not in paragraph


def test_seed_sign_off(seed: ImportedReport) -> None:
    assert seed.closing == "With my best wishes for your continued good health."
    assert seed.sign_off_label == "For information"
    assert seed.signatory_name == "Jacquie Russell"
    assert seed.signatory_role == "Cabinet Member for Children and Young People"
    assert seed.contact_officer == "Lance John, Business Manager, 033 022 23456"
    text = "\n".join(all_paragraphs(seed))
    for line in ("Jacquie Russell", "For information", "Contact Officer", "Statement from the Chair"):
        assert line not in text


def test_seed_chair_statement(seed: ImportedReport, seed_text: str) -> None:
    after = seed_text.split("Statement from the Chair of West Sussex Youth Cabinet", 1)[1]
    assert seed.chair_statement == after.strip()
    assert seed.chair_statement.startswith("The Youth Cabinet has had a month of decision making")
    assert not any("Chair's statement" in message for message in seed.messages)
    assert not any("sign-off" in message for message in seed.messages)


def test_seed_every_paragraph_keeps_every_word(seed: ImportedReport, seed_text: str) -> None:
    expected = seed_paragraph_words(seed_text)
    paragraphs = all_paragraphs(seed)
    assert len(paragraphs) == len(expected) == 11
    for number, paragraph in enumerate(paragraphs, start=1):
        assert words(paragraph) == expected[number], f"paragraph {number}"


def test_seed_with_windows_line_endings_and_tabs(seed: ImportedReport, seed_text: str) -> None:
    windows = seed_text.replace("\n", "\r\n").replace("on 17 July", "on 17\tJuly")
    report = parse_report(windows.replace("Introduction", "Introduction\t"))
    assert report == seed
    for paragraph in all_paragraphs(report):
        assert "\r" not in paragraph


# Numbers, headings and bullets


def test_the_three_number_styles() -> None:
    report = parse_report(
        "A report\n\n"
        "First things\n\n"
        "- 1** The first paragraph.\n"
        "2** The second paragraph.\n\n"
        "Second things\n\n"
        "3 The third paragraph.\n"
    )
    assert report.numbered is True
    assert [(section.heading, section.paragraphs) for section in report.sections] == [
        ("First things", ["The first paragraph.", "The second paragraph."]),
        ("Second things", ["The third paragraph."]),
    ]
    assert report.paragraph_count == 3


def test_numbers_indented_by_leading_spaces() -> None:
    report = parse_report("Title\n\n  1 One.\n\n   - 2** Two.\n")
    assert all_paragraphs(report) == ["One.", "Two."]


def test_paragraphs_before_any_heading_go_in_a_section_without_a_heading() -> None:
    report = parse_report("Title\n\n1 One.\n\n2 Two.\n\nLater\n\n3 Three.")
    assert [section.heading for section in report.sections] == ["", "Later"]
    assert report.sections[0] == ImportedSection(heading="", paragraphs=["One.", "Two."])


def test_a_number_out_of_sequence_is_not_a_paragraph() -> None:
    report = parse_report(
        "Title\n\n"
        "1 We hired staff:\n"
        "- 80% of them are new\n"
        "- 5 teams grew.\n\n"
        "27 NQSWs are due to start by September.\n\n"
        "2 The second paragraph.\n"
    )
    assert report.paragraph_count == 2
    first, second = all_paragraphs(report)
    assert first == (
        "We hired staff:\n\n- 80% of them are new\n- 5 teams grew.\n\n27 NQSWs are due to start by September."
    )
    assert second == "The second paragraph."
    assert any("27" in message and "paragraph 1" in message for message in report.messages)


def test_a_numbered_looking_bullet_gives_way_to_the_real_paragraph() -> None:
    report = parse_report("Title\n\n1 We have:\n- 2 new teams\n- more staff\n\n2 Second.\n")
    assert all_paragraphs(report) == ["We have:\n\n- 2 new teams\n- more staff", "Second."]


def test_a_skipped_number_is_reported() -> None:
    report = parse_report("Title\n\n1 One.\n\n2 Two.\n\n4 Four.\n\n5 Five.\n")
    assert all_paragraphs(report) == ["One.", "Two.", "Four.", "Five."]
    assert "Paragraph 3 seems to be missing: check the text around paragraph 2." in report.messages
    report = parse_report("Title\n\n3** Three.\n\n4 Four.\n")
    assert all_paragraphs(report) == ["Three.", "Four."]
    assert "Paragraphs 1 to 2 seem to be missing: check the text before paragraph 3." in report.messages


def test_nested_bullets() -> None:
    report = parse_report(
        "Title\n\n"
        "1 We did three things:\n"
        "- First thing\n"
        "  - a detail of the first\n"
        "    - another detail\n"
        " - Second thing\n"
        "- **Third** thing.\n"
        "That is all.\n"
    )
    (paragraph,) = all_paragraphs(report)
    assert paragraph == (
        "We did three things:\n\n"
        "- First thing\n"
        "  - a detail of the first\n"
        "  - another detail\n"
        "- Second thing\n"
        "- **Third** thing.\n\n"
        "That is all."
    )
    blocks = to_blocks(paragraph)
    assert [block["type"] for block in blocks] == ["text", "list", "text"]
    assert [(level, runs_text(runs)) for level, runs in flat_items(blocks[1]["items"])] == [
        (1, "First thing"),
        (2, "a detail of the first"),
        (2, "another detail"),
        (1, "Second thing"),
        (1, "Third thing."),
    ]


def test_a_bullet_wrapped_onto_the_next_line_is_joined() -> None:
    report = parse_report("Title\n\n1 Items:\n- a long item that\nwraps onto the next line.\n- short.\n")
    assert all_paragraphs(report) == ["Items:\n\n- a long item that wraps onto the next line.\n- short."]


def test_a_heading_must_be_followed_by_a_numbered_paragraph() -> None:
    report = parse_report("Title\n\n1 One.\n\nNot a heading\n\n2 Two.\n\nAlso running text\n\nMore text.\n")
    assert [section.heading for section in report.sections] == ["", "Not a heading"]
    assert report.sections[1].paragraphs == ["Two.\n\nAlso running text More text."]


def test_whitespace_inside_lines_is_collapsed() -> None:
    report = parse_report("Title\n\n1   Lots   of\t\tspace\u00a0here.  ")
    assert all_paragraphs(report) == ["Lots of space here."]


def test_a_lone_page_number_is_left_out() -> None:
    report = parse_report("Title\n\n1 This runs on to the\n\n3\n\nnext page.\n\n2 Two.")
    assert all_paragraphs(report) == ["This runs on to the next page.", "Two."]
    assert any("page number" in message for message in report.messages)


# No numbers, no text


def test_text_without_numbers_is_one_section() -> None:
    report = parse_report(
        "My update\n\nIntroduction\n\nThe first paragraph.\nIt wraps.\n\nThe second paragraph.\n\n- a bullet\n- another\n"
    )
    assert report.title == "My update"
    assert report.numbered is False
    assert report.sections == [
        ImportedSection(
            heading="Introduction",
            paragraphs=["The first paragraph. It wraps.", "The second paragraph.", "- a bullet\n- another"],
        )
    ]
    assert (
        "We could not find any numbered paragraphs, so all the text is in one section. "
        "Split it into sections and paragraphs as you need."
    ) in report.messages


def test_text_without_numbers_or_heading() -> None:
    report = parse_report("My update\n\nThe first paragraph.\n\nThe second paragraph.")
    assert report.numbered is False
    assert report.sections == [
        ImportedSection(heading="", paragraphs=["The first paragraph.", "The second paragraph."])
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\r\n", "\u2028\x0c"])
def test_empty_input(text: str) -> None:
    report = parse_report(text)
    assert report.sections == []
    assert report.title == ""
    assert report.paragraph_count == 0
    assert report.messages == ["There is no text to import."]


def test_only_a_title() -> None:
    report = parse_report("Just a title\n\n")
    assert report.title == "Just a title"
    assert report.sections == []
    assert report.messages


# Sign-off and Chair's statement


def test_no_sign_off_and_no_chair_statement_are_reported() -> None:
    report = parse_report("Title\n\n1 One.\n\n2 Two.")
    assert (report.signatory_name, report.signatory_role, report.contact_officer) == ("", "", "")
    assert report.chair_statement == ""
    assert any("sign-off" in message for message in report.messages)
    assert any("Chair's statement" in message for message in report.messages)
    assert all_paragraphs(report) == ["One.", "Two."]


def test_sign_off_without_a_contact_officer_line_is_guessed() -> None:
    report = parse_report(
        "Title\n\n1 One.\n\nWith my best wishes.\n\nFor decision\n\nAlex Smith\n\nCabinet Member for Roads\n"
    )
    assert all_paragraphs(report) == ["One."]
    assert report.closing == "With my best wishes."
    assert report.sign_off_label == "For decision"
    assert report.signatory_name == "Alex Smith"
    assert report.signatory_role == "Cabinet Member for Roads"
    assert report.contact_officer == ""
    assert any("Contact Officer" in message for message in report.messages)


def test_sign_off_with_only_name_role_and_contact() -> None:
    report = parse_report(
        "Title\n\n1 One.\n\nAlex Smith\nCabinet Member for Roads\ncontact officer:  Sam Lee, 01234\n\n"
        "Statement from the Chair\n\nFirst part.\n\nSecond part.\n"
    )
    assert all_paragraphs(report) == ["One."]
    assert (report.closing, report.sign_off_label) == ("", "")
    assert report.signatory_name == "Alex Smith"
    assert report.signatory_role == "Cabinet Member for Roads"
    assert report.contact_officer == "Sam Lee, 01234"
    assert report.chair_statement == "First part.\n\nSecond part."


def test_sign_off_after_the_chair_statement() -> None:
    report = parse_report(
        "Title\n\n1 One.\n\nStatement from the Chair\n\nThe Chair's only sentence.\n\n"
        "Alex Smith\n\nCabinet Member for Roads\n\nContact Officer: Sam Lee\n"
    )
    assert all_paragraphs(report) == ["One."]
    assert report.chair_statement == "The Chair's only sentence."
    assert report.closing == ""
    assert (report.signatory_name, report.signatory_role, report.contact_officer) == (
        "Alex Smith",
        "Cabinet Member for Roads",
        "Sam Lee",
    )


def test_text_after_the_contact_officer_is_reported() -> None:
    report = parse_report("Title\n\n1 One.\n\nAlex\nRole\nContact Officer:\n\nSam Lee\n\nBackground papers: None\n")
    assert report.contact_officer == "Sam Lee"
    assert any("Background papers: None" in message for message in report.messages)


# Anything at all


NASTY = [
    "<script>alert(1)</script>",
    "{{7*7}}\n\n{% raw %}",
    "1\n2\n3\n4\n5",
    "1 ** 2\n- 1**\n1**\n- \n-",
    "Contact Officer:",
    "Contact Officer:\n\nStatement from the Chair",
    "Statement from the Chair\nContact Officer: x",
    "Title\n\nContact Officer: a\nStatement from the Chair\nContact Officer: b",
    "\x00\x01\x1f\x7f\ufeff\u200b",
    "Ünïcödé ✓ 漢字 😀\n\n1 Ünïcödé paragraph.",
    "T\n\n١ Arabic-Indic digits\n\n٢ again",
    "-" * 1000,
    "- " * 1000,
    "1 " * 5000,
    "\n".join(str(i) for i in range(1, 5000)),
    "\n".join(f"{i} Paragraph {i}." for i in range(1, 5000)),
    "\n\n".join(f"Heading {i}\n\n{i} Text." for i in range(1, 3000)),
]


@pytest.mark.parametrize("text", NASTY)
def test_never_raises_on_odd_input(text: str) -> None:
    report = parse_report(text)
    assert isinstance(report, ImportedReport)
    for paragraph in all_paragraphs(report):
        assert paragraph and "\r" not in paragraph


def test_markup_stays_text() -> None:
    report = parse_report("<b>Title</b>\n\n1 <script>alert(1)</script> and {{7*7}}.")
    assert report.title == "<b>Title</b>"
    assert all_paragraphs(report) == ["<script>alert(1)</script> and {{7*7}}."]


def test_a_long_paste_is_quick(seed_text: str) -> None:
    body = seed_text.split("With my best wishes")[0]
    long_report = "Title\n\n" + "\n\n".join(
        f"Section {i}\n\n{i} " + body[600:9_000].replace("\n", " ") for i in range(1, 60)
    )  # about 500,000 characters
    cases = [
        long_report,
        "x" * 100_000,
        ("word " * 20 + "\n") * 1_000,
        "\n".join(f"- {i}** item" for i in range(1, 10_000)),
        " " * 100_000,
        "9" * 100_000,
    ]
    for text in cases:
        started = time.perf_counter()
        parse_report(text)
        assert time.perf_counter() - started < 5, f"too slow on {text[:30]!r}..."
    report = parse_report(long_report)
    assert len(long_report) > 400_000
    assert report.paragraph_count == 59
    assert [section.heading for section in report.sections][-1] == "Section 59"
    assert len(report.messages) < 30


def test_a_huge_number_of_messages_is_summarised() -> None:
    text = "Title\n\n" + "\n\n".join(f"{i} Para." for i in (1, 2, *range(4, 400, 2)))
    report = parse_report(text)
    assert len(report.messages) < 12
    assert any("more like the one above" in message for message in report.messages)


REPORT_LINES = st.sampled_from(
    [
        "",
        " ",
        "Introduction",
        "- 1** I am writing.",
        "2** Second.",
        "3 Third",
        "- a bullet",
        "  - a nested bullet",
        " - **bold** bullet",
        "lower case carry-on",
        "Ends without a stop",
        "For information",
        "Jacquie Russell",
        "Contact Officer: Lance John",
        "Statement from the Chair",
        "\t",
        "\r",
        "12",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.one_of(REPORT_LINES, st.text(max_size=20))).map("\r\n".join)))
def test_parse_report_never_raises(text: str) -> None:
    report = parse_report(text)
    assert isinstance(report.title, str)
    assert report.paragraph_count == len(all_paragraphs(report))
    for paragraph in all_paragraphs(report):
        assert "\r" not in paragraph
        assert paragraph == paragraph.strip()
    for value in (report.title, report.chair_statement, report.signatory_name, report.contact_officer):
        assert "\r" not in value
