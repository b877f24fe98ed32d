"""Dutch dates: shown as "23 nov. 2026", typed day first, with messages that say what is wrong."""

from datetime import date, datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from common.dates import DutchDateField, format_date, parse_dutch_date

MONTHS = [
    "jan.",
    "feb.",
    "mrt.",
    "apr.",
    "mei",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_shown_with_its_dutch_abbreviation(month):
    assert format_date(date(2026, month, 23)) == f"23 {MONTHS[month - 1]} 2026"


def test_templates_show_dates_and_times_the_same_way():
    moment = timezone.make_aware(datetime(2026, 11, 23, 14, 2))  # noqa: DTZ001 - made aware
    rendered = Template('{{ d|date }} · {{ t|date:"DATETIME_FORMAT" }}').render(
        Context({"d": date(2026, 11, 23), "t": moment})
    )
    assert rendered == "23 nov. 2026 · 23 nov. 2026 14:02"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21-03-2015", date(2015, 3, 21)),
        ("1-3-2015", date(2015, 3, 1)),
        ("21/03/2015", date(2015, 3, 21)),
        ("21.03.2015", date(2015, 3, 21)),
        (" 2015-03-21 ", date(2015, 3, 21)),  # a browser date picker's value
        ("29-02-2024", date(2024, 2, 29)),
    ],
)
def test_typed_dates_are_read_day_first(typed, expected):
    assert parse_dutch_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31-02-2026", "Deze datum bestaat niet: februari 2026 heeft 28 dagen."),
        ("29-02-2025", "Deze datum bestaat niet: februari 2025 heeft 28 dagen."),
        ("31-04-2026", "Deze datum bestaat niet: april 2026 heeft 30 dagen."),
        ("0-04-2026", "Deze datum bestaat niet: er is geen dag 0."),
        ("12-13-2026", "Deze datum bestaat niet: er is geen maand 13."),
        ("morgen", "Vul de datum in als dag-maand-jaar, bijvoorbeeld 21-03-2015."),
        ("2026-11", "Vul de datum in als dag-maand-jaar, bijvoorbeeld 21-03-2015."),
        ("21-03-15", "Vul de datum in als dag-maand-jaar, bijvoorbeeld 21-03-2015."),
    ],
)
def test_what_is_wrong_with_a_date_is_said_in_dutch(typed, message):
    with pytest.raises(forms.ValidationError) as raised:
        parse_dutch_date(typed)
    (text,) = raised.value.messages
    assert text.startswith(message)
    assert "2015-03-21" not in text  # never an ISO example


class EvaluationDate(forms.Form):
    when = DutchDateField(
        label="Wanneer",
        example="01-03-2027",
        earliest=lambda: date(2026, 11, 23),
        latest=date(2027, 5, 1),
    )


def test_a_date_field_has_a_dutch_example_bounds_and_shows_dates_as_typed():
    form = EvaluationDate({"when": "31-02-2027"})
    assert form.errors["when"] == ["Deze datum bestaat niet: februari 2027 heeft 28 dagen."]
    assert 'value="31-02-2027"' in str(form["when"])  # shown as typed, not lost
    assert EvaluationDate({"when": "x"}).errors["when"] == [
        "Vul de datum in als dag-maand-jaar, bijvoorbeeld 01-03-2027."
    ]
    assert EvaluationDate({"when": "22-11-2026"}).errors["when"] == [
        "Deze datum ligt vóór 23 nov. 2026."
    ]
    assert EvaluationDate({"when": "2-5-2027"}).errors["when"] == ["Deze datum ligt na 1 mei 2027."]
    assert EvaluationDate({"when": ""}).errors["when"] == ["Dit veld is verplicht."]
    assert EvaluationDate({"when": "1-3-2027"}).is_valid()
    unbound = EvaluationDate(initial={"when": date(2027, 3, 1)})
    html = str(unbound["when"])
    assert 'value="01-03-2027"' in html and 'type="text"' in html
    assert "Dag-maand-jaar, bijvoorbeeld 01-03-2027." in unbound["when"].help_text
