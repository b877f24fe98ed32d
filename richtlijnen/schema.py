"""The single definition of valid guideline content.

Every YAML content file is validated by one of the models below, and the Django admin
validates edits with the same models (see ``richtlijnen.forms``). Cross-references between
files (a recommendation naming a placement code, an intervention naming a guideline section)
are checked by :class:`ContentBundle`.

Plain pydantic: no Django imports, so the matching engine can use these types too.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
InterventionCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=20)
]
RecommendationCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    """Content models reject unknown fields: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- vocabulary


class ProblemLevel(StrEnum):
    JEUGDIGE = "jeugdige"
    GEZIN = "gezin"


class ProblemAreaSpec(Strict):
    code: Code
    level: ProblemLevel
    label: ShortText
    description: Text


class PlacementSpec(Strict):
    code: Code
    label: ShortText
    description: Text
    implies: list[Code] = Field(
        default_factory=list,
        description="Situations whose interventions and recommendations also hold here.",
    )


class VocabularyFile(Strict):
    problem_areas: list[ProblemAreaSpec]
    placements: list[PlacementSpec]


# ---------------------------------------------------------------- guidelines


class SectionSpec(Strict):
    code: Code
    title: ShortText
    source_file: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}_[0-9a-f]{16}\.txt$")]


class GuidelineFields(Strict):
    """A guideline's own fields (what the admin's guideline form edits)."""

    code: Code
    title: ShortText
    description: Text


class GuidelineSpec(GuidelineFields):
    sections: list[SectionSpec] = Field(min_length=1)


class SourceRef(Strict):
    guideline: Code
    section: Code


class RecommendationKind(StrEnum):
    AANBEVELING = "aanbeveling"
    PRINCIPE = "principe"
    PRAKTIJK = "praktijkadvies"


class Applicability(Strict):
    """When a recommendation applies. An empty list means: regardless of that aspect."""

    placements: list[Code] = Field(default_factory=list)
    problems_any: list[Code] = Field(default_factory=list)


class RecommendationSpec(Strict):
    code: RecommendationCode
    title: ShortText
    kind: RecommendationKind
    source: SourceRef
    text: Text
    applies_to: Applicability = Field(default_factory=Applicability)
    note: str = ""


class GuidelinesFile(Strict):
    guidelines: list[GuidelineSpec]


class RecommendationsFile(Strict):
    recommendations: list[RecommendationSpec]


# ---------------------------------------------------------------- interventions


class InterventionKind(StrEnum):
    INTERVENTIE = "interventie"
    VERBLIJFSVORM = "verblijfsvorm"
    OVERLEGVORM = "overlegvorm"
    INFORMELE_STEUN = "informele_steun"


class EvidenceLevel(StrEnum):
    """Levels of the Databank Effectieve Jeugdinterventies, weakest first."""

    GOED_ONDERBOUWD = "goed_onderbouwd"
    EFFECTIEF_EERSTE = "effectief_eerste_aanwijzingen"
    EFFECTIEF_GOEDE = "effectief_goede_aanwijzingen"
    EFFECTIEF_STERKE = "effectief_sterke_aanwijzingen"


class Recognition(StrEnum):
    ERKEND = "erkend"
    IN_HERBEOORDELING = "in_herbeoordeling"
    VERLOPEN = "verlopen"
    NIET_ERKEND = "niet_erkend"
    NIET_VERMELD = "niet_vermeld"


class CrisisRule(StrEnum):
    ANY = "any"
    REQUIRED = "required"
    EXCLUDED = "excluded"


class AgeRange(Strict):
    """A target group's age range in whole years, exactly as the Dutch wording means it.

    ``min`` is always inclusive. ``max_inclusive`` carries the wording: "10 t/m 18" and
    "12 tot en met 18" include 18 (true); "tot 18" and "12 tot 18 jaar" do not (false).
    """

    min: int | None = Field(default=None, ge=0, le=120)
    max: int | None = Field(default=None, ge=0, le=120)
    max_inclusive: bool = True
    wording: str = Field(default="", description="The age wording as the source has it.")

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is not None and self.max is not None:
            upper = self.max if self.max_inclusive else self.max - 1
            if self.min > upper:
                raise ValueError(
                    f"leeftijd: ondergrens {self.min} ligt boven de bovengrens "
                    f"({self.max}{' inclusief' if self.max_inclusive else ' exclusief'})"
                )
        if (self.min is not None or self.max is not None) and not self.wording.strip():
            raise ValueError("leeftijd: 'wording' is verplicht als er een grens is")
        return self

    @property
    def upper(self) -> int | None:
        """The highest whole age that still belongs to the group."""
        if self.max is None:
            return None
        return self.max if self.max_inclusive else self.max - 1


class Criteria(Strict):
    problems_all: list[Code] = Field(default_factory=list)
    problems_any: list[Code] = Field(default_factory=list)
    crisis: CrisisRule = CrisisRule.ANY
    placements: list[Code] = Field(min_length=1)
    problems_none: list[Code] = Field(
        default_factory=list,
        description="Contra-indications: not suggested when any of these problem areas is there.",
    )

    @model_validator(mode="after")
    def _no_double_codes(self) -> Self:
        for name in ("problems_all", "problems_any", "placements", "problems_none"):
            values = getattr(self, name)
            doubles = sorted({v for v in values if values.count(v) > 1})
            if doubles:
                raise ValueError(f"{name}: code staat dubbel: {', '.join(doubles)}")
        both = sorted(set(self.problems_all) & set(self.problems_any))
        if both:
            raise ValueError(f"code staat in problems_all én problems_any: {', '.join(both)}")
        contra = sorted(set(self.problems_none) & (set(self.problems_all) | set(self.problems_any)))
        if contra:
            raise ValueError(f"code is vereist én een contra-indicatie: {', '.join(contra)}")
        return self


class Classification(Strict):
    recognition: Recognition
    level: EvidenceLevel | None = None
    wording: str = Field(default="", description="The classification as the source words it.")
    in_databank: bool | None = None
    source_date: date | None = Field(
        default=None,
        description=(
            "The date of the source this classification comes from (the Databank's or the "
            "guideline's). Empty when the source gives none: never guessed."
        ),
    )

    @model_validator(mode="after")
    def _level_fits(self) -> Self:
        needs_level = {Recognition.ERKEND, Recognition.IN_HERBEOORDELING, Recognition.VERLOPEN}
        if self.recognition in needs_level and self.level is None:
            raise ValueError(f"classificatie: '{self.recognition}' vraagt om een niveau (level)")
        if self.recognition not in needs_level and self.level is not None:
            raise ValueError(f"classificatie: '{self.recognition}' heeft geen niveau (level)")
        return self


class InterventionSpec(Strict):
    code: InterventionCode
    name: ShortText
    kind: InterventionKind
    description_b1: str = Field(
        default="",
        max_length=600,
        description=(
            "For the family, in plain Dutch (level B1): what this help is and what it is for,"
            " in one or two sentences written from the source's goal; no evidence claims."
        ),
    )
    doelgroep: Text
    age: AgeRange = Field(default_factory=AgeRange)
    criteria: Criteria
    goal: str = ""
    duration: str = ""
    classification: Classification
    research: str = ""
    sources: list[SourceRef] = Field(min_length=1)
    source_quote: str = Field(
        default="",
        description=(
            "The passage about this item in the section of its first source, verbatim from "
            "that seed file (shared/seeds). Line breaks as in the source; separate fragments "
            "each on their own, with a line holding only '…' between them."
        ),
    )
    note: str = ""
    caveats: list[Text] = Field(
        default_factory=list,
        description=(
            "What a professional must know before choosing this item, shown with every "
            "suggestion of it: sources that disagree (each named), weak evidence the source "
            "names, an ambiguous age. Quotes verbatim; one caveat per entry."
        ),
    )


class InterventionsFile(Strict):
    interventions: list[InterventionSpec]


# ---------------------------------------------------------------- the bundle

FILES: dict[str, tuple[str, type[Strict]]] = {
    "vocabulary": ("richtlijnen/content/vocabulary.yaml", VocabularyFile),
    "guidelines": ("richtlijnen/content/guidelines.yaml", GuidelinesFile),
    "recommendations": ("richtlijnen/content/recommendations.yaml", RecommendationsFile),
    "interventions": ("interventies/content/interventions.yaml", InterventionsFile),
}

HEADER = (
    "Richtsnoer-inhoud: {what}.\n"
    "Gevalideerd door richtlijnen.schema.{model}. Citaten zijn letterlijk uit de bron\n"
    "(shared/seeds); losse stukken staan tussen ' … '. Interpretaties staan in 'note'.\n"
    "Dit bestand wordt geschreven door 'manage.py dump_content' en gelezen door\n"
    "'manage.py load_content'; opmaak en volgorde komen uit dump_content."
)
FILE_WHAT = {
    "vocabulary": "de probleemgebieden en situaties (codes zijn vast, zie shared/contract)",
    "guidelines": "de richtlijnen en hun secties, met het bronbestand van elke sectie",
    "recommendations": "de aanbevelingen uit de richtlijnen en wanneer ze gelden",
    "interventions": "de catalogus van interventies, verblijfsvormen en steun",
}

FileKey = Literal["vocabulary", "guidelines", "recommendations", "interventions"]
Path = tuple[str | int, ...]


class ContentProblem(Exception):
    """Cross-reference problems found in an otherwise well-formed bundle."""

    def __init__(self, problems: list[tuple[FileKey, Path, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f} {'.'.join(map(str, p))}: {m}" for f, p, m in problems))


class ContentBundle(Strict):
    """All content together; checks codes are unique and every reference resolves."""

    vocabulary: VocabularyFile
    guidelines: GuidelinesFile
    recommendations: RecommendationsFile
    interventions: InterventionsFile

    @model_validator(mode="after")
    def _references(self) -> Self:
        problems: list[tuple[FileKey, Path, str]] = []

        def unique(file: FileKey, items: list, path: Path, what: str) -> set[str]:
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.code in seen:
                    problems.append(
                        (file, (*path, i, "code"), f"{what} '{item.code}' staat dubbel")
                    )
                seen.add(item.code)
            return seen

        vocab = self.vocabulary
        problem_codes = unique("vocabulary", vocab.problem_areas, ("problem_areas",), "code")
        placement_codes = unique("vocabulary", vocab.placements, ("placements",), "code")
        for i, placement in enumerate(vocab.placements):
            for j, code in enumerate(placement.implies):
                if code not in placement_codes or code == placement.code:
                    problems.append(
                        (
                            "vocabulary",
                            ("placements", i, "implies", j),
                            f"onbekende situatie '{code}'",
                        )
                    )
        unique("guidelines", self.guidelines.guidelines, ("guidelines",), "richtlijn")
        sections: set[tuple[str, str]] = set()
        for i, guideline in enumerate(self.guidelines.guidelines):
            unique("guidelines", guideline.sections, ("guidelines", i, "sections"), "sectie")
            sections |= {(guideline.code, s.code) for s in guideline.sections}

        def check_source(file: FileKey, path: Path, ref: SourceRef) -> None:
            if (ref.guideline, ref.section) not in sections:
                problems.append(
                    (file, path, f"onbekende bron '{ref.guideline}' / sectie '{ref.section}'")
                )

        def check_codes(file: FileKey, path: Path, codes: list[str], known: set[str], what: str):
            for j, code in enumerate(codes):
                if code not in known:
                    problems.append((file, (*path, j), f"onbekende {what} '{code}'"))

        recs = self.recommendations.recommendations
        unique("recommendations", recs, ("recommendations",), "aanbeveling")
        for i, rec in enumerate(recs):
            base: Path = ("recommendations", i)
            check_source("recommendations", (*base, "source"), rec.source)
            check_codes(
                "recommendations",
                (*base, "applies_to", "placements"),
                rec.applies_to.placements,
                placement_codes,
                "situatie",
            )
            check_codes(
                "recommendations",
                (*base, "applies_to", "problems_any"),
                rec.applies_to.problems_any,
                problem_codes,
                "probleemgebied",
            )

        items = self.interventions.interventions
        unique("interventions", items, ("interventions",), "interventie")
        for i, item in enumerate(items):
            base = ("interventions", i)
            for name in ("problems_all", "problems_any", "problems_none"):
                check_codes(
                    "interventions",
                    (*base, "criteria", name),
                    getattr(item.criteria, name),
                    problem_codes,
                    "probleemgebied",
                )
            check_codes(
                "interventions",
                (*base, "criteria", "placements"),
                item.criteria.placements,
                placement_codes,
                "situatie",
            )
            for j, ref in enumerate(item.sources):
                check_source("interventions", (*base, "sources", j), ref)
        if problems:
            raise ContentProblem(problems)
        return self


def normalise_space(text: str) -> str:
    """Collapse white space, for comparing quotes with their source."""
    return re.sub(r"\s+", " ", text).strip()
