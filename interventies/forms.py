from django import forms

from interventies.catalogue import CRISIS_FILTERS, RECOGNITION_FILTERS, Filters
from interventies.engine import KIND_LABEL, Catalogue
from interventies.models import Interventie
from richtlijnen.forms import SpecValidatedForm, codes
from richtlijnen.schema import InterventionSpec


class InterventieForm(SpecValidatedForm):
    spec_model = InterventionSpec
    field_for_path = {
        ("age",): "age_min",
        ("age", "min"): "age_min",
        ("age", "max"): "age_max",
        ("age", "max_inclusive"): "age_max_inclusive",
        ("age", "wording"): "age_wording",
        ("criteria",): "problems_any",
        ("criteria", "problems_all"): "problems_all",
        ("criteria", "problems_any"): "problems_any",
        ("criteria", "crisis"): "crisis",
        ("criteria", "placements"): "placements",
        ("criteria", "problems_none"): "problems_none",
        ("caveats",): "caveats",
        ("classification",): "level",
        ("classification", "recognition"): "recognition",
        ("classification", "level"): "level",
        ("classification", "wording"): "classification_wording",
        ("classification", "in_databank"): "in_databank",
        ("classification", "source_date"): "classification_date",
        ("source_quote",): "source_quote",
    }

    class Meta:
        model = Interventie
        fields = "__all__"

    def clean_source_quote(self) -> str:
        """Line breaks as in the seed (a browser sends CRLF), so the quote stays verbatim."""
        return (self.cleaned_data.get("source_quote") or "").replace("\r\n", "\n")

    def spec_data(self, data):
        return {
            "code": data.get("code"),
            "name": data.get("name"),
            "kind": data.get("kind"),
            "description_b1": data.get("description_b1") or "",
            "doelgroep": data.get("doelgroep"),
            "age": {
                "min": data.get("age_min"),
                "max": data.get("age_max"),
                "max_inclusive": bool(data.get("age_max_inclusive")),
                "wording": data.get("age_wording") or "",
            },
            "criteria": {
                "problems_all": codes(data.get("problems_all")),
                "problems_any": codes(data.get("problems_any")),
                "crisis": data.get("crisis"),
                "placements": codes(data.get("placements")),
                "problems_none": codes(data.get("problems_none")),
            },
            "goal": data.get("goal") or "",
            "duration": data.get("duration") or "",
            "classification": {
                "recognition": data.get("recognition"),
                "level": data.get("level") or None,
                "wording": data.get("classification_wording") or "",
                "in_databank": data.get("in_databank"),
                "source_date": data.get("classification_date"),
            },
            "research": data.get("research") or "",
            "sources": [
                {"guideline": s.guideline.code, "section": s.code}
                for s in (data.get("sources") or [])
            ],
            "source_quote": (data.get("source_quote") or "").replace("\r\n", "\n"),
            "note": data.get("note") or "",
            "caveats": [
                line.strip() for line in (data.get("caveats") or "").splitlines() if line.strip()
            ],
        }


class CatalogueFilterForm(forms.Form):
    """The catalogue page's filters (GET). Choices come from the content in use."""

    q = forms.CharField(label="Zoeken", required=False, max_length=100)
    leeftijd = forms.IntegerField(
        label="Leeftijd (jaar)", required=False, min_value=0, max_value=30
    )
    probleem = forms.ChoiceField(label="Probleemgebied", required=False)
    situatie = forms.ChoiceField(label="Situatie", required=False)
    crisis = forms.ChoiceField(
        label="Crisis", required=False, choices=[("", "Met of zonder"), *CRISIS_FILTERS]
    )
    soort = forms.ChoiceField(
        label="Soort",
        required=False,
        choices=[("", "Alle soorten"), *((k.value, v.capitalize()) for k, v in KIND_LABEL.items())],
    )
    erkenning = forms.ChoiceField(
        label="Erkenning", required=False, choices=[("", "Alle"), *RECOGNITION_FILTERS]
    )

    def __init__(self, *args, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        vocab = catalogue.vocabulary
        self.fields["probleem"].choices = [("", "Alle"), *vocab.problem_label.items()]
        self.fields["situatie"].choices = [("", "Alle"), *vocab.placement_label.items()]

    def filters(self) -> Filters:
        """The filters that are valid; an invalid one is left out (its error is shown)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            age=data.get("leeftijd"),
            problem=data.get("probleem") or "",
            situation=data.get("situatie") or "",
            crisis=data.get("crisis") or "",
            kind=data.get("soort") or "",
            recognition=data.get("erkenning") or "",
            query=(data.get("q") or "").replace("\x00", ""),
        )
