"""Guideline content: the vocabulary, guidelines, their sections and recommendations.

The YAML files under ``richtlijnen/content`` are the reviewed source; ``load_content``
brings them into these tables and ``dump_content`` writes them back.
"""

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
