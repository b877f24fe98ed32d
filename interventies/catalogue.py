"""Reads for the catalogue pages: the content IN USE, as the professional should see it.

Everything here comes from the compiled catalogue (``current_catalogue()``) and the
validated bundle it was compiled from, never from the admin tables directly: the pages
show exactly the content the engine decides with. Entries are built once per content
version and shared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from interventies.engine import KIND_LABEL, Catalogue, Item, join_or
from richtlijnen.schema import (
    CrisisRule,
    EvidenceLevel,
    InterventionSpec,
    Recognition,
    RecommendationSpec,
)

# The recognition filter: (value, label). An item can match several (NPT: verlopen and
# niet in de Databank).
RECOGNITION_FILTERS = [
    ("sterke", "Erkend: effectief volgens sterke aanwijzingen"),
    ("goede", "Erkend: effectief volgens goede aanwijzingen"),
    ("eerste", "Erkend: effectief volgens eerste aanwijzingen"),
    ("onderbouwd", "Erkend: goed onderbouwd"),
    ("herbeoordeling", "Erkenning wordt opnieuw beoordeeld"),
    ("verlopen", "Erkenning verlopen"),
    ("niet_erkend", "Niet erkend"),
    ("niet_in_databank", "Niet in de Databank"),
    ("niet_vermeld", "Erkenning niet vermeld in de richtlijn"),
]
_LEVEL_FILTER = {
    EvidenceLevel.EFFECTIEF_STERKE: "sterke",
    EvidenceLevel.EFFECTIEF_GOEDE: "goede",
    EvidenceLevel.EFFECTIEF_EERSTE: "eerste",
    EvidenceLevel.GOED_ONDERBOUWD: "onderbouwd",
}
CRISIS_FILTERS = [
    ("ja", "Bruikbaar bij een acute crisis"),
    ("nee", "Bruikbaar zonder acute crisis"),
    ("alleen", "Alleen bij een acute crisis"),
]


@dataclass(frozen=True, slots=True)
class Source:
    guideline_code: str
    guideline: str
    section: str
    source_file: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalogue item as its page shows it."""

    spec: InterventionSpec
    item: Item
    kind_label: str
    age_text: str  # what the engine checks
    recognition: frozenset[str]  # the RECOGNITION_FILTERS values it matches
    problems: frozenset[str]  # problem areas its criteria name
    situations: frozenset[str]  # situations it is suggested in (implied ones included)
    sources: tuple[Source, ...]
    when: tuple[str, ...]  # "Wanneer stelt Richtsnoer dit voor?", one sentence each
    haystack: str  # lower-cased text the search box looks in

    @property
    def code(self) -> str:
        return self.spec.code


@dataclass(frozen=True, slots=True)
class RecommendationEntry:
    spec: RecommendationSpec
    when: str


@dataclass(frozen=True, slots=True)
class SectionEntry:
    code: str
    title: str
    source_file: str
    recommendations: tuple[RecommendationEntry, ...]
    interventions: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class GuidelineEntry:
    code: str
    title: str
    description: str
    sections: tuple[SectionEntry, ...]


@dataclass(frozen=True, slots=True)
class CatalogueView:
    version: str
    entries: tuple[Entry, ...]
    by_code: dict[str, Entry]
    guidelines: tuple[GuidelineEntry, ...]


def _recognition(spec: InterventionSpec) -> frozenset[str]:
    cls = spec.classification
    keys = set()
    if cls.recognition in (Recognition.ERKEND, Recognition.IN_HERBEOORDELING) and cls.level:
        keys.add(_LEVEL_FILTER[cls.level])
    keys.add(
        {
            Recognition.ERKEND: "",
            Recognition.IN_HERBEOORDELING: "herbeoordeling",
            Recognition.VERLOPEN: "verlopen",
            Recognition.NIET_ERKEND: "niet_erkend",
            Recognition.NIET_VERMELD: "niet_vermeld",
        }[cls.recognition]
    )
    if cls.in_databank is False:
        keys.add("niet_in_databank")
    keys.discard("")
    return frozenset(keys)


def when_suggested(item: Item) -> tuple[str, ...]:
    """In plain Dutch, what the engine checks before it suggests ``item``: each criterion
    describes itself, so the page always says what the engine checks."""
    lines = [criterion.describe() for criterion in item.criteria]
    if item.crisis is CrisisRule.ANY:
        lines.insert(1, "Met of zonder acute crisis.")
    lines.append("Alles hierboven moet kloppen. Problemen van het gezin tellen mee voor elk kind.")
    return tuple(lines)


def recommendation_when(spec: RecommendationSpec, catalogue: Catalogue) -> str:
    vocab = catalogue.vocabulary
    parts = []
    if spec.applies_to.placements:
        parts.append(
            "bij de situatie "
            + join_or([f"'{vocab.placement_words[c]}'" for c in spec.applies_to.placements])
        )
    if spec.applies_to.problems_any:
        parts.append(
            "als de jeugdige of het gezin "
            + join_or([vocab.problem_words[c] for c in spec.applies_to.problems_any])
            + " heeft"
        )
    if not parts:
        return "Geldt altijd."
    return "Geldt " + " en ".join(parts) + "."


def _build(catalogue: Catalogue) -> CatalogueView:
    bundle = catalogue.bundle
    if bundle is None:
        raise ValueError("the catalogue pages need a catalogue compiled from a bundle")
    vocab = catalogue.vocabulary
    guidelines = {g.code: g for g in bundle.guidelines.guidelines}
    sections = {(g.code, s.code): s for g in guidelines.values() for s in g.sections}
    entries = []
    for spec, item in zip(bundle.interventions.interventions, catalogue.items, strict=True):
        situations = frozenset(
            c for c, closure in vocab.placement_closure.items() if closure & item.placements
        )
        sources = tuple(
            Source(
                guideline_code=ref.guideline,
                guideline=guidelines[ref.guideline].title,
                section=sections[(ref.guideline, ref.section)].title,
                source_file=sections[(ref.guideline, ref.section)].source_file,
            )
            for ref in spec.sources
        )
        haystack = " ".join(
            [spec.code, spec.name, spec.doelgroep, spec.goal, spec.research, spec.note]
        ).casefold()
        entries.append(
            Entry(
                spec=spec,
                item=item,
                kind_label=KIND_LABEL[spec.kind],
                age_text=item.age_text,
                recognition=_recognition(spec),
                problems=item.addresses,
                situations=situations,
                sources=sources,
                when=when_suggested(item),
                haystack=haystack,
            )
        )
    by_section: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        for ref in entry.spec.sources:
            by_section.setdefault((ref.guideline, ref.section), []).append(entry)
    recs: dict[tuple[str, str], list[RecommendationEntry]] = {}
    for rec in bundle.recommendations.recommendations:
        recs.setdefault((rec.source.guideline, rec.source.section), []).append(
            RecommendationEntry(rec, recommendation_when(rec, catalogue))
        )
    guideline_entries = tuple(
        GuidelineEntry(
            code=g.code,
            title=g.title,
            description=g.description,
            sections=tuple(
                SectionEntry(
                    code=s.code,
                    title=s.title,
                    source_file=s.source_file,
                    recommendations=tuple(recs.get((g.code, s.code), ())),
                    interventions=tuple(by_section.get((g.code, s.code), ())),
                )
                for s in g.sections
            ),
        )
        for g in bundle.guidelines.guidelines
    )
    return CatalogueView(
        version=catalogue.version,
        entries=tuple(entries),
        by_code={e.code: e for e in entries},
        guidelines=guideline_entries,
    )


_lock = threading.Lock()
_views: dict[int, tuple[Catalogue, CatalogueView]] = {}


def catalogue_view(catalogue: Catalogue) -> CatalogueView:
    """The pages' view of ``catalogue``, built once per compiled catalogue."""
    cached = _views.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    with _lock:
        view = _build(catalogue)
        _views.clear()  # only the catalogue in use is kept
        _views[id(catalogue)] = (catalogue, view)
        return view


@dataclass(frozen=True, slots=True)
class Filters:
    age: int | None = None
    problem: str = ""
    situation: str = ""
    crisis: str = ""
    kind: str = ""
    recognition: str = ""
    query: str = ""


def catalogue_filter(view: CatalogueView, filters: Filters) -> list[Entry]:
    """The entries that pass every filter given, in catalogue order."""
    words = filters.query.casefold().split()
    out = []
    for entry in view.entries:
        item = entry.item
        if filters.age is not None and not (
            (item.age_lo is None or item.age_lo <= filters.age)
            and (item.age_hi is None or filters.age <= item.age_hi)
        ):
            continue
        if filters.problem and filters.problem not in entry.problems:
            continue
        if filters.situation and filters.situation not in entry.situations:
            continue
        if filters.crisis == "ja" and item.crisis is CrisisRule.EXCLUDED:
            continue
        if filters.crisis == "nee" and item.crisis is CrisisRule.REQUIRED:
            continue
        if filters.crisis == "alleen" and item.crisis is not CrisisRule.REQUIRED:
            continue
        if filters.kind and entry.spec.kind != filters.kind:
            continue
        if filters.recognition and filters.recognition not in entry.recognition:
            continue
        if words and not all(word in entry.haystack for word in words):
            continue
        out.append(entry)
    return out
