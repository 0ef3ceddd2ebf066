"""Static files fast (#16.4): fingerprinted names kept a year, sent compressed,
answered before Flask (no cookie, no ``no-store``), and pages sent compressed
except the streamed exports.

The static files here are built into a folder of the test's own (the real
scripts, stand-ins for what npm builds), so nothing depends on `make assets`."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from whitenoise.compress import Compressor

from portal import assets
from tests.conftest import make_production_app
from tests.consultations.test_exports import state  # noqa: F401  (a consultation with responses)

STATIC = Path(__file__).resolve().parents[2] / "static"
ADDRESS = re.compile(r'(?:href|src)="(/static/[^"]+)"')
A_YEAR = "max-age=31536000"
# What npm and sass build (static/build is git-ignored): stand-ins big enough to compress.
BUILT = {
    "build/app.css": "body{color:#0b0c0c;margin:0}\n" * 200,
    "build/govuk-frontend.min.js": "export function initAll(){return 1}\n" + "/* GOV.UK Frontend */\n" * 100,
    "build/htmx.min.js": "var htmx={version:'2'};\n" * 200,
}


def make_static(folder: Path) -> Path:
    for part in ("js", "css", "images"):
        shutil.copytree(STATIC / part, folder / part)
    for name, text in BUILT.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def build(folder: Path) -> dict[str, str]:
    manifest = assets.build(folder)
    compressor = Compressor(quiet=True)
    for path in sorted((folder / assets.HASHED).iterdir()):  # as `make assets` does
        if path.is_file() and compressor.should_compress(path.name):
            compressor.compress(str(path))
    return manifest


@pytest.fixture
def static(app, tmp_path) -> Iterator[Path]:
    """The app serving a static folder of this test's own, built: its files
    added to the WhiteNoise that create_app put in front of Flask."""
    folder = make_static(tmp_path / "static")
    build(folder)
    server = app.wsgi_app
    assert isinstance(server, assets.StaticFiles)
    saved = app.static_folder, list(server.directories)
    app.static_folder = str(folder)
    server.add_files(folder, prefix="static/")  # looked in first
    try:
        yield folder
    finally:
        app.static_folder, server.directories = saved


def manifest_of(folder: Path) -> dict[str, str]:
    return json.loads((folder / assets.MANIFEST).read_text())


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    data = response.get_data()
    if encoding == "br":
        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    assert encoding is None, encoding
    return data


# Building


def test_each_file_gets_a_name_from_its_content(tmp_path):
    folder = make_static(tmp_path)
    manifest = assets.build(folder)
    assert set(manifest) == {
        "build/app.css",
        "build/govuk-frontend.min.js",
        "build/htmx.min.js",
        "css/update-print.css",
        "images/favicon.svg",
        "js/autosave.mjs",
        "js/portal.mjs",
        "js/session-timeout.mjs",
    }
    assert re.fullmatch(r"build/hashed/app\.[0-9a-f]{12}\.css", manifest["build/app.css"])
    assert (folder / manifest["build/app.css"]).read_text() == BUILT["build/app.css"]
    assert manifest_of(folder) == manifest
    assert assets.build(folder) == manifest  # the same files, the same names

    (folder / "build/app.css").write_text("body{margin:1px}")
    again = assets.build(folder)
    assert again["build/app.css"] != manifest["build/app.css"]
    assert not (folder / manifest["build/app.css"]).exists()  # the old copy is gone
    assert again["build/htmx.min.js"] == manifest["build/htmx.min.js"]


def test_the_hashed_portal_script_imports_the_hashed_frontend(tmp_path):
    folder = make_static(tmp_path)
    manifest = assets.build(folder)
    script = (folder / manifest["js/portal.mjs"]).read_text()
    assert f'from "/static/{manifest["build/govuk-frontend.min.js"]}";' in script
    assert "/static/build/govuk-frontend.min.js" not in script

    # A new GOV.UK Frontend gives the script that imports it a new name too.
    (folder / "build/govuk-frontend.min.js").write_text("export function initAll(){return 2}\n")
    again = assets.build(folder)
    assert again["js/portal.mjs"] != manifest["js/portal.mjs"]
    assert f'"/static/{again["build/govuk-frontend.min.js"]}"' in (folder / again["js/portal.mjs"]).read_text()


def test_a_missing_file_stops_the_build(tmp_path):
    folder = make_static(tmp_path)
    (folder / "build/htmx.min.js").unlink()
    with pytest.raises(assets.BuildError, match="htmx.min.js"):
        assets.build(folder)


# Pages


def test_pages_load_the_hashed_files(client, static):
    hashed = set(manifest_of(static).values())
    page = client.get("/").get_data(as_text=True)
    loaded = {address.removeprefix("/static/") for address in ADDRESS.findall(page)}
    assert {
        hashed_name
        for plain, hashed_name in manifest_of(static).items()
        if plain in {"build/app.css", "build/htmx.min.js", "js/portal.mjs", "js/autosave.mjs", "images/favicon.svg"}
    } <= loaded
    assert loaded <= hashed


def test_without_a_manifest_pages_load_the_plain_names(client, static):
    (static / assets.MANIFEST).unlink()
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/build/app.css">' in page
    assert '<script type="module" src="/static/js/portal.mjs"></script>' in page
    assert "/hashed/" not in page


def test_a_script_edited_since_the_build_loads_under_its_plain_name(client, static):
    later = time.time() + 60
    os.utime(static / "js/autosave.mjs", (later, later))
    page = client.get("/").get_data(as_text=True)
    assert '<script type="module" src="/static/js/autosave.mjs"></script>' in page
    assert f'src="/static/{manifest_of(static)["js/portal.mjs"]}"' in page


# Serving


@pytest.mark.parametrize("who", [None, "young_person", "officer"])
@pytest.mark.parametrize("encoding, accept", [("br", "gzip, deflate, br"), ("gzip", "gzip")])
def test_hashed_files_are_kept_a_year_and_sent_compressed(client, signed_in, static, who, encoding, accept):
    if who:
        signed_in(who)
    for plain, hashed in manifest_of(static).items():
        with client.get(f"/static/{hashed}", headers={"Accept-Encoding": accept}) as response:
            assert response.status_code == 200, hashed
            assert A_YEAR in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
            assert "no-store" not in response.headers["Cache-Control"]
            assert "Set-Cookie" not in response.headers
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Encoding"] == encoding
            assert "Accept-Encoding" in response.headers["Vary"]
            assert decoded(response) == (static / hashed).read_bytes()
            if plain.endswith(".mjs"):
                assert response.mimetype == "text/javascript"


def test_plain_names_are_checked_each_time(client, signed_in, static):
    signed_in("officer")
    with client.get("/static/js/portal.mjs") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=0, public"
        assert "Set-Cookie" not in response.headers
        etag = response.headers["ETag"]
    assert client.get("/static/js/portal.mjs", headers={"If-None-Match": etag}).status_code == 304


def test_a_file_edited_while_the_portal_runs_is_sent_whole(client, static):
    with client.get("/static/js/autosave.mjs") as response:
        assert response.status_code == 200
    (static / "js/autosave.mjs").write_text("// Edited: longer than before. " * 400)
    with client.get("/static/js/autosave.mjs") as response:
        assert response.get_data() == (static / "js/autosave.mjs").read_bytes()


def test_a_static_file_flask_serves_is_not_no_store(app, client, signed_in, static):
    """In production WhiteNoise lists the files at start; one built later is
    served by Flask: still no ``no-store`` for a signed-in person."""
    signed_in("officer")
    server = app.wsgi_app
    app.wsgi_app = server.application
    try:
        with client.get("/static/js/portal.mjs") as response:
            assert response.status_code == 200
            assert "no-store" not in response.headers.get("Cache-Control", "")
    finally:
        app.wsgi_app = server


def test_in_production_the_files_are_listed_once_at_start(tmp_path):
    app = make_production_app(tmp_path)
    assert isinstance(app.wsgi_app, assets.StaticFiles) and not app.wsgi_app.autorefresh
    with app.test_client().get("/static/js/portal.mjs", base_url="https://localhost") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=0, public"
        assert "Set-Cookie" not in response.headers


def test_in_production_each_address_is_worked_out_once_not_on_every_page(tmp_path, monkeypatch):
    """Files do not change while a production worker runs: no look at the
    manifest or the files for each page (#16)."""
    app = make_production_app(tmp_path)
    looked: list[str] = []
    real = assets._manifest
    monkeypatch.setattr(assets, "_manifest", lambda folder: looked.append(folder) or real(folder))
    monkeypatch.setattr(assets, "_addresses", {})
    client = app.test_client()
    first = client.get("/sign-in", base_url="https://localhost")  # a form: never kept by the page cache
    at_first = len(looked)
    second = client.get("/sign-in", base_url="https://localhost")
    assert first.status_code == second.status_code == 200
    assert at_first > 0 and len(looked) == at_first
    assert ADDRESS.findall(first.get_data(as_text=True)) == ADDRESS.findall(second.get_data(as_text=True))


# Compressed pages


NONCE = re.compile(r'nonce="([^"]+)"')
# A visitor's page with nothing to send keeps no token (portal/caching.py): each fetch has a new one.
TOKEN = re.compile(
    r'(name="csrf_token"(?: type="hidden")? value="|name="csrf-token" content="|"X-CSRFToken": "|&#34;X-CSRFToken&#34;: &#34;)[^"&]+'
)


def steady(page: str) -> str:
    """The page without what changes on every request (the nonce, the token's signature)."""
    return TOKEN.sub(r"\1TOKEN", NONCE.sub('nonce="NONCE"', page))


@pytest.mark.parametrize("encoding, accept", [("gzip", "gzip"), ("br", "gzip, br")])
def test_pages_come_compressed_and_decode_to_the_same_page(client, encoding, accept):
    plain = client.get("/privacy")
    assert "Content-Encoding" not in plain.headers
    response = client.get("/privacy", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.get_data()) < len(plain.get_data()) / 2
    page = decoded(response).decode()
    assert steady(page) == steady(plain.get_data(as_text=True))
    # The Content-Security-Policy nonce still matches the page's script.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page


def test_a_signed_in_page_comes_compressed_and_not_cached(client, signed_in):
    signed_in("officer")
    response = client.get("/account", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Your account" in gzip.decompress(response.get_data()).decode()


def test_exports_stream_uncompressed(client, signed_in, state):  # noqa: F811
    signed_in("officer")
    response = client.get(f"/consultations/{state['consultation']}/export.csv", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Content-Length" not in response.headers  # sent as it is made, not held back whole
    assert response.get_data().startswith("\ufeff".encode())


def test_the_spreadsheet_goes_as_stored(client, signed_in, state):  # noqa: F811
    """Made by its job (#16.1), then sent as the stored file: a zip already, never compressed again."""
    signed_in("officer")
    asked = client.submit(f"/consultations/{state['consultation']}/export.xlsx")
    response = client.get(asked.headers["Location"] + "/download", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"PK")
