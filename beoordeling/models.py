"""Review decisions, the hulpverleningsplan in versions, and its evaluation.

Moved out of ``dossiers`` (the tables were renamed in the same migration; data is kept).
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.db import models

from dossiers.models import Dossier, SuggestionSnapshot, Team
from toegang.models import AppendOnlyModel, deleted_only_with_dossier


class DeclineReason(models.TextChoices):
    """Why a suggestion is not followed (after the CDS Hooks override reasons)."""

    NOT_APPLICABLE = "niet_van_toepassing", "Past niet bij dit gezin"
    CONTEXT = "context_past_niet", "De omstandigheden passen niet"
    EVIDENCE = "oneens_met_onderbouwing", "Oneens met de onderbouwing"
    OUTCOME = "zorg_over_uitkomst", "Zorgen over de uitkomst"
    PREFERENCE = "voorkeur_gezin", "Het gezin wil het niet"
    UNAVAILABLE = "niet_beschikbaar", "Niet beschikbaar of wachtlijst"


class ReviewDecision(AppendOnlyModel):
    """One decision on one intervention for one child. Never changed: a new one is added."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Overgenomen"
        DECLINE = "decline", "Niet overgenomen"
        ADD = "add", "Toegevoegd"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="decisions")
    snapshot = models.ForeignKey(
        SuggestionSnapshot, on_delete=models.CASCADE, related_name="decisions"
    )
    child_index = models.PositiveSmallIntegerField()
    intervention_code = models.CharField(max_length=20)
    intervention_name = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "beslissing"
        ordering = ["decided_at", "id"]
        triggers = [
            pgtrigger.Protect(name="review_decision_append_only", operation=pgtrigger.Update),
            # erasure of the whole dossier is the only way a decision goes (toegang)
            deleted_only_with_dossier("review_decision_erased_with_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.intervention_code} (kind {self.child_index})"


class ReviewCompletion(AppendOnlyModel):
    """ "Beoordeling afronden": who finished the review of a snapshot, and when.

    Recorded only when every suggestion has a decision, while the dossier is ter
    beoordeling. A decision made afterwards reopens the review: a completion counts only
    while the snapshot still has exactly ``decisions_seen`` decisions (decisions are
    append-only, so their number only grows). The history stays; finishing again adds a
    new row. One row per (snapshot, decisions_seen): a double click or two reviewers at
    once record it once. Erased only together with the dossier (toegang).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="review_completions"
    )
    snapshot = models.ForeignKey(
        SuggestionSnapshot, on_delete=models.CASCADE, related_name="completions"
    )
    decisions_seen = models.PositiveIntegerField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "afgeronde beoordeling"
        verbose_name_plural = "afgeronde beoordelingen"
        ordering = ["completed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "decisions_seen"], name="one_completion_per_review_state"
            )
        ]
        triggers = [
            pgtrigger.Protect(name="review_completion_append_only", operation=pgtrigger.Update),
            deleted_only_with_dossier("review_completion_erased_with_dossier"),
        ]

    def __str__(self) -> str:
        return f"Beoordeling afgerond ({self.completed_at:%Y-%m-%d})"


class Hulpverleningsplan(models.Model):
    """The plan, in versions. A set (vastgesteld) version never changes again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField()
    problem_picture = models.TextField("samenhangend beeld van de problemen", blank=True)
    goals_short_term = models.TextField("doelen voor de korte termijn", blank=True)
    goals_long_term = models.TextField(
        "doelen voor daarna (bijvoorbeeld na vertrek uit de hulp)", blank=True
    )
    end_date_prognosis = models.DateField("verwachte einddatum", null=True, blank=True)
    omgangsregeling = models.TextField("omgangsregeling", blank=True)
    interventions = models.JSONField("gekozen hulp", default=list, blank=True)
    # Optimistic locking of the concept: raised by one on every save, like Dossier.version.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    set_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["dossier", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "version"], name="one_plan_per_version")
        ]

    def __str__(self) -> str:
        return f"Hulpverleningsplan versie {self.version}"

    @property
    def is_set(self) -> bool:
        return self.set_at is not None


class EvaluationMoment(models.Model):
    """An agreement in the plan: who evaluates what, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Hulpverleningsplan, on_delete=models.CASCADE, related_name="evaluation_moments"
    )
    # The plan's dossier's team, copied (a dossier never changes team), so the evaluations
    # overview reads one team's moments from one index instead of walking every team's.
    # Set it on every creation path: ``EvaluationMoment.for_plan``. No index of its own:
    # the (team, due_date, position, id) index below leads with it.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", db_index=False)
    who = models.CharField("wie", max_length=200)
    what = models.CharField("wat", max_length=500)
    due_date = models.DateField("wanneer", db_index=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Whether this agreement is waiting for its evaluation: it belongs to the plan in force
    # (set, and no newer plan set) of a dossier whose plan is set (not closed), and it has
    # not been evaluated. Kept exact by the services that change any of that, in the same
    # transaction (plan_set opens its plan's moments and closes the older plan's;
    # evaluation_record closes the moment, and all of them when the help ends), so the
    # overview counts its pages from the partial index alone. The overview's rows still
    # check plan and dossier themselves. A concept plan's moments are not open
    # (``for_plan``). Migration 0010 made existing rows exact.
    is_open = models.BooleanField(default=True, db_default=True, editable=False)

    class Meta:
        ordering = ["due_date", "position"]
        indexes = [
            # The evaluations overview: a team's open moments, earliest due first.
            models.Index(
                fields=["team", "due_date", "position", "id"],
                name="evaluation_open_team_due",
                condition=models.Q(is_open=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluatie {self.due_date:%Y-%m-%d}"

    @classmethod
    def for_plan(cls, plan: Hulpverleningsplan, **fields) -> EvaluationMoment:
        """An unsaved moment of this plan, with the plan's team set; open only when the
        plan is already set (a concept's agreements open when plan_set sets it)."""
        fields.setdefault("is_open", plan.is_set)
        return cls(plan=plan, team_id=plan.dossier.team_id, **fields)


class EvaluationRecord(models.Model):
    class Result(models.TextChoices):
        REACHED = "bereikt", "Doelen bereikt"
        PARTLY = "deels", "Doelen deels bereikt"
        NOT_REACHED = "niet_bereikt", "Doelen niet bereikt"

    class NextStep(models.TextChoices):
        CONTINUE = "doorgaan", "Doorgaan met het plan"
        NEW_PLAN = "plan_aanpassen", "Het plan aanpassen (nieuwe versie)"
        CLOSE = "afsluiten", "De hulp afsluiten"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moment = models.OneToOneField(EvaluationMoment, on_delete=models.CASCADE, related_name="record")
    result = models.CharField("resultaat", max_length=20, choices=Result.choices)
    summary = models.TextField("wat is er besproken", blank=True)
    next_step = models.CharField("vervolg", max_length=20, choices=NextStep.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_result_display()} ({self.recorded_at:%Y-%m-%d})"
