from django.contrib import admin
from django.db import models
from django.db.models import Q

from interventies.forms import InterventieForm
from interventies.models import Interventie
from richtlijnen.admin import DraftAdmin
from richtlijnen.forms import ADMIN_DATE, M2M_CHECKBOXES

AGE_BANDS = {
    "0-5": (0, 5, "0 t/m 5 jaar"),
    "6-11": (6, 11, "6 t/m 11 jaar"),
    "12-17": (12, 17, "12 t/m 17 jaar"),
    "18-": (18, 120, "18 jaar en ouder"),
}


class AgeBandFilter(admin.SimpleListFilter):
    """Interventions whose target group includes at least one age in the chosen band."""

    title = "leeftijd"
    parameter_name = "leeftijd"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (_lo, _hi, label) in AGE_BANDS.items()] + [
            ("geen", "Geen leeftijd in de bron")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "geen":
            return queryset.filter(age_min__isnull=True, age_max__isnull=True)
        if value not in AGE_BANDS:
            return queryset
        lo, hi, _label = AGE_BANDS[value]
        starts_in_time = Q(age_min__isnull=True) | Q(age_min__lte=hi)
        ends_late_enough = (
            Q(age_max__isnull=True)
            | Q(age_max_inclusive=True, age_max__gte=lo)
            | Q(age_max_inclusive=False, age_max__gt=lo)
        )
        return queryset.filter(starts_in_time & ends_late_enough)


@admin.register(Interventie)
class InterventieAdmin(DraftAdmin):
    form = InterventieForm
    list_display = ["code", "name", "kind", "age_wording", "crisis", "recognition", "level"]
    list_display_links = ["code", "name"]
    list_filter = [
        "kind",
        "recognition",
        "level",
        "in_databank",
        AgeBandFilter,
        "crisis",
        "placements",
        "problems_all",
        "problems_any",
    ]
    search_fields = ["code", "name", "description_b1", "doelgroep", "goal", "research", "note"]
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES, models.DateField: ADMIN_DATE}
    ordering = ["position", "code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "position"]}),
        (
            "Doelgroep en leeftijd",
            {
                "fields": [
                    "doelgroep",
                    ("age_min", "age_max", "age_max_inclusive"),
                    "age_wording",
                ],
                "description": (
                    "Leeftijden in hele jaren. '10 t/m 18' en '12 tot en met 18': 18 hoort erbij. "
                    "'tot 18 jaar' en '12 tot 18 jaar': 18 hoort er niet bij."
                ),
            },
        ),
        (
            "Wanneer past deze interventie",
            {"fields": ["problems_all", "problems_any", "problems_none", "crisis", "placements"]},
        ),
        ("Inhoud", {"fields": ["description_b1", "goal", "duration"]}),
        (
            "Classificatie en onderzoek",
            {
                "fields": [
                    "recognition",
                    "level",
                    "classification_wording",
                    "in_databank",
                    "classification_date",
                    "research",
                ]
            },
        ),
        ("Bron en toelichting", {"fields": ["sources", "source_quote", "caveats", "note"]}),
    ]
