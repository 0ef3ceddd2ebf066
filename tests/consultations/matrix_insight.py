"""Permission matrix rows for results, charts, exports, moderation and
"You said, we did" (consumed by tests/core/test_permissions.py)."""

from __future__ import annotations

ROLES = ["anonymous", "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]


def only(roles: set[str], allowed: int, refused: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{r: (allowed if r in roles else refused) for r in ROLES[1:]}}


READERS = {"partner", "officer", "chair"}

ROWS = {
    "consultations.results": [("GET", "/consultations/{ins_consultation}/results", only(READERS, 200))],
    "consultations.chart": [("GET", "/consultations/{ins_consultation}/results/{ins_single}.svg", only(READERS, 200))],
    "consultations.summary_pdf": [("GET", "/consultations/{ins_consultation}/results.pdf", only(READERS, 200))],
    "consultations.release_results": [
        ("POST", "/consultations/{ins_consultation}/results/release", only({"officer"}, 303))
    ],
    "consultations.moderation": [
        ("GET", "/consultations/moderation", only({"officer"}, 200)),
        ("GET", "/consultations/moderation?show=decided", only({"officer"}, 200)),
    ],
    "consultations.moderate": [("POST", "/consultations/answers/{ins_answer}/moderate", only({"officer"}, 303))],
    # Changing a decision (#14.19): the hidden answer approved after all; a waiting one has none to change (303 back).
    "consultations.change_decision": [
        ("POST", "/consultations/answers/{ins_decided}/decision", only({"officer"}, 303)),
        ("POST", "/consultations/answers/{ins_answer}/decision", only({"officer"}, 303)),
        ("POST", "/consultations/answers/999999/decision", only({"officer"}, 404)),
    ],
    "consultations.export_csv": [("GET", "/consultations/{ins_consultation}/export.csv", only({"officer"}, 200))],
    # The spreadsheet is made on the queue (at once in tests): asked for, then its page and its file.
    "consultations.export_xlsx": [
        ("GET", "/consultations/{ins_consultation}/export.xlsx", only({"officer"}, 200)),
        ("POST", "/consultations/{ins_consultation}/export.xlsx", only({"officer"}, 303)),
    ],
    # Only the officer who asked for it: another officer's spreadsheet is 404.
    "consultations.spreadsheet": [
        ("GET", "/consultations/{ins_consultation}/spreadsheets/{ins_export}", only({"officer"}, 200)),
        ("GET", "/consultations/{ins_consultation}/spreadsheets/{ins_other_export}", only({"officer"}, 404)),
    ],
    "consultations.download_spreadsheet": [
        ("GET", "/consultations/{ins_consultation}/spreadsheets/{ins_export}/download", only({"officer"}, 200)),
        ("GET", "/consultations/{ins_consultation}/spreadsheets/{ins_other_export}/download", only({"officer"}, 404)),
    ],
    "consultations.feedback": [
        ("GET", "/consultations/{ins_consultation}/feedback", only({"partner", "officer"}, 200))
    ],
    # Nothing waits for approval: the officer is told so (303); nobody else may approve or return.
    "consultations.approve_feedback": [
        ("POST", "/consultations/{ins_consultation}/feedback/approve", only({"officer"}, 303))
    ],
    "consultations.return_feedback": [
        ("POST", "/consultations/{ins_consultation}/feedback/return", only({"officer"}, 303))
    ],
}

POST_DATA = {
    "consultations.moderate": {"decision": "approve", "reason": "", "themes": "names"},
    "consultations.change_decision": {"was": "hidden", "decision": "approve", "reason": "It was fine.", "themes": ""},
    "consultations.return_feedback": {"comment": "Say what changed for young people."},
}

CSRF_POSTS = [
    "/consultations/1/results/release",
    "/consultations/1/export.xlsx",
    "/consultations/answers/1/moderate",
    "/consultations/answers/1/decision",
    "/consultations/1/feedback",
    "/consultations/1/feedback/approve",
    "/consultations/1/feedback/return",
]


def setup(people) -> dict[str, int]:
    """A closed consultation of the partner's, its results released, with one written answer waiting
    and one hidden."""
    from portal.consultations.results import spreadsheets
    from portal.extensions import db
    from portal.models import Answer, Consultation, ExportFile
    from tests.conftest import add_person
    from tests.consultations.test_results import make_consultation

    ids = make_consultation(people)
    consultation = db.session.get(Consultation, ids["consultation"])
    mine = spreadsheets.request_spreadsheet(people["officer"], consultation)  # made at once in tests
    other = ExportFile(
        consultation_id=consultation.id,
        requested_by_id=add_person("officer", email="other.officer@test.example").id,
        filename="x.xlsx",
        status="ready",
    )
    db.session.add(other)
    db.session.get(Consultation, ids["consultation"]).results_released_at = db.func.now()
    hidden = db.session.get(Answer, ids["flagged"])
    hidden.moderation, hidden.moderation_reason = "hidden", "An email address."
    db.session.commit()
    return {
        "ins_consultation": ids["consultation"],
        "ins_single": ids["single"],
        "ins_answer": ids["quiet"],
        "ins_decided": ids["flagged"],
        "ins_export": mine.id,
        "ins_other_export": other.id,
    }
