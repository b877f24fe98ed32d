from datetime import date

from django import forms
from django.utils import timezone

from common.dates import DutchDateField
from dossiers.models import Team
from inzicht.selectors import SOURCE_ALL, source_choices

MAX_MONTHS = 36


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


class InsightForm(forms.Form):
    van = DutchDateField(label="Van", required=False)
    tot = DutchDateField(label="Tot en met", required=False)
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="Alle teams",
    )
    bron = forms.ChoiceField(label="Bron", required=False)
    interventie = forms.ChoiceField(label="Interventie", required=False)

    def __init__(self, *args, interventions: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bron"].choices = source_choices()
        self.fields["interventie"].choices = [("", "Alle interventies"), *interventions]

    def clean(self):
        cleaned = super().clean()
        start, end = default_period(timezone.localdate())
        cleaned["van"] = cleaned.get("van") or start
        cleaned["tot"] = cleaned.get("tot") or end
        cleaned["bron"] = cleaned.get("bron") or SOURCE_ALL
        if cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", "Deze datum ligt voor de begindatum.")
        elif (cleaned["tot"].year - cleaned["van"].year) * 12 + (
            cleaned["tot"].month - cleaned["van"].month
        ) >= MAX_MONTHS:
            self.add_error("tot", f"Kies een periode van hooguit {MAX_MONTHS} maanden.")
        return cleaned
