"""#13.8: every column of every table is classified in docs/privacy/register.md,
as personal data (with its purpose, who sees it and how long it is kept) or
not, so that a new column cannot hold personal data nobody has thought about."""

from __future__ import annotations

import re
from pathlib import Path

import portal.models  # noqa: F401  (registers every table)
from portal.config import DEFAULTS
from portal.extensions import db

REGISTER = Path(__file__).resolve().parents[2] / "docs" / "privacy" / "register.md"
PERSONAL = "Personal data"
NOT_PERSONAL = "Not personal data"


def sections() -> dict[str, list[list[str]]]:
    """The rows of the Markdown tables under each ``## heading``, as lists of
    cells (backticks taken off), without the header and separator rows."""
    found: dict[str, list[list[str]]] = {}
    heading = ""
    for line in REGISTER.read_text().splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            found.setdefault(heading, [])
        elif line.startswith("|") and heading:
            cells = [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] in {"table", ""} or set(cells[0]) <= {"-", ":"}:
                continue
            found[heading].append(cells)
    return found


def columns_in(rows: list[list[str]]) -> list[str]:
    return [f"{row[0]}.{row[1]}" for row in rows]


def model_columns() -> set[str]:
    return {f"{table.name}.{column.name}" for table in db.metadata.tables.values() for column in table.columns}


def unclassified(columns: set[str]) -> list[str]:
    """For each of ``columns`` in neither list, what to add and where."""
    register = sections()
    classified = set(columns_in(register[PERSONAL])) | set(columns_in(register[NOT_PERSONAL]))
    advice = []
    for name in sorted(columns - classified):
        table, column = name.split(".", 1)
        advice.append(
            f"{name} is in neither list of docs/privacy/register.md. Add the row "
            f"'| {table} | {column} | what it holds, and why | who sees it | retention |' "
            f"to the table under '## {PERSONAL}', or the row "
            f"'| {table} | {column} | why it is not personal |' to the table under '## {NOT_PERSONAL}'."
        )
    return advice


def test_every_column_is_in_the_register():
    advice = unclassified(model_columns())
    assert not advice, "\n".join(advice)


def test_the_register_names_only_columns_that_exist():
    register = sections()
    stale = sorted(set(columns_in(register[PERSONAL] + register[NOT_PERSONAL])) - model_columns())
    assert not stale, (
        f"docs/privacy/register.md lists columns no model has: {', '.join(stale)}. Remove or rename their rows."
    )


def test_each_column_is_classified_once():
    register = sections()
    names = columns_in(register[PERSONAL] + register[NOT_PERSONAL])
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"docs/privacy/register.md lists these more than once (or in both lists): {', '.join(twice)}"


def test_every_personal_column_says_why_who_and_how_long():
    incomplete = [
        f"{row[0]}.{row[1]}" for row in sections()[PERSONAL] if len(row) != 5 or not all(cell for cell in row)
    ]
    assert not incomplete, f"fill in purpose, who sees it and retention in docs/privacy/register.md for: {incomplete}"


def test_the_retention_settings_named_exist():
    named = set(re.findall(r"\bRETENTION_[A-Z_]+\b", REGISTER.read_text()))
    assert named, "the register names the retention settings"
    assert not named - set(DEFAULTS), f"no such setting in portal/config.py: {sorted(named - set(DEFAULTS))}"


def test_a_new_column_is_reported_with_the_row_to_add():
    advice = unclassified(model_columns() | {"user.nickname"})
    assert len(advice) == 1
    assert advice[0].startswith("user.nickname is in neither list of docs/privacy/register.md")
    assert "'| user | nickname | what it holds, and why | who sees it | retention |'" in advice[0]
    assert f"'## {PERSONAL}'" in advice[0] and f"'## {NOT_PERSONAL}'" in advice[0]
