"""Guideline content: the vocabulary, guidelines, their sections and recommendations.

The tables hold the one draft; published versions (``ContentVersion``) are what the app
uses. The YAML files are the reviewable exchange format: ``load_content`` imports them
into the draft and ``dump_content`` writes a version (or the draft) back.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from richtlijnen.schema import ProblemLevel, RecommendationKind


class ContentModel(models.Model):
    """Shared by all content: a code that never changes meaning, an order, a change time."""

    code = models.CharField("code", max_length=60, unique=True)
    position = models.PositiveIntegerField("volgorde", default=0)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class ProblemArea(ContentModel):
    level = models.CharField(
        "niveau",
        max_length=10,
        choices=[(ProblemLevel.JEUGDIGE, "Jeugdige"), (ProblemLevel.GEZIN, "Gezin")],
    )
    label = models.CharField("naam", max_length=200)
    description = models.TextField("omschrijving")
    history = HistoricalRecords()

    class Meta(ContentModel.Meta):
        verbose_name = "probleemgebied"
        verbose_name_plural = "probleemgebieden"

    def __str__(self) -> str:
        return self.label


class PlacementSituation(ContentModel):
    label = models.CharField("naam", max_length=200)
    description = models.TextField("omschrijving")
    implies = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        verbose_name="omvat ook",
        help_text="Wat bij deze situaties geldt, geldt hier ook.",
    )
    history = HistoricalRecords(m2m_fields=[implies])

    class Meta(ContentModel.Meta):
        verbose_name = "situatie"
        verbose_name_plural = "situaties"

    def __str__(self) -> str:
        return self.label


class Guideline(ContentModel):
    title = models.CharField("titel", max_length=200)
    description = models.TextField("omschrijving")
    history = HistoricalRecords()

    class Meta(ContentModel.Meta):
        verbose_name = "richtlijn"
        verbose_name_plural = "richtlijnen"

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="sections", verbose_name="richtlijn"
    )
    code = models.CharField("code", max_length=60)
    title = models.CharField("titel", max_length=200)
    source_file = models.CharField("bronbestand", max_length=40)
    position = models.PositiveIntegerField("volgorde", default=0)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sectie"
        verbose_name_plural = "secties"
        ordering = ["guideline__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["guideline", "code"], name="section_code_per_guideline")
        ]

    def __str__(self) -> str:
        return f"{self.guideline.code} / {self.title}"


class Recommendation(ContentModel):
    title = models.CharField("titel", max_length=200)
    kind = models.CharField(
        "soort",
        max_length=20,
        choices=[
            (RecommendationKind.AANBEVELING, "Aanbeveling"),
            (RecommendationKind.PRINCIPE, "Principe"),
            (RecommendationKind.PRAKTIJK, "Advies uit de praktijk"),
        ],
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="recommendations", verbose_name="bron"
    )
    text = models.TextField("tekst (letterlijk uit de bron)")
    placements = models.ManyToManyField(
        PlacementSituation,
        blank=True,
        related_name="recommendations",
        verbose_name="geldt bij situaties",
        help_text="Leeg: in elke situatie.",
    )
    problems_any = models.ManyToManyField(
        ProblemArea,
        blank=True,
        related_name="recommendations",
        verbose_name="geldt bij één van deze probleemgebieden",
        help_text="Leeg: ongeacht de problemen.",
    )
    note = models.TextField("toelichting voor beheer", blank=True)
    history = HistoricalRecords(m2m_fields=[placements, problems_any])

    class Meta(ContentModel.Meta):
        verbose_name = "aanbeveling"
        verbose_name_plural = "aanbevelingen"

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


# ---------------------------------------------------------------- published versions


class ContentVersion(models.Model):
    """A published version of all guideline content: immutable, numbered, one in use.

    The tables above are the one *draft* that content admins edit. What ``suggest``, the
    intake and the review use is always the version in use, compiled from ``bundle``.
    """

    class Source(models.TextChoices):
        REVIEW = "beoordeling", "Gepubliceerd na beoordeling (vier ogen)"
        FILES = "bestanden", "Gepubliceerd met load_content --publish"
        ADOPTED = "bestaand", "De inhoud van vóór de versies, overgenomen"

    number = models.PositiveIntegerField("versie", unique=True)
    bundle = models.JSONField("inhoud (canonieke vorm)")
    content_hash = models.CharField("inhoudsversie", max_length=64, db_index=True)
    in_use = models.BooleanField("in gebruik", default=False)
    source = models.CharField("herkomst", max_length=20, choices=Source.choices)
    release_note = models.TextField("toelichting bij de publicatie")
    published_at = models.DateTimeField("gepubliceerd op")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gepubliceerd door",
    )
    published_by_name = models.CharField(
        "gepubliceerd door (naam)",
        max_length=150,
        blank=True,
        help_text="Voor load_content --publish: de gebruiker die het commando uitvoerde.",
    )
    restores = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zet terug naar versie",
    )

    class Meta:
        verbose_name = "gepubliceerde versie"
        verbose_name_plural = "gepubliceerde versies"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"],
                condition=models.Q(in_use=True),
                name="one_content_version_in_use",
            )
        ]

    def __str__(self) -> str:
        return f"Versie {self.number}"

    @property
    def publisher(self) -> str:
        if self.published_by is not None:
            return self.published_by.get_username()
        return self.published_by_name or "onbekend"


class ContentReview(models.Model):
    """A four-eyes decision on the draft: published (with a release note) or sent back."""

    class Decision(models.TextChoices):
        PUBLISHED = "gepubliceerd", "Gepubliceerd"
        SENT_BACK = "teruggestuurd", "Teruggestuurd"

    decision = models.CharField("besluit", max_length=20, choices=Decision.choices)
    draft_hash = models.CharField("beoordeeld concept", max_length=64)
    base_version = models.ForeignKey(
        ContentVersion,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="vergeleken met versie",
    )
    published_version = models.OneToOneField(
        ContentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review",
        verbose_name="gepubliceerde versie",
    )
    remark = models.TextField("toelichting")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("besloten op", auto_now_add=True)

    class Meta:
        verbose_name = "beoordeling van het concept"
        verbose_name_plural = "beoordelingen van het concept"
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_at:%Y-%m-%d})"


class ContentSync(models.Model):
    """Content (by hash) that was once read from or written to the YAML files.

    ``load_content`` may replace a draft or version in use only when it holds nothing
    the files lack: when it equals the files being loaded or content exchanged before.
    """

    files_hash = models.CharField("met de bestanden uitgewisseld", max_length=64, unique=True)
    synced_at = models.DateTimeField("op", auto_now=True)

    class Meta:
        verbose_name = "uitwisseling met de bestanden"
        verbose_name_plural = "uitwisseling met de bestanden"

    def __str__(self) -> str:
        return self.files_hash
