"""Every PDF the portal makes, made one way: the page's HTML and the portal's
own stylesheet to A4 with WeasyPrint, tagged (screen readers get the
headings, lists, tables and reading order), in British English, with a title,
and fetching nothing: no images, fonts or stylesheets from any server, nor
from the file system."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

# WeasyPrint logs each step of each PDF (and of its own start) at INFO, and
# the portal logs at INFO: quieted before WeasyPrint is imported.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.css.counters import CounterStyle  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

# Characters no PDF (nor a Word file, which is XML) can hold: C0 controls but
# tab, newline and carriage return; lone surrogates (JSON can carry them);
# U+FFFE/FFFF. Dropped, so no text typed or pasted can break a file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class RefuseEveryURL(URLFetcher):
    """The PDF is made from its HTML and stylesheet only."""

    def fetch(self, url, headers=None):
        raise ValueError(f"The portal's PDFs fetch nothing ({url[:80]})")


def html_to_pdf(
    html: str,
    *,
    title: str,
    authors: Sequence[str] = (),
    stylesheet: Path | None = None,
    presentational_hints: bool = False,
) -> bytes:
    """A tagged A4 PDF of ``html``. ``stylesheet`` is a file of the portal's
    own; ``presentational_hints`` honours HTML attributes such as
    ``<ol start>`` (the update's numbering runs through its sections)."""
    fetcher = RefuseEveryURL()
    counter_style = CounterStyle()  # shared, so the stylesheet's @counter-style applies
    stylesheets = (
        [CSS(filename=str(stylesheet), url_fetcher=fetcher, counter_style=counter_style)] if stylesheet else []
    )
    document = HTML(string=NOT_XML.sub("", html), url_fetcher=fetcher).render(
        counter_style=counter_style, stylesheets=stylesheets, presentational_hints=presentational_hints
    )
    document.metadata.title = title
    document.metadata.authors = list(authors)
    document.metadata.lang = "en-GB"
    return document.write_pdf(pdf_tags=True)
