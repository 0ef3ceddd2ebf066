"""Exports (CSV, XLSX, the results PDF) and "You said, we did"."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal import tasks
from portal.consultations.results import feedback as feedback_ops
from portal.consultations.results import spreadsheets
from portal.extensions import db
from portal.models import Answer, Consultation, ExportFile, Question, Response
from portal.models.base import utcnow
from tests.conftest import add_person, outbox_messages, shows_49
from tests.consultations.test_results import make_consultation
from tests.factories import AnswerFactory, ResponseFactory


@pytest.fixture
def state(app, people):
    """The results fixture's consultation with three submitted responses holding every kind of answer."""
    with app.app_context():
        ids = make_consultation(people)
        questions = {
            q.kind: q
            for q in db.session.scalars(select(Question).where(Question.consultation_id == ids["consultation"]))
        }
        db.session.execute(db.delete(Answer))
        db.session.execute(db.delete(Response))
        texts = ['=HYPERLINK("http://evil.example")', "+1 and -1 are @ fine {{7*7}} <script>x</script>", "Plain words"]
        for n, text in enumerate(texts):
            response = ResponseFactory(
                consultation_id=ids["consultation"],
                submitted=True,
                age_band="14-16",
                district="Worthing",
                respondent=people["young_person"] if n == 0 else None,
                tell_me=n == 0,
            )
            AnswerFactory(response=response, question=questions["single"], option=n % 3)
            AnswerFactory(response=response, question=questions["rating"], number=5 - n)
            for option in range(3):
                AnswerFactory(
                    response=response, question=questions["ranking"], option=option, number=1 + (n + option) % 3
                )
            AnswerFactory(response=response, question=questions["long_text"], text=text)
        # An unfinished response is not exported.
        ResponseFactory(consultation_id=ids["consultation"], age_band="11-13")
        db.session.commit()
        return ids


class TestExports:
    def test_csv_has_one_row_per_submitted_response_and_no_formulas(self, client, state, signed_in):
        signed_in("officer")
        response = client.get(f"/consultations/{state['consultation']}/export.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.is_streamed
        assert 'filename="our-name-and-brand-responses.csv"' in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0][:5] == ["Response", "Submitted", "Age band", "District", "Q1: Which name?"]
        # #13.7: sent on which day, never the minute (an audit entry's time would name the author).
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[1]) for row in rows[1:])
        assert "Q3 position of: support" in rows[0]
        assert len(rows) == 4
        assert [row[4] for row in rows[1:]] == ["Coastal Minds", "Mind Waves", "Open Door"]
        texts = [row[-1] for row in rows[1:]]
        assert texts[0] == '\'=HYPERLINK("http://evil.example")'
        assert texts[1] == "'+1 and -1 are @ fine {{7*7}} <script>x</script>"
        assert texts[2] == "Plain words"
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    def test_xlsx_reads_back_with_the_same_rows(self, client, state, signed_in):
        signed_in("officer")
        asked = client.submit(f"/consultations/{state['consultation']}/export.xlsx")
        assert asked.status_code == 303  # made on the queue (at once in tests), then its page
        page = client.get(asked.headers["Location"])
        assert "The spreadsheet is ready: 3 responses" in page.get_data(as_text=True)
        response = client.get(asked.headers["Location"] + "/download")
        assert response.status_code == 200
        assert 'filename="our-name-and-brand-responses.xlsx"' in response.headers["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.data))["Responses"]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert len(rows) == 4 and rows[1][5] == 5  # the rating column
        # Exactly as typed (no apostrophe added), and stored as text: never run as a formula.
        assert rows[1][-1] == '=HYPERLINK("http://evil.example")'
        assert rows[2][-1] == "+1 and -1 are @ fine {{7*7}} <script>x</script>"
        texts = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert texts and all(cell.data_type == "s" for cell in texts)


class TestSpreadsheetOnTheQueue:
    """#16.1: the workbook is made by a worker while a page shows its progress."""

    def test_the_page_shows_progress_until_the_worker_has_made_it(self, app, client, state, signed_in, tmp_path):
        from tests.core.test_tasks import work

        signed_in("officer")
        url = f"/consultations/{state['consultation']}/export.xlsx"
        app.config["BACKGROUND_INLINE"] = False
        app.config["TASKS_URL"] = f"sqlite:///{tmp_path / 'tasks.db'}"
        tasks.init_app(app)
        try:
            asked = client.submit(url)
            again = client.submit(url)  # a double click, a second tab: the same spreadsheet
            assert again.headers["Location"] == asked.headers["Location"]
            page = client.get(asked.headers["Location"]).get_data(as_text=True)
            assert "Waiting to start." in page and 'data-hx-trigger="every 2s"' in page
            assert "Check again" in page
            early = client.get(asked.headers["Location"] + "/download")
            assert early.status_code == 302  # not ready: back to its page
            polled = client.get(asked.headers["Location"], headers={"HX-Request": "true"})
            assert polled.status_code == 200 and "<h1" not in polled.get_data(as_text=True)
            # The block alone still links to its page (without JavaScript's polling: "Check again").
            assert f'href="{asked.headers["Location"]}">Check again' in polled.get_data(as_text=True)
            assert work(tasks.huey) == 1
        finally:
            app.config["BACKGROUND_INLINE"] = True
            tasks.init_app(app)
        polled = client.get(asked.headers["Location"], headers={"HX-Request": "true"})
        assert polled.status_code == 286  # htmx swaps this answer, then stops asking
        assert "Download the spreadsheet (XLSX" in polled.get_data(as_text=True)
        listing = client.get(url).get_data(as_text=True)
        assert listing.count("ready to download") == 1

    @pytest.mark.commits  # progress is committed on a connection of its own while the rows are read
    def test_progress_is_written_as_the_rows_go(self, app, people, monkeypatch):
        from portal.consultations.results import exports

        monkeypatch.setattr(exports, "BATCH", 2)
        seen: list[int] = []
        real = spreadsheets._progress
        monkeypatch.setattr(
            spreadsheets, "_progress", lambda export_id, done: seen.append(done) or real(export_id, done)
        )
        with app.test_request_context():
            ids = make_consultation(people)
            consultation = db.session.get(Consultation, ids["consultation"])
            for _ in range(5):
                ResponseFactory(consultation_id=consultation.id, submitted=True)
            db.session.commit()
            export = spreadsheets.request_spreadsheet(people["officer"], consultation)
            db.session.refresh(export)
            total = db.session.scalar(
                select(db.func.count(Response.id)).where(
                    Response.consultation_id == consultation.id, Response.status == "submitted"
                )
            )
            assert total >= 5 and seen == list(range(2, total + 1, 2))
            assert (export.status, export.rows_done, export.rows_total) == ("ready", total, total)
            assert export.size == len(export.content) > 0

    def test_a_failed_try_waits_for_the_next_and_a_stuck_one_is_given_up(self, app, client, people, monkeypatch):
        from datetime import timedelta

        from portal.consultations.results import exports
        from portal.models.base import utcnow

        def broken(*args):
            raise OSError("disk full")

        monkeypatch.setattr(spreadsheets, "write_xlsx", broken)
        with app.test_request_context():
            consultation = db.session.get(Consultation, make_consultation(people)["consultation"])
            with pytest.raises(OSError):
                spreadsheets.request_spreadsheet(people["officer"], consultation)
            (export,) = db.session.scalars(select(ExportFile)).all()
            # The queue tries again: its page goes on waiting (htmx keeps asking), nothing half-stored.
            assert export.state == "waiting" and export.content is None
            monkeypatch.setattr(spreadsheets, "write_xlsx", exports.write_xlsx)
            spreadsheets.make(export.id)  # the queue's next try
            db.session.refresh(export)
            assert export.state == "ready"
            # One whose job gave up (or whose worker stopped) fails after a while, and is not waited for again.
            stuck = ExportFile(
                consultation_id=consultation.id,
                requested_by_id=people["officer"].id,
                status="making",
                created_at=utcnow() - timedelta(minutes=31),
            )
            db.session.add(stuck)
            db.session.commit()
            assert stuck.state == "failed"
            again = spreadsheets.request_spreadsheet(people["officer"], consultation)
            assert again.id != stuck.id and again.state == "ready"
            stuck_id, consultation_id = stuck.id, consultation.id
        client.sign_in(people["officer"].email)
        page = client.get(f"/consultations/{consultation_id}/spreadsheets/{stuck_id}", headers={"HX-Request": "true"})
        assert page.status_code == 286 and "Something went wrong" in page.get_data(as_text=True)

    def test_a_spreadsheet_past_its_day_is_gone_before_the_nightly_run(self, app, client, people):
        from datetime import timedelta

        with app.test_request_context():
            consultation = db.session.get(Consultation, make_consultation(people)["consultation"])
            export = spreadsheets.request_spreadsheet(people["officer"], consultation)
            export.created_at -= timedelta(hours=25)
            db.session.commit()
            url = f"/consultations/{consultation.id}/spreadsheets/{export.id}"
        client.sign_in(people["officer"].email)
        assert client.get(url).status_code == 404
        assert client.get(url + "/download").status_code == 404

    def test_another_officers_spreadsheet_is_not_found(self, app, client, state, people, signed_in):
        with app.test_request_context():
            consultation = db.session.get(Consultation, state["consultation"])
            theirs = spreadsheets.request_spreadsheet(people["officer"], consultation).id
            add_person("officer", email="second.officer@test.example")
        client.sign_in("second.officer@test.example")
        base = f"/consultations/{state['consultation']}/spreadsheets/{theirs}"
        assert client.get(base).status_code == 404
        assert client.get(base + "/download").status_code == 404
        assert client.get(f"/consultations/999/spreadsheets/{theirs}").status_code == 404

    def test_retention_deletes_a_spreadsheet_after_a_day(self, app, people):
        from datetime import timedelta

        from portal import retention

        with app.test_request_context():
            consultation = db.session.get(Consultation, make_consultation(people)["consultation"])
            export = spreadsheets.request_spreadsheet(people["officer"], consultation)
            made = export.created_at
            assert retention.export_files(made + timedelta(hours=23)) == 0
            assert retention.export_files(made + timedelta(hours=25)) == 1
            assert db.session.scalars(select(ExportFile)).all() == []

    def test_results_pdf_holds_the_figures_and_only_approved_quotes(self, client, app, state, signed_in, tmp_path):
        with app.app_context():
            answer = db.session.scalar(select(Answer).where(Answer.text == "Plain words"))
            answer.moderation = "approved"
            db.session.get(Consultation, state["consultation"]).results_released_at = utcnow()
            db.session.commit()
        signed_in("partner")
        response = client.get(f"/consultations/{state['consultation']}/results.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        path = tmp_path / "results.pdf"
        path.write_bytes(response.data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Results: Our name and brand" in text and "Question 1: Which name?" in text
        assert "Plain words" in text and "HYPERLINK" not in text and not shows_49(text)

    def test_exports_are_for_officers_only(self, client, state, signed_in):
        signed_in("partner")
        assert client.get(f"/consultations/{state['consultation']}/export.csv").status_code == 403


class TestFeedback:
    def test_a_partners_feedback_is_published_once_an_officer_approves_it(self, client, app, state, people):
        """#13.5: the partner's words reach young people only after an officer's check."""
        consultation_id = state["consultation"]
        client.sign_in(people["partner"].email)
        response = client.submit(
            f"/consultations/{consultation_id}/feedback",
            {"text": "You said Mind Waves.\n\nSo we are Mind Waves now. <b>{{7*7}}</b>"},
        )
        assert response.status_code == 303
        assert "Sent to an officer to check" in client.get(response.headers["Location"]).get_data(as_text=True)
        public = app.test_client().get(f"/consultations/{consultation_id}").get_data(as_text=True)
        assert "So we are Mind Waves now." not in public and 'id="you-said-we-did"' not in public
        mails = outbox_messages(app)
        assert [m["To"] for m in mails] == [people["officer"].email]  # to approve; nobody young is told yet

        officer = app.test_client()
        officer.sign_in(people["officer"].email)
        page = officer.get(f"/consultations/{consultation_id}/feedback").get_data(as_text=True)
        assert "Waiting for an officer’s approval" in page and "&lt;b&gt;{{7*7}}&lt;/b&gt;" in page
        assert not shows_49(page)
        with app.app_context():
            seen = feedback_ops.version_of(db.session.get(Consultation, consultation_id))
        assert officer.submit(f"/consultations/{consultation_id}/feedback/approve", {"seen": seen}).status_code == 303
        page = app.test_client().get(f"/consultations/{consultation_id}").get_data(as_text=True)
        assert "You said, we did" in page and "So we are Mind Waves now." in page
        assert "&lt;b&gt;{{7*7}}&lt;/b&gt;" in page and not shows_49(page)
        mails = outbox_messages(app)
        assert [m["To"] for m in mails[1:]] == [people["partner"].email, people["young_person"].email]
        assert "You said, we did" in mails[-1]["Subject"]

        # A correction waits too, the published words staying meanwhile; nobody young is emailed again.
        client.submit(f"/consultations/{consultation_id}/feedback", {"text": "Corrected."})
        page = app.test_client().get(f"/consultations/{consultation_id}").get_data(as_text=True)
        assert "So we are Mind Waves now." in page and "Corrected." not in page
        with app.app_context():
            seen = feedback_ops.version_of(db.session.get(Consultation, consultation_id))
        officer.submit(f"/consultations/{consultation_id}/feedback/approve", {"seen": seen})
        assert "Corrected." in app.test_client().get(f"/consultations/{consultation_id}").get_data(as_text=True)
        young = [m for m in outbox_messages(app) if m["To"] == people["young_person"].email]
        assert len(young) == 1

    def test_an_officer_reads_what_they_approve_and_can_send_it_back(self, client, app, state, people):
        consultation_id = state["consultation"]
        client.sign_in(people["partner"].email)
        client.submit(f"/consultations/{consultation_id}/feedback", {"text": "First words."})
        officer = app.test_client()
        officer.sign_in(people["officer"].email)
        with app.app_context():
            seen = feedback_ops.version_of(db.session.get(Consultation, consultation_id))
        # The partner sends new words after the officer opened the page: those are not published unread.
        client.submit(f"/consultations/{consultation_id}/feedback", {"text": "Second words."})
        stale = officer.submit(f"/consultations/{consultation_id}/feedback/approve", {"seen": seen})
        assert stale.headers["Location"].endswith(f"/consultations/{consultation_id}/feedback")
        assert "The partner changed it after you opened this page" in officer.get(stale.headers["Location"]).get_data(
            as_text=True
        )
        empty = officer.submit(f"/consultations/{consultation_id}/feedback/return", {"comment": ""})
        assert empty.status_code == 422
        assert "Say what needs to change, so the partner knows what to do" in empty.get_data(as_text=True)
        back = officer.submit(f"/consultations/{consultation_id}/feedback/return", {"comment": "Name the new times."})
        assert back.status_code == 303
        page = client.get(f"/consultations/{consultation_id}/feedback").get_data(as_text=True)
        assert "Name the new times." in page and "Second words." in page  # the partner's words are kept
        with app.app_context():
            assert db.session.get(Consultation, consultation_id).feedback_published_at is None

    def test_feedback_needs_words_and_a_closed_consultation(self, client, app, people, signed_in):
        with app.app_context():
            open_one = make_consultation(people, closed=False)["consultation"]
        signed_in("partner")
        response = client.submit(f"/consultations/{open_one}/feedback", {"text": "Too early."})
        assert response.status_code == 422 and "once the consultation has closed" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(Consultation, open_one).feedback_published_at is None

    def test_another_partner_cannot_write_it(self, client, app, state):
        from tests.conftest import add_person

        with app.app_context():
            other = add_person("partner", email="else@test.example", name="Else")
        client.sign_in(other.email)
        assert client.get(f"/consultations/{state['consultation']}/feedback").status_code == 404
