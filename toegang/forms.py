"""Filters of the access-log pages: one dossier's (person, action, period) and the
organisation's (also team, dossier, outcome)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from dossiers.models import Team
from toegang.models import AccessLog


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class _PeriodForm(forms.Form):
    """From and to a day (both included), filtered as a range on the timestamp, so that an
    index on (..., at) serves it."""

    van = forms.DateField(
        label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("tot") and cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", "Deze datum ligt voor de begindatum.")
        return cleaned

    def filter_period(self, rows):
        data, zone = self.cleaned_data, timezone.get_current_timezone()
        if data["van"]:
            rows = rows.filter(at__gte=datetime.combine(data["van"], time.min, tzinfo=zone))
        if data["tot"]:
            end = data["tot"] + timedelta(days=1)
            rows = rows.filter(at__lt=datetime.combine(end, time.min, tzinfo=zone))
        return rows


class AccessLogFilterForm(_PeriodForm):
    field_order = ["persoon", "actie", "van", "tot"]
    persoon = _PersonChoice(
        label="Wie",
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label="Iedereen",
    )
    actie = forms.ChoiceField(
        label="Wat", required=False, choices=[("", "Alles"), *AccessLog.Action.choices]
    )

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["persoon"].queryset = people

    def filter(self, rows):
        """Apply the valid filters; dates as a range on the timestamp (an index can serve it)."""
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["persoon"]:
            rows = rows.filter(user=data["persoon"])
        if data["actie"]:
            rows = rows.filter(action=data["actie"])
        return self.filter_period(rows)


class OrgLogFilterForm(_PeriodForm):
    """The privacy officer's filters over the whole log: each one an index can serve."""

    persoon = forms.CharField(
        label="Wie",
        required=False,
        max_length=150,
        help_text="Gebruikersnaam, of een deel van de naam.",
    )
    team = forms.ModelChoiceField(
        label="Team", required=False, queryset=Team.objects.order_by("name"), empty_label="Alle"
    )
    dossier = forms.UUIDField(
        label="Dossiernummer",
        required=False,
        help_text="Het nummer uit de adresbalk of uit de export.",
        error_messages={"invalid": "Dit is geen dossiernummer (zoals 3f2a…-…)."},
    )
    actie = forms.ChoiceField(
        label="Wat", required=False, choices=[("", "Alles"), *AccessLog.Action.choices]
    )
    resultaat = forms.ChoiceField(
        label="Resultaat", required=False, choices=[("", "Alles"), *AccessLog.Outcome.choices]
    )

    field_order = ["persoon", "team", "dossier", "actie", "resultaat", "van", "tot"]
    PEOPLE_MAX = 50  # a name that matches more people than this: be more precise

    def clean_persoon(self) -> list[int] | None:
        text = self.cleaned_data["persoon"].strip()
        if not text:
            return None
        users = get_user_model().objects.filter(
            Q(username__iexact=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(username__icontains=text)
        )
        ids = list(users.order_by("pk").values_list("pk", flat=True)[: self.PEOPLE_MAX + 1])
        if not ids:
            raise forms.ValidationError("Niemand gevonden met deze naam.")
        if len(ids) > self.PEOPLE_MAX:
            raise forms.ValidationError("Te veel mensen met deze naam: typ meer van de naam.")
        return ids

    def filter(self, rows):
        """Nothing when a filter is wrong (the message stands at the field), never everything."""
        if not self.is_bound:
            return rows
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["persoon"]:
            rows = rows.filter(user_id__in=data["persoon"])
        if data["team"]:
            rows = rows.filter(team=data["team"])
        if data["dossier"]:
            rows = rows.filter(dossier_id=data["dossier"])
        if data["actie"]:
            rows = rows.filter(action=data["actie"])
        if data["resultaat"]:
            rows = rows.filter(outcome=data["resultaat"])
        return self.filter_period(rows)
