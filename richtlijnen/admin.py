from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from richtlijnen.content import content_version
from richtlijnen.forms import (
    M2M_CHECKBOXES,
    GuidelineForm,
    PlacementSituationForm,
    ProblemAreaForm,
    RecommendationForm,
    SectionForm,
)
from richtlijnen.models import Guideline, PlacementSituation, ProblemArea, Recommendation, Section
from richtlijnen.versions import bundle_diff, bundle_json, draft_bundle, version_in_use


class DraftAdmin(SimpleHistoryAdmin):
    """Content admin pages edit the draft: every page says so, and what differs."""

    def _say_draft(self, request) -> None:
        if request.method != "GET":
            return
        in_use, draft = version_in_use(), draft_bundle()
        if in_use is None or draft is None:
            return
        if content_version(draft) == in_use.content_hash:
            differs = "Het concept is nu gelijk aan die versie."
        else:
            n = len(bundle_diff(in_use.bundle, bundle_json(draft)))
            differs = f"Het concept verschilt op {n} onderdeel{'en' if n != 1 else ''}."
        messages.info(
            request,
            format_html(
                "U bewerkt het <strong>concept</strong>. Professionals werken met versie {} "
                "(in gebruik); uw wijzigingen gaan pas in als een tweede inhoudsbeheerder ze "
                'publiceert. {} <a href="{}">Verschillen bekijken en laten publiceren</a>',
                in_use.number,
                differs,
                reverse("inhoud:review"),
            ),
        )

    def changelist_view(self, request, extra_context=None):
        self._say_draft(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._say_draft(request)
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(ProblemArea)
class ProblemAreaAdmin(DraftAdmin):
    form = ProblemAreaForm
    list_display = ["code", "label", "level", "position"]
    list_filter = ["level"]
    search_fields = ["code", "label", "description"]
    ordering = ["position", "code"]


@admin.register(PlacementSituation)
class PlacementSituationAdmin(DraftAdmin):
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
class GuidelineAdmin(DraftAdmin):
    form = GuidelineForm
    list_display = ["code", "title", "position"]
    search_fields = ["code", "title", "description"]
    inlines = [SectionInline]
    ordering = ["position", "code"]


@admin.register(Recommendation)
class RecommendationAdmin(DraftAdmin):
    form = RecommendationForm
    list_display = ["code", "title", "kind", "section"]
    list_filter = ["kind", "section__guideline", "placements", "problems_any"]
    search_fields = ["code", "title", "text", "note"]
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES}
    list_select_related = ["section__guideline"]
    ordering = ["position", "code"]
