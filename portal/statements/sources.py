"""The sources of the facts in the Chair's statement (#17.5).

A fact the Chair puts in the statement ("Our Fair fares campaign reached 1,270
people this month.") keeps the link to where it comes from. The sources are
kept beside the text, never in it: ``[{"key", "sentence", "link",
"link_text"}]`` on the statement and on each revision. The text decides which
apply: a source counts only while its sentence is still in the text word for
word, so a sentence the Chair edits away takes its source with it.

The sentence is matched, not the button press: the fact may come in with
"Add to statement" (with or without JavaScript), from a restored version, or
be copied across in a conflict, and it keeps its source every way."""

from __future__ import annotations

from collections.abc import Iterable

from portal.figures.facts import Fact
from portal.templating import paragraphs


def source_of(fact: Fact) -> dict:
    return {"key": fact.key, "sentence": fact.sentence, "link": fact.link, "link_text": fact.link_text}


def sources_in(text: str, *candidates: Iterable[dict]) -> list[dict]:
    """The sources whose sentence is in ``text``, once each (the first offered
    wins: a kept source before a fact offered today), in the order the
    sentences come in the text."""
    found: dict[str, dict] = {}
    for group in candidates:
        for source in group:
            sentence = str(source.get("sentence") or "")
            if sentence and sentence not in found and sentence in text:
                found[sentence] = {
                    "key": str(source.get("key") or ""),
                    "sentence": sentence,
                    "link": str(source.get("link") or ""),
                    "link_text": str(source.get("link_text") or ""),
                }
    return sorted(found.values(), key=lambda source: text.index(source["sentence"]))


def by_paragraph(text: str, sources: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    """Each paragraph of the text with the sources of the facts in it (the
    page, the preview and the published update show them after the paragraph)."""
    kept = list(sources)
    return [(paragraph, sources_in(paragraph, kept)) for paragraph in paragraphs(text)]


def links(sources: Iterable[dict]) -> list[dict]:
    """What a reader needs of each source: where it is and what to call it,
    once per page (two facts from one campaign: one link)."""
    seen: dict[str, dict] = {}
    for source in sources:
        if source.get("link") and source["link"] not in seen:
            seen[source["link"]] = {"link": source["link"], "link_text": source.get("link_text") or source["link"]}
    return list(seen.values())


def for_paragraphs(text: str, sources: Iterable[dict]) -> list[list[dict]]:
    """The links to show after each paragraph of the text, in the order of
    ``paragraphs(text)``: frozen with the published update beside its paragraphs."""
    return [links(found) for _, found in by_paragraph(text, sources)]
