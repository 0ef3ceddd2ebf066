"""The files every page loads, under fingerprinted names (#16.4).

``python -m portal.assets`` (run by ``make assets``) copies each file the
pages load to ``static/build/hashed/<name>.<hash>.<ext>``, the hash taken from
its content, and writes ``static/build/manifest.json`` (plain name to hashed
name). A changed file gets a new name, so a browser may keep every hashed file
for a year without asking again: ``static_files()`` serves them that way.
Module scripts name the files they import; the hashed copies import the
hashed names, so a page never mixes an old script with a new one.

``asset("build/app.css")`` in a template gives the hashed address, or the
plain one while there is no manifest (a fresh clone before ``make assets``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, url_for
from whitenoise import WhiteNoise

STATIC = Path(__file__).resolve().parent.parent / "static"
HASHED = "build/hashed"
MANIFEST = "build/manifest.json"
# What the pages load (paths under static/). Module scripts are hashed after
# the files they import, whatever the order here.
SOURCES = (
    "build/app.css",
    "build/govuk-frontend.min.js",
    "build/htmx.min.js",
    "js/*.mjs",
    "css/*.css",
    "images/favicon.svg",
)
DIGITS = 12
# A file of the hashed folder: name.<12 hex digits>.ext, safe to keep for good.
HASHED_NAME = re.compile(rf"/{HASHED}/[^/]+\.[0-9a-f]{{{DIGITS}}}\.\w+$")
# A quoted "/static/..." address inside a module script (an import specifier).
STATIC_ADDRESS = re.compile(r"""(["'])/static/([^"'?#]+)\1""")
# A plain name may change under a running portal: browsers ask each time
# (a 304 when unchanged). Pages use plain names only before `make assets`.
UNHASHED_MAX_AGE = 0

log = logging.getLogger(__name__)


class BuildError(Exception):
    """The assets cannot be fingerprinted (a missing file, an import cycle)."""


def _sources(static: Path) -> list[str]:
    found: list[str] = []
    for pattern in SOURCES:
        matches = sorted(static.glob(pattern))
        if not matches:
            raise BuildError(f"static/{pattern}: no such file (run `make assets`)")
        found.extend(path.relative_to(static).as_posix() for path in matches)
    return found


def _hashed_name(name: str, content: bytes) -> str:
    """build/app.css -> build/hashed/app.<first 12 hex digits of its SHA-256>.css"""
    stem, _, ext = Path(name).name.rpartition(".")
    return f"{HASHED}/{stem}.{hashlib.sha256(content).hexdigest()[:DIGITS]}.{ext}"


def build(static: Path = STATIC) -> dict[str, str]:
    """Write the hashed copies and the manifest; remove hashed files no longer
    named. Returns the manifest: plain path -> hashed path, under ``static``."""
    sources = _sources(static)
    manifest: dict[str, str] = {}
    contents: dict[str, bytes] = {}

    def fingerprint(name: str, chain: tuple[str, ...] = ()) -> str:
        if name in manifest:
            return manifest[name]
        if name in chain:
            raise BuildError(f"import cycle: {' -> '.join((*chain, name))}")
        content = (static / name).read_bytes()
        if name.endswith(".mjs"):
            content = _rewrite_imports(content, sources, lambda other: fingerprint(other, (*chain, name)))
        manifest[name] = _hashed_name(name, content)
        contents[manifest[name]] = content
        return manifest[name]

    for name in sources:
        fingerprint(name)
    if len({Path(name).name for name in contents}) != len(contents):
        raise BuildError("two files would get the same hashed name")
    _write(static, contents)
    # Written last, through a rename: a running portal never reads half a manifest.
    temporary = static / (MANIFEST + ".new")
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(temporary, static / MANIFEST)
    return manifest


def _write(static: Path, contents: dict[str, bytes]) -> None:
    """The hashed copies written; old ones, with their .gz/.br, removed."""
    folder = static / HASHED
    folder.mkdir(parents=True, exist_ok=True)
    for hashed, content in contents.items():
        target = static / hashed
        if not target.exists() or target.read_bytes() != content:
            target.write_bytes(content)
    keep = {Path(name).name for name in contents}
    for old in folder.iterdir():
        if old.name.removesuffix(".gz").removesuffix(".br") not in keep:
            old.unlink()


def _rewrite_imports(content: bytes, sources: list[str], hashed: Callable[[str], str]) -> bytes:
    """A module script's "/static/<file>" addresses, pointed at the hashed copies."""
    text = content.decode("utf-8")

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if target not in sources:
            return match.group(0)
        return f"{match.group(1)}/static/{hashed(target)}{match.group(1)}"

    return STATIC_ADDRESS.sub(replace, text).encode("utf-8")


# The manifest, read again only when its file changes: {path: (mtime, manifest)}.
_manifests: dict[str, tuple[float, dict[str, str]]] = {}
_warned: set[str] = set()


def _warn_once(path: str, message: str) -> None:
    if path not in _warned:
        _warned.add(path)
        log.warning(message, path)


def _manifest(static_folder: str) -> tuple[float, dict[str, str]]:
    """(when the manifest was written, the manifest); (0, {}) with none."""
    path = os.path.join(static_folder, MANIFEST)
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        _warn_once(path, "No %s: pages load the static files under their plain names (run `make assets`).")
        return 0.0, {}
    cached = _manifests.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, encoding="utf-8") as file:
            cached = (mtime, json.load(file))
        _manifests[path] = cached
    return cached


def _changed_since(source: str, built: float) -> bool:
    try:
        return os.stat(source).st_mtime > built
    except OSError:
        return True


# In production the files do not change while a worker runs (a deploy starts
# new ones), so each address is worked out once: {(folder, root, file): address}.
_addresses: dict[tuple[str, str, str], str] = {}


def asset(filename: str) -> str:
    """The address of a static file for a page: its hashed copy, unless there
    is none or the file changed since (an edited script shows at once)."""
    static_folder = current_app.static_folder or str(STATIC)
    if current_app.config["ENV"] != "production":
        return _address(static_folder, filename)
    key = (static_folder, request.script_root, filename)
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = _address(static_folder, filename)
    return address


def _address(static_folder: str, filename: str) -> str:
    built, manifest = _manifest(static_folder)
    hashed = manifest.get(filename)
    if hashed is not None and _changed_since(os.path.join(static_folder, filename), built):
        _warn_once(
            os.path.join(static_folder, filename),
            "%s changed since `make assets`: pages load it under its plain name until the next build.",
        )
        hashed = None
    return url_for("static", filename=hashed or filename)


class StaticFiles(WhiteNoise):
    # A year (RFC 9111 advises no more), not WhiteNoise's ten.
    FOREVER = 365 * 24 * 60 * 60


def _nosniff(headers: Any, path: str, url: str) -> None:
    # Pages get this from Talisman; files served before Flask need it too.
    headers["X-Content-Type-Options"] = "nosniff"


def static_files(app: Flask) -> StaticFiles:
    """``app.wsgi_app`` wrapped so that /static/ is answered before Flask: no
    session, no cookie, no ``no-store``. Hashed names are kept a year
    (immutable); plain ones are checked each time. A .br or .gz copy beside a
    file is sent to a browser that accepts it."""
    return StaticFiles(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        # Outside production, files are looked at on each request, so one
        # edited or built while the portal runs is sent whole and current (at
        # start-up WhiteNoise notes each file's size and date for good).
        autorefresh=app.config["ENV"] != "production",
        max_age=UNHASHED_MAX_AGE,
        allow_all_origins=False,
        add_headers_function=_nosniff,
        immutable_file_test=lambda path, url: bool(HASHED_NAME.search(url)),
    )


def main() -> None:
    manifest = build()
    print(f"Fingerprinted {len(manifest)} files into static/{HASHED}/ (static/{MANIFEST}).")


if __name__ == "__main__":
    try:
        main()
    except BuildError as error:
        sys.exit(f"portal.assets: {error}")
