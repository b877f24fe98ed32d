"""Dates as Dutch people write and read them.

Shown: ``format_date(d)`` / ``{{ d|date }}`` give "23 nov. 2026" (the site's DATE_FORMAT,
see ``common/formats/nl``). Typed: :class:`DutchDateField` reads "21-03-2015" (also with
``/`` or ``.``, and ISO "2015-03-21" as a browser's date picker sends it) and says plainly
what is wrong: a date that does not exist ("31-02-2026") "bestaat niet", any other text
gets a Dutch example. Earliest and latest allowed dates are optional, each a date or a
callable returning one (so "today" is evaluated when the form is validated).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime

from django import forms
from django.utils import formats
from django.utils.dates import MONTHS  # translated: januari, februari, ...

EXAMPLE = "21-03-2015"
TYPED_FORMAT = "%d-%m-%Y"

_DAY_FIRST = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


DateBound = date | Callable[[], date] | None


def format_date(value: date) -> str:
    """A date as the site shows it: "23 nov. 2026"."""
    return formats.date_format(value, "DATE_FORMAT")


def parse_dutch_date(text: str, *, example: str = EXAMPLE) -> date:
    """The date in ``text``, or a ValidationError that says in Dutch what is wrong."""
    text = text.strip()
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise forms.ValidationError(
            "Vul de datum in als dag-maand-jaar, bijvoorbeeld %(example)s.",
            code="invalid",
            params={"example": example},
        )
    if not 1 <= month <= 12:
        raise forms.ValidationError(
            "Deze datum bestaat niet: er is geen maand %(month)s. "
            "Vul in als dag-maand-jaar, bijvoorbeeld %(example)s.",
            code="nonexistent",
            params={"month": month, "example": example},
        )
    if year < 1:
        raise forms.ValidationError(
            "Deze datum bestaat niet. Vul in als dag-maand-jaar, bijvoorbeeld %(example)s.",
            code="nonexistent",
            params={"example": example},
        )
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        raise forms.ValidationError(
            "Deze datum bestaat niet: er is geen dag 0.", code="nonexistent"
        )
    if day > last:
        raise forms.ValidationError(
            "Deze datum bestaat niet: %(month)s %(year)s heeft %(last)s dagen.",
            code="nonexistent",
            params={"month": MONTHS[month], "year": year, "last": last},
        )
    return date(year, month, day)


class DutchDateInput(forms.TextInput):
    """A text box for a date typed as dag-maand-jaar (no browser date picker: its
    segments turn an impossible date into an empty value, and then "verplicht")."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": "10", **(attrs or {})}
        )
        self.format = TYPED_FORMAT

    def format_value(self, value):
        if isinstance(value, date | datetime):
            return value.strftime(TYPED_FORMAT)
        return super().format_value(value)


class DutchDateField(forms.DateField):
    widget = DutchDateInput
    default_error_messages = {
        "too_early": "Deze datum ligt vóór %(limit)s.",
        "too_late": "Deze datum ligt na %(limit)s.",
    }

    def __init__(
        self,
        *,
        example: str = EXAMPLE,
        earliest: DateBound = None,
        latest: DateBound = None,
        **kwargs,
    ):
        kwargs.setdefault("help_text", f"Dag-maand-jaar, bijvoorbeeld {example}.")
        super().__init__(**kwargs)
        self.example = example
        self.earliest = earliest
        self.latest = latest

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return parse_dutch_date(str(value), example=self.example)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        if earliest is not None and value < earliest:
            raise forms.ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"limit": format_date(earliest)},
            )
        if latest is not None and value > latest:
            raise forms.ValidationError(
                self.error_messages["too_late"],
                code="too_late",
                params={"limit": format_date(latest)},
            )
