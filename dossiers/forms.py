"""The intake: one form for the family and a formset each for children, parents, network.

Choices (problem areas, situations) come from the guideline content, so a code added in
the content shows up here without a code change.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from datetime import date

from django import forms

from common.dates import DutchDateField
from common.forms import LengthLimitsShown, SharedFields, fields_shared, show_length_limits
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


class NewDossierForm(LengthLimitsShown, forms.Form):
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


PLACEMENT_MISSING = "Kies waar het kind nu woont."
BIRTH_DATE_MISSING = "Vul de geboortedatum in."
NO_CHILD = "Voeg een kind toe met zijn of haar geboortedatum."


class IntakeForm(LengthLimitsShown, forms.Form):
    family_name = forms.CharField(label="Gezinsnaam", max_length=100)
    crisis = forms.BooleanField(
        label="Er is nu een acute crisis of een spoedeisende situatie", required=False
    )
    placement = forms.ChoiceField(
        label="Waar woont het kind nu?",
        widget=forms.RadioSelect,
        error_messages={"required": PLACEMENT_MISSING},
    )
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


class ChildForm(LengthLimitsShown, forms.Form):
    first_name = forms.CharField(label="Voornaam", max_length=100)
    birth_date = DutchDateField(
        label="Geboortedatum", error_messages={"required": BIRTH_DATE_MISSING}
    )
    problems = forms.MultipleChoiceField(
        label="Problemen van dit kind", required=False, widget=forms.CheckboxSelectMultiple
    )

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


@fields_shared
class ParentForm(LengthLimitsShown, forms.Form):
    name = forms.CharField(label="Naam", max_length=100)
    relation = forms.CharField(
        label="Relatie",
        max_length=100,
        required=False,
        help_text="Bijvoorbeeld moeder, stiefvader.",
    )


@fields_shared
class NetworkForm(LengthLimitsShown, forms.Form):
    name = forms.CharField(label="Naam", max_length=100)
    relation = forms.CharField(
        label="Relatie", max_length=100, required=False, help_text="Bijvoorbeeld oma, buurvrouw."
    )
    is_mentor = forms.BooleanField(label="Informele mentor (JIM)", required=False)


ChildFormSet = limited_formset_factory(ChildForm, extra=0, can_delete=True, max_num=MAX_CHILDREN)
ParentFormSet = limited_formset_factory(ParentForm, extra=0, can_delete=True, max_num=10)
NetworkFormSet = limited_formset_factory(NetworkForm, extra=0, can_delete=True, max_num=30)

PREFIXES = {"children": "kind", "parents": "ouder", "network": "netwerk"}


@dataclass(frozen=True)
class CatalogueForms:
    """The intake's form classes with one catalogue's choices (situations, problem areas)
    in their fields: made once per catalogue, their fields shared by every form built
    (the intake is built on every autosave pause)."""

    main: type[IntakeForm]
    children: type[forms.BaseFormSet]


def _with_choices(form_class, choices: dict[str, list[tuple[str, str]]]):
    fields = copy.deepcopy(form_class.base_fields)
    show_length_limits(fields)
    for name, options in choices.items():
        fields[name].choices = options
    subclass = type(form_class.__name__, (form_class,), {"__module__": __name__})
    subclass.base_fields = SharedFields(fields)
    return subclass


_catalogue_forms: dict[int, tuple[Catalogue, CatalogueForms]] = {}
_catalogue_forms_lock = threading.Lock()
KEEP_CATALOGUE_FORMS = 8


def catalogue_forms(catalogue: Catalogue) -> CatalogueForms:
    """The form classes for this catalogue (the same object: kept with it, so an id is
    never mistaken for another catalogue's)."""
    kept = _catalogue_forms.get(id(catalogue))
    if kept is not None and kept[0] is catalogue:
        return kept[1]
    vocab = catalogue.vocabulary
    made = CatalogueForms(
        main=_with_choices(
            IntakeForm,
            {
                "placement": list(vocab.placement_label.items()),
                "family_problems": problem_choices(catalogue, ProblemLevel.GEZIN),
            },
        ),
        children=type(
            ChildFormSet.__name__,
            (ChildFormSet,),
            {
                "form": _with_choices(
                    ChildForm, {"problems": problem_choices(catalogue, ProblemLevel.JEUGDIGE)}
                )
            },
        ),
    )
    with _catalogue_forms_lock:
        while len(_catalogue_forms) >= KEEP_CATALOGUE_FORMS:
            _catalogue_forms.pop(next(iter(_catalogue_forms)))
        _catalogue_forms[id(catalogue)] = (catalogue, made)
    return made


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

        made = catalogue_forms(catalogue)
        self.form = made.main(data, initial=initial.get("form"))
        self.children = formset(made.children, "children")(
            data, prefix=PREFIXES["children"], initial=initial.get("children")
        )
        self.parents = formset(ParentFormSet, "parents")(
            data, prefix=PREFIXES["parents"], initial=initial.get("parents")
        )
        self.network = formset(NetworkFormSet, "network")(
            data, prefix=PREFIXES["network"], initial=initial.get("network")
        )

    @staticmethod
    def refuse_malformed(data) -> None:
        """MalformedForm (a 400) for a post with row counts no browser of ours sends, as
        building the intake would raise: for the autosave, which checks before it writes."""
        for formset, which in (
            (ChildFormSet, "children"),
            (ParentFormSet, "parents"),
            (NetworkFormSet, "network"),
        ):
            formset.refuse_malformed(data, PREFIXES[which])

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
            ],
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

    def judge(self) -> tuple[dict | None, list[tuple[str, str, str]]]:
        """What the suggestion panel can say about a half-filled intake.

        Returns the engine's case profile built from every valid part (None while the
        situation is not chosen or no child has a valid birth date: nothing is assumed),
        and the problems that stand in the way, as (field id, label, message) with the same
        messages saving would give. Fields left empty are not reported, except those the
        suggestions need: the situation, and the birth date of a child being filled in.
        """
        if not self.form.is_bound:
            return self._judge_initial()
        self.is_valid()
        main = getattr(self.form, "cleaned_data", {})
        problems = [
            (_anchor(bound) if bound is not None else "", label, message)
            for bound, label, message in self._error_items()
            if bound is None or _typed(bound) or bound.name in {"placement", "birth_date"}
        ]
        children = []
        rows = 0
        for number, f in enumerate(self.children.forms, start=1):
            cleaned = getattr(f, "cleaned_data", {}) or {}
            if cleaned.get("DELETE") or (f.empty_permitted and not f.has_changed()):
                continue
            rows += 1
            if cleaned.get("birth_date"):
                children.append(
                    ChildData(
                        cleaned.get("first_name") or f"Kind {number}",
                        cleaned["birth_date"],
                        cleaned.get("problems", []),
                    )
                )
        if not rows:
            problems.append(("", "Kinderen", NO_CHILD))
        placement = main.get("placement")
        if not placement or not children:
            return None, problems
        return (
            case_profile_data(
                crisis=main.get("crisis", False),
                placement=placement,
                family_problems=main.get("family_problems", []),
                children=children,
            ),
            problems,
        )

    def _judge_initial(self):
        main = self.form.initial
        problems = []
        if not main.get("placement"):
            field = self.form["placement"]
            problems.append((_anchor(field), field.label, PLACEMENT_MISSING))
        children = [
            ChildData(c.get("first_name") or f"Kind {n}", c["birth_date"], c.get("problems", []))
            for n, c in enumerate((f.initial or {} for f in self.children.forms), start=1)
            if isinstance(c.get("birth_date"), date)
        ]
        if not self.children.forms:
            problems.append(("", "Kinderen", NO_CHILD))
        if not main.get("placement") or not children:
            return None, problems
        profile = case_profile_data(
            crisis=main.get("crisis", False),
            placement=main["placement"],
            family_problems=main.get("family_problems", []),
            children=children,
        )
        return profile, problems

    def partial_profile(self) -> dict | None:
        """What the engine can already use from a half-filled intake (see :meth:`judge`)."""
        return self.judge()[0]

    def _error_items(self):
        """(bound field or None, label, message) for every error, in the page's order."""
        for name, errors in self.form.errors.items():
            bound = self.form[name] if name in self.form.fields else None
            label = bound.label if bound is not None else "Formulier"
            for e in errors:
                yield bound, label, e
        for formset, title in (
            (self.children, "Kind"),
            (self.parents, "Ouder"),
            (self.network, "Netwerk"),
        ):
            for e in formset.non_form_errors():
                yield None, title, e
            for number, f in enumerate(formset.forms, start=1):
                first = f["first_name"].value() if "first_name" in f.fields else None
                row = f"{title} {number}" + (f" ({first})" if first else "")
                for name, errors in f.errors.items():
                    bound = f[name] if name in f.fields else None
                    label = f"{row}: {bound.label}" if bound is not None else row
                    for e in errors:
                        yield bound, label, e

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for every error, for the summary at the top."""
        return [
            (_anchor(bound) if bound is not None else "", label, message)
            for bound, label, message in self._error_items()
        ]


def _anchor(bound) -> str:
    """The id a link to this field jumps to (the first option of a group of choices)."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _typed(bound) -> bool:
    value = bound.value()
    return value not in (None, "", [], (), False)
