"""A published version's PDF and Word file, rendered once and stored (#16.1).

A 200-paragraph PDF takes seconds of CPU to render, and the download is a
public URL; the version is frozen, so its files can never change. They are
rendered after the publish (portal/updates/publishing.py, after the answer) and
kept in ``update_document``; a download serves the stored bytes. A version
published before they were stored renders each file at its first download.

Rendering takes seconds, so no transaction is open while it runs: on SQLite a
transaction that may write holds the one write lock from its start, and a read
transaction that then writes fails when another writer got in between. The
rows go in with one INSERT that does nothing for a file already stored, so two
first downloads at the same moment keep one row and neither fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer

from portal.extensions import db
from portal.models import UpdateDocument, UpdateVersion
from portal.models.base import utcnow
from portal.updates import documents


@dataclass(frozen=True)
class DocumentKind:
    name: str
    mimetype: str
    renderer: str  # its function in documents.py, looked up when called (tests replace it)

    def render(self, doc: dict[str, Any]) -> bytes:
        render: Callable[[dict[str, Any]], bytes] = getattr(documents, self.renderer)
        return render(doc)


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("pdf", "application/pdf", "render_pdf"),
        DocumentKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "render_docx"),
    )
}


def _insert_for_dialect():
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"Storing documents is not written for the {name} database")


def store_documents(version_id: int, kinds: Iterable[str] = tuple(KINDS)) -> None:
    """Render the version's files that are not stored yet (``kinds``, both by
    default) from its frozen content, and store them. Takes the version's id,
    not the row, so it can run after the answer or from a queue. A file stored
    meanwhile by another request is kept as it is (the same frozen version
    renders the same document)."""
    wanted = [KINDS[kind] for kind in kinds]
    version = db.session.get(UpdateVersion, version_id)
    if version is None:
        return
    stored = set(
        db.session.scalars(
            select(UpdateDocument.kind).where(
                UpdateDocument.version_id == version_id, UpdateDocument.kind.in_([k.name for k in wanted])
            )
        )
    )
    missing = [kind for kind in wanted if kind.name not in stored]
    if not missing:
        return
    content = version.content
    db.session.commit()  # ends the read: nothing is held while rendering (see the module's docstring)
    files = {kind.name: kind.render(content) for kind in missing}
    rows = [
        {
            "version_id": version_id,
            "kind": name,
            "content": data,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "created_at": utcnow(),
        }
        for name, data in files.items()
    ]
    insert = _insert_for_dialect()
    db.session.execute(
        insert(UpdateDocument).values(rows).on_conflict_do_nothing(index_elements=["version_id", "kind"])
    )
    db.session.commit()


def _find(version_id: int, kind: str) -> UpdateDocument | None:
    return db.session.scalar(
        select(UpdateDocument)
        .options(defer(UpdateDocument.content))  # read only when sent: a 304 needs the checksum alone
        .where(UpdateDocument.version_id == version_id, UpdateDocument.kind == kind)
    )


def document_of(version: UpdateVersion, kind: str) -> UpdateDocument:
    """The version's stored file of ``kind`` (its content loaded when first
    read), rendered and stored first if it has none yet."""
    version_id = version.id
    found = _find(version_id, kind)
    if found is None:
        store_documents(version_id, (kind,))
        found = _find(version_id, kind)
    if found is None:  # the version was deleted meanwhile
        raise LookupError(f"No {kind} for version {version_id}")
    return found
