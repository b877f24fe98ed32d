"""Content between YAML files, pydantic and the database.

- ``content_read_files``: YAML -> validated :class:`ContentBundle`, or every problem with
  its file, place and line.
- ``content_load``: bundle -> database, in one transaction, changing only what differs.
- ``content_bundle_from_db`` (a selector): database -> bundle.
- ``content_write_files``: bundle -> canonical YAML.
- ``content_version``: a stable identifier of a bundle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from pydantic import ValidationError

from common.digest import json_digest
from interventies.models import Interventie
from richtlijnen.errors import FieldProblem, problems_from
from richtlijnen.models import Guideline, PlacementSituation, ProblemArea, Recommendation, Section
from richtlijnen.schema import (
    FILE_WHAT,
    FILES,
    HEADER,
    AgeRange,
    Applicability,
    Classification,
    ContentBundle,
    ContentProblem,
    Criteria,
    GuidelinesFile,
    GuidelineSpec,
    InterventionsFile,
    InterventionSpec,
    PlacementSpec,
    ProblemAreaSpec,
    RecommendationsFile,
    RecommendationSpec,
    SectionSpec,
    SourceRef,
    VocabularyFile,
)
from richtlijnen.yamlio import LocatedDocument, YamlError, format_path, read_yaml, write_yaml

CONTENT_MODELS: tuple[type[models.Model], ...] = (
    ProblemArea,
    PlacementSituation,
    Guideline,
    Section,
    Recommendation,
    Interventie,
)


# ---------------------------------------------------------------- reading files


@dataclass(frozen=True)
class LocatedProblem:
    file: str
    line: int | None
    problem: FieldProblem

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.problem}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[LocatedProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _item_code(path: tuple, doc: LocatedDocument | None) -> str | None:
    """The code of the list item a path points into, if the document has one."""
    if doc is None or len(path) < 2 or not isinstance(path[1], int):
        return None
    try:
        code = doc.data[path[0]][path[1]].get("code")
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return str(code) if code is not None else None


def _located(file: str, doc: LocatedDocument | None, problem: FieldProblem) -> LocatedProblem:
    """Tie a problem to its line, and name the item: ``interventions[3] (MST).age.min``."""
    line = doc.line_of(problem.path) if doc else None
    code = _item_code(problem.path, doc)
    if code is None:
        return LocatedProblem(file, line, problem)
    head = f"{format_path(problem.path[:2])} ({code})"
    tail = format_path(("x", *problem.path[2:]))[1:]
    return LocatedProblem(file, line, FieldProblem((head + tail,), problem.message))


def content_read_files(base_dir: Path | None = None) -> ContentBundle:
    """Read and validate every content file. Raises :class:`ContentInvalid`."""
    base = base_dir or Path(settings.BASE_DIR)
    problems: list[LocatedProblem] = []
    documents: dict[str, LocatedDocument] = {}
    parsed: dict[str, object] = {}
    for key, (relative, model) in FILES.items():
        path = base / relative
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(
                LocatedProblem(relative, None, FieldProblem((), f"niet te lezen: {exc.strerror}"))
            )
            continue
        try:
            doc = read_yaml(text)
        except YamlError as exc:
            problems.append(
                LocatedProblem(
                    relative, exc.problem.line, FieldProblem(exc.problem.path, exc.problem.message)
                )
            )
            continue
        documents[key] = doc
        try:
            parsed[key] = model.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(_located(relative, doc, p) for p in problems_from(exc))
    if problems:
        raise ContentInvalid(problems)
    try:
        return ContentBundle(**parsed)
    except ContentProblem as exc:
        raise ContentInvalid(
            [
                _located(FILES[file][0], documents.get(file), FieldProblem(path, message))
                for file, path, message in exc.problems
            ]
        ) from exc


# ---------------------------------------------------------------- writing files


def bundle_documents(bundle: ContentBundle) -> dict[str, str]:
    """The canonical YAML text of every content file, keyed by its relative path."""
    return {
        relative: write_yaml(
            getattr(bundle, key).model_dump(mode="json"),
            header=HEADER.format(what=FILE_WHAT[key], model=model.__name__),
        )
        for key, (relative, model) in FILES.items()
    }


def content_write_files(bundle: ContentBundle, base_dir: Path) -> list[Path]:
    written = []
    for relative, text in bundle_documents(bundle).items():
        path = base_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def content_version(bundle: ContentBundle) -> str:
    """Same content, same version: a hash of the canonical JSON of the whole bundle."""
    return json_digest(bundle.model_dump(mode="json"))


# ---------------------------------------------------------------- database -> bundle


def _codes(related: Iterable) -> list[str]:
    return [obj.code for obj in sorted(related, key=lambda o: (o.position, o.code))]


def _sources(sections: Iterable[Section]) -> list[SourceRef]:
    ordered = sorted(sections, key=lambda s: (s.guideline.position, s.position, s.code))
    return [SourceRef(guideline=s.guideline.code, section=s.code) for s in ordered]


def recommendation_spec(rec: Recommendation, *, placements, problems_any) -> RecommendationSpec:
    return RecommendationSpec(
        code=rec.code,
        title=rec.title,
        kind=rec.kind,
        source=SourceRef(guideline=rec.section.guideline.code, section=rec.section.code),
        text=rec.text,
        applies_to=Applicability(placements=_codes(placements), problems_any=_codes(problems_any)),
        note=rec.note,
    )


def intervention_spec(
    item: Interventie, *, problems_all, problems_any, placements, sources, problems_none=()
) -> InterventionSpec:
    """The spec of an intervention; related objects are passed in so a form can use it too."""
    return InterventionSpec(
        code=item.code,
        name=item.name,
        kind=item.kind,
        description_b1=item.description_b1,
        doelgroep=item.doelgroep,
        age=AgeRange(
            min=item.age_min,
            max=item.age_max,
            max_inclusive=item.age_max_inclusive,
            wording=item.age_wording,
        ),
        criteria=Criteria(
            problems_all=_codes(problems_all),
            problems_any=_codes(problems_any),
            crisis=item.crisis,
            placements=_codes(placements),
            problems_none=_codes(problems_none),
        ),
        goal=item.goal,
        duration=item.duration,
        classification=Classification(
            recognition=item.recognition,
            level=item.level or None,
            wording=item.classification_wording,
            in_databank=item.in_databank,
            source_date=item.classification_date,
        ),
        research=item.research,
        sources=_sources(sources),
        source_quote=item.source_quote,
        note=item.note,
        caveats=[line.strip() for line in item.caveats.splitlines() if line.strip()],
    )


def content_bundle_from_db() -> ContentBundle:
    """Read all content from the database as one validated bundle (a fixed number of queries)."""
    problem_areas = list(ProblemArea.objects.order_by("position", "code"))
    placements = list(
        PlacementSituation.objects.order_by("position", "code").prefetch_related("implies")
    )
    guidelines = list(Guideline.objects.order_by("position", "code").prefetch_related("sections"))
    recommendations = list(
        Recommendation.objects.order_by("position", "code")
        .select_related("section__guideline")
        .prefetch_related("placements", "problems_any")
    )
    interventions = list(
        Interventie.objects.order_by("position", "code").prefetch_related(
            "problems_all", "problems_any", "placements", "sources__guideline", "problems_none"
        )
    )
    return ContentBundle(
        vocabulary=VocabularyFile(
            problem_areas=[
                ProblemAreaSpec(
                    code=p.code, level=p.level, label=p.label, description=p.description
                )
                for p in problem_areas
            ],
            placements=[
                PlacementSpec(
                    code=p.code,
                    label=p.label,
                    description=p.description,
                    implies=_codes(p.implies.all()),
                )
                for p in placements
            ],
        ),
        guidelines=GuidelinesFile(
            guidelines=[
                GuidelineSpec(
                    code=g.code,
                    title=g.title,
                    description=g.description,
                    sections=[
                        SectionSpec(code=s.code, title=s.title, source_file=s.source_file)
                        for s in sorted(g.sections.all(), key=lambda s: (s.position, s.code))
                    ],
                )
                for g in guidelines
            ]
        ),
        recommendations=RecommendationsFile(
            recommendations=[
                recommendation_spec(
                    r, placements=r.placements.all(), problems_any=r.problems_any.all()
                )
                for r in recommendations
            ]
        ),
        interventions=InterventionsFile(
            interventions=[
                intervention_spec(
                    i,
                    problems_all=i.problems_all.all(),
                    problems_any=i.problems_any.all(),
                    placements=i.placements.all(),
                    sources=i.sources.all(),
                    problems_none=i.problems_none.all(),
                )
                for i in interventions
            ]
        ),
    )


def content_stamp() -> tuple:
    """A cheap fingerprint that changes whenever content is saved, added or deleted.

    One query: the row count and latest change time of every content table. Saving an
    object through the ORM (admin, ``load_content``) sets ``updated_at``; deleting one
    changes the count.
    """
    parts = [
        f"SELECT '{m._meta.db_table}', COUNT(*), MAX(updated_at) FROM {m._meta.db_table}"  # noqa: S608 - table names from model meta
        for m in CONTENT_MODELS
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(sorted((str(table), count, str(latest)) for table, count, latest in cursor))


# ---------------------------------------------------------------- bundle -> database


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class _Syncer:
    """Makes tables match lists of specs, touching only rows that differ.

    Rows that are no longer wanted are deleted at the very end (``delete_leftovers``),
    after every remaining row points at its new targets.
    """

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.leftovers: list[tuple[str, str, models.Model]] = []

    def sync(
        self,
        label: str,
        queryset: models.QuerySet,
        key,
        wanted: list[tuple[object, dict, dict[str, list]]],
    ) -> dict:
        """``wanted``: (key, field values, {m2m field: [related objects]}) in order."""
        existing = {key(obj): obj for obj in queryset}
        result = {}
        for position, (k, values, m2m) in enumerate(wanted):
            values = {**values, "position": position}
            obj = existing.pop(k, None)
            if obj is None:
                obj = queryset.model(**values)
                obj.save()
                for name, related in m2m.items():
                    getattr(obj, name).set(related)
                self.report.created.append(f"{label} {self._name(k)}")
            else:
                self.update(label, k, obj, values, m2m)
            result[k] = obj
        self.leftovers.extend((label, self._name(k), obj) for k, obj in existing.items())
        return result

    def update(self, label: str, key, obj: models.Model, values: dict, m2m: dict) -> None:
        """Update ``obj`` where it differs; a row created in this load is not reported twice."""
        changed_fields = [n for n, v in values.items() if getattr(obj, n) != v]
        changed_m2m = {
            n: rel
            for n, rel in m2m.items()
            if {o.pk for o in getattr(obj, n).all()} != {o.pk for o in rel}
        }
        if changed_fields or changed_m2m:
            for n in changed_fields:
                setattr(obj, n, values[n])
            obj.save()  # also for m2m-only changes: updated_at marks the change
            for name, related in changed_m2m.items():
                getattr(obj, name).set(related)
            entry = f"{label} {self._name(key)}"
            if entry not in self.report.created:
                self.report.updated.append(entry)

    def delete_leftovers(self) -> None:
        for label, name, obj in reversed(self.leftovers):
            if obj.pk is not None and type(obj).objects.filter(pk=obj.pk).exists():
                obj.delete()
            self.report.deleted.append(f"{label} {name}")

    @staticmethod
    def _name(key) -> str:
        return "/".join(key) if isinstance(key, tuple) else str(key)


@transaction.atomic
def content_load(*, bundle: ContentBundle) -> LoadReport:
    """Make the database hold exactly ``bundle``. All or nothing; a second run changes nothing."""
    report = LoadReport()
    sync = _Syncer(report)
    by_code = lambda obj: obj.code  # noqa: E731

    vocab = bundle.vocabulary
    problems = sync.sync(
        "probleemgebied",
        ProblemArea.objects.all(),
        by_code,
        [
            (
                p.code,
                {"code": p.code, "level": p.level, "label": p.label, "description": p.description},
                {},
            )
            for p in vocab.problem_areas
        ],
    )
    placement_values = {
        p.code: {"code": p.code, "label": p.label, "description": p.description}
        for p in vocab.placements
    }
    placements = sync.sync(
        "situatie",
        PlacementSituation.objects.prefetch_related("implies"),
        by_code,
        [(code, values, {}) for code, values in placement_values.items()],
    )
    # References between placements, now that all of them exist.
    for position, p in enumerate(vocab.placements):
        sync.update(
            "situatie",
            p.code,
            placements[p.code],
            {**placement_values[p.code], "position": position},
            {"implies": [placements[c] for c in p.implies]},
        )
    guidelines = sync.sync(
        "richtlijn",
        Guideline.objects.all(),
        by_code,
        [
            (g.code, {"code": g.code, "title": g.title, "description": g.description}, {})
            for g in bundle.guidelines.guidelines
        ],
    )
    sections = {}
    for g in bundle.guidelines.guidelines:
        guideline = guidelines[g.code]
        sections.update(
            sync.sync(
                "sectie",
                Section.objects.filter(guideline=guideline).select_related("guideline"),
                lambda s: (s.guideline.code, s.code),
                [
                    (
                        (g.code, s.code),
                        {
                            "guideline": guideline,
                            "code": s.code,
                            "title": s.title,
                            "source_file": s.source_file,
                        },
                        {},
                    )
                    for s in g.sections
                ],
            )
        )
    sync.sync(
        "aanbeveling",
        Recommendation.objects.prefetch_related("placements", "problems_any"),
        by_code,
        [
            (
                r.code,
                {
                    "code": r.code,
                    "title": r.title,
                    "kind": r.kind,
                    "section": sections[(r.source.guideline, r.source.section)],
                    "text": r.text,
                    "note": r.note,
                },
                {
                    "placements": [placements[c] for c in r.applies_to.placements],
                    "problems_any": [problems[c] for c in r.applies_to.problems_any],
                },
            )
            for r in bundle.recommendations.recommendations
        ],
    )
    sync.sync(
        "interventie",
        Interventie.objects.prefetch_related(
            "problems_all", "problems_any", "placements", "sources", "problems_none"
        ),
        by_code,
        [
            (
                i.code,
                {
                    "code": i.code,
                    "name": i.name,
                    "kind": i.kind,
                    "description_b1": i.description_b1,
                    "doelgroep": i.doelgroep,
                    "age_min": i.age.min,
                    "age_max": i.age.max,
                    "age_max_inclusive": i.age.max_inclusive,
                    "age_wording": i.age.wording,
                    "crisis": i.criteria.crisis,
                    "goal": i.goal,
                    "duration": i.duration,
                    "recognition": i.classification.recognition,
                    "level": i.classification.level or "",
                    "classification_wording": i.classification.wording,
                    "in_databank": i.classification.in_databank,
                    "classification_date": i.classification.source_date,
                    "research": i.research,
                    "source_quote": i.source_quote,
                    "note": i.note,
                    "caveats": "\n".join(i.caveats),
                },
                {
                    "problems_all": [problems[c] for c in i.criteria.problems_all],
                    "problems_any": [problems[c] for c in i.criteria.problems_any],
                    "placements": [placements[c] for c in i.criteria.placements],
                    "sources": [sections[(s.guideline, s.section)] for s in i.sources],
                    "problems_none": [problems[c] for c in i.criteria.problems_none],
                },
            )
            for i in bundle.interventions.interventions
        ],
    )
    sync.delete_leftovers()
    return report
