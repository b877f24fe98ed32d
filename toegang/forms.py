"""Filters of the access-log page: person, action and period."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from toegang.models import AccessLog


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class AccessLogFilterForm(forms.Form):
    persoon = _PersonChoice(
        label="Wie",
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label="Iedereen",
    )
    actie = forms.ChoiceField(
        label="Wat", required=False, choices=[("", "Alles"), *AccessLog.Action.choices]
    )
    van = forms.DateField(
        label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["persoon"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("tot") and cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", "Deze datum ligt voor de begindatum.")
        return cleaned

    def filter(self, rows):
        """Apply the valid filters; dates as a range on the timestamp (an index can serve it)."""
        if not self.is_valid():
            return rows
        data, zone = self.cleaned_data, timezone.get_current_timezone()
        if data["persoon"]:
            rows = rows.filter(user=data["persoon"])
        if data["actie"]:
            rows = rows.filter(action=data["actie"])
        if data["van"]:
            rows = rows.filter(at__gte=datetime.combine(data["van"], time.min, tzinfo=zone))
        if data["tot"]:
            end = data["tot"] + timedelta(days=1)
            rows = rows.filter(at__lt=datetime.combine(end, time.min, tzinfo=zone))
        return rows
