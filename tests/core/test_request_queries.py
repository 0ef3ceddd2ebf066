"""Queries a request costs that its page does not need (#16)."""

from __future__ import annotations

import re

from sqlalchemy import event

from portal.extensions import db
from tests.conftest import PASSWORD, add_person
from tests.consultations.test_responding import form_for, make_consultation, url

READS_THE_PERSON = re.compile(r'FROM "?user"?\s+WHERE "?user"?\.id\b', re.IGNORECASE)
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def sent_with_statements(app, send) -> tuple[object, list[str]]:
    """``send()``'s answer, and the SQL statements it ran."""
    statements: list[str] = []

    def seen(_connection, _cursor, statement: str, *args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        answer = send()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return answer, statements


def selects_after_the_last_write(statements: list[str]) -> list[str]:
    last_write = max(i for i, statement in enumerate(statements) if WRITES.match(statement))
    return [statement for statement in statements[last_write:] if statement.lstrip().upper().startswith("SELECT")]


def test_an_answer_sent_reads_nothing_again_after_its_commit(app, client, signed_in):
    """A commit expires every row the request read. After the answer's, the
    redirect to the next question and the after-request hooks (signed in? the
    time left?) must not load the person, the consultation or a question again."""
    ids = make_consultation(app)
    signed_in("young_person")
    assert client.submit(url(ids)).status_code == 303  # started
    form = {**form_for(ids, "single"), "csrf_token": client.csrf_token()}
    sent, statements = sent_with_statements(app, lambda: client.post(url(ids, f"/{ids.single}"), data=form))
    assert sent.status_code == 303
    assert len([statement for statement in statements if READS_THE_PERSON.search(statement)]) == 1
    assert not selects_after_the_last_write(statements)


def test_starting_reads_only_the_new_response_and_its_answers_after_its_commit(app, client, signed_in):
    """Where to carry on is worked out from ids taken before the commit: the
    consultation and its questions are not loaded again."""
    ids = make_consultation(app)
    signed_in("young_person")
    token = client.csrf_token()
    started, statements = sent_with_statements(app, lambda: client.post(url(ids), data={"csrf_token": token}))
    assert started.status_code == 303 and started.headers["Location"].endswith(url(ids, f"/{ids.short}"))
    after = selects_after_the_last_write(statements)
    assert len(after) == 2 and all("consultation_question" not in statement for statement in after)


def test_signing_in_finds_the_account_by_email_and_does_not_load_it_again(app, client):
    with app.app_context():
        person = add_person("young_person")
    token = client.csrf_token()
    signed, statements = sent_with_statements(
        app, lambda: client.post("/sign-in", data={"csrf_token": token, "email": person.email, "password": PASSWORD})
    )
    assert signed.status_code == 303
    assert len([statement for statement in statements if "lower(" in statement and "email" in statement]) == 1
    assert not [statement for statement in statements if READS_THE_PERSON.search(statement)]
