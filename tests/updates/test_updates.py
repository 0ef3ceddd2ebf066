"""The Cabinet Member's update: editing, numbering, autosave conflicts,
publishing frozen versions, corrections, the public pages and the import."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    CabinetUpdate,
    ChairStatement,
    UpdateParagraph,
    UpdateRevision,
    UpdateVersion,
    User,
)
from portal.updates import operations as ops
from tests.conftest import SEEDS, add_person, shows_49
from tests.factories import CampaignFactory, ChairStatementFactory, PortfolioFactory, ReachEntryFactory

SEED = SEEDS / "2020-07-cabinet-member-progress-report.txt"


@pytest.fixture
def world(app, people):
    """The cabinet_member holds the Youth portfolio; July 2020's statement is accepted."""
    with app.app_context():
        PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        ChairStatementFactory(
            month=date(2020, 7, 1), text="Our first statement.\n\nIts second paragraph.", status="accepted"
        )
        db.session.commit()
    return people


def _make(
    app,
    people,
    paragraphs=(("Introduction", ["One.", "Two."]), ("Youth Cabinet", ["Three."])),
    meeting=date(2020, 7, 17),
    month=date(2020, 7, 1),
) -> int:
    """An update by the cabinet_member with these sections and paragraphs."""
    with app.app_context(), app.test_request_context():
        author = db.session.get(User, people["cabinet_member"].id)
        update = ops.create(author, author, month)
        ops.save_details(
            author,
            update,
            {
                "title": "July update",
                "meeting_date": meeting,
                "period_start": date(2020, 7, 1),
                "period_end": date(2020, 7, 17),
                "statement_month": month,
                "include_numbers": True,
            },
            update.details_version,
        )
        first = ops.outline(update).sections[0]
        ops.rename_section(author, update, first.section, paragraphs[0][0], first.section.version)
        ops.delete_paragraph(author, update, first.paragraphs[0].paragraph)
        for index, (heading, texts) in enumerate(paragraphs):
            section = first.section if index == 0 else ops.add_section(author, update, heading)
            if index:
                ops.delete_paragraph(author, update, ops.outline(update).sections[-1].paragraphs[0].paragraph)
            for text in texts:
                ops.add_paragraph(author, update, section, text)
        return update.id


def _numbers(app, update_id) -> list[tuple[int, str]]:
    with app.app_context():
        doc = ops.outline(db.session.get(CabinetUpdate, update_id))
        return [(p.number, p.paragraph.text) for s in doc.sections for p in s.paragraphs]


def _paragraph(app, update_id, text) -> UpdateParagraph:
    with app.app_context():
        return db.session.scalar(
            select(UpdateParagraph).where(UpdateParagraph.update_id == update_id, UpdateParagraph.text == text)
        )


class TestNumbering:
    def test_numbers_run_through_the_whole_document(self, app, world):
        update_id = _make(app, world)
        assert _numbers(app, update_id) == [(1, "One."), (2, "Two."), (3, "Three.")]

    def test_moving_renumbers_at_once_and_crosses_sections(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        two = _paragraph(app, update_id, "Two.")
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{two.id}/move", {"direction": "up"}, headers={"HX-Request": "true"}
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Paragraph 2 moved up. It is now paragraph 1." in html
        assert html.index("Two.") < html.index("One.")
        assert f'id="p{two.id}-up"' not in html  # now first: no "Move up"
        assert (
            f'id="p{two.id}-down" class="govuk-button govuk-button--secondary portal-button--small" data-module="govuk-button" data-autofocus'
            in html
        )
        assert _numbers(app, update_id) == [(1, "Two."), (2, "One."), (3, "Three.")]
        # Down from the end of a section: into the next section, at its start.
        one = _paragraph(app, update_id, "One.")
        client.submit(f"/updates/{update_id}/paragraphs/{one.id}/move", {"direction": "down"})
        with app.app_context():
            doc = ops.outline(db.session.get(CabinetUpdate, update_id))
            assert [[p.paragraph.text for p in s.paragraphs] for s in doc.sections] == [["Two."], ["One.", "Three."]]

    def test_a_move_into_the_next_section_can_be_undone(self, client, app, world, signed_in):
        """#14.11: a section's only paragraph moved down (leaving the section
        empty) still offers "Move up", which puts it back where it was."""
        update_id = _make(app, world, paragraphs=(("Introduction", ["One."]), ("Youth Cabinet", ["Two."])))
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        moved = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}/move", {"direction": "down"}, headers={"HX-Request": "true"}
        )
        assert "moved down into section 2" in moved.get_data(as_text=True)
        assert f'id="p{one.id}-up"' in moved.get_data(as_text=True)
        with app.app_context():
            doc = ops.outline(db.session.get(CabinetUpdate, update_id))
            assert [[p.paragraph.text for p in s.paragraphs] for s in doc.sections] == [[], ["One.", "Two."]]
        client.submit(f"/updates/{update_id}/paragraphs/{one.id}/move", {"direction": "up"})
        with app.app_context():
            doc = ops.outline(db.session.get(CabinetUpdate, update_id))
            assert [[p.paragraph.text for p in s.paragraphs] for s in doc.sections] == [["One."], ["Two."]]
        # And the other way: the last section's only paragraph moved up can come down again.
        two = _paragraph(app, update_id, "Two.")
        moved = client.submit(
            f"/updates/{update_id}/paragraphs/{two.id}/move", {"direction": "up"}, headers={"HX-Request": "true"}
        )
        assert f'id="p{two.id}-down"' in moved.get_data(as_text=True)

    def test_moving_past_the_ends_is_refused_with_a_message(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}/move", {"direction": "up"}, follow_redirects=True
        )
        assert "This paragraph is already the first one." in response.get_data(as_text=True)
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}/move", {"direction": "sideways"}, follow_redirects=True
        )
        assert "Choose up or down" in response.get_data(as_text=True)
        assert _numbers(app, update_id) == [(1, "One."), (2, "Two."), (3, "Three.")]

    def test_sections_move_and_only_empty_ones_are_deleted(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        with app.app_context():
            sections = ops.outline(db.session.get(CabinetUpdate, update_id)).sections
            first, second = sections[0].section.id, sections[1].section.id
        client.submit(f"/updates/{update_id}/sections/{second}/move", {"direction": "up"})
        assert _numbers(app, update_id) == [(1, "Three."), (2, "One."), (3, "Two.")]
        response = client.submit(f"/updates/{update_id}/sections/{first}/delete", follow_redirects=True)
        assert "still has writing in it" in response.get_data(as_text=True)
        assert len(_numbers(app, update_id)) == 3

    def test_two_hundred_paragraphs_are_numbered_in_order(self, app, world):
        update_id = _make(
            app, world, paragraphs=[(f"Section {s}", [f"Text {s}-{p}." for p in range(20)]) for s in range(10)]
        )
        numbers = _numbers(app, update_id)
        assert [n for n, _ in numbers] == list(range(1, 201))
        assert numbers[199] == (200, "Text 9-19.")


class TestAutosave:
    def test_htmx_save_returns_the_status_and_the_new_base_version(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}",
            {"text": "One, changed.", "base_version": one.version},
            headers={"HX-Request": "true"},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Saved at" in html
        assert f'id="p{one.id}-base" name="base_version" value="{one.version + 1}" data-hx-swap-oob="true"' in html

    def test_a_save_from_an_older_page_is_a_conflict_keeping_both_texts(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        client.submit(f"/updates/{update_id}/paragraphs/{one.id}", {"text": "From tab A.", "base_version": one.version})
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}",
            {"text": "From tab B.", "base_version": one.version},
            headers={"HX-Request": "true"},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 409
        assert response.headers["HX-Retarget"] == "#update-document"
        assert "was changed somewhere else" in html and "From tab A." in html and "From tab B." in html
        with app.app_context():
            assert db.session.get(UpdateParagraph, one.id).text == "From tab A."
            kept = db.session.scalars(select(UpdateRevision.text).where(UpdateRevision.kind == "conflict")).all()
            assert kept == ["From tab B."]

    def test_too_long_a_paragraph_is_refused_and_the_text_stays(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        huge = "x" * 100_000
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}", {"text": huge, "base_version": one.version}
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "too long to save" in html and huge in html
        assert f'href="#p{one.id}-text"' in html  # the error summary links to the paragraph
        assert _numbers(app, update_id)[0] == (1, "One.")

    def test_another_cabinet_members_update_is_refused(self, client, app, world):
        update_id = _make(app, world)
        with app.app_context():
            other = add_person("cabinet_member", email="other.cm@test.example", name="Other Member")
        client.sign_in(other.email)
        one = _paragraph(app, update_id, "One.")
        assert client.get(f"/updates/{update_id}/edit").status_code == 403
        assert (
            client.submit(
                f"/updates/{update_id}/paragraphs/{one.id}", {"text": "Mine now", "base_version": 1}
            ).status_code
            == 403
        )
        assert client.get(f"/updates/{update_id}/publish").status_code == 403
        assert _numbers(app, update_id)[0] == (1, "One.")

    def test_a_paragraph_of_another_update_is_not_found(self, client, app, world, signed_in):
        first = _make(app, world)
        second = _make(app, world, meeting=date(2020, 8, 1))
        signed_in("cabinet_member")
        one = _paragraph(app, first, "One.")
        response = client.submit(f"/updates/{second}/paragraphs/{one.id}", {"text": "Moved?", "base_version": 1})
        assert response.status_code == 404

    def test_one_update_per_meeting(self, client, app, world, signed_in):
        _make(app, world)
        second = _make(app, world, meeting=date(2020, 8, 1))
        signed_in("cabinet_member")
        response = client.submit(
            f"/updates/{second}/details",
            {
                "title": "Again",
                "meeting_date": ["17", "7", "2020"],
                "period_start": ["", "", ""],
                "period_end": ["", "", ""],
                "statement_month": "2020-07",
                "base_version": "2",
            },
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "There is already an update for the council meeting on 17 July 2020" in html
        assert 'value="Again"' in html  # what was typed stays

    def test_a_tampered_month_is_refused_next_to_the_field(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        response = client.submit(
            f"/updates/{update_id}/details",
            {
                "title": "July",
                "meeting_date": ["17", "7", "2020"],
                "period_start": ["", "", ""],
                "period_end": ["", "", ""],
                "statement_month": "2020-13",
                "base_version": "2",
            },
        )
        assert response.status_code == 422
        assert "Choose a month from the list" in response.get_data(as_text=True)


DETAILS = {
    "title": "July update",
    "meeting_date": ["17", "7", "2020"],
    "period_start": ["1", "7", "2020"],
    "period_end": ["17", "7", "2020"],
    "statement_month": "2020-07",
    "include_numbers": "y",
}
SIGN_OFF = {
    "closing": "With my best wishes.",
    "sign_off_label": "For information",
    "signatory_name": "A Member",
    "signatory_role": "Cabinet Member for Children and Young People",
    "contact_officer": "",
}


def _bases(client, update_id) -> dict[str, str]:
    """The versions the editor page's two forms were loaded from, as a tab holds them."""
    page = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
    return {
        form: re.search(rf'id="{form}-base" name="base_version" type="hidden" value="(\d+)"', page).group(1)
        for form in ("details", "sign-off")
    }


class TestDetailsAndSignOff:
    """#14.15: the details and the sign-off each have their own version."""

    def test_details_from_an_older_page_are_saved_when_only_the_sign_off_changed(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        old_tab = _bases(client, update_id)
        other_tab = _bases(client, update_id)
        saved = client.submit(
            f"/updates/{update_id}/sign-off",
            {**SIGN_OFF, "closing": "Warm wishes.", "base_version": other_tab["sign-off"]},
        )
        assert saved.status_code == 303
        response = client.submit(
            f"/updates/{update_id}/details", {**DETAILS, "title": "July, renamed", "base_version": old_tab["details"]}
        )
        assert response.status_code == 303 and response.headers["Location"].endswith("#details")
        with app.app_context():
            update = db.session.get(CabinetUpdate, update_id)
            assert (update.title, update.closing) == ("July, renamed", "Warm wishes.")

    def test_the_sign_off_from_an_older_page_is_saved_when_only_the_details_changed(
        self, client, app, world, signed_in
    ):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        old_tab = _bases(client, update_id)
        other_tab = _bases(client, update_id)
        saved = client.submit(
            f"/updates/{update_id}/details", {**DETAILS, "title": "July, renamed", "base_version": other_tab["details"]}
        )
        assert saved.status_code == 303
        response = client.submit(
            f"/updates/{update_id}/sign-off",
            {**SIGN_OFF, "closing": "Warm wishes.", "base_version": old_tab["sign-off"]},
        )
        assert response.status_code == 303 and response.headers["Location"].endswith("#sign-off")
        with app.app_context():
            update = db.session.get(CabinetUpdate, update_id)
            assert (update.title, update.closing) == ("July, renamed", "Warm wishes.")

    @pytest.mark.parametrize(
        ("form", "url", "data", "field", "stored"),
        [
            ("details", "details", DETAILS, "title", "title"),
            ("sign-off", "sign-off", SIGN_OFF, "closing", "closing"),
        ],
    )
    def test_a_change_to_the_same_form_from_an_older_page_is_still_refused(
        self, client, app, world, signed_in, form, url, data, field, stored
    ):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        base = _bases(client, update_id)[form]
        first = client.submit(f"/updates/{update_id}/{url}", {**data, field: "From tab A", "base_version": base})
        assert first.status_code == 303
        second = client.submit(f"/updates/{update_id}/{url}", {**data, field: "From tab B", "base_version": base})
        html = second.get_data(as_text=True)
        assert second.status_code == 409
        assert "were changed in another tab or by someone else since you opened this page" in html
        assert 'value="From tab B"' in html  # what was typed stays in the box
        with app.app_context():
            assert getattr(db.session.get(CabinetUpdate, update_id), stored) == "From tab A"
        # Having seen the conflict, saving again from that page is accepted.
        again = _bases(client, update_id)[form]
        assert html.count(f'id="{form}-base" name="base_version" type="hidden" value="{again}"') == 1
        third = client.submit(f"/updates/{update_id}/{url}", {**data, field: "From tab B", "base_version": again})
        assert third.status_code == 303


def _publish(client, update_id, **data):
    return client.submit(f"/updates/{update_id}/publish", data)


class TestPublishing:
    def test_publishing_freezes_the_update_with_the_statement_at_the_end(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        response = _publish(client, update_id)
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/updates/{update_id}/v1")
        client.submit("/sign-out")
        page = client.get(f"/updates/{update_id}/v1").get_data(as_text=True)
        assert (
            page.index("One.")
            < page.index("Three.")
            < page.index("Statement from the Chair of West Sussex Youth Cabinet")
        )
        assert page.index("Statement from the Chair") < page.index("Its second paragraph.")
        # The statement changing later does not change what was published.
        with app.app_context():
            statement = db.session.scalar(select(ChairStatement))
            statement.text = "A new text after publishing."
            db.session.commit()
        again = client.get(f"/updates/{update_id}/v1").get_data(as_text=True)
        assert "Our first statement." in again and "A new text after publishing." not in again

    def test_publishing_needs_a_title_and_a_meeting_date(self, client, app, world, signed_in):
        with app.app_context(), app.test_request_context():
            author = db.session.get(User, world["cabinet_member"].id)
            update = ops.create(author, author, date(2020, 7, 1))
            ops.save_details(
                author,
                update,
                {
                    "title": "",
                    "meeting_date": None,
                    "period_start": None,
                    "period_end": None,
                    "statement_month": date(2020, 7, 1),
                    "include_numbers": False,
                },
                update.details_version,
            )
            update_id = update.id
        signed_in("cabinet_member")
        page = client.get(f"/updates/{update_id}/publish").get_data(as_text=True)
        assert "Give the update a title before you publish it" in page
        assert "Enter the date of the council meeting before you publish" in page
        response = _publish(client, update_id)
        assert response.status_code == 422
        with app.app_context():
            assert db.session.scalar(select(UpdateVersion)) is None

    def test_a_section_without_paragraphs_cannot_be_published(self, client, app, world, signed_in):
        """#14.10: an empty "Introduction" once reached the page, the PDF and the Word file."""
        update_id = _make(app, world, paragraphs=(("Introduction", []), ("Youth Cabinet", ["Three."])))
        signed_in("cabinet_member")
        page = client.get(f"/updates/{update_id}/publish").get_data(as_text=True)
        assert "The section “Introduction” has no paragraphs" in page
        assert _publish(client, update_id).status_code == 422
        with app.app_context():
            assert db.session.scalar(select(UpdateVersion)) is None

    def test_without_an_accepted_statement_publishing_needs_an_explicit_tick(self, client, app, world, signed_in):
        update_id = _make(app, world, meeting=date(2020, 8, 21), month=date(2020, 8, 1))
        signed_in("cabinet_member")
        page = client.get(f"/updates/{update_id}/publish").get_data(as_text=True)
        assert "If you publish now, the update goes out without it" in page
        response = _publish(client, update_id)
        assert response.status_code == 422
        assert "Tick the box to publish without it" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(select(UpdateVersion)) is None
        assert _publish(client, update_id, without_statement="y").status_code == 303
        page = client.get(f"/updates/{update_id}").get_data(as_text=True)
        assert "Statement from the Chair" not in page

    def test_a_published_update_cannot_be_edited_and_a_correction_makes_version_2(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        _publish(client, update_id)
        one = _paragraph(app, update_id, "One.")
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}",
            {"text": "Sneaky.", "base_version": one.version},
            follow_redirects=True,
        )
        assert "make a correction" in response.get_data(as_text=True)
        assert _paragraph(app, update_id, "One.") is not None
        assert "Make a correction" in client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
        client.submit(f"/updates/{update_id}/correct")
        client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}", {"text": "One, corrected.", "base_version": one.version}
        )
        response = _publish(client, update_id, note="")
        assert response.status_code == 422 and "Say what this correction changes" in response.get_data(as_text=True)
        assert _publish(client, update_id, note="Paragraph 1 is corrected.").headers["Location"].endswith("/v2")
        old = client.get(f"/updates/{update_id}/v1").get_data(as_text=True)
        assert "One." in old and "One, corrected." not in old and "which has been corrected" in old
        latest = client.get(f"/updates/{update_id}").get_data(as_text=True)
        assert "One, corrected." in latest and "Paragraph 1 is corrected." in latest
        with app.app_context():
            assert db.session.scalars(select(UpdateVersion.is_latest).order_by(UpdateVersion.number)).all() == [
                False,
                True,
            ]

    def test_markup_and_template_syntax_stay_inert_everywhere(self, client, app, world, signed_in):
        nasty = "<script>alert(1)</script> {{7*7}} <b>bold?</b> [x](javascript:alert(1))"
        update_id = _make(app, world, paragraphs=(("Intro <i>", [nasty]),))
        signed_in("cabinet_member")
        editor = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in editor and "&lt;script&gt;" in editor and not shows_49(editor)
        _publish(client, update_id)
        page = client.get(f"/updates/{update_id}/v1").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<b>bold?</b>" not in page and 'href="javascript' not in page
        assert "{{7*7}}" in page and not shows_49(page)
        word = Document(io.BytesIO(client.get(f"/updates/{update_id}/v1/docx").data))
        text = "\n".join(p.text for p in word.paragraphs)
        assert "<script>alert(1)</script>" in text and "{{7*7}}" in text and "49" not in text
        search = client.get("/updates/search?q=%3Cscript%3E").get_data(as_text=True)
        assert "<script>alert(1)" not in search and "1 update matches" in search

    def test_youth_voice_in_numbers_is_frozen_with_the_previous_period(self, client, app, world, signed_in):
        with app.app_context():
            campaign = CampaignFactory(slug="c", title="C", published=True)
            ReachEntryFactory(campaign=campaign, on=date(2020, 7, 5), people=11000)
            ReachEntryFactory(campaign=campaign, on=date(2020, 6, 20), people=300)
            ReachEntryFactory(campaign=campaign, on=date(2020, 5, 1), people=5)
            db.session.commit()
        update_id = _make(app, world)
        signed_in("cabinet_member")
        _publish(client, update_id)
        with app.app_context():
            numbers = db.session.scalar(select(UpdateVersion)).content["numbers"]
        reach = next(row for row in numbers["rows"] if row["label"].startswith("People reached"))
        assert (reach["value"], reach["previous"]) == ("11,000", "300")  # 1-17 July against 14-30 June
        assert numbers["previous_label"] == "14 to 30 June 2020"
        assert "11,000" in client.get(f"/updates/{update_id}").get_data(as_text=True)


def _contents(html: str) -> str:
    """The editor's contents list (the page's, or the one an htmx answer carries out of band)."""
    match = re.search(r'<nav class="portal-contents" id="contents".*?</nav>', html, re.S)
    assert match, "no contents list"
    return " ".join(match.group(0).split())


class TestEditorLayout:
    """#14.14: a contents list of the sections, "Back to contents" after each,
    the details and sign-off shown with their forms folded away."""

    def test_the_contents_list_counts_each_sections_paragraphs_and_marks_what_needs_writing(
        self, client, app, world, signed_in
    ):
        update_id = _make(app, world, paragraphs=(("Introduction", ["One.", ""]), ("Youth Cabinet", [])))
        with app.app_context():
            first, second = (
                entry.section.id for entry in ops.outline(db.session.get(CabinetUpdate, update_id)).sections
            )
        signed_in("cabinet_member")
        html = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
        contents = _contents(html)
        assert '<a class="govuk-link" href="#details">Details</a> </li>' in contents  # nothing missing
        assert (
            f'<a class="govuk-link" href="#section{first}-title">Section 1: Introduction</a> '
            '<span class="portal-contents__count">(2 paragraphs, 1 empty)</span> '
            '<strong class="govuk-tag govuk-tag--yellow portal-contents__tag">Needs attention</strong>'
        ) in contents
        assert (
            f'<a class="govuk-link" href="#section{second}-title">Section 2: Youth Cabinet</a> '
            '<span class="portal-contents__count">(no paragraphs)</span> '
            '<strong class="govuk-tag govuk-tag--grey portal-contents__tag">Empty</strong>'
        ) in contents
        assert '<a class="govuk-link" href="#sign-off">Sign-off</a>' in contents
        # Each link leads to a heading on the page; each section ends with the way back.
        for section in (first, second):
            assert f'id="section{section}-title">Section' in html
        assert html.count('<a class="govuk-link portal-update-row__end" href="#contents">Back to contents</a>') == 2

    def test_missing_details_are_marked_in_the_contents_and_said_in_the_summary(self, client, app, world, signed_in):
        signed_in("cabinet_member")
        client.submit("/updates/new")
        with app.app_context():
            update_id = db.session.scalar(select(CabinetUpdate.id))
        html = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
        assert (
            '<a class="govuk-link" href="#details">Details</a> '
            '<strong class="govuk-tag govuk-tag--yellow portal-contents__tag">Needs attention</strong>'
        ) in _contents(html)
        summary = " ".join(html.split('id="details"', 1)[1].split("</dl>", 1)[0].split())
        assert (
            'Council meeting</dt> <dd class="govuk-summary-list__value">Not given yet: it is needed to publish'
            in summary
        )

    def test_an_htmx_change_to_the_document_brings_the_contents_list_out_of_band(self, client, app, world, signed_in):
        update_id = _make(app, world)
        with app.app_context():
            section = ops.outline(db.session.get(CabinetUpdate, update_id)).sections[1].section.id
        signed_in("cabinet_member")
        response = client.submit(f"/updates/{update_id}/sections/{section}/paragraphs", headers={"HX-Request": "true"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert (
            '<nav class="portal-contents" id="contents" aria-labelledby="contents-title" data-hx-swap-oob="true">'
            in html
        )
        assert 'Section 2: Youth Cabinet</a> <span class="portal-contents__count">(2 paragraphs, 1 empty)' in _contents(
            html
        )

    def test_an_autosave_that_fills_or_empties_a_paragraph_brings_the_contents_list(
        self, client, app, world, signed_in
    ):
        update_id = _make(app, world, paragraphs=(("Introduction", ["One.", ""]),))
        signed_in("cabinet_member")
        empty = _paragraph(app, update_id, "")

        def autosave(text: str) -> str:
            with app.app_context():
                version = db.session.get(UpdateParagraph, empty.id).version
            return client.submit(
                f"/updates/{update_id}/paragraphs/{empty.id}",
                {"text": text, "base_version": version},
                headers={"HX-Request": "true"},
            ).get_data(as_text=True)

        filled = autosave("Now written.")
        assert "Saved at" in filled and "(2 paragraphs)</span> </li>" in _contents(filled)
        assert 'id="contents"' not in autosave("Now written, and more.")  # still written: nothing to refresh
        emptied = autosave("")
        assert "(2 paragraphs, 1 empty)" in _contents(emptied)

    def test_the_details_and_sign_off_forms_fold_away_unless_a_save_was_refused(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        page = client.get(f"/updates/{update_id}/edit").get_data(as_text=True)
        assert '<details class="govuk-details portal-update-change" id="details-change">' in page
        assert '<details class="govuk-details portal-update-change" id="sign-off-change">' in page
        assert "With my best wishes." in page.split('id="sign-off-lines"', 1)[1].split("</div>", 1)[0]
        refused = client.submit(
            f"/updates/{update_id}/details", {**DETAILS, "statement_month": "2020-13", "base_version": "2"}
        ).get_data(as_text=True)
        assert '<details class="govuk-details portal-update-change" id="details-change" open>' in refused
        assert '<details class="govuk-details portal-update-change" id="sign-off-change">' in refused
        refused = client.submit(
            f"/updates/{update_id}/sign-off", {**SIGN_OFF, "closing": "x" * 501, "base_version": "1"}
        ).get_data(as_text=True)
        assert '<details class="govuk-details portal-update-change" id="sign-off-change" open>' in refused


class TestPublicPages:
    def test_archive_search_and_feed(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        _publish(client, update_id)
        client.submit("/sign-out")
        assert "July update" in client.get("/updates/archive/2020/7").get_data(as_text=True)
        assert "July update" not in client.get("/updates/archive/2020/8").get_data(as_text=True)
        assert "No updates have been published in 2019" in client.get("/updates/archive/2019").get_data(as_text=True)
        assert "1 update matches" in client.get("/updates/search?q=three").get_data(as_text=True)
        assert "0 updates match" in client.get("/updates/search?q=%25").get_data(as_text=True)
        feed = client.get("/updates/feed.atom")
        assert feed.headers["Content-Type"].startswith("application/atom+xml")
        assert f"/updates/{update_id}/v1</id>" in feed.get_data(as_text=True)
        # #14.21: each entry carries the update's text, not only a one-line summary.
        entry = feed.get_data(as_text=True).split("<entry>", 1)[1]
        assert '<content type="html">' in entry and "Three." in entry

    def test_a_report_is_filed_under_the_month_it_covers_not_its_meeting(self, client, app, world, signed_in):
        """#14.13: July's report read at an August meeting is July's."""
        update_id = _make(app, world, meeting=date(2020, 8, 3))
        signed_in("cabinet_member")
        _publish(client, update_id)
        july = client.get("/updates/archive/2020/7").get_data(as_text=True)
        assert "July update" in july and "For the council meeting on 3 August 2020" in july
        assert "July update" not in client.get("/updates/archive/2020/8").get_data(as_text=True)
        everything = client.get("/updates").get_data(as_text=True)
        assert '<h3 class="govuk-heading-s">July 2020</h3>' in everything
        assert "August 2020</h3>" not in everything

    def test_a_draft_is_not_public(self, client, app, world):
        update_id = _make(app, world)
        assert client.get(f"/updates/{update_id}").status_code == 404
        assert client.get(f"/updates/{update_id}/v1/pdf").status_code == 404

    def test_the_published_page_runs_a_fixed_number_of_queries(self, client, app, world, signed_in, count_queries):
        small = _make(app, world)
        big = _make(
            app,
            world,
            paragraphs=[(f"S{s}", [f"P {s}-{p}." for p in range(20)]) for s in range(10)],
            meeting=date(2020, 9, 1),
        )
        signed_in("cabinet_member")
        _publish(client, small)
        _publish(client, big, without_statement="y")
        client.submit("/sign-out")
        counts = []
        for update_id in (small, big):
            with count_queries() as counter:
                assert client.get(f"/updates/{update_id}").status_code == 200
            counts.append(counter.count)
        assert counts[0] == counts[1]

    def test_the_editor_runs_a_fixed_number_of_queries(self, client, app, world, signed_in, count_queries):
        small = _make(app, world)
        big = _make(
            app,
            world,
            paragraphs=[(f"S{s}", [f"P {s}-{p}." for p in range(10)]) for s in range(5)],
            meeting=date(2020, 9, 1),
        )
        signed_in("cabinet_member")
        counts = []
        for update_id in (small, big):
            with count_queries() as counter:
                assert client.get(f"/updates/{update_id}/edit").status_code == 200
            counts.append(counter.count)
        assert counts[0] == counts[1]


class TestImport:
    def test_check_then_save(self, client, app, world, signed_in):
        signed_in("cabinet_member")
        text = SEED.read_text()
        checked = client.submit("/updates/import", {"text": text, "check": "1"})
        html = checked.get_data(as_text=True)
        assert checked.status_code == 200 and "Save as a new draft" in html and "Paragraph 11" in html
        with app.app_context():
            assert db.session.scalar(select(CabinetUpdate)) is None  # nothing saved by checking
        fingerprint = re.search(r'name="checked" type="hidden" value="([^"]+)"', html).group(1)
        saved = client.submit("/updates/import", {"text": text, "checked": fingerprint, "save": "1"})
        assert saved.status_code == 303
        with app.app_context():
            update = db.session.scalar(select(CabinetUpdate))
            assert ops.outline(update).paragraph_count == 11
            assert update.contact_officer == "Lance John, Business Manager, 033 022 23456"

    def test_text_without_numbers_becomes_one_section_with_a_message(self, client, signed_in):
        signed_in("cabinet_member")
        html = client.submit(
            "/updates/import", {"text": "A title\n\nFirst thought.\n\nSecond thought.", "check": "1"}
        ).get_data(as_text=True)
        assert "could not find any numbered paragraphs" in html and "Paragraph 2" in html

    def test_empty_text_is_refused_next_to_the_box(self, client, signed_in):
        signed_in("cabinet_member")
        response = client.submit("/updates/import", {"text": "   ", "check": "1"})
        assert response.status_code == 422
        assert "There is no text to import" in response.get_data(as_text=True)


def _words(text: str) -> str:
    """The words of a text: bullet dashes at the start of lines and bold stars left out."""
    lines = (re.sub(r"^- ", "", line.strip()) for line in text.splitlines())
    return " ".join(" ".join(lines).replace("**", "").split())


def _seed_paragraphs(text: str) -> list[str]:
    """The seed's numbered paragraphs, read independently of the importer:
    split at each number marker, drop bullets' dashes and bold stars, join the words."""
    body = text.split("Statement from the Chair")[0].split("With my best wishes")[0]
    pieces = re.split(r"^(?:- )?(\d{1,2})(?:\*\*| )", body, flags=re.M)
    paragraphs = {}
    for number, chunk in zip(pieces[1::2], pieces[2::2], strict=True):
        lines = [line for line in chunk.splitlines() if line.strip()]
        # A section heading ends a paragraph: a short line with no full stop, before the next number.
        while lines and len(lines[-1].split()) <= 8 and not lines[-1].rstrip().endswith((".", ":")):
            lines.pop()
        paragraphs[int(number)] = _words("\n".join(lines))
    return [paragraphs[n] for n in sorted(paragraphs)]


def test_the_demo_july_2020_update_is_the_seed_paragraph_by_paragraph(app):
    from portal.demo.world import load_demo

    if not SEED.exists():
        pytest.fail(f"seed not found at {SEED}")
    with app.app_context():
        load_demo()
        version = db.session.scalar(select(UpdateVersion).where(UpdateVersion.meeting_date == date(2020, 7, 17)))
        content = version.content
    seed = SEED.read_text()
    from portal.updates.blocks import blocks_text

    published = [_words(blocks_text(p["blocks"])) for section in content["sections"] for p in section["paragraphs"]]
    expected = _seed_paragraphs(seed)
    assert len(published) == len(expected) == 11
    for number, (ours, theirs) in enumerate(zip(published, expected, strict=True), start=1):
        assert ours == theirs, f"paragraph {number} differs"
    assert [s["heading"] for s in content["sections"]] == [
        "Introduction",
        "Covid-19 Response",
        "Covid-19 Recovery",
        "Service Leadership",
        "Ofsted & Children's Trust",
        "Creating the Foundations for a Good Service",
        "Strengthening the Workforce within the new model",
        "Continued Service Improvement",
        "Youth Cabinet",
    ]
    assert content["title"] == seed.strip().splitlines()[0]
    assert content["sign_off"] == {
        "closing": "With my best wishes for your continued good health.",
        "label": "For information",
        "name": "Jacquie Russell",
        "role": "Cabinet Member for Children and Young People",
        "contact": "Lance John, Business Manager, 033 022 23456",
    }
    statement = seed.split("Statement from the Chair of West Sussex Youth Cabinet", 1)[1].strip()
    assert content["chair_statement"]["heading"] == "Statement from the Chair of West Sussex Youth Cabinet"
    assert content["chair_statement"]["paragraphs"] == [statement]


class TestOddInput:
    def test_numbers_too_big_for_the_database_are_not_found(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        huge = "99999999999999999999"
        assert client.get(f"/updates/{huge}").status_code == 404
        assert client.get(f"/updates/{update_id}/v{huge}/pdf").status_code == 404
        assert client.get(f"/updates/{huge}/edit").status_code == 404
        assert client.submit(f"/updates/{update_id}/paragraphs/{huge}/move", {"direction": "up"}).status_code == 404
        assert client.get("/updates/archive/9999/12").status_code == 404

    def test_dates_far_away_are_refused_next_to_the_field(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        response = client.submit(
            f"/updates/{update_id}/details",
            {
                "title": "July",
                "meeting_date": ["17", "7", "2020"],
                "period_start": ["1", "1", "1"],
                "period_end": ["31", "12", "9999"],
                "statement_month": "2020-07",
                "base_version": "2",
            },
        )
        assert response.status_code == 422
        assert response.get_data(as_text=True).count("Enter a date between the years 2000 and 2100") >= 2
        assert client.get(f"/updates/{update_id}/edit").status_code == 200

    def test_a_save_for_a_paragraph_deleted_in_another_tab_keeps_the_text(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        one = _paragraph(app, update_id, "One.")
        client.submit(f"/updates/{update_id}/paragraphs/{one.id}/delete", {"confirmed": "yes"})
        response = client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}",
            {"text": "Typed in the other tab.", "base_version": one.version},
        )
        html = response.get_data(as_text=True)
        assert (
            response.status_code == 409 and "This paragraph was deleted" in html and "Typed in the other tab." in html
        )
        with app.app_context():
            kinds = db.session.scalars(
                select(UpdateRevision.kind).where(UpdateRevision.text == "Typed in the other tab.")
            ).all()
            assert kinds == ["refused"]

    def test_without_javascript_delete_asks_first(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        two = _paragraph(app, update_id, "Two.")
        asked = client.submit(f"/updates/{update_id}/paragraphs/{two.id}/delete")
        assert asked.status_code == 200 and "Delete paragraph 2?" in asked.get_data(as_text=True)
        assert _paragraph(app, update_id, "Two.") is not None
        client.submit(f"/updates/{update_id}/paragraphs/{two.id}/delete", {"confirmed": "yes"})
        assert _numbers(app, update_id) == [(1, "One."), (2, "Three.")]

    def test_publishing_after_a_change_elsewhere_asks_to_look_again(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        page = client.get(f"/updates/{update_id}/publish").get_data(as_text=True)
        seen = re.search(r'name="seen" type="hidden" value="([^"]+)"', page).group(1)
        one = _paragraph(app, update_id, "One.")
        client.submit(
            f"/updates/{update_id}/paragraphs/{one.id}", {"text": "Changed by an officer.", "base_version": one.version}
        )
        response = _publish(client, update_id, seen=seen)
        assert response.status_code == 422
        with app.app_context():
            assert db.session.scalar(select(UpdateVersion)) is None
        fresh = re.search(r'name="seen" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)
        assert _publish(client, update_id, seen=fresh).status_code == 303

    def test_publishing_twice_makes_one_version(self, client, app, world, signed_in):
        update_id = _make(app, world)
        signed_in("cabinet_member")
        assert _publish(client, update_id).status_code == 303
        again = _publish(client, update_id)
        assert again.status_code == 422 and "already published" in again.get_data(as_text=True)
        with app.app_context():
            assert len(db.session.scalars(select(UpdateVersion)).all()) == 1

    def test_only_checked_import_text_is_saved(self, client, app, world, signed_in):
        signed_in("cabinet_member")
        checked = client.submit("/updates/import", {"text": "Title\n\n1 First.", "check": "1"}).get_data(as_text=True)
        fingerprint = re.search(r'name="checked" type="hidden" value="([^"]+)"', checked).group(1)
        response = client.submit(
            "/updates/import", {"text": "Title\n\n1 Changed after the check.", "checked": fingerprint, "save": "1"}
        )
        assert response.status_code == 200 and "changed after it was checked" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(select(CabinetUpdate)) is None
