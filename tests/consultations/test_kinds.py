"""The registry of question kinds: every kind the builder offers has its rules."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from portal.consultations.kinds import KINDS, ResponseError, kind_of
from portal.models import Question
from portal.models.consultation import OPTION_KINDS, QUESTION_KINDS


def test_every_kind_offered_has_one_class_with_the_same_label():
    assert set(KINDS) == set(QUESTION_KINDS)
    assert {name: kind.label for name, kind in KINDS.items()} == QUESTION_KINDS
    assert {name for name, kind in KINDS.items() if kind.has_options} == set(OPTION_KINDS)


def test_an_unknown_kind_cannot_be_answered():
    with pytest.raises(ResponseError, match="cannot be answered"):
        kind_of(Question(id=1, kind="essay", prompt="?"))


@pytest.mark.parametrize(
    "kind, options, form, rows",
    [
        ("short_text", [], {"q1": "  Buses  "}, [{"text": "Buses", "flags": ""}]),
        ("single", ["A", "B"], {"q1": "1"}, [{"option": 1}]),
        ("multiple", ["A", "B", "C"], [("q1", "2"), ("q1", "0"), ("q1", "2")], [{"option": 0}, {"option": 2}]),
        ("rating", [], {"q1": "4"}, [{"number": 4}]),
        ("ranking", ["A", "B"], {"q1-0": "2", "q1-1": "1"}, [{"option": 0, "number": 2}, {"option": 1, "number": 1}]),
    ],
)
def test_what_is_typed_becomes_answer_rows(kind, options, form, rows):
    question = Question(id=1, kind=kind, prompt="?", options=options, scale_max=5)
    rules = kind_of(question)
    assert rules.check(question, rules.typed_value(question, MultiDict(form))) == rows


def test_export_columns_per_option_only_for_a_ranking():
    ranking = Question(id=3, kind="ranking", prompt="Order", options=["A", "B"])
    single = Question(id=4, kind="single", prompt="One?", options=["A", "B"])
    assert kind_of(ranking).columns(2, ranking) == [("Q2 position of: A", 3, 0), ("Q2 position of: B", 3, 1)]
    assert kind_of(single).columns(3, single) == [("Q3: One?", 4, None)]
    assert kind_of(single).export_cell(single, "A", 1, None, None) == "A; B"
