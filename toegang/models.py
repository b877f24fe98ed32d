"""The access log and the append-only base every never-changed record builds on."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """The access log is never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Het toegangslog kan niet worden gewijzigd.")

    def delete(self):
        raise AppendOnlyError("Het toegangslog kan niet worden verwijderd.")


class AppendOnlyModel(models.Model):
    """Rows are only ever added: saving an existing row or deleting one is refused.

    On PostgreSQL each concrete model also has a trigger that refuses UPDATE and DELETE.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} wordt nooit gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} wordt nooit verwijderd.")


class AccessLog(AppendOnlyModel):
    """Who did what with which dossier, when and from where (NEN 7513). Ids, never contents.

    Append-only: the model refuses changes and deletions, and on PostgreSQL a trigger
    refuses any UPDATE or DELETE on the table, whoever sends it.
    """

    class Action(models.TextChoices):
        LIST = "list", "Lijst bekeken"
        SEARCH = "search", "Gezocht"
        CREATE = "create", "Aangemaakt"
        VIEW = "view", "Ingezien"
        CHANGE = "change", "Gewijzigd"
        AUTOSAVE = "autosave", "Concept bewaard"
        DISCARD = "discard", "Concept weggegooid"
        SUBMIT = "submit", "Ingediend"
        REVIEW = "review", "Beoordeeld"
        PLAN = "plan", "Plan vastgesteld"
        EVALUATE = "evaluate", "Evaluatie vastgelegd"
        PRINT = "print", "Afgedrukt"
        VIEW_LOG = "view_log", "Toegangslog bekeken"
        PURGE = "purge", "Verwijderd na bewaartermijn"
        DELETE = "delete", "Verwijderd op verzoek"

    class Outcome(models.TextChoices):
        OK = "ok", "Gelukt"
        DENIED = "denied", "Geweigerd"
        CONFLICT = "conflict", "Conflict"
        INVALID = "invalid", "Ongeldig"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    roles = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey("dossiers.Team", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    dossier_id = models.UUIDField(null=True, db_index=True)
    client_address = models.GenericIPAddressField(null=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OK)

    class Meta:
        verbose_name = "toegangslogregel"
        ordering = ["-at"]
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.outcome}"
