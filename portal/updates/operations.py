"""The Cabinet Member's update: the rules for editing, numbering, publishing
and correcting. Each operation checks its rule, records what happened and
commits; views only call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from portal.audit import record
from portal.autosave import VersionConflict, apply_save, is_stale
from portal.clashes import again_if_it_clashes
from portal.extensions import db
from portal.figures.numbers import youth_voice
from portal.figures.period import Period
from portal.models import (
    CabinetUpdate,
    ChairStatement,
    Portfolio,
    StatementStatus,
    UpdateParagraph,
    UpdateRevision,
    UpdateSection,
    UpdateStatus,
    UpdateVersion,
    User,
)
from portal.models.base import utcnow
from portal.notifications import deliver, notify
from portal.recommendations.operations import for_update as recommendations_for_update
from portal.rules import RuleError
from portal.statements.access import chairs
from portal.statements.sources import for_paragraphs as statement_sources
from portal.templating import long_date
from portal.templating import paragraphs as split_paragraphs
from portal.updates.blocks import blocks_text, to_blocks
from portal.updates.importer import ImportedReport

PARAGRAPH_MAX_CHARS = 20_000
PARAGRAPHS_MAX = 500
SECTIONS_MAX = 100


class UpdateError(RuleError):
    """A step the rules refuse; ``field`` names the form field it concerns."""


# ---------------------------------------------------------------- the document


@dataclass
class NumberedParagraph:
    paragraph: UpdateParagraph
    number: int


@dataclass
class OutlineSection:
    section: UpdateSection
    paragraphs: list[NumberedParagraph] = field(default_factory=list)

    @property
    def empty_count(self) -> int:
        """Paragraphs with nothing written yet: each must be written or deleted before publishing."""
        return sum(1 for p in self.paragraphs if not p.paragraph.text.strip())


@dataclass
class Outline:
    sections: list[OutlineSection]

    @property
    def paragraph_count(self) -> int:
        return sum(len(s.paragraphs) for s in self.sections)

    def paragraph_ids(self) -> list[int]:
        return [p.paragraph.id for s in self.sections for p in s.paragraphs]


def _sections_of(update: CabinetUpdate) -> list[UpdateSection]:
    """The update's sections, in their order."""
    return list(
        db.session.scalars(
            select(UpdateSection)
            .where(UpdateSection.update_id == update.id)
            .order_by(UpdateSection.position, UpdateSection.id)
        )
    )


def outline(update: CabinetUpdate) -> Outline:
    """Sections and paragraphs in order, numbered through the whole document
    (two queries, whatever the size)."""
    sections = _sections_of(update)
    paragraphs = db.session.scalars(
        select(UpdateParagraph)
        .where(UpdateParagraph.update_id == update.id)
        .order_by(UpdateParagraph.position, UpdateParagraph.id)
    ).all()
    by_section: dict[int, list[UpdateParagraph]] = {}
    for paragraph in paragraphs:
        by_section.setdefault(paragraph.section_id, []).append(paragraph)
    result = []
    number = 0
    for section in sections:
        entry = OutlineSection(section)
        for paragraph in by_section.get(section.id, []):
            number += 1
            entry.paragraphs.append(NumberedParagraph(paragraph, number))
        result.append(entry)
    return Outline(result)


def _renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position


def _touch(actor: User, update: CabinetUpdate) -> None:
    update.updated_at = utcnow()
    update.updated_by_id = actor.id


def _check_editable(update: CabinetUpdate) -> None:
    if not update.state.editable:
        raise UpdateError(
            "This update is published, so it cannot be changed. To change it, make a correction: "
            "that makes a new version and keeps the published one as it is."
        )


def statement_for(update: CabinetUpdate) -> ChairStatement | None:
    if update.statement_month is None:
        return None
    return db.session.scalar(select(ChairStatement).where(ChairStatement.month == update.statement_month))


def report_month_of(update: CabinetUpdate) -> date:
    """The month a report covers: its period's (first day), or, without a
    period, its meeting's. A publishable update has a meeting date."""
    day = update.period_start or update.period_end or update.meeting_date
    assert day is not None, "an update is published with a meeting date"
    return day.replace(day=1)


def period_of(update: CabinetUpdate) -> Period | None:
    if update.period_start and update.period_end:
        return Period(update.period_start, update.period_end)
    return None


# ---------------------------------------------------------------- creating


def default_signatory_role(author: User) -> str:
    portfolio = db.session.scalar(
        select(Portfolio).where(Portfolio.cabinet_member_id == author.id).order_by(Portfolio.name).limit(1)
    )
    if portfolio is None:
        return current_app.config["CABINET_MEMBER_TITLE"]
    return f"Cabinet Member for {portfolio.name}"


def default_title(month: date) -> str:
    config = current_app.config
    return f"{config['COUNCIL_NAME']}'s {config['REPORT_HEADING']} – {month:%B %Y}"


def create(actor: User, author: User, month: date) -> CabinetUpdate:
    """A new draft for ``author``, ready to write: a first section, an empty
    paragraph, the sign-off filled in from their account."""
    update = CabinetUpdate(
        author_id=author.id,
        title=default_title(month),
        statement_month=month,
        closing="With my best wishes.",
        sign_off_label="For information",
        signatory_name=author.display_name,
        signatory_role=default_signatory_role(author),
        updated_by_id=actor.id,
    )
    db.session.add(update)
    db.session.flush()
    section = UpdateSection(update_id=update.id, position=0, heading="Introduction")
    db.session.add(section)
    db.session.flush()
    db.session.add(UpdateParagraph(update_id=update.id, section_id=section.id, position=0, updated_by_id=actor.id))
    record(actor, "update.created", "cabinet_update", update.id, update.title[:200])
    db.session.commit()
    return update


def create_from_import(actor: User, author: User, month: date, report: ImportedReport) -> CabinetUpdate:
    """A new draft holding an imported report, for the person to check and edit."""
    if not report.sections:
        raise UpdateError("There is no text to import. Paste the report's text into the box.", "text")
    if report.paragraph_count > PARAGRAPHS_MAX:
        raise UpdateError(
            f"That report has more than {PARAGRAPHS_MAX} paragraphs, which is more than one update can hold.", "text"
        )
    update = CabinetUpdate(
        author_id=author.id,
        title=(report.title or default_title(month))[:300],
        statement_month=month,
        closing=report.closing[:500],
        sign_off_label=(report.sign_off_label or "For information")[:100],
        signatory_name=(report.signatory_name or author.display_name)[:200],
        signatory_role=(report.signatory_role or default_signatory_role(author))[:200],
        contact_officer=report.contact_officer[:300],
        updated_by_id=actor.id,
    )
    db.session.add(update)
    db.session.flush()
    for position, imported in enumerate(report.sections):
        section = UpdateSection(update_id=update.id, position=position, heading=imported.heading[:300])
        db.session.add(section)
        db.session.flush()
        for number, text in enumerate(imported.paragraphs):
            db.session.add(
                UpdateParagraph(
                    update_id=update.id,
                    section_id=section.id,
                    position=number,
                    text=text[:PARAGRAPH_MAX_CHARS],
                    updated_by_id=actor.id,
                )
            )
    record(actor, "update.imported", "cabinet_update", update.id, f"{report.paragraph_count} paragraphs")
    db.session.commit()
    return update


# ---------------------------------------------------------------- details and sign-off


DETAIL_FIELDS = ("title", "meeting_date", "period_start", "period_end", "statement_month", "include_numbers")
SIGN_OFF_FIELDS = ("closing", "sign_off_label", "signatory_name", "signatory_role", "contact_officer")


def _save_fields(
    actor: User, update: CabinetUpdate, values: dict, base_version: int, names: tuple[str, ...], version: str
) -> bool:
    """Save one form's fields. ``version`` names that form's own counter: a
    save from an older page is refused only when this form changed since, not
    when the other one did (#14.15)."""
    _check_editable(update)
    if all(getattr(update, name) == values[name] for name in names):
        return False
    if is_stale(getattr(update, version), base_version):
        raise UpdateError(
            "These details were changed in another tab or by someone else since you opened this page. "
            "What you typed is still in the boxes: check it against the saved details, then save again.",
            "stale",
        )
    for name in names:
        setattr(update, name, values[name])
    setattr(update, version, getattr(update, version) + 1)
    _touch(actor, update)
    db.session.commit()
    return True


@again_if_it_clashes
def save_details(actor: User, update: CabinetUpdate, values: dict, base_version: int) -> bool:
    if values.get("meeting_date") is not None:
        clash = db.session.scalar(
            select(CabinetUpdate.id).where(
                CabinetUpdate.author_id == update.author_id,
                CabinetUpdate.meeting_date == values["meeting_date"],
                CabinetUpdate.id != update.id,
            )
        )
        if clash is not None:
            raise UpdateError(
                f"There is already an update for the council meeting on {long_date(values['meeting_date'])}. "
                "Each meeting has one update: choose another date or open that update.",
                "meeting_date",
            )
    return _save_fields(actor, update, values, base_version, DETAIL_FIELDS, "details_version")


def save_sign_off(actor: User, update: CabinetUpdate, values: dict, base_version: int) -> bool:
    return _save_fields(actor, update, values, base_version, SIGN_OFF_FIELDS, "sign_off_version")


# ---------------------------------------------------------------- paragraphs


def _last_revision(paragraph: UpdateParagraph) -> UpdateRevision | None:
    return db.session.scalar(
        select(UpdateRevision)
        .where(UpdateRevision.paragraph_id == paragraph.id)
        .order_by(UpdateRevision.id.desc())
        .limit(1)
    )


def save_paragraph(
    actor: User, update: CabinetUpdate, paragraph: UpdateParagraph, text: str, base_version: int, kind: str = "autosave"
) -> bool:
    """Save a paragraph's text with the same rules as the Chair's statement:
    a save from an older version is refused (VersionConflict) and its text is
    kept; saves by one person within minutes fold into one revision."""
    _check_editable(update)
    if len(text) > PARAGRAPH_MAX_CHARS:
        raise UpdateError(
            f"This paragraph is too long to save: it has {len(text):,} characters and the most is "
            f"{PARAGRAPH_MAX_CHARS:,}. Split it into shorter paragraphs. The text you saved before is safe.",
            "text",
        )

    def add_revision(text: str, kind: str, version: int, now: datetime) -> None:
        db.session.add(
            UpdateRevision(
                update_id=update.id,
                paragraph_id=paragraph.id,
                version=version,
                text=text,
                kind=kind,
                author_id=actor.id,
                created_at=now,
                saved_at=now,
            )
        )

    try:
        changed = apply_save(
            paragraph,
            text,
            base_version,
            actor,
            kind,
            last_revision=lambda: _last_revision(paragraph),
            add_revision=add_revision,
        )
    except VersionConflict:
        db.session.commit()  # the refused text is kept
        raise
    if not changed:
        return False
    _touch(actor, update)
    db.session.commit()
    return True


def _count_paragraphs(update: CabinetUpdate) -> int:
    return db.session.scalar(select(func.count(UpdateParagraph.id)).where(UpdateParagraph.update_id == update.id)) or 0


def add_paragraph(
    actor: User, update: CabinetUpdate, section: UpdateSection, text: str = "", after: UpdateParagraph | None = None
) -> UpdateParagraph:
    _check_editable(update)
    if _count_paragraphs(update) >= PARAGRAPHS_MAX:
        raise UpdateError(f"An update can hold at most {PARAGRAPHS_MAX} paragraphs.")
    siblings = list(
        db.session.scalars(
            select(UpdateParagraph)
            .where(UpdateParagraph.section_id == section.id)
            .order_by(UpdateParagraph.position, UpdateParagraph.id)
        )
    )
    paragraph = UpdateParagraph(update_id=update.id, section_id=section.id, text=text, updated_by_id=actor.id)
    db.session.add(paragraph)
    index = next((i + 1 for i, p in enumerate(siblings) if after is not None and p.id == after.id), len(siblings))
    siblings.insert(index, paragraph)
    _renumber(siblings)
    _touch(actor, update)
    db.session.commit()
    return paragraph


def delete_paragraph(actor: User, update: CabinetUpdate, paragraph: UpdateParagraph) -> None:
    """Remove a paragraph; its text is kept in the update's saved texts."""
    _check_editable(update)
    if paragraph.text.strip():
        db.session.add(
            UpdateRevision(
                update_id=update.id,
                paragraph_id=None,
                version=paragraph.version,
                text=paragraph.text,
                kind="deleted",
                author_id=actor.id,
            )
        )
    section_id = paragraph.section_id
    db.session.execute(
        sql_update(UpdateRevision).where(UpdateRevision.paragraph_id == paragraph.id).values(paragraph_id=None)
    )
    db.session.delete(paragraph)
    db.session.flush()
    _renumber(
        db.session.scalars(
            select(UpdateParagraph)
            .where(UpdateParagraph.section_id == section_id)
            .order_by(UpdateParagraph.position, UpdateParagraph.id)
        ).all()
    )
    record(actor, "update.paragraph_deleted", "cabinet_update", update.id, paragraph.text[:200])
    _touch(actor, update)
    db.session.commit()


def move_paragraph(actor: User, update: CabinetUpdate, paragraph: UpdateParagraph, direction: str) -> None:
    """Up or down by one place. At the edge of a section it goes into the
    section before (at its end) or after (at its start), so every place in
    the document can be reached with the two buttons."""
    _check_editable(update)
    if direction not in ("up", "down"):
        raise UpdateError("Choose up or down")
    doc = outline(update)
    index = next(i for i, s in enumerate(doc.sections) if s.section.id == paragraph.section_id)
    entries = [p.paragraph for p in doc.sections[index].paragraphs]
    place = next(i for i, p in enumerate(entries) if p.id == paragraph.id)
    step = -1 if direction == "up" else 1
    if 0 <= place + step < len(entries):
        entries[place], entries[place + step] = entries[place + step], entries[place]
        _renumber(entries)
    else:
        neighbour_index = index + step
        if not 0 <= neighbour_index < len(doc.sections):
            raise UpdateError(
                "This paragraph is already the first one."
                if direction == "up"
                else "This paragraph is already the last one."
            )
        neighbour = doc.sections[neighbour_index]
        others = [p.paragraph for p in neighbour.paragraphs]
        entries.remove(paragraph)
        paragraph.section_id = neighbour.section.id
        if direction == "up":
            others.append(paragraph)
        else:
            others.insert(0, paragraph)
        _renumber(entries)
        _renumber(others)
    _touch(actor, update)
    db.session.commit()


# ---------------------------------------------------------------- sections


def add_section(actor: User, update: CabinetUpdate, heading: str) -> UpdateSection:
    _check_editable(update)
    if not heading.strip():
        raise UpdateError("Write a heading for the new section", "heading")
    sections = _sections_of(update)
    if len(sections) >= SECTIONS_MAX:
        raise UpdateError(f"An update can hold at most {SECTIONS_MAX} sections.")
    section = UpdateSection(update_id=update.id, position=len(sections), heading=heading)
    db.session.add(section)
    db.session.flush()
    db.session.add(UpdateParagraph(update_id=update.id, section_id=section.id, position=0, updated_by_id=actor.id))
    _touch(actor, update)
    db.session.commit()
    return section


def rename_section(actor: User, update: CabinetUpdate, section: UpdateSection, heading: str, base_version: int) -> bool:
    _check_editable(update)
    if not heading.strip():
        raise UpdateError("Write a heading for this section", "heading")
    if is_stale(section.version, base_version) and heading != section.heading:
        raise UpdateError(
            f"This heading was changed to “{section.heading}” in another tab or by someone else. "
            "Your heading is still in the box: save it again to use it.",
            "heading",
        )
    if heading == section.heading:
        return False
    section.heading = heading
    section.version += 1
    _touch(actor, update)
    db.session.commit()
    return True


def move_section(actor: User, update: CabinetUpdate, section: UpdateSection, direction: str) -> None:
    _check_editable(update)
    sections = _sections_of(update)
    if direction not in ("up", "down"):
        raise UpdateError("Choose up or down")
    place = next(i for i, s in enumerate(sections) if s.id == section.id)
    step = -1 if direction == "up" else 1
    if not 0 <= place + step < len(sections):
        raise UpdateError(
            "This section is already the first one." if direction == "up" else "This section is already the last one."
        )
    sections[place], sections[place + step] = sections[place + step], sections[place]
    _renumber(sections)
    _touch(actor, update)
    db.session.commit()


def delete_section(actor: User, update: CabinetUpdate, section: UpdateSection) -> None:
    """Only a section whose paragraphs are all empty, so no writing goes by accident."""
    _check_editable(update)
    written = db.session.scalar(
        select(func.count(UpdateParagraph.id)).where(
            UpdateParagraph.section_id == section.id, UpdateParagraph.text != ""
        )
    )
    if written:
        raise UpdateError(
            f"The section “{section.heading}” still has writing in it. Move its paragraphs to another section "
            "or delete them first."
        )
    db.session.delete(section)
    db.session.flush()
    _renumber(_sections_of(update))
    record(actor, "update.section_deleted", "cabinet_update", update.id, section.heading[:200])
    _touch(actor, update)
    db.session.commit()


def closing_paragraph_text(update: CabinetUpdate) -> str:
    chair = chairs()
    name = chair[0].display_name.split()[0] if chair else "our Chair"
    return (
        f"I am delighted to end this update by introducing a message from {name}, the Chair of our Youth Cabinet. "
        "Their statement is set out at the end of this report."
    )


def add_closing_paragraph(actor: User, update: CabinetUpdate) -> UpdateParagraph:
    """The usual last paragraph introducing the Chair's message, as a starting
    text, in a "Youth Cabinet" section at the end (made if missing)."""
    _check_editable(update)
    sections = _sections_of(update)
    section = sections[-1] if sections and sections[-1].heading.strip().lower() == "youth cabinet" else None
    if section is None:
        section = UpdateSection(update_id=update.id, position=len(sections), heading="Youth Cabinet")
        db.session.add(section)
        db.session.flush()
    return add_paragraph(actor, update, section, closing_paragraph_text(update))


# ---------------------------------------------------------------- publishing


@dataclass
class PublishCheck:
    problems: dict[str, str]  # field -> what must be put right
    statement: ChairStatement | None
    statement_accepted: bool


def details_problems(update: CabinetUpdate) -> dict[str, str]:
    """What the details still need before the update can be published (field -> what to do)."""
    problems: dict[str, str] = {}
    if not update.title.strip():
        problems["title"] = "Give the update a title before you publish it"
    if update.meeting_date is None:
        problems["meeting_date"] = "Enter the date of the council meeting before you publish"
    return problems


def check_publishable(update: CabinetUpdate) -> PublishCheck:
    problems = details_problems(update)
    doc = outline(update)
    if not any(p.paragraph.text.strip() for s in doc.sections for p in s.paragraphs):
        problems["paragraphs"] = "Write at least one paragraph before you publish"
    empty = [str(p.number) for s in doc.sections for p in s.paragraphs if not p.paragraph.text.strip()]
    if empty:
        problems["paragraphs"] = (
            f"Paragraph {empty[0]} is empty. Write it or delete it before you publish"
            if len(empty) == 1
            else f"Paragraphs {', '.join(empty)} are empty. Write them or delete them before you publish"
        )
    bare = [entry.section.heading or "without a heading" for entry in doc.sections if not entry.paragraphs]
    if bare:
        problems["sections"] = (
            f"The section “{bare[0]}” has no paragraphs. Write one or delete the section before you publish"
            if len(bare) == 1
            else f"The sections {', '.join(f'“{h}”' for h in bare)} have no paragraphs. "
            "Write in them or delete them before you publish"
        )
    statement = statement_for(update)
    return PublishCheck(problems, statement, statement is not None and statement.state == StatementStatus.ACCEPTED)


def build_content(
    update: CabinetUpdate,
    *,
    version: int = 0,
    published_at: datetime | None = None,
    note: str = "",
    with_statement: bool = True,
) -> dict:
    """The whole document as plain data: what is frozen when it is published,
    and what the preview shows before that."""
    doc = outline(update)
    statement = statement_for(update) if with_statement else None
    config = current_app.config
    chair_statement = None
    if statement is not None and statement.state == StatementStatus.ACCEPTED:
        chair_statement = {
            "heading": f"Statement from the {config['CHAIR_TITLE']}",
            "paragraphs": split_paragraphs(statement.text),
            "sources": statement_sources(statement.text, statement.sources or []),  # #17.5, one list a paragraph
        }
    period = period_of(update)
    numbers = youth_voice(period) if (update.include_numbers and period is not None) else None
    recommendations, more_recommendations = recommendations_for_update(update.author_id, period)
    return {
        "format": 1,
        "title": update.title,
        "council_name": config["COUNCIL_NAME"],
        "meeting_label": f"{long_date(update.meeting_date)}" if update.meeting_date else "",
        "period_label": period.label if period else "",
        "version": version,
        "published_label": f"{long_date(published_at)}" if published_at else "",
        "note": note,
        # Frozen with the version (#17.1): a later response does not change what was published.
        "recommendations": recommendations,
        # {"count", "href"} when more are open than the update lists; absent in older versions.
        "recommendations_more": more_recommendations,
        "sections": [
            {
                "heading": entry.section.heading,
                "paragraphs": [{"number": p.number, "blocks": to_blocks(p.paragraph.text)} for p in entry.paragraphs],
            }
            for entry in doc.sections
        ],
        "sign_off": {
            "closing": update.closing,
            "label": update.sign_off_label,
            "name": update.signatory_name,
            "role": update.signatory_role,
            "contact": update.contact_officer,
        },
        "chair_statement": chair_statement,
        "numbers": numbers,
    }


def content_text(content: dict) -> str:
    """Everything a reader can read in the document, as plain text (for search and checks)."""
    parts = [content["title"]]
    for section in content["sections"]:
        parts.append(section["heading"])
        for paragraph in section["paragraphs"]:
            parts.append(f"{paragraph['number']} {blocks_text(paragraph['blocks'])}")
    for item in content.get("recommendations") or []:
        parts.extend([item["text"], (item["response"] or {}).get("text", "")])
    sign_off = content["sign_off"]
    parts.extend(sign_off[key] for key in ("closing", "label", "name", "role", "contact"))
    if content["chair_statement"]:
        parts.append(content["chair_statement"]["heading"])
        parts.extend(content["chair_statement"]["paragraphs"])
    return "\n".join(part for part in parts if part)


def seen_stamp(update: CabinetUpdate) -> str:
    """What the publish page was showing: any change after it means looking again."""
    return f"{update.updated_at.timestamp():.6f}"


def keep_refused_text(actor: User, update: CabinetUpdate, text: str) -> None:
    """A paragraph's text that could not be saved where it was typed (the
    update was published, or the paragraph deleted elsewhere): kept all the same."""
    if text.strip():
        db.session.add(
            UpdateRevision(
                update_id=update.id,
                paragraph_id=None,
                version=0,
                text=text[:PARAGRAPH_MAX_CHARS],
                kind="refused",
                author_id=actor.id,
            )
        )
        db.session.commit()


def publish(
    actor: User,
    update: CabinetUpdate,
    *,
    note: str = "",
    without_statement: bool = False,
    now: datetime | None = None,
    tell_chair: bool = True,
    seen: str | None = None,
) -> UpdateVersion:
    """Freeze the update as a new version. Refused without a title, a meeting
    date or written paragraphs; without an accepted Chair's statement only
    when the person has said so explicitly. A correction needs a note."""
    db.session.refresh(update, with_for_update=True)  # two clicks at once: the second waits, then finds it published
    if update.state == UpdateStatus.PUBLISHED:
        raise UpdateError("This version is already published. To change it, make a correction.")
    if seen is not None and seen != seen_stamp(update):
        raise UpdateError(
            "The update was changed after you opened this page, perhaps in another tab or by an officer. "
            "Check the preview again, then publish.",
            "seen",
        )
    check = check_publishable(update)
    if check.problems:
        field_name, message = next(iter(check.problems.items()))
        raise UpdateError(message, field_name)
    if not check.statement_accepted and not without_statement:
        raise UpdateError(
            "The Chair's statement for this month is not accepted yet, so it would not be in the update. "
            "Tick the box to publish without it, or wait until it is accepted.",
            "without_statement",
        )
    previous = (
        db.session.scalar(select(func.max(UpdateVersion.number)).where(UpdateVersion.update_id == update.id)) or 0
    )
    if previous and update.state != UpdateStatus.CORRECTING:  # published meanwhile (SQLite has no row lock)
        raise UpdateError("This version is already published. To change it, make a correction.")
    if previous and not note.strip():
        raise UpdateError("Say what this correction changes. Readers will see it with the new version.", "note")
    now = now or utcnow()
    content = build_content(
        update,
        version=previous + 1,
        published_at=now,
        note=note.strip() if previous else "",
        with_statement=check.statement_accepted,
    )
    html = render_template("updates/_frozen.html", doc=content)
    db.session.execute(sql_update(UpdateVersion).where(UpdateVersion.update_id == update.id).values(is_latest=False))
    version = UpdateVersion(
        update_id=update.id,
        number=previous + 1,
        title=update.title,
        meeting_date=update.meeting_date,
        report_month=report_month_of(update),
        author_name=update.signatory_name or actor.display_name,
        note=content["note"],
        content=content,
        html=html,
        search_text=content_text(content),
        published_at=now,
        published_by_id=actor.id,
        is_latest=True,
    )
    db.session.add(version)
    update.status = UpdateStatus.PUBLISHED.value
    _touch(actor, update)
    try:
        db.session.flush()
    except IntegrityError:  # published at the same moment elsewhere (SQLite has no row lock)
        db.session.rollback()
        raise UpdateError("This version is already published. To change it, make a correction.") from None
    record(actor, "update.published", "cabinet_update", update.id, f"Version {version.number}: {update.title[:180]}")
    mails = []
    if check.statement is not None and check.statement_accepted and tell_chair:
        link = url_for("updates.version", update_id=update.id, number=version.number)
        mails = notify(
            [p for p in chairs() if p.id != actor.id],
            f"{actor.display_name} has published their update with your statement for {check.statement.month_label}.",
            link,
            subject="Your statement is published",
        )
    db.session.commit()
    deliver(mails)
    return version


def start_correction(actor: User, update: CabinetUpdate) -> None:
    """Open a published update for a correction; the published version stays as it is."""
    if update.state != UpdateStatus.PUBLISHED:
        raise UpdateError("Only a published update can be corrected.")
    update.status = UpdateStatus.CORRECTING.value
    # A page opened before publishing does not write into the correction unseen.
    update.details_version += 1
    update.sign_off_version += 1
    _touch(actor, update)
    record(actor, "update.correction_started", "cabinet_update", update.id, update.title[:200])
    db.session.commit()
