"""Visitors' pages served again without being made (#16.4).

A page a visitor gets with nothing to send (portal/caching.py marks it
``public, s-maxage=60``: no form that posts, no cookie) is the same for every
visitor, so for ``PAGE_CACHE_SECONDS`` the portal keeps the answer as sent
(compressed, keyed by the address and the Accept-Encoding asked for) and
serves it again: no template, no query. A caching proxy in front would keep
it as long; this is the same promise kept inside the portal.

Not kept, not served from here: anything with a cookie (signed in, or a
visitor who has started answering), htmx's requests for part of a page, any
method but GET and HEAD, any status but 200. In production the pages are kept
for 60 seconds, in each worker's memory or, with ``PAGE_CACHE_URL``, in
Redis for all of them; elsewhere the cache is off (``PAGE_CACHE_SECONDS``).
If Redis is away, pages are made as usual."""

from __future__ import annotations

import logging
from typing import Any

from cachelib import BaseCache, RedisCache, SimpleCache
from flask import Flask, Response, current_app, has_request_context, request

log = logging.getLogger(__name__)

SKIPPED_HEADERS = frozenset({"set-cookie", "content-length", "x-request-id", "date"})
# Kept with the page (its headers as sent) and sent again with it. The
# Content-Security-Policy too: its script nonce is the one written in the page,
# so a kept page shares its nonce with everyone it is served to in its minute.
SERVED = "portal.page_cache.served"


def _store(app: Flask) -> BaseCache:
    url = str(app.config["PAGE_CACHE_URL"] or "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return RedisCache(host=client, key_prefix="portal-page:")
    return SimpleCache(threshold=2000)


def _key() -> str | None:
    """The page's key, or None when this request must be answered by the page itself."""
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return None
    if request.cookies:  # a session, a remember-me or device cookie: this person's own page
        return None
    if current_app.config["ENV"] == "production" and not request.is_secure:
        return None  # Talisman's redirect to https runs after this: it must not be skipped
    return f"{request.scheme}|{request.full_path}|{request.headers.get('Accept-Encoding', '')}"


def _safely(action: str, default: Any, call, *args) -> Any:
    try:
        return call(*args)
    except Exception:  # the cache is an optimisation: a Redis away never stops a page
        log.warning("The page cache could not %s; the page is made as usual", action, exc_info=True)
        return default


def init_app(app: Flask) -> None:
    """Register the hooks. Call before Flask-Compress's init_app: after_request
    hooks run in reverse order, so the page is kept once compressed."""
    seconds = int(app.config["PAGE_CACHE_SECONDS"])
    if seconds <= 0:
        return
    store = _store(app)
    app.extensions["page_cache"] = store

    @app.before_request
    def serve_kept_page() -> Response | None:
        key = _key()
        if key is None:
            return None
        kept = _safely("be read", None, store.get, key)
        if kept is None:
            return None
        body, headers = kept
        response = Response(b"" if request.method == "HEAD" else body, status=200, headers=headers)
        if request.method == "HEAD":
            response.headers["Content-Length"] = str(len(body))
        # The page's script carries the nonce of the answer it was made for:
        # its policy goes with it (Talisman would write one with a new nonce).
        request.environ[SERVED] = response.headers.get("Content-Security-Policy", "") or True
        return response

    @app.after_request
    def keep_page(response: Response) -> Response:
        served = request.environ.get(SERVED)
        if isinstance(served, str):
            response.headers["Content-Security-Policy"] = served
        key = _key()
        if key is None or served or request.method != "GET":
            return response
        cache_control = response.headers.get("Cache-Control", "")
        if (
            response.status_code != 200
            or response.is_streamed
            or response.direct_passthrough
            or "public" not in cache_control
            or "s-maxage" not in cache_control
            or "Set-Cookie" in response.headers
        ):
            return response
        headers = [(name, value) for name, value in response.headers if name.lower() not in SKIPPED_HEADERS]
        _safely("keep a page", False, store.set, key, (response.get_data(), headers), seconds)
        return response


def served_from_cache() -> bool:
    """Whether this answer came from the cache (hooks that would look at the page skip it)."""
    return has_request_context() and bool(request.environ.get(SERVED))
