"""Family dossiers: één gezin, één plan.

A dossier belongs to one team; only members of that team ever see it. Ages are never
stored: a child's age is computed from the birth date. Problem areas and the placement
situation are stored as the vocabulary's stable codes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


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
    # A concept created by mistake, withdrawn before it was ever submitted: out of every
    # list, never edited again, erased after the short concept term (toegang.retention).
    INGETROKKEN = "ingetrokken", "Ingetrokken"


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
    # Everyone who saved a change to the intake (four eyes: none of them reviews it).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="bewerkt door"
    )

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-updated_at"]
        indexes = [
            # The dossier list: a team's dossiers, latest activity first (id breaks ties).
            models.Index(fields=["team", "-updated_at", "-id"], name="dossier_team_activity"),
            # The list filtered by status.
            models.Index(fields=["team", "status", "-updated_at"], name="dossier_team_status"),
            # The review queue: a team's dossiers awaiting review, longest waiting first.
            models.Index(fields=["team", "status", "submitted_at"], name="dossier_team_queue"),
        ]
        # On PostgreSQL a trigram (pg_trgm) GIN index on UPPER(family_name) answers the
        # name search; it is created in migration 0007 only there (SQLite scans).

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

    # No index of its own: the unique (dossier, user) below starts with it.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="drafts", db_index=False
    )
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
