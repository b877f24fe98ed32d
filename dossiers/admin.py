"""Teams and their members, for administrators (superusers): no dossier data here."""

from django import forms
from django.contrib import admin
from django.db import models

from dossiers.models import Team
from richtlijnen.forms import M2M_CHECKBOXES

OWN_MEMBERSHIP = (
    "U kunt uzelf niet aan een team toevoegen of eruit halen. Vraag een andere beheerder: "
    "toegang tot gezinnen gaat via een rol en een team, voor iedereen op dezelfde manier."
)


class TeamForm(forms.ModelForm):
    acting_user = None  # set by TeamAdmin.get_form

    class Meta:
        model = Team
        fields = ["name", "slug", "members"]

    def clean_members(self):
        members = self.cleaned_data["members"]
        me = self.acting_user
        if me is not None:
            team = self.instance
            before = team.pk is not None and team.members.filter(pk=me.pk).exists()
            if before != members.filter(pk=me.pk).exists():
                raise forms.ValidationError(OWN_MEMBERSHIP)
        return members


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ManyToManyField: M2M_CHECKBOXES}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})
