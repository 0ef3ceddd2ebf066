"""gunicorn's access log without the secrets some addresses carry.

An invitation's and a password reset's link hold a token that signs someone
in as the account's owner until it is used or ends: anyone who can read the
log could use one. Each line keeps the page (``/reset-password/[token]``) and
drops the token, in the request line, the path and the Referer (the next page
someone opens after such a link names it there). ``portal/gunicorn_conf.py``
sets it as gunicorn's logger class.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# The routes whose last part is a token (portal/auth/routes.py).
TOKEN_IN_PATH = re.compile(r"(/(?:invitation|reset-password)/)[^/?#\s\"]+")
HIDDEN = r"\1[token]"


def redact(value: str) -> str:
    return TOKEN_IN_PATH.sub(HIDDEN, value)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
