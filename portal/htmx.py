"""htmx answers, written once: one URL as page or fragment (a named block of
the page template), and navigation that works with and without htmx."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template
from jinja2_fragments.flask import render_block

from portal.permissions import is_htmx


def render_page_or_block(template: str, block: str, *, oob_blocks: tuple[str, ...] = (), **context):
    """The whole page, or only ``block`` of it when htmx asks (same markup, written
    once). ``oob_blocks`` ride along for htmx to swap out of band (rendered with
    ``oob=True``), such as a live region that must stay on the page."""
    if is_htmx():
        html = render_block(template, block, **context)
        html += "".join(render_block(template, name, oob=True, **context) for name in oob_blocks)
        response = make_response(html)
    else:
        response = make_response(render_template(template, **context))
    response.headers["Vary"] = "HX-Request"
    return response


def go_to(url: str, message: str | None = None, category: str = "success"):
    """Send the whole page to ``url``, with ``message`` shown there: htmx gets
    HX-Redirect (swapping a fragment would be wrong), a plain form a 303."""
    if message:
        flash(message, category)
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def swap_with_announcement(
    template: str, block: str, status: int = 200, *, oob_blocks: tuple[str, ...] = (), **context
):
    """htmx: ``block`` of ``template`` to swap, and the page's live region
    (its ``announce`` block) out of band, so a screen reader hears what changed;
    ``oob_blocks`` are other parts of the page the change touches, also out of band."""
    html = render_block(template, block, **context) + "".join(
        render_block(template, name, oob=True, **context) for name in ("announce", *oob_blocks)
    )
    response = make_response(html, status)
    response.headers["Vary"] = "HX-Request"
    return response


def focus_after_move(direction: str, place: int, count: int, alone: str | None = None) -> str:
    """Which of a moved item's buttons keeps the focus: the one pressed, unless
    the item reached the end it was moving to (that button is gone, so the
    other one); ``alone`` names what to focus when it is the only item."""
    if alone is not None and count <= 1:
        return alone
    if direction == "up" and place == 1:
        return "down"
    if direction == "down" and place == count:
        return "up"
    return direction
