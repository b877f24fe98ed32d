"""The catalogue of interventions, arrangements and forms of support."""

from django.db import models
from simple_history.models import HistoricalRecords

from richtlijnen.models import ContentModel, PlacementSituation, ProblemArea, Section
from richtlijnen.schema import CrisisRule, EvidenceLevel, InterventionKind, Recognition

KIND_CHOICES = [
    (InterventionKind.INTERVENTIE, "Interventie"),
    (InterventionKind.VERBLIJFSVORM, "Verblijfsvorm"),
    (InterventionKind.OVERLEGVORM, "Overlegvorm of organisatie"),
    (InterventionKind.INFORMELE_STEUN, "Informele steun"),
]
CRISIS_CHOICES = [
    (CrisisRule.ANY, "Met of zonder crisis"),
    (CrisisRule.REQUIRED, "Alleen bij een acute crisis"),
    (CrisisRule.EXCLUDED, "Niet bij een acute crisis"),
]
RECOGNITION_CHOICES = [
    (Recognition.ERKEND, "Erkend"),
    (Recognition.IN_HERBEOORDELING, "Erkenning wordt opnieuw beoordeeld"),
    (Recognition.VERLOPEN, "Erkenning verlopen"),
    (Recognition.NIET_ERKEND, "Niet erkend"),
    (Recognition.NIET_VERMELD, "Niet vermeld in de richtlijn"),
]
LEVEL_CHOICES = [
    (EvidenceLevel.GOED_ONDERBOUWD, "Goed onderbouwd"),
    (EvidenceLevel.EFFECTIEF_EERSTE, "Effectief volgens eerste aanwijzingen"),
    (EvidenceLevel.EFFECTIEF_GOEDE, "Effectief volgens goede aanwijzingen"),
    (EvidenceLevel.EFFECTIEF_STERKE, "Effectief volgens sterke aanwijzingen"),
]


class Interventie(ContentModel):
    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=20, choices=KIND_CHOICES)
    doelgroep = models.TextField("doelgroep (letterlijk uit de bron)")
    age_min = models.PositiveSmallIntegerField("leeftijd vanaf (jaar)", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("leeftijd tot (jaar)", null=True, blank=True)
    age_max_inclusive = models.BooleanField(
        "bovengrens telt mee",
        default=True,
        help_text="Aan bij 't/m' of 'tot en met' (18 hoort erbij); uit bij 'tot 18 jaar'.",
    )
    age_wording = models.CharField("leeftijd zoals de bron het zegt", max_length=100, blank=True)
    crisis = models.CharField("crisis", max_length=10, choices=CRISIS_CHOICES, default="any")
    problems_all = models.ManyToManyField(
        ProblemArea,
        blank=True,
        related_name="interventions_requiring_all",
        verbose_name="vereist: al deze probleemgebieden",
    )
    problems_any = models.ManyToManyField(
        ProblemArea,
        blank=True,
        related_name="interventions_requiring_any",
        verbose_name="vereist: minstens één van deze probleemgebieden",
    )
    placements = models.ManyToManyField(
        PlacementSituation,
        related_name="interventions",
        verbose_name="bedoeld bij situaties",
    )
    description_b1 = models.TextField(
        "uitleg voor het gezin (B1)",
        blank=True,
        max_length=600,
        help_text=(
            "Eén of twee korte zinnen in eenvoudige taal: wat is deze hulp en waarvoor is het? "
            "Schrijf het op uit het doel in de bron; geen uitspraken over effectiviteit. "
            "Staat in het plan dat het gezin krijgt."
        ),
    )
    goal = models.TextField("doel", blank=True)
    duration = models.CharField("duur", max_length=200, blank=True)
    recognition = models.CharField("erkenning", max_length=20, choices=RECOGNITION_CHOICES)
    level = models.CharField(
        "niveau van erkenning", max_length=40, choices=LEVEL_CHOICES, blank=True
    )
    classification_wording = models.CharField(
        "classificatie zoals de bron het zegt", max_length=300, blank=True
    )
    in_databank = models.BooleanField(
        "in de Databank Effectieve Jeugdinterventies", null=True, blank=True
    )
    classification_date = models.DateField(
        "datum van de bron van de classificatie",
        null=True,
        blank=True,
        help_text="Alleen invullen als de bron een datum noemt; nooit gissen.",
    )
    research = models.TextField("onderzoek", blank=True)
    sources = models.ManyToManyField(Section, related_name="interventions", verbose_name="bronnen")
    source_quote = models.TextField(
        "citaat uit de eerste bron",
        blank=True,
        help_text=(
            "Letterlijk uit het bronbestand van de eerste bron. Losse stukken elk apart, met "
            "een regel met alleen '…' ertussen."
        ),
    )
    note = models.TextField("toelichting voor beheer", blank=True)
    caveats = models.TextField(
        "kanttekeningen bij elke suggestie",
        blank=True,
        help_text=(
            "Eén per regel. Wat de professional moet weten: bronnen die elkaar tegenspreken "
            "(noem ze), zwak onderzoek volgens de bron, een dubbelzinnige leeftijd."
        ),
    )
    problems_none = models.ManyToManyField(
        ProblemArea,
        blank=True,
        related_name="interventions_contraindicated",
        verbose_name="niet bij: deze probleemgebieden (contra-indicaties)",
    )
    history = HistoricalRecords(
        m2m_fields=[problems_all, problems_any, placements, sources, problems_none]
    )

    class Meta(ContentModel.Meta):
        verbose_name = "interventie"
        verbose_name_plural = "interventies"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
