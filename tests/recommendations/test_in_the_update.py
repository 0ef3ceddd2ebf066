"""The Cabinet Member's update and the recommendations addressed to them
(#17.1): the editor lists the open ones with a link to respond; publishing
freezes "Recommendations from committees", with each one's latest response,
into the version (page, search text, PDF and Word); a later response changes
only the live pages, never the published version."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import BytesIO

from docx import Document
from sqlalchemy import select

from portal.extensions import db
from portal.models import UpdateVersion
from portal.recommendations import operations as ops
from portal.richtext import clean_document
from portal.updates import documents
from portal.updates.importer import ImportedReport, ImportedSection
from portal.updates.operations import create_from_import, save_details
from tests.factories import PortfolioFactory
from tests.recommendations.helpers import SEED_TEXTS, add, meeting, user

HEADING = "Recommendations from committees"


def _world(app, people) -> dict[str, int]:
    """Minute 67.5's four, 2 to 4 addressed to the cabinet_member; 2 answered in
    June, 3 done in July (the update's period), 4 done before it; and a draft
    update for July 2020."""
    with app.app_context(), app.test_request_context():
        officer, member = people["officer"], people["cabinet_member"]
        found = meeting(officer)
        first = add(
            officer, found, 1, text=SEED_TEXTS[0], addressed="officer_post", officer_post="Senior Improvement Lead"
        )
        second, third, fourth = (
            add(officer, found, n, text=SEED_TEXTS[n - 1], cabinet_member=member) for n in (2, 3, 4)
        )
        ops.respond(user(member), second, on=date(2020, 6, 2), text="Invitations are sent.", status="in_progress")
        ops.respond(user(member), third, on=date(2020, 7, 9), text="The update is on the agenda.", status="done")
        ops.respond(user(member), fourth, on=date(2020, 5, 1), text="Measures added in May.", status="done")
        PortfolioFactory(name="Children and Young People", cabinet_member=member)
        report = ImportedReport(
            title="Progress Report – July 2020",
            sections=[ImportedSection("Introduction", ["The month in the service."])],
            signatory_name="Jacquie Russell",
            signatory_role="Cabinet Member",
        )
        update = create_from_import(user(member), user(member), date(2020, 7, 1), report)
        save_details(
            user(member),
            update,
            {
                "title": update.title,
                "meeting_date": date(2020, 7, 17),
                "period_start": date(2020, 7, 1),
                "period_end": date(2020, 7, 17),
                "statement_month": None,
                "include_numbers": False,
            },
            update.details_version,
        )
        return {"update": update.id, "first": first.id, "second": second.id, "third": third.id, "fourth": fourth.id}


def test_the_editor_lists_the_open_recommendations_with_a_link_to_respond(app, client, signed_in, people):
    ids = _world(app, people)
    signed_in("cabinet_member")
    page = client.get(f"/updates/{ids['update']}/edit").get_data(as_text=True)
    panel = page[page.index('id="recommendations"') :]
    assert SEED_TEXTS[1] in panel and "Invitations are sent." in panel
    assert f'href="/recommendations/{ids["second"]}/respond?update={ids["update"]}"' in panel
    # Done ones, and the officer's, are not in the panel.
    assert SEED_TEXTS[2] not in panel and SEED_TEXTS[3] not in panel and SEED_TEXTS[0] not in page


def _publish(client, update_id: int) -> None:
    response = client.submit(f"/updates/{update_id}/publish", {"without_statement": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)


def test_publishing_freezes_the_section_and_a_later_response_does_not_change_it(app, client, signed_in, people):
    ids = _world(app, people)
    signed_in("cabinet_member")
    _publish(client, ids["update"])
    published = client.get(f"/updates/{ids['update']}/v1").get_data(as_text=True)
    section = published[published.index(HEADING) :]
    # Open ones, and those answered in the period (July); not the one done in May, nor the officer's.
    assert SEED_TEXTS[1] in section and "Invitations are sent." in section
    assert SEED_TEXTS[2] in section and "The update is on the agenda." in section
    assert SEED_TEXTS[3] not in section and SEED_TEXTS[0] not in published
    assert f'href="/recommendations/{ids["second"]}"' in section
    with app.app_context():
        before = db.session.scalar(select(UpdateVersion).where(UpdateVersion.update_id == ids["update"]))
        assert before is not None
        html, content = before.html, dict(before.content)
        assert [item["number"] for item in content["recommendations"]] == [2, 3]
        assert "Invitations are sent." in before.search_text

    url = f"/recommendations/{ids['second']}/respond"
    later = {"status": "done", "text": "Members came to the panel in September.", "on": ["9", "7", "2020"]}
    assert client.submit(url, later).status_code == 303

    with app.app_context():
        after = db.session.scalar(select(UpdateVersion).where(UpdateVersion.update_id == ids["update"]))
        assert after is not None and after.html == html and after.content == content
    again = client.get(f"/updates/{ids['update']}/v1").get_data(as_text=True)
    assert "Members came to the panel in September." not in again and "Invitations are sent." in again
    live = client.get(f"/recommendations/{ids['second']}").get_data(as_text=True)
    assert "Members came to the panel in September." in live


def test_the_frozen_section_survives_the_cleaning_on_read(app, client, signed_in, people):
    ids = _world(app, people)
    signed_in("cabinet_member")
    _publish(client, ids["update"])
    with app.app_context():
        version = db.session.scalar(select(UpdateVersion).where(UpdateVersion.update_id == ids["update"]))
        assert version is not None
        cleaned = str(clean_document(version.html))
    start = cleaned.index('<section class="portal-update-recommendations"')
    assert cleaned[start:].startswith(
        '<section class="portal-update-recommendations" id="recommendations-from-committees" '
        'aria-labelledby="recommendations-from-committees-title">'
    )
    stored = version.html[version.html.index('<section class="portal-update-recommendations"') :]
    kept = cleaned[start:]
    # Every tag and attribute the template wrote is kept (text entities may be written differently).
    assert tags(stored[: stored.index("</section>")]) == tags(kept[: kept.index("</section>")])
    assert "govuk-link" in kept and "<strong>" in kept


def tags(html: str) -> list[str]:
    return re.findall(r"<[^>]+>", html)


def test_the_pdf_and_the_word_file_carry_the_section(app, client, signed_in, people, tmp_path):
    ids = _world(app, people)
    signed_in("cabinet_member")
    _publish(client, ids["update"])
    with app.app_context():
        version = db.session.scalar(select(UpdateVersion).where(UpdateVersion.update_id == ids["update"]))
        assert version is not None
        content = version.content
    with app.test_request_context():
        word = documents.render_docx(content)
        pdf = documents.render_pdf(content)
    text = "\n".join(p.text for p in Document(BytesIO(word)).paragraphs)
    assert HEADING in text and "Response, 2 June 2020: Invitations are sent." in text
    assert text.index(HEADING) < text.index("Jacquie Russell")  # before the sign-off, as on the page
    path = tmp_path / "update.pdf"
    path.write_bytes(pdf)
    pdf_text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert HEADING in pdf_text and "Invitations are sent." in " ".join(pdf_text.split())


def test_a_version_published_before_recommendations_still_renders(app):
    """Versions frozen before #17.1 have no "recommendations" key."""
    with app.test_request_context():
        word = documents.render_docx({"title": "Old", "sections": [], "sign_off": {}, "chair_statement": None})
    assert HEADING not in "\n".join(p.text for p in Document(BytesIO(word)).paragraphs)


def test_an_update_lists_at_most_20_open_recommendations_and_says_how_many_more(app, client, signed_in, people):
    """At a county's scale a Cabinet Member can have hundreds open (#16): the
    update lists 20 from the oldest meetings (and every one answered in its
    period), and says how many more are open, on the page and in the Word file
    (there with the list's full address, for a reader who is not on the portal)."""
    ids = _world(app, people)  # 2 addressed to them are in the update: the open 2nd and the 3rd, answered in July
    with app.app_context(), app.test_request_context():
        officer, member = people["officer"], people["cabinet_member"]
        later = meeting(officer, minute="80.1")
        for number in range(1, 23):  # 22 more open ones, from a later meeting
            add(officer, later, number, text=f"Later recommendation {number}.", cabinet_member=member)
    signed_in("cabinet_member")
    editor = client.get(f"/updates/{ids['update']}/edit?recommendations=open").get_data(as_text=True)
    assert "the 20 from the oldest meetings, and a line saying how many more are open" in " ".join(editor.split())
    _publish(client, ids["update"])
    with app.app_context():
        version = db.session.scalar(select(UpdateVersion).where(UpdateVersion.update_id == ids["update"]))
        assert version is not None
        content = version.content
    listed = content["recommendations"]
    assert len(listed) == 21  # the 3rd (answered in the period) and 20 open: the 2nd and the later 1 to 19
    assert [item["number"] for item in listed[:2]] == [2, 3] and listed[-1]["text"] == "Later recommendation 19."
    assert content["recommendations_more"] == {"count": 3, "href": "/recommendations"}
    page = client.get(f"/updates/{ids['update']}/v1").get_data(as_text=True)
    assert "3 more open recommendations are not listed here." in " ".join(page.split())
    assert '<a class="govuk-link" href="/recommendations">See every recommendation and where it stands</a>' in page
    assert "Later recommendation 20." not in page
    with app.test_request_context():
        word = documents.render_docx(content)
    assert (
        "3 more open recommendations are not listed here. "
        "Every recommendation and where it stands: http://localhost/recommendations."
    ) in [p.text for p in Document(BytesIO(word)).paragraphs]
