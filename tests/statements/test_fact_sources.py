"""#17.5: a fact put in the Chair's statement keeps the link to its source,
kept beside the text, shown in the preview and in the published update (page,
PDF's print page and Word), and gone once its sentence is edited away."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document

from portal.extensions import db
from portal.models import ChairStatement, StatementRevision
from portal.statements.operations import current_month
from portal.statements.sources import by_paragraph, sources_in
from tests.conftest import add_person
from tests.factories import (
    CabinetUpdateFactory,
    CampaignFactory,
    ChairStatementFactory,
    PortfolioFactory,
    ReachEntryFactory,
    UpdateParagraphFactory,
    UpdateSectionFactory,
)

MONTH = current_month()
URL = f"/statements/{MONTH:%Y-%m}"
HX = {"HX-Request": "true"}


@pytest.fixture
def chair(app, client, signed_in, people):
    """This month: a running campaign the Chair can tell about, and a draft statement."""
    with app.app_context():
        PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        campaign = CampaignFactory(
            title="Fair fares", slug="fair-fares", published=True, status="active", starts_on=MONTH
        )
        ReachEntryFactory(campaign=campaign, on=MONTH, people=320)
        ChairStatementFactory(month=MONTH, text="First words.", created_by=people["chair"])
        db.session.commit()
    signed_in("chair")
    return client


def _statement(app) -> ChairStatement:
    with app.app_context():
        found = db.session.scalar(db.select(ChairStatement).where(ChairStatement.month == MONTH))
        db.session.expunge(found)
        return found


def _fact(client) -> tuple[str, str]:
    """The campaign's fact as the editor offers it: (key, sentence)."""
    page = client.get(URL).get_data(as_text=True)
    key, sentence = re.search(
        r'name="insert_fact" value="(campaign-\d+)"\s+[^>]*data-insert-text="([^"]+)"', page
    ).groups()
    return key, sentence.replace("&#39;", "'").replace("&amp;", "&")


def _save(client, text: str, version: int, **extra):
    return client.submit(URL, {"text": text, "base_version": str(version), **extra})


def test_a_fact_added_without_javascript_keeps_its_source_and_the_preview_links_it(chair, app):
    key, sentence = _fact(chair)
    assert _save(chair, "First words.", 1, insert_fact=key).status_code == 303
    saved = _statement(app)
    assert saved.text == f"First words.\n\n{sentence}"
    assert saved.sources == [
        {"key": key, "sentence": sentence, "link": "/campaigns/fair-fares", "link_text": "Fair fares"}
    ]
    preview = chair.get(f"{URL}/preview").get_data(as_text=True)
    assert re.search(r'Source:\s*<a class="govuk-link" href="/campaigns/fair-fares">Fair fares</a>', preview)
    # Kept beside the text in the history too.
    with app.app_context():
        assert db.session.scalars(db.select(StatementRevision.sources)).all()[-1][0]["link"] == "/campaigns/fair-fares"


def test_a_fact_put_in_by_the_page_script_keeps_its_source(chair, app):
    """With JavaScript the sentence goes in at the cursor and autosaves: the
    text alone says which fact is there."""
    _, sentence = _fact(chair)
    text = f"First words. {sentence} More words."
    assert chair.submit(URL, {"text": text, "base_version": "1"}, headers=HX).status_code == 200
    assert [s["link"] for s in _statement(app).sources] == ["/campaigns/fair-fares"]


def test_editing_the_sentence_away_takes_its_source_with_it(chair, app):
    key, sentence = _fact(chair)
    _save(chair, "First words.", 1, insert_fact=key)
    _save(chair, "First words.\n\nOur campaign did well.", 2)
    assert _statement(app).sources == []
    assert "Source:" not in chair.get(f"{URL}/preview").get_data(as_text=True)


def test_a_source_stays_while_its_sentence_does_even_when_the_figures_move_on(chair, app):
    """The Chair put in "reached 320 people"; the campaign has reached more
    since, so today's fact says otherwise: the kept source still applies."""
    key, sentence = _fact(chair)
    _save(chair, "First words.", 1, insert_fact=key)
    with app.app_context():
        from portal.models import Campaign

        ReachEntryFactory(campaign=db.session.scalar(db.select(Campaign)), on=MONTH, people=80)
        db.session.commit()
    assert _fact(chair)[1] != sentence
    _save(chair, f"Opening line.\n\n{sentence}", 2)
    assert [s["sentence"] for s in _statement(app).sources] == [sentence]


def test_restoring_a_version_brings_its_sources_back(chair, app):
    key, sentence = _fact(chair)
    _save(chair, "First words.", 1, insert_fact=key)
    _save(chair, "Something else entirely.", 2)
    with app.app_context():
        sourced = db.session.scalar(db.select(StatementRevision).where(StatementRevision.text.contains("Fair fares")))
        sourced_id = sourced.id
        # The figures move on, so today's facts no longer offer this sentence.
        from portal.models import ReachEntry

        db.session.execute(db.delete(ReachEntry))
        db.session.commit()
    assert chair.submit(f"{URL}/revisions/{sourced_id}/restore", {"base_version": "3"}).status_code == 303
    assert [s["link"] for s in _statement(app).sources] == ["/campaigns/fair-fares"]


def test_a_conflict_keeps_the_refused_texts_sources_and_loses_nothing(chair, app):
    _, sentence = _fact(chair)
    _save(chair, "Saved elsewhere.", 1)
    answer = _save(chair, f"This tab. {sentence}", 1)
    assert answer.status_code == 409
    with app.app_context():
        refused = db.session.scalar(db.select(StatementRevision).where(StatementRevision.kind == "conflict"))
        assert [s["link"] for s in refused.sources] == ["/campaigns/fair-fares"]
    assert _statement(app).text == "Saved elsewhere." and _statement(app).sources == []


def test_the_published_update_links_each_fact_to_its_source(app, client, people, tmp_path):
    """The page (and so the PDF, made from the print page) and the Word file."""
    from portal.updates import operations as ops

    with app.app_context(), app.test_request_context():
        member = db.session.get(ops.User, people["cabinet_member"].id)
        sentence = "Our Fair fares campaign reached 320 people this month."
        CampaignFactory(title="Fair fares", slug="fair-fares", published=True)
        ChairStatementFactory(
            month=MONTH,
            status="accepted",
            text=f"An opening.\n\nWe did a lot. {sentence}\n\nA closing line.",
            sources=[
                {"key": "campaign-1", "sentence": sentence, "link": "/campaigns/fair-fares", "link_text": "Fair fares"},
                {"key": "gone", "sentence": "Edited away.", "link": "/campaigns", "link_text": "Campaigns"},
            ],
        )
        update = CabinetUpdateFactory(
            author=member, meeting_date=date.today() + timedelta(days=7), statement_month=MONTH
        )
        UpdateParagraphFactory(section=UpdateSectionFactory(update=update), text="Our work.")
        db.session.commit()
        version = ops.publish(member, update, tell_chair=False)
        content = version.content
        update_id, number = update.id, version.number
    assert content["chair_statement"]["sources"] == [
        [],
        [{"link": "/campaigns/fair-fares", "link_text": "Fair fares"}],
        [],
    ]
    page = client.get(f"/updates/{update_id}/v{number}").get_data(as_text=True)
    assert len(re.findall(r'Source:\s*<a class="govuk-link" href="/campaigns/fair-fares">Fair fares</a>', page)) == 1
    assert "Edited away" not in page
    assert client.get("/campaigns/fair-fares").status_code == 200  # a visitor opens it
    address = f"{app.config['BASE_URL'].rstrip('/')}/campaigns/fair-fares"
    word = Document(BytesIO(client.get(f"/updates/{update_id}/v{number}/docx").data))
    lines = [p.text for p in word.paragraphs]
    at = lines.index(f"We did a lot. {sentence}")
    assert lines[at + 1] == f"Source: Fair fares ({address})"
    # On paper the link is the page's full address.
    pdf = tmp_path / "update.pdf"
    pdf.write_bytes(client.get(f"/updates/{update_id}/v{number}/pdf").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Source: Fair fares ({address})" in " ".join(text.split())


def test_sources_belong_to_the_paragraph_holding_their_sentence():
    sources = [
        {"key": "a", "sentence": "One fact.", "link": "/a", "link_text": "A"},
        {"key": "b", "sentence": "Two fact.", "link": "/b", "link_text": "B"},
    ]
    text = "Two fact. Words.\n\nNothing here.\n\nOne fact."
    assert [[s["key"] for s in found] for _, found in by_paragraph(text, sources)] == [["b"], [], ["a"]]
    # In the order the text tells them; a sentence offered twice is kept once.
    assert [s["key"] for s in sources_in(text, sources, sources)] == ["b", "a"]


def test_the_migration_is_0020_after_0019():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "migrations/versions/0020_fact_sources.py").read_text()
    assert 'revision = "0020"' in text and 'down_revision = "0019"' in text


def test_new_members_fact_links_to_a_public_page(chair, app):
    with app.app_context():
        add_person("youth_member", email="new@test.example", name="New M.")
    page = chair.get(URL).get_data(as_text=True)
    link = f"/youth-voice?start={MONTH:%Y-%m-%d}&amp;end="
    assert re.search(re.escape(link) + r"[0-9-]+#youth-cabinet", page)


def test_the_demo_july_statement_keeps_its_facts_sources_in_the_published_update(app):
    from portal.demo.statements import JULY_2020
    from portal.demo.world import load_demo
    from portal.models import UpdateVersion

    with app.app_context():
        load_demo()
        july = db.session.scalar(db.select(ChairStatement).where(ChairStatement.month == date(2020, 7, 1)))
        assert july.text == JULY_2020  # still the seed word for word: the sources are beside it
        version = db.session.scalar(db.select(UpdateVersion).order_by(UpdateVersion.id))
        (sources,) = version.content["chair_statement"]["sources"]
    assert [source["link_text"] for source in sources] == ["Covid-19 Wellbeing", "Our name, brand and wording"]


@pytest.fixture
def facts_kept(app, monkeypatch):
    """Facts kept a minute, as in production (#16); forgotten afterwards."""
    from portal.figures import facts

    monkeypatch.setitem(app.config, "FACTS_CACHE_SECONDS", 60)
    facts._kept.clear()
    yield
    facts._kept.clear()


def test_in_production_the_months_facts_are_made_once_a_minute_not_on_every_page(chair, app, facts_kept, count_queries):
    """The editor and every autosave offer the month's facts; kept a minute,
    the second view makes none of their queries and shows the same facts."""
    first = chair.get(URL).get_data(as_text=True)
    with count_queries() as kept:
        again = chair.get(URL).get_data(as_text=True)
    with app.app_context():
        add_person("youth_member", email="later@test.example", name="Later M.")
    still = chair.get(URL).get_data(as_text=True)
    app.config["FACTS_CACHE_SECONDS"] = 0
    with count_queries() as made:
        fresh = chair.get(URL).get_data(as_text=True)

    def offered(page: str) -> list[str]:
        return re.findall(r'data-insert-text="([^"]+)"', page)

    assert offered(first) == offered(again) == offered(still)
    assert kept.count < made.count - 3
    # The member who joined since shows once the kept facts are made again.
    assert offered(fresh) != offered(still)
    assert "3 young people joined" in " ".join(offered(fresh))
