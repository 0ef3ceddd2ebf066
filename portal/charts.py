"""Charts drawn on the server as SVG by pygal, in the portal's look: they work
without JavaScript, run no script, load nothing, and always sit beside a table
with the same figures."""

from __future__ import annotations

import pygal
from flask import Response, make_response

# A chart's own Content-Security-Policy: pygal's styles are inline; no script, nothing loaded.
CHART_POLICY = {"default-src": "'none'", "style-src": "'unsafe-inline'"}


def chart_style(colors: tuple[str, ...] = ("#1d70b8",), **sizes: int) -> pygal.style.Style:
    """GOV.UK colours (a series each) and the system font; ``sizes`` (e.g.
    label_font_size) to read at a glance."""
    style = pygal.style.Style(
        background="white",
        plot_background="white",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        colors=colors,
        font_family="system-ui, sans-serif",
    )
    for name, size in sizes.items():
        setattr(style, name, size)
    return style


def svg_response(chart: pygal.graph.graph.Graph) -> Response:
    response = make_response(chart.render())
    response.headers["Content-Type"] = "image/svg+xml"
    return response
