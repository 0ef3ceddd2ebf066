"""The security log: one line per event on the logger ``portal.security``.

Each line names the event, the account it concerns (its id, never an email or
a name), the client address (``request.remote_addr``: the person's own address
once PROXY_HOPS is set) and the request id, then the event's details as
key=value. The request id is the incoming X-Request-ID when it looks like one
(a proxy in front made it), a new one otherwise, and goes back to the browser
in the X-Request-ID header, so a line can be found from a page someone reports.

Every value is escaped: a line break or other control character (in a display
name, say) is written as ``\\n`` and so on, so no value can start a forged line.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid

from flask import Flask, g, has_request_context, request
from flask.wrappers import Response

log = logging.getLogger("portal.security")

HEADER = "X-Request-ID"
# A proxy's id is kept when it is a plain token of sane length; anything else gets a new one.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Characters that can break a line or hide text: control and format characters, line and paragraph separators.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Values written without quotes; anything else (spaces, "=", quotes) is quoted.
PLAIN_VALUE = re.compile(r"[^\s=\"]+")
CORE_FIELDS = ("event", "user", "address", "request")


def one_line(value: object) -> str:
    """``value`` as text on one line: backslashes doubled, line breaks and other
    control characters written as escapes (``\\n``, ``\\r``, ``\\x1b``, ``\\u2028``)."""
    escaped = []
    for ch in str(value):
        if ch in NAMED_ESCAPES:
            escaped.append(NAMED_ESCAPES[ch])
        elif unicodedata.category(ch) in UNSAFE_CATEGORIES:
            escaped.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            escaped.append(ch)
    return "".join(escaped)


def _field(value: object) -> str:
    text = one_line("-" if value is None else value)
    if PLAIN_VALUE.fullmatch(text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def _key(name: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_.]", "_", name) or "_"
    return f"detail_{key}" if key in CORE_FIELDS else key


def _user_id(user: object) -> object:
    if user is None or getattr(user, "is_authenticated", True) is False:
        return None
    return user if isinstance(user, int) else getattr(user, "id", None)


def request_id() -> str | None:
    """This request's id, made on first use (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def security_event(name: str, *, user=None, **details) -> None:
    """Write one line about ``name`` (e.g. "account.sign_in_failed") for ``user``
    (an account, an id or None), with ``details`` as key=value. Never pass an
    email address, a name or anything else a person typed as a detail."""
    in_request = has_request_context()
    fields: dict[str, object] = {
        "event": name,
        "user": _user_id(user),
        "address": request.remote_addr if in_request else None,
        "request": request_id(),
    }
    line = " ".join(f"{key}={_field(value)}" for key, value in fields.items())
    if details:
        line += " " + " ".join(f"{_key(key)}={_field(value)}" for key, value in details.items())
    log.info("%s", line)


def init_app(app: Flask) -> None:
    """Send every answer's request id back in the X-Request-ID header."""

    @app.after_request
    def send_request_id(response: Response) -> Response:
        rid = request_id()
        if rid:
            response.headers[HEADER] = rid
        return response
