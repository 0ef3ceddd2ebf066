"""gunicorn's settings for production (#16): ``gunicorn -c portal/gunicorn_conf.py wsgi:app``.

Each can be changed with an environment variable (``GUNICORN_WORKERS`` and
so on) without editing this file; gunicorn's own ``--option`` flags win too.
"""

from __future__ import annotations

import multiprocessing
import os


def _setting(name: str, default: int) -> int:
    raw = os.environ.get(f"GUNICORN_{name}", "")
    return int(raw) if raw.strip() else default


def workers_for(cores: int, cap: int = 8) -> int:
    """gunicorn's advice, 2 x cores + 1, capped: each worker holds database
    connections, and a small council's portal does not need more."""
    return max(2, min(2 * cores + 1, cap))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # behind a TLS proxy (nginx)
workers = _setting("WORKERS", workers_for(multiprocessing.cpu_count()))
# A request still running after this many seconds is stuck (PostgreSQL's own
# statement timeout is 15 s): the worker is killed and replaced, so a stuck
# request cannot hold it for ever.
timeout = _setting("TIMEOUT", 30)
# On a restart (a deploy), requests already started get this long to finish.
graceful_timeout = _setting("GRACEFUL_TIMEOUT", 30)
# Seconds an idle connection from the proxy stays open for its next request.
keepalive = _setting("KEEPALIVE", 5)
# Each worker is replaced after about this many requests (jitter: not all at
# once), so that memory a worker grows does not build up. Not fewer: a new
# worker costs a second or two of CPU to start, and at 1,000 a busy portal
# replaced one every few seconds (bench/load.py); its memory stays flat over
# ten minutes without any replacement (bench/soak.py).
max_requests = _setting("MAX_REQUESTS", 20000)
max_requests_jitter = _setting("MAX_REQUESTS_JITTER", 2000)
# The access log on stdout (the service manager's log), with the request id
# the portal sends back in X-Request-ID: the same id as in the security log
# and in error lines. The address is the proxy's unless PORTAL_PROXY_HOPS is set.
accesslog = "-"
# Invitation and password-reset tokens never reach the log (portal/access_log.py).
logger_class = "portal.access_log.RedactingLogger"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s "%(f)s" "%(a)s"'
