"""What "Report this" can point at: one class per kind of public item, each
turning the key in ``?what=<kind>:<key>`` into the item as the public sees it.

A ``what`` that is not written the way these links write it (a kind we do
not know, a key that is not a number) is ``UnknownWhat``: a clear message,
never a crash. One that is well written but names nothing public (a draft
campaign, feedback not published yet, a number that was never used) is
``NotPublic``: the view answers 404, so that reports cannot be used to find
out what exists privately.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.lookup import ID_MAX
from portal.models import Campaign, Consultation, ConsultationStatus, UpdateVersion
from portal.models.safeguarding import WHAT_MAX


class UnknownWhat(Exception):
    """The ``what`` is not one the portal's links write."""


class NotPublic(Exception):
    """The ``what`` names nothing the public can see."""


@dataclass(frozen=True)
class Reported:
    """A public item as it is now: ``what`` to store, words and a link for officers."""

    what: str
    label: str
    link: str


class Reportable(ABC):
    """One kind of public item. ``find`` returns it, or raises NotPublic."""

    kind: ClassVar[str]
    key_pattern: ClassVar[re.Pattern[str]] = re.compile(r"[1-9][0-9]{0,9}")

    @abstractmethod
    def find(self, key: str) -> Reported:
        """The item with this key, if the public can see it; else NotPublic."""

    @staticmethod
    def number(key: str) -> int:
        value = int(key)
        if value > ID_MAX:
            raise NotPublic()
        return value


class CampaignItem(Reportable):
    """A published campaign's page (its title, summary and body)."""

    kind = "campaign"

    def find(self, key: str) -> Reported:
        campaign = db.session.get(Campaign, self.number(key))
        if campaign is None or campaign.published_at is None:
            raise NotPublic()
        return Reported(
            f"{self.kind}:{campaign.id}",
            f"The campaign ‘{campaign.title}’",
            url_for("campaigns.show", slug=campaign.slug),
        )


class FeedbackItem(Reportable):
    """A partner's published "You said, we did" on a consultation's page."""

    kind = "consultation_feedback"

    def find(self, key: str) -> Reported:
        consultation = db.session.get(Consultation, self.number(key))
        if (
            consultation is None
            or consultation.state != ConsultationStatus.APPROVED
            or consultation.feedback_published_at is None
        ):
            raise NotPublic()
        return Reported(
            f"{self.kind}:{consultation.id}",
            f"‘You said, we did’ from {consultation.organisation or 'the people who asked'} "
            f"on the consultation ‘{consultation.title}’",
            url_for("consultations.show", consultation_id=consultation.id, _anchor="you-said-we-did"),
        )


class StatementItem(Reportable):
    """The Chair's statement as a published update shows it. The key names the
    version ("4-v2"): each version froze its own copy of the statement, and the
    statement itself may be reopened and changed after it was published, so
    the officer reads exactly the words the person reported."""

    kind = "statement"
    key_pattern = re.compile(r"([1-9][0-9]{0,9})-v([1-9][0-9]{0,9})")

    def find(self, key: str) -> Reported:
        update_id, number = (self.number(part) for part in key.split("-v"))
        version = db.session.scalar(
            select(UpdateVersion).where(UpdateVersion.update_id == update_id, UpdateVersion.number == number)
        )
        if version is None or not (version.content or {}).get("chair_statement"):
            raise NotPublic()
        return Reported(
            f"{self.kind}:{update_id}-v{number}",
            f"The Chair’s statement in ‘{version.title}’ (version {number})",
            url_for("updates.version", update_id=update_id, number=number, _anchor="chair-statement"),
        )


KINDS: dict[str, Reportable] = {item.kind: item for item in (CampaignItem(), FeedbackItem(), StatementItem())}


def find(what: str | None) -> Reported:
    """The public item ``what`` names (UnknownWhat or NotPublic when it cannot)."""
    kind, colon, key = (what or "").partition(":")
    reportable = KINDS.get(kind)
    if not colon or reportable is None or len(what or "") > WHAT_MAX or not reportable.key_pattern.fullmatch(key):
        raise UnknownWhat()
    return reportable.find(key)
