"""Readable word-by-word differences between two texts (difflib)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    kind: str  # "same", "added", "removed"
    text: str


def word_diff(old: str, new: str) -> list[Change]:
    """What changed from ``old`` to ``new``, word by word, whitespace kept."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            changes.append(Change("same", "".join(a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            changes.append(Change("removed", "".join(a[a1:a2])))
        if op in ("insert", "replace"):
            changes.append(Change("added", "".join(b[b1:b2])))
    return changes


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text))
