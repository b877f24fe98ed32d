"""Admin forms that validate with the same pydantic models as ``load_content``.

An admin cannot save what ``load_content`` would reject: each form turns its cleaned data
into the content spec and maps every problem pydantic reports onto the field it is about.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from pydantic import BaseModel, ValidationError

from richtlijnen.errors import problems_from
from richtlijnen.models import Guideline, PlacementSituation, ProblemArea, Recommendation, Section
from richtlijnen.schema import (
    GuidelineFields,
    PlacementSpec,
    ProblemAreaSpec,
    RecommendationSpec,
    SectionSpec,
)

MAX_PK = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rejects ids no database column can hold, instead of failing in the database.

    Django checks a posted id with ``pk__in``; an id past 64 bits overflows there (a server
    error on SQLite and PostgreSQL). Such an id is simply not a valid choice.
    """

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check says so
            if not 0 < number <= MAX_PK:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class AdminDateInput(AdminDateWidget):
    """Django admin's date widget without its time-zone note: a date has no time zone, and
    the note's element (added by script only when the browser's zone differs) is missing
    otherwise, leaving aria-describedby pointing at nothing (axe: aria-idref-missing)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-describedby", None)
        return context


ADMIN_DATE = {"widget": AdminDateInput}


# Admin M2M fields: plain checkboxes (accessible, unlike filter_horizontal) with bounded ids.
M2M_CHECKBOXES = {
    "widget": forms.CheckboxSelectMultiple,
    "form_class": BoundedModelMultipleChoiceField,
}


def codes(related) -> list[str]:
    return [obj.code for obj in related or []]


class SpecValidatedForm(forms.ModelForm):
    """Subclasses name the spec model, how to build its data, and where each path lands."""

    spec_model: ClassVar[type[BaseModel]]
    field_for_path: ClassVar[dict[tuple, str]] = {}

    def spec_data(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned  # the field errors come first; the spec needs complete data
        try:
            self.spec_model.model_validate(self.spec_data(cleaned))
        except ValidationError as exc:
            for problem in problems_from(exc):
                self.add_error(self._field(problem.path), problem.message)
        return cleaned

    def _field(self, path: tuple) -> str | None:
        for end in range(len(path), -1, -1):
            prefix = tuple(p for p in path[:end])
            name = self.field_for_path.get(prefix)
            if name is None and end == 1 and isinstance(path[0], str):
                name = path[0]
            if name is not None:
                return name if name in self.fields else None
        return None


class ProblemAreaForm(SpecValidatedForm):
    spec_model = ProblemAreaSpec

    class Meta:
        model = ProblemArea
        fields = ["code", "level", "label", "description", "position"]

    def spec_data(self, data):
        return {k: data.get(k) for k in ("code", "level", "label", "description")}


class PlacementSituationForm(SpecValidatedForm):
    spec_model = PlacementSpec

    class Meta:
        model = PlacementSituation
        fields = ["code", "label", "description", "implies", "position"]

    def clean_implies(self):
        implies = self.cleaned_data.get("implies")
        if implies is not None and self.instance.pk and self.instance in implies:
            raise forms.ValidationError("Een situatie kan zichzelf niet omvatten.")
        return implies

    def spec_data(self, data):
        return {
            "code": data.get("code"),
            "label": data.get("label"),
            "description": data.get("description"),
            "implies": codes(data.get("implies")),
        }


class GuidelineForm(SpecValidatedForm):
    spec_model = GuidelineFields  # its sections are validated by their own inline forms

    class Meta:
        model = Guideline
        fields = ["code", "title", "description", "position"]

    def spec_data(self, data):
        return {k: data.get(k) for k in ("code", "title", "description")}


class SectionForm(SpecValidatedForm):
    spec_model = SectionSpec

    class Meta:
        model = Section
        fields = ["code", "title", "source_file", "position"]

    def spec_data(self, data):
        return {k: data.get(k) for k in ("code", "title", "source_file")}


class RecommendationForm(SpecValidatedForm):
    spec_model = RecommendationSpec
    field_for_path = {
        ("source",): "section",
        ("applies_to", "placements"): "placements",
        ("applies_to", "problems_any"): "problems_any",
    }

    class Meta:
        model = Recommendation
        fields = [
            "code",
            "title",
            "kind",
            "section",
            "text",
            "placements",
            "problems_any",
            "note",
            "position",
        ]

    def spec_data(self, data):
        section = data.get("section")
        return {
            "code": data.get("code"),
            "title": data.get("title"),
            "kind": data.get("kind"),
            "source": {
                "guideline": section.guideline.code if section else None,
                "section": section.code if section else None,
            },
            "text": data.get("text"),
            "applies_to": {
                "placements": codes(data.get("placements")),
                "problems_any": codes(data.get("problems_any")),
            },
            "note": data.get("note") or "",
        }
