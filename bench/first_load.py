"""Prints what a first view of the home page sends, and what a repeat view
asks for again (#16.4): the page and every file it loads (stylesheet,
scripts, the modules they import, the icon), asked for as a browser does
(Accept-Encoding: gzip, br), served by the portal with the demo loaded.
Targets: a first load of at most 60 KB as sent; a repeat view that sends no
request for a static file (each kept a day or more).

The reference, measured in the same run, is the same portal with
compression and fingerprinting turned off: Flask serves /static/ under the
plain names (no-cache), and pages go uncompressed (as before #16.4).
Needs `make assets` (static/build/manifest.json and the .br/.gz copies).

Run: .venv/bin/python bench/first_load.py   (or `make bench`)
"""

from __future__ import annotations

import gzip
import logging
import re
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import brotli
from flask import Flask, url_for
from werkzeug.serving import make_server

from portal import create_app
from portal.demo.world import DEMO_PASSWORD, load_demo
from portal.extensions import compress, db

TARGET_BYTES = 60 * 1024
A_DAY = 24 * 60 * 60
ADDRESS = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)="(/static/[^"]+)"')
IMPORT = re.compile(r"""\bimport\b[^"'();]*?["'](/static/[^"']+)["']|\bimport\(\s*["'](/static/[^"']+)["']""")
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
MAX_AGE = re.compile(r"max-age=(\d+)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def decode(body: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def kept_a_day(cache_control: str) -> bool:
    """Would a repeat view use the browser's copy without asking?"""
    if "no-cache" in cache_control or "no-store" in cache_control:
        return False
    found = MAX_AGE.search(cache_control)
    return bool(found) and int(found.group(1)) >= A_DAY


def first_load(opener: urllib.request.OpenerDirector, base: str, path: str) -> tuple[int, int, list[str]]:
    """(bytes sent for the page and its files, files a repeat view asks for again, lines to print)."""
    lines = []
    total = 0
    again = 0
    seen: set[str] = set()
    queue = [path]
    while queue:
        address = queue.pop(0)
        if address in seen:
            continue
        seen.add(address)
        request = urllib.request.Request(base + address, headers={"Accept-Encoding": "gzip, br"})
        with opener.open(request) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding")
            cache_control = response.headers.get("Cache-Control", "")
        total += len(body)
        text = decode(body, encoding).decode("utf-8", "replace")
        is_page = address == path
        if is_page:
            queue.extend(ADDRESS.findall(text))
        else:
            if address.endswith((".mjs", ".js")):
                queue.extend(a or b for a, b in IMPORT.findall(text))
            if not kept_a_day(cache_control):
                again += 1
        lines.append(
            f"    {address[:62]:62} {len(body) / 1024:7.1f} KB  {encoding or '-':4}  {cache_control or '(none)'}"
        )
    return total, again, lines


def sign_in(base: str) -> urllib.request.OpenerDirector:
    """An opener carrying the demo young person's session cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
    with opener.open(base + "/sign-in") as page:
        match = TOKEN.search(page.read().decode())
    assert match, "no CSRF token on the sign-in page"
    data = {"csrf_token": match.group(1), "email": "young.person@demo.example", "password": DEMO_PASSWORD}
    try:
        opener.open(base + "/sign-in", urllib.parse.urlencode(data).encode())
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303, redirect.code
    return opener


def without_compression_or_fingerprints(app: Flask) -> Flask:
    """The reference: Flask serves /static/ under the plain names; pages go uncompressed."""
    app.wsgi_app = app.wsgi_app.application  # type: ignore[attr-defined,method-assign]
    app.after_request_funcs[None].remove(compress.after_request)
    app.jinja_env.globals["asset"] = lambda filename: url_for("static", filename=filename)
    return app


def serve(app: Flask) -> str:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-first-load-") as tmp:
        folder = Path(tmp)
        config = {
            "ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "OUTBOX_DIR": str(folder / "outbox"),
            "MAIL_SERVER": "",
        }
        portal = create_app(config)
        reference = without_compression_or_fingerprints(create_app(config))
        for name in ("werkzeug", "portal"):
            logging.getLogger(name).setLevel(logging.WARNING)
        with portal.app_context():
            db.create_all()
            load_demo()
        print("First load of the home page and every file it loads (Accept-Encoding: gzip, br); demo data.")
        print(f"Targets: at most {TARGET_BYTES // 1024} KB as sent; a repeat view asks for no static file again.")
        results = []
        for label, app in (("Reference (no compression, plain names)", reference), ("The portal", portal)):
            base = serve(app)
            for who, opener in (("visitor", urllib.request.build_opener()), ("signed in", sign_in(base))):
                total, again, lines = first_load(opener, base, "/")
                results.append((label, who, total, again))
                print(f"\n{label}, {who}:")
                print("\n".join(lines))
        print(f"\n{'':50} {'first load':>12} {'asked again on a repeat view':>30}")
        for label, who, total, again in results:
            verdict = "within" if total <= TARGET_BYTES and again == 0 else "OVER"
            print(f"{label + ', ' + who:50} {total / 1024:9.1f} KB {again:>30}   {verdict}")


if __name__ == "__main__":
    main()
