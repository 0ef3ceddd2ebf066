"""The one Markdown-to-safe-HTML step: a small subset (paragraphs, lists,
emphasis, links) rendered by markdown-it-py and cleaned by nh3's allow-list."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark with raw HTML off; tables, headings, images and code are not part of the subset.
# The update's paragraphs (portal/updates/blocks.py) are read with the same parser.
MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
    ["heading", "lheading", "code", "fence", "image", "html_block", "html_inline", "table", "hr", "blockquote"],
    ignoreInvalid=True,
)

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render(text: str | None) -> Markup:
    html = MARKDOWN.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
