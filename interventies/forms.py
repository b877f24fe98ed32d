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
        ("classification",): "level",
        ("classification", "recognition"): "recognition",
        ("classification", "level"): "level",
        ("classification", "wording"): "classification_wording",
        ("classification", "in_databank"): "in_databank",
    }

    class Meta:
        model = Interventie
        fields = "__all__"

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
            },
            "goal": data.get("goal") or "",
            "duration": data.get("duration") or "",
            "classification": {
                "recognition": data.get("recognition"),
                "level": data.get("level") or None,
                "wording": data.get("classification_wording") or "",
                "in_databank": data.get("in_databank"),
            },
            "research": data.get("research") or "",
            "sources": [
                {"guideline": s.guideline.code, "section": s.code}
                for s in (data.get("sources") or [])
            ],
            "note": data.get("note") or "",
        }
