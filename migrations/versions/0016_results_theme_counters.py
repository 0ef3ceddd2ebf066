"""Theme counters (#16 item 4): the results page reads how many written answers
officers have read, and how many carry each theme, from consultation_tally
rows (dimension 'theme') that each moderation decision moves, instead of
reading every moderated answer on every page.

Reviewed by hand: no schema change. The counters are filled in from the
answers already read (sent answers of sent responses, approved or hidden),
the way portal/consultations/tally.py counts them: for each question, value
'' counts the answers read and each theme (lower case) the read answers
carrying it. The downgrade deletes them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import json
from collections import Counter

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

THEMES = "theme"
CHUNK = 500


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT q.consultation_id, a.question_id, a.themes "
            "FROM consultation_answer a "
            "JOIN consultation_question q ON q.id = a.question_id "
            "JOIN consultation_response r ON r.id = a.response_id "
            "WHERE a.draft = :no AND a.moderation IN ('approved', 'hidden') AND r.status = 'submitted' "
            "AND a.option IS NULL AND a.number IS NULL"
        ),
        {"no": False},
    )
    counters: Counter[tuple[int, int, str]] = Counter()
    for consultation_id, question_id, themes in rows:
        if isinstance(themes, str):  # SQLite hands JSON back as text
            themes = json.loads(themes)
        counters[(consultation_id, question_id, "")] += 1
        for tag in {str(tag).lower() for tag in themes or []}:
            counters[(consultation_id, question_id, tag)] += 1
    values = [
        {"consultation_id": c, "question_id": q, "value": tag, "count": n}
        for (c, q, tag), n in sorted(counters.items())
    ]
    insert = sa.text(
        "INSERT INTO consultation_tally (consultation_id, question_id, option, number, dimension, value, count) "
        f"VALUES (:consultation_id, :question_id, -1, -1, '{THEMES}', :value, :count)"
    )
    for start in range(0, len(values), CHUNK):
        connection.execute(insert, values[start : start + CHUNK])


def downgrade():
    op.get_bind().execute(sa.text(f"DELETE FROM consultation_tally WHERE dimension = '{THEMES}'"))
