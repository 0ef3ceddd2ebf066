"""Turn a pasted Cabinet Member progress report (plain text, often copied out
of a PDF) into the sections and paragraphs the update editor saves.

Pure Python and standard library only: no Flask, no database. The result is
a suggestion for a person to check, so the parser never raises, and every
guess it makes is explained in ``ImportedReport.messages`` in plain English.

What it recognises (the shape of the real reports):

- the title: the first non-empty line;
- paragraph numbers at the start of a line, written ``- 1**``, ``1**``,
  ``7`` or ``7.`` (a number only counts when it is the next one expected, so
  "27 NQSWs..." or "- 80% of..." are not taken for paragraph numbers);
- section headings: short standalone lines without closing punctuation that
  come just before a numbered paragraph;
- bullets (``- item``; two or more spaces deeper than the list's first
  bullet is a nested bullet);
- text split across a page break (a blank line, then text that starts with a
  small letter or follows text that had not finished its sentence), joined
  back together;
- the sign-off: an optional closing line, an optional "For information"
  label, the Cabinet Member's name and role, and the "Contact Officer:" line;
- the Chair's statement: everything after a line starting "Statement from
  the Chair".

Paragraph text is in the portal's Markdown subset (see ``blocks.py``): plain
lines, ``- item`` bullets, ``  - item`` nested bullets, and a blank line
between the text and a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class ImportedSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ImportedReport:
    title: str
    sections: list[ImportedSection]
    closing: str = ""
    sign_off_label: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    contact_officer: str = ""
    chair_statement: str = ""
    numbered: bool = True
    messages: list[str] = field(default_factory=list)

    @property
    def paragraph_count(self) -> int:
        return sum(len(section.paragraphs) for section in self.sections)


# Every kind of line break (a PDF page break is often a form feed) becomes "\n".
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters (and a byte-order mark) are dropped: the database
# and the browser have no use for them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")
# Used with fullmatch on a stripped line whose whitespace is collapsed.
_NUMBER = re.compile(r"([-*•]\s+)?([0-9]{1,4})(\*\*\s*|[.)]\s+|\s+)(\S.*)")
_BULLET = re.compile(r"[-*•]\s+(\S.*)")
_SENTENCE_END = re.compile(r"[.?!:;][\"'’”)\]*_»]*$")
_CLOSING_END = re.compile(r"[.!][\"'’”)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.?!][\"'’”)\]]*\s+\S")
_CONTACT = re.compile(r"contact\s+officer\s*:\s*(.*)", re.IGNORECASE)
_CHAIR = re.compile(r"statement\s+from\s+the\s+chair", re.IGNORECASE)
_LABEL = re.compile(r"for\s+[^\W\d_][\w'’ -]*", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"(?:page\s+)?[0-9]{1,4}(?:\s+of\s+[0-9]{1,4})?", re.IGNORECASE)

_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 15
_MAX_CLOSING_CHARS = 200
_MAX_LABEL_CHARS = 40
_MAX_SIGNATORY_CHARS = 150
_MAX_SKIPPED = 3  # a number may jump ahead by at most this many
_MAX_MESSAGES_OF_A_KIND = 5

Line = tuple[int, str]  # (indent in spaces, text stripped with whitespace collapsed); "" is blank


def parse_report(text: str) -> ImportedReport:
    """Read a pasted report. Never raises: unexpected shapes give messages."""
    lines = _prepare(text)
    report = ImportedReport(title="", sections=[])
    first = next((i for i, (_, line) in enumerate(lines) if line), None)
    if first is None:
        report.numbered = False
        report.messages.append("There is no text to import.")
        return report
    report.title = lines[first][1]
    rest = lines[first + 1 :]
    if not any(line for _, line in rest):
        report.numbered = False
        report.messages.append(
            "We only found a title, with no paragraphs under it. Check that you pasted the whole report."
        )
        return report

    notes = _Notes(report.messages)
    body, chair_lines = _split_off_sign_off_and_chair(rest, report, notes)
    body = _drop_page_numbers(body, notes)
    _parse_body(body, report, notes)
    if chair_lines is not None:
        report.chair_statement = "\n\n".join(_unnumbered_paragraphs(chair_lines))
        if not report.chair_statement:
            notes.add("chair", "We found the heading of the Chair's statement, but no text under it.")
    else:
        notes.add(
            "chair",
            'We could not find the Chair\'s statement (a line starting "Statement from the Chair"). '
            "If the report has one, add it yourself.",
        )
    notes.flush()
    return report


class _Notes:
    """Messages, at most a few of each kind, so a huge paste gives a short list."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        self.counts: dict[str, int] = {}

    def add(self, kind: str, message: str) -> None:
        count = self.counts.get(kind, 0) + 1
        self.counts[kind] = count
        if count <= _MAX_MESSAGES_OF_A_KIND:
            self.messages.append(message)

    def flush(self) -> None:
        for count in self.counts.values():
            if count > _MAX_MESSAGES_OF_A_KIND:
                more = count - _MAX_MESSAGES_OF_A_KIND
                self.messages.append(f"There {'is' if more == 1 else 'are'} {more} more like the one above.")
        self.counts = {}


# Reading the text into lines


def _prepare(text: object) -> list[Line]:
    if text is None:
        text = ""
    elif isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = str(text)
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
    lines: list[Line] = []
    for raw in text.split("\n"):
        raw = raw.expandtabs(4)
        words = raw.split()
        if not words:
            lines.append((0, ""))
        else:
            lines.append((len(raw) - len(raw.lstrip()), " ".join(words)))
    return lines


def _ends_sentence(text: str) -> bool:
    # Only the end matters; looking at the tail keeps long text linear.
    return bool(_SENTENCE_END.search(text[-16:]))


def _is_bullet(text: str) -> bool:
    return bool(_BULLET.fullmatch(text))


def _heading_shaped(text: str) -> bool:
    return (
        bool(text)
        and len(text) <= _MAX_HEADING_CHARS
        and len(text.split()) <= _MAX_HEADING_WORDS
        and not text[0].islower()
        and not _is_bullet(text)
        and not _ends_sentence(text)
        and not text.endswith(",")
        and any(c.isalpha() for c in text)
    )


def _standalone(lines: list[Line], i: int) -> bool:
    return (i == 0 or not lines[i - 1][1]) and (i + 1 >= len(lines) or not lines[i + 1][1])


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57].rstrip() + "..."


# The sign-off and the Chair's statement


def _split_off_sign_off_and_chair(
    lines: list[Line], report: ImportedReport, notes: _Notes
) -> tuple[list[Line], list[Line] | None]:
    """Fill in the sign-off fields; return the body's lines and the Chair's statement's."""
    chair = next((i for i, (_, line) in enumerate(lines) if _CHAIR.match(line)), None)
    contact = next((i for i, (_, line) in enumerate(lines) if _CONTACT.match(line)), None)
    body_end = len(lines) if chair is None else chair
    chair_lines = None if chair is None else lines[chair + 1 :]

    if contact is not None:
        # The sign-off usually comes before the Chair's statement; if it comes
        # after, it ends the statement instead of the body.
        low = 0 if chair is None or contact < chair else chair + 1
        # After the Chair's statement, a lone sentence is more likely the
        # statement's end than a closing line, unless a label like "For information" comes between.
        start, end = _sign_off_with_contact(lines, low, contact, report, notes, closing_needs_label=low > 0)
        if chair is None or contact < chair:
            body_end = start
            leftover = lines[end:] if chair is None else lines[end:chair]
        else:
            chair_lines = lines[chair + 1 : start]
            leftover = lines[end:]
        for _, line in leftover:
            if line:
                notes.add(
                    "leftover",
                    f'We did not know where "{_short(line)}" belongs (it comes after the Contact Officer line), '
                    "so we left it out. Add it yourself if you need it.",
                )
    else:
        guessed = _sign_off_without_contact(lines, body_end, report)
        if guessed is None:
            notes.add(
                "sign-off",
                "We could not find the sign-off at the end (the Cabinet Member's name and role and the "
                '"Contact Officer:" line). Add it yourself.',
            )
        else:
            body_end = guessed
            notes.add(
                "sign-off",
                'We could not find a "Contact Officer:" line, so we guessed the name and role from the end '
                "of the report. Check them, and add the contact officer.",
            )
    return lines[:body_end], chair_lines


def _sign_off_with_contact(
    lines: list[Line], low: int, contact: int, report: ImportedReport, notes: _Notes, closing_needs_label: bool
) -> tuple[int, int]:
    """Read the sign-off that ends with the Contact Officer line at ``contact``.

    Returns where the sign-off starts and the line after it ends."""
    match = _CONTACT.match(lines[contact][1])
    officer = match.group(1).strip() if match else ""
    end = contact + 1
    if not officer:  # "Contact Officer:" with the name on the next line
        while end < len(lines) and not lines[end][1]:
            end += 1
        if end < len(lines) and not _CHAIR.match(lines[end][1]):
            officer = lines[end][1]
            end += 1
        else:
            end = contact + 1
    # A line ending with a comma or dash runs on to the next one (a few at most).
    for _ in range(3):
        if not (officer.endswith((",", "-", "–")) and end < len(lines) and lines[end][1]):
            break
        if _CHAIR.match(lines[end][1]):
            break
        officer = f"{officer} {lines[end][1]}"
        end += 1
    report.contact_officer = officer

    above = [i for i in range(contact - 1, low - 1, -1) if lines[i][1]][:4]
    if len(above) < 2 or not all(_signatory_shaped(lines[i][1]) for i in above[:2]):
        notes.add(
            "sign-off",
            "We found the Contact Officer line, but not the Cabinet Member's name and role just above it. "
            "Add them yourself.",
        )
        return contact, end
    role, name = above[0], above[1]
    report.signatory_role = lines[role][1]
    report.signatory_name = lines[name][1]
    start = name
    candidates = above[2:]
    if candidates and _label_shaped(lines[candidates[0]][1]):
        start = candidates.pop(0)
        report.sign_off_label = lines[start][1]
    if (report.sign_off_label or not closing_needs_label) and candidates and _closing_shaped(lines, candidates[0]):
        start = candidates[0]
        report.closing = lines[start][1]
    return start, end


def _sign_off_without_contact(lines: list[Line], end: int, report: ImportedReport) -> int | None:
    """Find "For information", a name and a role as the last three lines; where they start, or None."""
    last = [i for i in range(end - 1, -1, -1) if lines[i][1]][:4]
    if len(last) < 3:
        return None
    role, name, label = last[0], last[1], last[2]
    if not (
        _label_shaped(lines[label][1])
        and all(_heading_shaped(lines[i][1]) and not _NUMBER.fullmatch(lines[i][1]) for i in (role, name))
    ):
        return None
    report.signatory_role = lines[role][1]
    report.signatory_name = lines[name][1]
    report.sign_off_label = lines[label][1]
    start = label
    if len(last) > 3 and _closing_shaped(lines, last[3]):
        start = last[3]
        report.closing = lines[start][1]
    return start


def _signatory_shaped(text: str) -> bool:
    """A name or a role: short, and not a bullet, a numbered line or the end of a sentence."""
    return (
        len(text) <= _MAX_SIGNATORY_CHARS
        and not _is_bullet(text)
        and not _NUMBER.fullmatch(text)
        and not _ends_sentence(text)
    )


def _label_shaped(text: str) -> bool:
    return len(text) <= _MAX_LABEL_CHARS and bool(_LABEL.fullmatch(text.rstrip(".")))


def _closing_shaped(lines: list[Line], i: int) -> bool:
    text = lines[i][1]
    return (
        len(text) <= _MAX_CLOSING_CHARS
        and _standalone(lines, i)
        and not text[0].islower()
        and bool(_CLOSING_END.search(text))
        and not _SENTENCE_BREAK.search(text)
        and not _is_bullet(text)
        and not _NUMBER.fullmatch(text)
    )


# The body


def _drop_page_numbers(lines: list[Line], notes: _Notes) -> list[Line]:
    """Blank out standalone lines that are only a page number ("3", "Page 3 of 7")."""
    cleaned = list(lines)
    for i, (_, line) in enumerate(lines):
        if line and _standalone(lines, i) and _PAGE_NUMBER.fullmatch(line):
            cleaned[i] = (0, "")
            notes.add(
                "page-number",
                f'We left out a line with only "{line}" on it, because it looks like a page number.',
            )
    return cleaned


@dataclass
class _Candidate:
    number: int
    dash: bool
    strong: bool  # written "1**", or the first line after a blank line
    stars: bool  # written "1**"
    text: str


def _paragraph_numbers(lines: list[Line], notes: _Notes) -> dict[int, tuple[int, str]]:
    """Which lines start a numbered paragraph: {line index: (number, text without the number)}."""
    candidates: dict[int, _Candidate] = {}
    last_at: dict[int, int] = {}  # number -> the last line that starts with it
    last_strong_at: dict[int, int] = {}
    for i, (_, line) in enumerate(lines):
        match = _NUMBER.fullmatch(line) if line else None
        if not match:
            continue
        number = int(match.group(2))
        block_start = i == 0 or not lines[i - 1][1]
        stars = match.group(3).strip() == "**"
        strong = block_start or stars
        candidates[i] = _Candidate(number, bool(match.group(1)), strong, stars, match.group(4))
        last_at[number] = i
        if strong:
            last_strong_at[number] = i

    accepted: dict[int, tuple[int, str]] = {}
    expected = 1
    for i, candidate in candidates.items():
        number = candidate.number
        if number == expected:
            # A weaker look-alike (say "- 3 teams" in a list) gives way to a
            # clearer paragraph 3 further on.
            if candidate.strong or last_strong_at.get(number, -1) < i:
                accepted[i] = (number, candidate.text)
                expected += 1
            continue
        if (
            expected < number <= expected + _MAX_SKIPPED
            and candidate.strong
            and all(last_at.get(missing, -1) < i for missing in range(expected, number))
            and (last_at.get(number + 1, -1) > i or candidate.stars)
        ):
            where = f"around paragraph {expected - 1}" if expected > 1 else f"before paragraph {number}"
            if number - expected == 1:
                notes.add("missing", f"Paragraph {expected} seems to be missing: check the text {where}.")
            else:
                notes.add(
                    "missing",
                    f"Paragraphs {expected} to {number - 1} seem to be missing: check the text {where}.",
                )
            accepted[i] = (number, candidate.text)
            expected = number + 1
            continue
        if candidate.strong and not candidate.dash and expected > 1:
            notes.add(
                "out-of-order",
                f"A line in paragraph {expected - 1} starts with the number {number}. It is not the next "
                f"paragraph number, so we kept it as part of paragraph {expected - 1}: check it.",
            )
    return accepted


class _Paragraph:
    """A paragraph being built: text parts and bullets, in order."""

    def __init__(self, number: int | None) -> None:
        self.number = number
        # [kind ("text" | "bullet"), level, pieces of text (joined with spaces), indent]
        self.parts: list[list] = []
        self.list_indent = 0

    def add_text(self, text: str) -> None:
        self.parts.append(["text", 0, [text], 0])

    def add_bullet(self, indent: int, bullet_text: str) -> None:
        if self.parts and self.parts[-1][0] == "bullet":
            level = 2 if indent >= self.list_indent + 2 else 1
        else:
            self.list_indent = indent
            level = 1
        self.parts.append(["bullet", level, [bullet_text], indent])

    def join(self, text: str) -> None:
        self.parts[-1][2].append(text)

    def continues(self, indent: int, text: str, after_blank: bool) -> bool:
        """Whether a line of running text carries on the last text or bullet."""
        if not self.parts:
            return False
        kind, _, pieces, last_indent = self.parts[-1]
        if text[0].islower() or not _ends_sentence(pieces[-1]):
            return True
        if after_blank:
            return False
        return kind == "text" or indent > last_indent

    def add_line(self, indent: int, text: str, after_blank: bool) -> bool:
        """Add a line; True when it was joined to the text before it across a blank line."""
        bullet = _BULLET.fullmatch(text)
        if bullet:
            self.add_bullet(indent, bullet.group(1))
            return False
        if self.continues(indent, text, after_blank):
            self.join(text)
            return after_blank
        self.add_text(text)
        return False

    def markdown(self) -> str:
        chunks: list[str] = []
        bullets: list[str] = []
        for kind, level, pieces, _ in self.parts:
            text = " ".join(piece for piece in pieces if piece)
            if kind == "bullet":
                bullets.append(("  " if level > 1 else "") + "- " + text)
                continue
            if bullets:
                chunks.append("\n".join(bullets))
                bullets = []
            if text:
                chunks.append(text)
        if bullets:
            chunks.append("\n".join(bullets))
        return "\n\n".join(chunks)


def _parse_body(lines: list[Line], report: ImportedReport, notes: _Notes) -> None:  # noqa: C901 (written before the limit of 10)
    accepted = _paragraph_numbers(lines, notes)
    if not accepted:
        _parse_unnumbered(lines, report, notes)
        return

    first = min(accepted)
    # The next non-blank line after each line (None at the end), for the heading rule.
    following: list[int | None] = [None] * len(lines)
    upcoming: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        following[i] = upcoming
        if lines[i][1]:
            upcoming = i

    def is_heading(i: int) -> bool:
        if i in accepted or not _standalone(lines, i) or not _heading_shaped(lines[i][1]):
            return False
        after = following[i]
        if after is not None and after in accepted:
            return True
        # Before paragraph 1, a heading may introduce unnumbered text.
        return i < first and after is not None and not (_standalone(lines, after) and _heading_shaped(lines[after][1]))

    sections: list[ImportedSection] = []
    paragraph: _Paragraph | None = None
    after_blank = True
    unnumbered = 0
    joined: set[int] = set()

    def finish() -> None:
        nonlocal unnumbered
        if paragraph is None:
            return
        text = paragraph.markdown()
        if not text:
            return
        if not sections:
            sections.append(ImportedSection(heading=""))
        sections[-1].paragraphs.append(text)
        if paragraph.number is None:
            unnumbered += 1

    for i, (indent, line) in enumerate(lines):
        if not line:
            after_blank = True
            continue
        if i in accepted:
            finish()
            paragraph = _Paragraph(accepted[i][0])
            paragraph.add_text(accepted[i][1])
        elif is_heading(i):
            finish()
            paragraph = None
            sections.append(ImportedSection(heading=line))
        elif paragraph is None or (
            paragraph.number is None
            and after_blank
            and not _is_bullet(line)
            and not paragraph.continues(indent, line, after_blank)
        ):
            # Unnumbered text before paragraph 1: one paragraph per block.
            finish()
            paragraph = _Paragraph(None)
            paragraph.add_line(indent, line, after_blank=False)
        elif paragraph.add_line(indent, line, after_blank) and paragraph.number is not None:
            joined.add(paragraph.number)
        after_blank = False
    finish()

    report.sections = sections
    report.numbered = True
    if unnumbered:
        notes.add(
            "unnumbered",
            "Some text before paragraph 1 has no paragraph number, so we kept it as separate paragraphs. "
            "Check whether it belongs in the report.",
        )
    for number in sorted(joined):
        notes.add(
            "joined",
            f"Paragraph {number} was split across two pages, so we joined it back together: "
            "check that it reads correctly.",
        )


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for indent, line in lines:
        if line:
            current.append((indent, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _unnumbered_paragraphs(lines: list[Line]) -> list[str]:
    """One paragraph per blank-line-separated block; a block starting with a
    small letter carries on the block before it (a page break)."""
    paragraphs: list[_Paragraph] = []
    for block in _blocks(lines):
        indent, first = block[0]
        if paragraphs and first[0].islower():
            paragraph = paragraphs[-1]
            paragraph.add_line(indent, first, after_blank=True)
        else:
            paragraph = _Paragraph(None)
            paragraphs.append(paragraph)
            paragraph.add_line(indent, first, after_blank=False)
        for indent, line in block[1:]:
            paragraph.add_line(indent, line, after_blank=False)
    return [text for text in (paragraph.markdown() for paragraph in paragraphs) if text]


def _parse_unnumbered(lines: list[Line], report: ImportedReport, notes: _Notes) -> None:
    report.numbered = False
    heading = ""
    blocks = _blocks(lines)
    if blocks and len(blocks[0]) == 1 and _heading_shaped(blocks[0][0][1]):
        heading = blocks[0][0][1]
        blocks = blocks[1:]
    remaining = [line for block in blocks for line in [*block, (0, "")]]
    paragraphs = _unnumbered_paragraphs(remaining)
    if heading or paragraphs:
        report.sections = [ImportedSection(heading=heading, paragraphs=paragraphs)]
    if paragraphs:
        notes.add(
            "unnumbered",
            "We could not find any numbered paragraphs, so all the text is in one section. "
            "Split it into sections and paragraphs as you need.",
        )
    else:
        notes.add(
            "unnumbered", "We could not find any paragraphs under the title. Check that you pasted the whole report."
        )
