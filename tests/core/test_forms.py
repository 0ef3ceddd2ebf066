"""The shared form pieces in portal/forms.py."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Optional

from portal.forms import DayMonthYearField


class DateForm(FlaskForm):
    class Meta:
        csrf = False

    on = DayMonthYearField("Date", validators=[InputRequired("Enter the date")])
    until = DayMonthYearField("Until (optional)", validators=[Optional()])


def test_a_required_date_says_so_on_its_three_boxes_not_on_the_div_around_them(app):
    """#14.23: HTML allows ``required`` on an input, not on a div (the Nu checker's error)."""
    with app.test_request_context():
        form = DateForm()
        required, optional = str(form.on()), str(form.until())
    wrapper = re.search(r'<div class="govuk-date-input"[^>]*>', required)
    assert wrapper and "required" not in wrapper.group(0), wrapper
    boxes = re.findall(r"<input[^>]*>", required)
    assert len(boxes) == 3
    assert all('required="required"' in box for box in boxes), boxes
    assert "required" not in optional


def test_a_refused_date_keeps_what_was_typed_in_its_boxes(app):
    with app.test_request_context(method="POST", data={"on": ["31", "2", "2030"]}):
        form = DateForm()
        assert not form.validate()
        html = str(form.on())
    assert form.on.errors == ["Enter a real date, with the day, month and year as numbers, like 27 3 2027"]
    typed = [re.search(r'value="([^"]*)"', box) for box in re.findall(r"<input[^>]*>", html)]
    assert [value.group(1) for value in typed if value] == ["31", "2", "2030"]
