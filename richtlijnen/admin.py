from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from richtlijnen.forms import (
    M2M_CHECKBOXES,
    GuidelineForm,
    PlacementSituationForm,
    ProblemAreaForm,
    RecommendationForm,
    SectionForm,
)
from richtlijnen.models import Guideline, PlacementSituation, ProblemArea, Recommendation, Section


@admin.register(ProblemArea)
class ProblemAreaAdmin(SimpleHistoryAdmin):
    form = ProblemAreaForm
    list_display = ["code", "label", "level", "position"]
    list_filter = ["level"]
    search_fields = ["code", "label", "description"]
    ordering = ["position", "code"]


@admin.register(PlacementSituation)
class PlacementSituationAdmin(SimpleHistoryAdmin):
    form = PlacementSituationForm
    list_display = ["code", "label", "position"]
    search_fields = ["code", "label", "description"]
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES}
    ordering = ["position", "code"]


class SectionInline(admin.TabularInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = ["code", "title", "source_file", "position"]


@admin.register(Guideline)
class GuidelineAdmin(SimpleHistoryAdmin):
    form = GuidelineForm
    list_display = ["code", "title", "position"]
    search_fields = ["code", "title", "description"]
    inlines = [SectionInline]
    ordering = ["position", "code"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    form = RecommendationForm
    list_display = ["code", "title", "kind", "section"]
    list_filter = ["kind", "section__guideline", "placements", "problems_any"]
    search_fields = ["code", "title", "text", "note"]
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES}
    list_select_related = ["section__guideline"]
    ordering = ["position", "code"]
