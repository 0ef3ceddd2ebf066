"""One URL, page or fragment: render a named block for htmx, the whole page otherwise."""

from __future__ import annotations

from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from portal.permissions import is_htmx


def render_page_or_block(template: str, block: str, **context):
    """The whole page, or only ``block`` of it when htmx asks (same markup, written once)."""
    if is_htmx():
        response = make_response(render_block(template, block, **context))
    else:
        response = make_response(render_template(template, **context))
    response.headers["Vary"] = "HX-Request"
    return response
