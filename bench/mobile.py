"""Prints Lighthouse's mobile figures (#12.7): the performance score and the
cumulative layout shift (CLS) of the home, a campaign, the published update
and a question page (signed in as the demo's young person), served by the
portal with the demo loaded. Targets: CLS under 0.05, performance 95 or more.

The reference, measured in the same run on the same server, is a bare HTML
page with no script and no style (a route added for the run): its score is
the best this machine allows, so a low score the reference shares is the
machine, not the portal.

Needs Lighthouse (fetched by npx from the npm registry the first time) and
Debian's Chromium. Run: .venv/bin/python bench/mobile.py   (or `make bench`)
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server

from portal import create_app
from portal.demo.world import DEMO_PASSWORD, load_demo
from portal.extensions import db

LIGHTHOUSE = "lighthouse@12.8.2"
CHROMIUM = "/usr/bin/chromium"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def question_page(base: str) -> tuple[str, str]:
    """Sign in as the demo's young person and start the open consultation: the
    first question's address and the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def token(path: str) -> str:
        match = TOKEN.search(opener.open(base + path).read().decode())
        assert match, path
        return match.group(1)

    def post(path: str, data: dict) -> str:
        try:
            opener.open(base + path, urllib.parse.urlencode(data).encode())
        except urllib.error.HTTPError as redirect:
            return redirect.headers["Location"]
        raise AssertionError(f"{path} did not redirect")

    post("/sign-in", {"csrf_token": token("/sign-in"), "email": "young.person@demo.example", "password": DEMO_PASSWORD})
    with urllib.request.urlopen(base + "/consultations") as page:
        found = re.search(r'href="/consultations/(\d+)/respond"', page.read().decode())
    consultation = found.group(1) if found else "2"
    path = f"/consultations/{consultation}/respond"
    location = post(path, {"csrf_token": token(path)})
    return location, "; ".join(f"{c.name}={c.value}" for c in jar)


def lighthouse(url: str, cookie: str | None, out: Path) -> tuple[int, float]:
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--only-categories=performance",
        "--form-factor=mobile",
        "--chrome-flags=--headless=new --no-sandbox",
        "--output=json",
        f"--output-path={out}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    report = json.loads(out.read_text())
    return round(report["categories"]["performance"]["score"] * 100), report["audits"]["cumulative-layout-shift"][
        "numericValue"
    ]


def main() -> None:
    if not shutil.which("npx") or not Path(CHROMIUM).exists():
        print("bench/mobile.py needs npx (Node) and Chromium at /usr/bin/chromium: skipped.")
        return
    with tempfile.TemporaryDirectory(prefix="bench-mobile-") as tmp:
        folder = Path(tmp)
        app = create_app(
            {
                "ENV": "testing",
                "SECRET_KEY": "bench-secret-key",
                "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                "OUTBOX_DIR": str(folder / "outbox"),
                "MAIL_SERVER": "",
            }
        )
        for name in ("werkzeug", "portal"):
            logging.getLogger(name).setLevel(logging.WARNING)
        app.add_url_rule(
            "/bench-reference",
            "bench_reference",
            lambda: "<!doctype html><html lang=en><title>Reference</title><h1>A page with nothing else</h1>",
        )
        with app.app_context():
            db.create_all()
            load_demo()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        app.config["BASE_URL"] = base
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            question, cookie = question_page(base)
            pages = [
                ("Reference: a bare HTML page", "/bench-reference", None),
                ("Home", "/", None),
                ("A campaign", "/campaigns/covid-19-wellbeing", None),
                ("The published update", "/updates/1", None),
                ("A question (signed in)", question, cookie),
            ]
            print(f"Lighthouse mobile ({LIGHTHOUSE}), Chromium, {os.cpu_count()} CPUs; demo data.")
            print(f"{'page':32} {'performance':>11} {'CLS':>7}")
            for n, (label, path, with_cookie) in enumerate(pages):
                score, cls = lighthouse(base + path, with_cookie, folder / f"{n}.json")
                print(f"{label:32} {score:>11} {cls:>7.3f}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
