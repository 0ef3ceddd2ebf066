"""Issue #16: "Youth voice in numbers" at a county's scale. The responses of a
period are counted from ranges of indexes that hold every column the counts
read (ix_consultation_response_sent*), never by reading the whole table, and
the breakdowns sort nothing; a period's two response measures share one query
and give the breakdowns their totals."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import event, inspect

from portal.extensions import db
from portal.figures import numbers
from portal.figures.period import Period
from tests.factories import ConsultationFactory, ResponseFactory

JULY = Period.month(date(2020, 7, 1))


def _responses() -> None:
    consultation = ConsultationFactory(opens_on=date(2020, 6, 20), closes_on=date(2020, 7, 5), audience="public")
    for n, band in enumerate(["11-13", "14-16", "17-19", ""] * 6):
        ResponseFactory(
            consultation=consultation,
            status="submitted",
            submitted_at=datetime(2020, 6 + n % 2, 10, 12, tzinfo=UTC),
            age_band=band,
            district="Crawley" if n < 12 else "Atlantis",  # not a district the portal knows
        )
    db.session.commit()


def _statements_about_responses() -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "consultation_response" in statement:
            seen.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        numbers.youth_voice(JULY)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return seen


def test_a_periods_responses_are_counted_from_the_index(app):
    with app.app_context(), app.test_request_context():
        _responses()
        statements = _statements_about_responses()
        # This period and the one before: one query each for both response
        # measures, and one for each breakdown (both periods in one).
        assert len(statements) == 4
        connection = db.session.connection()
        if db.engine.dialect.name != "sqlite":
            # PostgreSQL's planner picks by table statistics, so a test's few rows say
            # nothing of its plan at 100,000: there, the indexes must simply exist.
            names = {index["name"] for index in inspect(connection).get_indexes("consultation_response")}
            assert names >= {
                "ix_consultation_response_sent",
                "ix_consultation_response_sent_age_band",
                "ix_consultation_response_sent_district",
            }
            return
        for statement, parameters in statements:
            plan = " / ".join(
                row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            assert "USING COVERING INDEX ix_consultation_response_sent" in plan, plan
            assert "SCAN consultation_response" not in plan, plan
            assert "TEMP B-TREE FOR GROUP BY" not in plan, plan  # each known group's range, in order


def test_the_shared_counts_are_the_same_figures(app):
    with app.app_context(), app.test_request_context():
        _responses()
        table = numbers.youth_voice(JULY)
        rows = {row["label"]: (row["value"], row["previous"]) for row in table["rows"]}
        assert rows["Responses to consultations"] == ("12", "12")
        assert rows["Young people who responded"] == ("12", "12")  # visitors: each response is one person
        # What is not a known group is "Not given": the rest of each period's total.
        breakdowns = {table["id"]: table for table in table["breakdowns"]}
        districts = {row["label"]: (row["value"], row["previous"]) for row in breakdowns["districts"]["rows"]}
        assert districts["Crawley"] == ("6", "6") and districts["Not given"] == ("6", "6")
        assert districts["Worthing"] == ("0", "0")
        # Alone, outside the table, each measure still counts for itself.
        assert numbers.responses_received(JULY).value == 12
        assert numbers.young_people_responding(JULY).link.startswith("/consultations/")
