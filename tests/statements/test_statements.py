"""The Chair's statement: saving with version checks, revisions, review, facts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.autosave import should_fold
from portal.diffs import Change, count_words, word_diff
from portal.extensions import db
from portal.models import ChairStatement, Notification, StatementReview, StatementRevision
from portal.models.base import utcnow
from portal.statements.operations import current_month
from tests.conftest import PortalClient, add_person, outbox_messages, shows_49
from tests.factories import ChairStatementFactory, PortfolioFactory, StatementReviewFactory, StatementRevisionFactory

MONTH = current_month()
URL = f"/statements/{MONTH:%Y-%m}"
HX = {"HX-Request": "true"}


@pytest.fixture
def setup(app, people):
    """The cabinet_member holds the Youth portfolio; this month's statement is open."""
    with app.app_context():
        PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
        ChairStatementFactory(month=MONTH, text="First words.", created_by=people["chair"])
        db.session.commit()
    return people


def statement(app) -> ChairStatement:
    with app.app_context():
        found = db.session.scalar(db.select(ChairStatement).where(ChairStatement.month == MONTH))
        db.session.expunge(found)
        return found


def revisions(app) -> list[StatementRevision]:
    with app.app_context():
        rows = db.session.scalars(db.select(StatementRevision).order_by(StatementRevision.id)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def save(client, text, version, headers=None, **extra):
    return client.submit(URL, {"text": text, "base_version": str(version), **extra}, headers=headers or {})


@pytest.fixture
def chair(client, signed_in, setup):
    signed_in("chair")
    return client


class TestOpening:
    def test_open_creates_the_month_once(self, client, signed_in, people, app):
        signed_in("chair")
        first = client.submit("/statements/open")
        assert first.status_code == 303 and first.headers["Location"] == URL
        client.submit("/statements/open")
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(ChairStatement.id))) == 1

    def test_draft_is_hidden_from_the_cabinet_member(self, client, signed_in, setup):
        signed_in("cabinet_member")
        assert client.get(URL).status_code == 404
        assert MONTH.strftime("%B %Y") not in client.get("/statements").get_data(as_text=True)

    def test_officer_reads_drafts(self, client, signed_in, setup):
        signed_in("officer")
        page = client.get(URL).get_data(as_text=True)
        assert "First words." in page and 'id="statement-form"' not in page


class TestSaving:
    def test_plain_save_and_version(self, chair, app):
        response = save(chair, "Second words.", 1, save="1")
        assert response.status_code == 303
        assert "Saved at" in chair.get(URL).get_data(as_text=True)
        assert (statement(app).text, statement(app).version) == ("Second words.", 2)

    def test_htmx_save_returns_the_status_line_and_the_new_version(self, chair, app):
        response = save(chair, "One two three.", 1, HX)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Saved at" in body and "3 words" in body
        assert 'id="base_version" name="base_version" value="2" data-hx-swap-oob="true"' in body
        assert "<html" not in body

    def test_stale_save_shows_both_texts_and_loses_nothing(self, chair, app):
        save(chair, "Text from tab A.", 1, HX)
        response = save(chair, "Text from tab B.", 1, save="1")  # tab B still on version 1
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "Your statement was changed somewhere else" in page
        assert "Text from tab A." in page and "Text from tab B." in page
        assert statement(app).text == "Text from tab A."  # not overwritten
        assert [r.kind for r in revisions(app)][-1] == "conflict"
        assert revisions(app)[-1].text == "Text from tab B."
        # Choosing B: saved on top of the newer version.
        assert save(chair, "Text from tab B.", 2, save="1").status_code == 303
        assert statement(app).text == "Text from tab B."

    def test_stale_htmx_save_swaps_the_whole_editor(self, chair):
        save(chair, "Text from tab A.", 1, HX)
        response = save(chair, "Text from tab B.", 1, HX)
        assert response.status_code == 409
        assert response.headers["HX-Retarget"] == "#autosave-editor"
        assert response.get_data(as_text=True).lstrip().startswith('<div id="autosave-editor">')

    def test_autosaves_fold_into_one_revision(self, chair, app):
        for n, text in enumerate(["a", "a b", "a b c"], start=1):
            save(chair, text, n, HX)
        assert [(r.kind, r.text) for r in revisions(app)] == [("autosave", "a b c")]
        # After a pause of more than five minutes a new revision starts.
        with app.app_context():
            last = db.session.scalar(db.select(StatementRevision))
            last.saved_at = utcnow() - timedelta(minutes=6)
            db.session.commit()
        save(chair, "a b c d", 4, HX)
        assert [r.text for r in revisions(app)] == ["a b c", "a b c d"]

    def test_unchanged_text_makes_no_revision(self, chair, app):
        save(chair, "First words.", 1, HX)
        assert revisions(app) == [] and statement(app).version == 1

    def test_too_long_is_refused_and_the_saved_text_stays(self, chair, app):
        huge = ("word " * 200_000).strip() + "!"  # a megabyte: 1,000,000 characters
        response = save(chair, huge, 1, save="1")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Your statement is too long to save" in page and "1,000,000 characters" in page
        assert "word word word" in page  # the typed text is still in the box
        assert statement(app).text == "First words."
        htmx = save(chair, huge, 1, HX)
        assert htmx.status_code == 422 and "too long to save" in htmx.get_data(as_text=True)

    def test_more_than_two_megabytes_is_a_clear_413(self, chair, app):
        response = save(chair, "x" * 3_000_000, 1)
        assert response.status_code == 413
        assert "That was too much to send" in response.get_data(as_text=True)
        assert statement(app).text == "First words."

    @pytest.mark.parametrize("text", ["<script>alert(1)</script>", "{{7*7}}", "<b>bold</b> & ünïcödé 🙂 مرحبا"])
    def test_markup_is_stored_as_typed_and_shown_inert(self, chair, app, text):
        save(chair, text, 1, save="1")
        assert statement(app).text == text
        for url in (URL, URL + "/preview"):
            page = chair.get(url).get_data(as_text=True)
            assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
            main = page.split("<main", 1)[1]
            if text == "{{7*7}}":
                assert "{{7*7}}" in main and not shows_49(main)

    def test_tampered_version_is_refused(self, chair, app):
        response = save(chair, "New", "not-a-number", save="1")
        assert response.status_code == 422
        assert statement(app).text == "First words."

    def test_non_chair_cannot_save(self, client, signed_in, setup, app):
        signed_in("youth_member")
        assert save(client, "Hijack", 1).status_code == 403
        assert statement(app).text == "First words."


class TestFacts:
    def test_fact_listed_and_inserted_without_javascript(self, chair, app):
        with app.app_context():
            add_person("youth_member", email="new@test.example", name="New M.")
        page = chair.get(URL).get_data(as_text=True)
        assert "young people joined the Youth Cabinet this month." in page
        assert '#youth-cabinet"' in page  # the public numbers page (#17.5): the list of members is not public
        save(chair, "First words.", 1, insert_fact="new-members")
        text = statement(app).text
        assert text.startswith("First words.\n\n") and text.endswith("joined the Youth Cabinet this month.")

    def test_unknown_fact_key_is_ignored(self, chair, app):
        save(chair, "First words!", 1, insert_fact="<script>")
        assert statement(app).text == "First words!"

    def test_no_facts_for_a_quiet_month(self, client, signed_in, setup, app):
        with app.app_context():
            ChairStatementFactory(month=date(2019, 1, 1), text="Old")
            db.session.commit()
        signed_in("chair")
        assert "Nothing from the portal" in client.get("/statements/2019-01").get_data(as_text=True)


class TestReview:
    def test_the_whole_review(self, app, setup):
        app.test_client_class = PortalClient
        chair, member = app.test_client(), app.test_client()
        chair.sign_in(setup["chair"].email)
        member.sign_in(setup["cabinet_member"].email)

        assert save(chair, "My statement.", 1, send="1").status_code == 303
        assert statement(app).status == "submitted"
        assert [m["To"] for m in outbox_messages(app)] == [setup["cabinet_member"].email]
        assert "for you to review" in member.get("/dashboard").get_data(as_text=True)
        # Locked for the Chair.
        assert save(chair, "Changed after sending", 2, save="1").status_code == 303
        assert statement(app).text == "My statement."
        assert 'id="statement-form"' not in chair.get(URL).get_data(as_text=True)

        empty = member.submit(URL + "/request-changes", {"comment": "  "})
        assert empty.status_code == 422
        assert "Write what you would like the Chair to change" in empty.get_data(as_text=True)
        assert member.submit(URL + "/request-changes", {"comment": "Add the campaign."}).status_code == 303
        assert statement(app).status == "changes_requested"
        assert "Add the campaign." in chair.get(URL).get_data(as_text=True)

        save(chair, "My statement, with the campaign.", 2, send="1")
        assert member.submit(URL + "/accept").status_code == 303
        assert statement(app).status == "accepted"
        assert save(chair, "Too late", 3, save="1").status_code == 303
        assert statement(app).text == "My statement, with the campaign."

        no_reason = member.submit(URL + "/reopen", {"reason": ""})
        assert no_reason.status_code == 422 and "Say why you are reopening" in no_reason.get_data(as_text=True)
        assert member.submit(URL + "/reopen", {"reason": "A figure was wrong."}).status_code == 303
        assert statement(app).status == "changes_requested"
        with app.app_context():
            steps = [s.action for s in db.session.scalars(db.select(StatementReview).order_by(StatementReview.id))]
            notes = db.session.scalar(db.select(db.func.count(Notification.id)))
        assert steps == ["submitted", "changes_requested", "submitted", "accepted", "reopened"]
        assert notes >= 5

    def test_sending_an_empty_statement(self, chair, app):
        response = save(chair, "   ", 1, send="1")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Write your statement before you send it" in page and 'id="text-error"' in page
        assert statement(app).status == "draft"

    def test_only_the_youth_portfolio_holder_reviews(self, app, setup):
        with app.app_context():
            other = add_person("cabinet_member", email="other@test.example", name="Other Cllr")
        app.test_client_class = PortalClient
        chair, stranger = app.test_client(), app.test_client()
        chair.sign_in(setup["chair"].email)
        save(chair, "My statement.", 1, send="1")
        stranger.sign_in(other.email)
        assert stranger.get(URL).status_code == 200  # may read it once submitted
        assert stranger.submit(URL + "/accept").status_code == 403
        assert statement(app).status == "submitted"


class TestRevisions:
    def test_view_compare_and_restore(self, chair, app):
        save(chair, "The old words.", 1, save="1")
        save(chair, "The new words.", 2, save="1")
        old = revisions(app)[0]
        page = chair.get(f"{URL}/revisions/{old.id}").get_data(as_text=True)
        assert "[removed: </span>new" not in page  # the diff runs from this version to the current text
        assert "[removed: </span>old" in page and "[added: </span>new" in page
        response = chair.submit(f"{URL}/revisions/{old.id}/restore", {"base_version": "3"})
        assert response.status_code == 303
        assert statement(app).text == "The old words."
        assert revisions(app)[-1].kind == "restore"
        history = chair.get(f"{URL}/revisions").get_data(as_text=True)
        assert "Earlier version brought back" in history

    def test_revision_of_another_statement_is_404(self, chair, app):
        with app.app_context():
            other = ChairStatementFactory(month=date(2019, 1, 1), text="Old")
            revision = StatementRevisionFactory(statement=other, text="x")
            db.session.commit()
            revision_id = revision.id
        assert chair.get(f"{URL}/revisions/{revision_id}").status_code == 404
        assert chair.submit(f"{URL}/revisions/{revision_id}/restore", {"base_version": "1"}).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize("path", ["", "/revisions", "/preview"])
    def test_statement_pages(self, chair, app, count_queries, path):
        def queries():
            with count_queries() as counter:
                assert chair.get(URL + path).status_code == 200
            return counter.count

        small = queries()
        with app.app_context():
            found = db.session.scalar(db.select(ChairStatement))
            for n in range(60):
                StatementRevisionFactory(
                    statement=found, version=n, text=f"t{n}", kind="save", author_id=found.created_by_id
                )
                StatementReviewFactory(statement=found, action="submitted", actor_id=found.created_by_id)
            for n in range(40):
                ChairStatementFactory(month=date(1990 + n // 12, n % 12 + 1, 1), text="x")
                add_person("youth_member", email=f"m{n}@test.example", name=f"M{n}")
            db.session.commit()
        assert small == queries()

    def test_statement_list(self, chair, app, count_queries):
        def queries():
            with count_queries() as counter:
                assert chair.get("/statements").status_code == 200
            return counter.count

        small = queries()
        with app.app_context():
            for n in range(50):
                ChairStatementFactory(month=date(1990 + n // 12, n % 12 + 1, 1), text="x")
            db.session.commit()
        assert small == queries()


class TestPieces:
    def test_word_diff(self):
        assert word_diff("a b c", "a x c") == [
            Change("same", "a "),
            Change("removed", "b"),
            Change("added", "x"),
            Change("same", " c"),
        ]
        assert word_diff("same", "same") == [Change("same", "same")]

    def test_count_words(self):
        assert count_words("  one two\n\nthree ") == 3 and count_words("") == 0

    def test_should_fold(self):
        now = utcnow()
        assert should_fold(1, "autosave", now - timedelta(minutes=4), 1, "autosave", now)
        assert not should_fold(1, "autosave", now - timedelta(minutes=6), 1, "autosave", now)
        assert not should_fold(2, "autosave", now, 1, "autosave", now)
        assert not should_fold(1, "save", now, 1, "autosave", now)
        assert not should_fold(1, "autosave", now, 1, "restore", now)

    def test_demo_july_statement_is_the_seed_word_for_word(self, app):
        from portal.demo.statements import JULY_2020
        from tests.conftest import SEEDS

        text = (SEEDS / "2020-07-cabinet-member-progress-report.txt").read_text()
        assert text.split("Statement from the Chair of West Sussex Youth Cabinet", 1)[1].strip() == JULY_2020
