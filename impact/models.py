"""What a content change does to open dossiers: preview runs and per-dossier notices.

Nothing here holds personal data: dossiers and children are referred to by id, and
interventions by code. Names are looked up when a team member views the dossier.
"""

from django.conf import settings
from django.db import models


class ImpactRun(models.Model):
    """One pass of the engine over all open dossiers with two contents (old and new)."""

    class Kind(models.TextChoices):
        PREVIEW = "voorbeeld", "Voorbeeld vóór publicatie"
        REEVALUATION = "herbeoordeling", "Herbeoordeling na publicatie"

    class State(models.TextChoices):
        WAITING = "wachtrij", "Wacht op de achtergrondtaak"
        RUNNING = "bezig", "Bezig"
        DONE = "klaar", "Klaar"
        FAILED = "mislukt", "Mislukt"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    old_hash = models.CharField(max_length=64)
    new_hash = models.CharField(max_length=64, db_index=True)
    old_version = models.ForeignKey(
        "richtlijnen.ContentVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )
    new_version = models.ForeignKey(
        "richtlijnen.ContentVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # {code: {"added": n, "removed": n}}
    children_changed = models.PositiveIntegerField(default=0)
    dossiers_changed = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class DossierImpact(models.Model):
    """An open dossier whose suggestions differ between the run's two contents.

    ``changes``: ``[{"child": <Jeugdige id>, "added": [codes], "removed": [codes]}]``.
    For a re-evaluation this is the notice shown on the dossier.
    """

    run = models.ForeignKey(ImpactRun, on_delete=models.CASCADE, related_name="dossiers")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="content_impacts"
    )
    team_id = models.BigIntegerField()  # denormalised: the preview links only the user's teams
    changes = models.JSONField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["run", "team_id"], name="impact_run_team"),
            models.Index(fields=["dossier", "-id"], name="impact_dossier_latest"),
        ]

    def __str__(self) -> str:
        return f"Gevolg {self.pk} van run {self.run_id}"
