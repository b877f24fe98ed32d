"""The intake: one form for the family and a formset each for children, parents, network.

Choices (problem areas, situations) come from the guideline content, so a code added in
the content shows up here without a code change.
"""

from __future__ import annotations

from datetime import date

from django import forms

from common.dates import DutchDateField
from common.limits import limited_formset_factory
from dossiers.models import Dossier, Team
from dossiers.services import ChildData, IntakeData, case_profile_data
from interventies.engine import Catalogue
from interventies.profile import MAX_CHILDREN, OLDEST_AGE, today
from richtlijnen.schema import ProblemLevel


def problem_choices(catalogue: Catalogue, level: ProblemLevel) -> list[tuple[str, str]]:
    vocab = catalogue.vocabulary
    codes = sorted(
        (c for c, lvl in vocab.problem_level.items() if lvl is level),
        key=vocab.problem_order.__getitem__,
    )
    return [(c, vocab.problem_label[c]) for c in codes]


class NewDossierForm(forms.Form):
    family_name = forms.CharField(
        label="Gezinsnaam",
        max_length=100,
        help_text="Bijvoorbeeld de achternaam van het gezin.",
    )
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["team"].initial = teams.get().pk


class IntakeForm(forms.Form):
    family_name = forms.CharField(label="Gezinsnaam", max_length=100)
    crisis = forms.BooleanField(
        label="Er is nu een acute crisis of een spoedeisende situatie", required=False
    )
    placement = forms.ChoiceField(label="Waar woont het kind nu?", widget=forms.RadioSelect)
    family_problems = forms.MultipleChoiceField(
        label="Problemen in het gezin",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Deze problemen tellen mee voor elk kind.",
    )
    verklarende_analyse = forms.CharField(
        label="Verklarende analyse",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Hoe zijn de problemen ontstaan? Welke hulp is eerder geprobeerd, "
            "en wat werkte wel of niet?"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        vocab = catalogue.vocabulary
        self.fields["placement"].choices = list(vocab.placement_label.items())
        self.fields["family_problems"].choices = problem_choices(catalogue, ProblemLevel.GEZIN)


class ChildForm(forms.Form):
    first_name = forms.CharField(label="Voornaam", max_length=100)
    birth_date = DutchDateField(label="Geboortedatum")
    problems = forms.MultipleChoiceField(
        label="Problemen van dit kind", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].choices = problem_choices(catalogue, ProblemLevel.JEUGDIGE)

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        now = today()
        if born > now:
            raise forms.ValidationError("De geboortedatum ligt in de toekomst.")
        if now.year - born.year > OLDEST_AGE + 1:
            raise forms.ValidationError(
                f"Dan is dit kind ouder dan {OLDEST_AGE} jaar. Klopt het jaartal?"
            )
        return born


class ParentForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=100)
    relation = forms.CharField(
        label="Relatie",
        max_length=100,
        required=False,
        help_text="Bijvoorbeeld moeder, stiefvader.",
    )


class NetworkForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=100)
    relation = forms.CharField(
        label="Relatie", max_length=100, required=False, help_text="Bijvoorbeeld oma, buurvrouw."
    )
    is_mentor = forms.BooleanField(label="Informele mentor (JIM)", required=False)


ChildFormSet = limited_formset_factory(ChildForm, extra=0, can_delete=True, max_num=MAX_CHILDREN)
ParentFormSet = limited_formset_factory(ParentForm, extra=0, can_delete=True, max_num=10)
NetworkFormSet = limited_formset_factory(NetworkForm, extra=0, can_delete=True, max_num=30)

PREFIXES = {"children": "kind", "parents": "ouder", "network": "netwerk"}


class Intake:
    """The intake's form and formsets together: bound, validated and read as one."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        data=None,
        initial: dict | None = None,
        extra_row: str | None = None,
    ):
        """Bound to posted ``data`` (to validate and save), or unbound showing ``initial``.

        ``extra_row`` adds one empty row to that formset ("children", "parents", "network").
        """
        initial = initial or {}

        def formset(cls, which):
            if which == extra_row:
                cls = limited_formset_factory(
                    cls.form, extra=1, can_delete=True, max_num=cls.max_num
                )
            return cls

        self.form = IntakeForm(data, catalogue=catalogue, initial=initial.get("form"))
        self.children = formset(ChildFormSet, "children")(
            data,
            prefix=PREFIXES["children"],
            initial=initial.get("children"),
            form_kwargs={"catalogue": catalogue},
        )
        self.parents = formset(ParentFormSet, "parents")(
            data, prefix=PREFIXES["parents"], initial=initial.get("parents")
        )
        self.network = formset(NetworkFormSet, "network")(
            data, prefix=PREFIXES["network"], initial=initial.get("network")
        )

    @classmethod
    def initial_from_raw(cls, raw: dict[str, list[str]]) -> dict:
        """What was typed (a stored draft or a post), as initial values: shown, not judged.

        Rows ticked for deletion are left out; numbers that are not numbers count as 0.
        """

        def one(key: str) -> str:
            values = raw.get(key) or [""]
            return values[-1]

        def ticked(key: str) -> bool:
            return one(key) in {"on", "true", "True", "1"}

        def rows(which: str, fields: list[str], multi=(), flags=()) -> list[dict]:
            prefix = PREFIXES[which]
            try:
                count = int(one(f"{prefix}-TOTAL_FORMS") or 0)
            except ValueError:
                count = 0
            out = []
            for i in range(max(0, min(count, MAX_CHILDREN * 2))):
                key = f"{prefix}-{i}-"
                if ticked(key + "DELETE"):
                    continue
                row = {f: one(key + f) for f in fields}
                row |= {f: raw.get(key + f, []) for f in multi}
                row |= {f: ticked(key + f) for f in flags}
                out.append(row)
            return out

        return {
            "form": {
                "family_name": one("family_name"),
                "crisis": ticked("crisis"),
                "placement": one("placement"),
                "family_problems": raw.get("family_problems", []),
                "verklarende_analyse": one("verklarende_analyse"),
                "version": one("version"),
            },
            "children": rows("children", ["first_name", "birth_date"], multi=["problems"]),
            "parents": rows("parents", ["name", "relation"]),
            "network": rows("network", ["name", "relation"], flags=["is_mentor"]),
        }

    @classmethod
    def initial_for(cls, dossier: Dossier) -> dict:
        return {
            "form": {
                "family_name": dossier.family_name,
                "crisis": dossier.crisis,
                "placement": dossier.placement,
                "family_problems": dossier.family_problems,
                "verklarende_analyse": dossier.verklarende_analyse,
                "version": dossier.version,
            },
            "children": [
                {"first_name": c.first_name, "birth_date": c.birth_date, "problems": c.problems}
                for c in dossier.children.all()
            ]
            or [{}],
            "parents": [{"name": p.name, "relation": p.relation} for p in dossier.parents.all()],
            "network": [
                {"name": n.name, "relation": n.relation, "is_mentor": n.is_mentor}
                for n in dossier.network.all()
            ],
        }

    @property
    def formsets(self):
        return [self.children, self.parents, self.network]

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [fs.is_valid() for fs in self.formsets]
        return all(results)

    @staticmethod
    def _kept(formset) -> list[dict]:
        return [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def data(self) -> IntakeData:
        """The validated intake (call :meth:`is_valid` first)."""
        main = self.form.cleaned_data
        return IntakeData(
            family_name=main["family_name"],
            crisis=main["crisis"],
            placement=main["placement"],
            family_problems=main["family_problems"],
            verklarende_analyse=main["verklarende_analyse"],
            children=[
                ChildData(c["first_name"], c["birth_date"], c["problems"])
                for c in self._kept(self.children)
            ],
            parents=[(p["name"], p["relation"]) for p in self._kept(self.parents)],
            network=[(n["name"], n["relation"], n["is_mentor"]) for n in self._kept(self.network)],
        )

    def partial_profile(self) -> dict:
        """What the engine can already use from a half-filled intake: every valid part."""
        if self.form.is_bound:
            self.is_valid()
            main = getattr(self.form, "cleaned_data", {})
            rows = [getattr(f, "cleaned_data", {}) or {} for f in self.children.forms]
        else:
            main = self.form.initial
            rows = [f.initial or {} for f in self.children.forms]
        children = []
        for cleaned in rows:
            if cleaned.get("DELETE") or not cleaned.get("birth_date"):
                continue
            children.append(
                ChildData(
                    cleaned.get("first_name") or f"Kind {len(children) + 1}",
                    cleaned["birth_date"],
                    cleaned.get("problems", []),
                )
            )
        return case_profile_data(
            crisis=main.get("crisis", False),
            placement=main.get("placement") or "thuis",
            family_problems=main.get("family_problems", []),
            children=children,
        )

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for every error, for the summary at the top."""
        out = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else "Formulier"
            out.extend(
                (self.form[name].auto_id if name in self.form.fields else "", label, e)
                for e in errors
            )
        for formset, title in (
            (self.children, "Kind"),
            (self.parents, "Ouder"),
            (self.network, "Netwerk"),
        ):
            for e in formset.non_form_errors():
                out.append(("", title, e))
            for number, f in enumerate(formset.forms, start=1):
                for name, errors in f.errors.items():
                    label = (
                        f"{title} {number}: {f.fields[name].label}" if name in f.fields else title
                    )
                    out.extend(
                        (f[name].auto_id if name in f.fields else "", label, e) for e in errors
                    )
        return out
