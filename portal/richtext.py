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


# A published update's frozen page (templates/components/update_document.html
# writes it once, at publishing): exactly what that template writes.
DOCUMENT_TAGS = ALLOWED_TAGS | {
    "div",
    "section",
    "h2",
    "h3",
    "h4",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
DOCUMENT_ATTRIBUTES = {
    "*": {"class", "id", "aria-labelledby"},
    "a": {"href", "rel"},
    "ol": {"start"},
    "li": {"value"},
    "th": {"scope", "data-label"},
    "td": {"data-label"},
}


def clean_document(html: str | None) -> Markup:
    """Stored HTML (a published version's page) cleaned again as it is read:
    the database is not trusted to hold only what the template wrote."""
    clean = nh3.clean(
        html or "",
        tags=DOCUMENT_TAGS,
        attributes=DOCUMENT_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,  # the template writes rel itself
    )
    return Markup(clean)
