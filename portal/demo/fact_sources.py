"""Demo (#17.5): the July 2020 Chair's statement, word for word from the seed,
with the sources of two of its facts kept beside it: the Covid-19 Wellbeing
campaign and the mental health service's consultation. Loaded before the
updates, so the published July 2020 update shows each with its link."""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from sqlalchemy import select

from portal.extensions import db
from portal.models import Campaign, ChairStatement, Consultation, StatementRevision
from portal.statements.sources import sources_in

CAMPAIGN_SENTENCE = (
    "Our Covid-19 Wellbeing campaign came to a close this month, and the impressions on social media have been "
    "incredible."
)
CONSULTATION_SENTENCE = (
    "Our first consultation occurred this month as well, with a mental health service asking us for our opinions "
    "on their name, 'brand' and wording."
)


def load_fact_sources() -> int:
    statement = db.session.scalar(select(ChairStatement).where(ChairStatement.month == date(2020, 7, 1)))
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "covid-19-wellbeing"))
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == "Our name, brand and wording"))
    if statement is None or campaign is None or consultation is None or statement.sources:
        return 0
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        offered = [
            {
                "key": f"campaign-{campaign.id}",
                "sentence": CAMPAIGN_SENTENCE,
                "link": url_for("campaigns.show", slug=campaign.slug),
                "link_text": campaign.title,
            },
            {
                "key": f"consultation-{consultation.id}",
                "sentence": CONSULTATION_SENTENCE,
                "link": url_for("consultations.show", consultation_id=consultation.id),
                "link_text": consultation.title,
            },
        ]
    statement.sources = sources_in(statement.text, offered)
    for revision in db.session.scalars(select(StatementRevision).where(StatementRevision.statement_id == statement.id)):
        revision.sources = sources_in(revision.text, offered)
    db.session.commit()
    return len(statement.sources)
