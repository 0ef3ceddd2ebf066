"""A paragraph's text (the portal's Markdown subset: bold, italic, links and
bullet lists, nested by indenting) as plain data: a list of blocks.

The published page, the print layout, the PDF and the Word file are all made
from these blocks, and the blocks only hold text: markup typed in a paragraph
stays text in every format.

    {"type": "text", "runs": [run, ...]}
    {"type": "list", "ordered": bool, "items": [{"runs": [run, ...], "items": [nested items]}]}
    run: {"text": str, "bold": bool, "italic": bool, "href": str | None}
"""

from __future__ import annotations

from typing import Any

from portal.richtext import MARKDOWN

SAFE_SCHEMES = ("http://", "https://", "mailto:")

Block = dict[str, Any]


def _runs(children) -> list[dict[str, Any]]:  # noqa: C901 (written before the limit of 10)
    runs: list[dict[str, Any]] = []
    bold = italic = 0
    href: str | None = None

    def add(text: str) -> None:
        if not text:
            return
        run = {"text": text, "bold": bold > 0, "italic": italic > 0, "href": href}
        if runs and all(runs[-1][key] == run[key] for key in ("bold", "italic", "href")):
            runs[-1]["text"] += text
        else:
            runs.append(run)

    for token in children or []:
        if token.type == "strong_open":
            bold += 1
        elif token.type == "strong_close":
            bold -= 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "em_close":
            italic -= 1
        elif token.type == "link_open":
            target = str(token.attrs.get("href", ""))
            href = target if target.lower().startswith(SAFE_SCHEMES) else None
        elif token.type == "link_close":
            href = None
        elif token.type == "softbreak":
            add(" ")
        elif token.type == "hardbreak":
            add("\n")
        else:  # text, code_inline and anything else: its words, as text
            add(token.content)
    return runs


def to_blocks(text: str | None) -> list[Block]:
    blocks: list[Block] = []
    lists: list[list[dict[str, Any]]] = []  # the open lists' items, innermost last
    for token in MARKDOWN.parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            items: list[dict[str, Any]] = []
            if lists:
                lists[-1][-1]["items"] = items
            else:
                blocks.append({"type": "list", "ordered": token.type == "ordered_list_open", "items": items})
            lists.append(items)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            lists[-1].append({"runs": [], "items": []})
        elif token.type == "inline":
            runs = _runs(token.children)
            if lists:
                item = lists[-1][-1]
                if item["runs"] and runs:
                    item["runs"].append({"text": " ", "bold": False, "italic": False, "href": None})
                item["runs"].extend(runs)
            elif runs:
                blocks.append({"type": "text", "runs": runs})
    return blocks


def runs_text(runs: list[dict[str, Any]]) -> str:
    return "".join(run["text"] for run in runs)


def flat_items(items: list[dict[str, Any]], level: int = 1):
    """(level, runs) for every item of a list, nested ones after their parent."""
    for item in items:
        yield level, item["runs"]
        yield from flat_items(item.get("items") or [], level + 1)


def blocks_text(blocks: list[Block]) -> str:
    """The blocks as plain text: one line per text block, bullets as "- "."""
    lines: list[str] = []
    for block in blocks:
        if block["type"] == "text":
            lines.append(runs_text(block["runs"]))
        else:
            for level, runs in flat_items(block["items"]):
                lines.append("  " * (level - 1) + "- " + runs_text(runs))
    return "\n".join(lines)
