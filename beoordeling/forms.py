"""Forms for the review, the hulpverleningsplan and its evaluation."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from beoordeling.models import DeclineReason, EvaluationRecord
from common.dates import DutchDateField
from common.limits import limited_formset_factory
from interventies.profile import MAX_CHILDREN, today

# A plan looks ahead at most this far: later dates are typing mistakes (year 9999).
PLAN_YEARS_AHEAD = 5
EXAMPLE_LATER = "1-3-2027"


class DecisionForm(forms.Form):
    child_index = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_CHILDREN)
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    decision = forms.ChoiceField(
        label="Beslissing",
        choices=[("accept", "Overnemen"), ("decline", "Niet overnemen"), ("add", "Toevoegen")],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="Reden (bij niet overnemen)",
        required=False,
        choices=[("", "Kies een reden"), *DeclineReason.choices],
    )
    comment = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    problem_picture = forms.CharField(
        label="Samenhangend beeld van de problemen",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Wat speelt er, en hoe hangen de problemen met elkaar samen?",
    )
    goals_short_term = forms.CharField(
        label="Doelen voor de korte termijn",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    goals_long_term = forms.CharField(
        label="Doelen voor daarna",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld na vertrek uit de instelling of na afloop van de hulp.",
    )
    end_date_prognosis = DutchDateField(
        label="Verwachte einddatum",
        required=False,
        example=EXAMPLE_LATER,
        earliest=today,
        latest=lambda: today() + timedelta(days=365 * PLAN_YEARS_AHEAD),
        help_text=(
            f"Dag-maand-jaar, bijvoorbeeld {EXAMPLE_LATER}. "
            "Verplicht als een kind uit huis geplaatst is."
        ),
    )
    omgangsregeling = forms.CharField(
        label="Omgangsregeling",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hoe en hoe vaak zien ouders en kind elkaar? Verplicht bij een uithuisplaatsing.",
    )


class MomentForm(forms.Form):
    who = forms.CharField(label="Wie", max_length=200)
    what = forms.CharField(label="Wat", max_length=500)
    due_date = DutchDateField(
        label="Wanneer",
        example=EXAMPLE_LATER,
        earliest=today,
        latest=lambda: today() + timedelta(days=365 * PLAN_YEARS_AHEAD),
    )


MomentFormSet = limited_formset_factory(MomentForm, extra=0, can_delete=True, max_num=20)


class EvaluationForm(forms.Form):
    result = forms.ChoiceField(
        label="Zijn de doelen bereikt?",
        choices=EvaluationRecord.Result.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="Wat is er besproken",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_step = forms.ChoiceField(
        label="Hoe verder?",
        choices=EvaluationRecord.NextStep.choices,
        widget=forms.RadioSelect,
    )
