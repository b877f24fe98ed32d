"""Family dossiers: één gezin, één plan.

A dossier belongs to one team; only members of that team ever see it. Ages are never
stored: a child's age is computed from the birth date. Problem areas and the placement
situation are stored as the vocabulary's stable codes.
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.db import models

# The append-only base lives in toegang; ReviewDecision (and any importer) finds it here too.
from toegang.models import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet  # noqa: F401


class Team(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name="leden"
    )

    class Meta:
        verbose_name = "team"
        verbose_name_plural = "teams"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    CONCEPT = "concept", "Concept"
    TER_BEOORDELING = "ter_beoordeling", "Ter beoordeling"
    VASTGESTELD = "vastgesteld", "Vastgesteld"
    AFGESLOTEN = "afgesloten", "Afgesloten"


class Dossier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="dossiers")
    family_name = models.CharField("gezinsnaam", max_length=100)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    crisis = models.BooleanField("acute crisis", default=False)
    placement = models.CharField("situatie", max_length=60, default="thuis")
    family_problems = models.JSONField("problemen in het gezin", default=list, blank=True)
    verklarende_analyse = models.TextField("verklarende analyse", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["team", "-updated_at"], name="dossier_team_activity")]

    def __str__(self) -> str:
        return f"Gezin {self.family_name}"


class Jeugdige(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField("voornaam", max_length=100)
    birth_date = models.DateField("geboortedatum")
    problems = models.JSONField("problemen van het kind", default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "jeugdige"
        verbose_name_plural = "jeugdigen"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.first_name


class Ouder(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField("naam", max_length=100)
    relation = models.CharField("relatie tot de kinderen", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ouder of opvoeder"
        verbose_name_plural = "ouders en opvoeders"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Netwerklid(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="network")
    name = models.CharField("naam", max_length=100)
    relation = models.CharField("relatie tot het gezin", max_length=100, blank=True)
    is_mentor = models.BooleanField("informele mentor (JIM)", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "netwerklid"
        verbose_name_plural = "netwerkleden"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class IntakeDraft(models.Model):
    """What someone typed but did not save yet: restored when they come back."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "user"], name="one_draft_per_user")
        ]

    def __str__(self) -> str:
        return f"Concept van {self.user_id} voor {self.dossier_id}"


class SuggestionSnapshot(models.Model):
    """The suggestions exactly as shown when the intake was submitted for review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="snapshots")
    content_version = models.CharField(max_length=64)
    profile = models.JSONField()
    result = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Suggesties {self.created_at:%Y-%m-%d %H:%M} (inhoud {self.content_version})"


# ---------------------------------------------------------------- review and plan


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
            pgtrigger.Protect(
                name="review_decision_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.intervention_code} (kind {self.child_index})"


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
    who = models.CharField("wie", max_length=200)
    what = models.CharField("wat", max_length=500)
    due_date = models.DateField("wanneer", db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_date", "position"]

    def __str__(self) -> str:
        return f"Evaluatie {self.due_date:%Y-%m-%d}"


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
