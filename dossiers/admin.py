"""Teams and their members, for administrators (superusers): no dossier data here."""

from django.contrib import admin
from django.db import models

from dossiers.models import Team
from richtlijnen.forms import M2M_CHECKBOXES


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES}
