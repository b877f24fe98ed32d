"""Impact of a content change on open dossiers: the preview and the re-evaluation.

Both run the engine over every open dossier (concept, ter beoordeling, and set plans
still being evaluated) with two catalogues and keep, per dossier, which interventions
each child gains or loses. They run as a background task (``impact.tasks``), never in
the request that asks for them; the page polls for progress.

The engine judges each child on its own (age, its problems plus the family's, crisis,
placement), so each distinct circumstance is evaluated once per catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from dossiers.models import Dossier, Jeugdige, Status
from impact.models import DossierImpact, ImpactRun
from interventies.engine import Catalogue, age_on, compile_catalogue, evaluate
from interventies.profile import OLDEST_AGE, CaseProfile, ChildProfile, today
from richtlijnen.content import content_version
from richtlijnen.models import ContentVersion
from richtlijnen.schema import ContentBundle, InterventionsFile
from richtlijnen.versions import draft_bundle, version_bundle, version_in_use

OPEN_STATUSES = [Status.CONCEPT, Status.TER_BEOORDELING, Status.VASTGESTELD]
CHUNK = 2000


class SuggestedCodes:
    """The codes the engine suggests for one child's circumstances, remembered."""

    def __init__(self, catalogue: Catalogue | None, reference: date) -> None:
        self.catalogue = catalogue  # None: no intervention at all, so nothing fits
        self.reference = reference
        self.memo: dict[tuple, frozenset[str]] = {}

    def __call__(self, key: tuple) -> frozenset[str]:
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._evaluate(*key)
        return found

    def _evaluate(self, age, family, problems, crisis, placement) -> frozenset[str]:
        if self.catalogue is None:
            return frozenset()
        vocab = self.catalogue.vocabulary
        known = vocab.problem_level
        if placement not in vocab.placement_label or not all(
            c in known for c in (*family, *problems)
        ):
            return frozenset()  # a code this content does not know: nothing to suggest
        # Built without validation: the codes were checked above, the rest comes from
        # the database (validated when it was saved). Parsing dominated the time.
        profile = CaseProfile.model_construct(
            reference_date=self.reference,
            crisis=crisis,
            placement=placement,
            family_problems=sorted(family),
            children=[
                ChildProfile.model_construct(
                    label=None, birth_date=None, age=age, problems=sorted(problems)
                )
            ],
        )
        result = evaluate(profile, self.catalogue)
        return frozenset(s.code for s in result.children[0].suggestions)


def open_dossier_count() -> int:
    return Dossier.objects.filter(status__in=OPEN_STATUSES).count()


def _open_dossier_chunks(size: int = CHUNK) -> Iterator[list[tuple]]:
    """(id, team id, crisis, placement, family problems, children) in pages by id."""
    rows = (
        Dossier.objects.filter(status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", "team_id", "crisis", "placement", "family_problems")
    )
    last = None
    while True:
        page = list((rows.filter(pk__gt=last) if last is not None else rows)[:size])
        if not page:
            return
        children = defaultdict(list)
        for child in (
            Jeugdige.objects.filter(dossier_id__in=[r[0] for r in page])
            .order_by("dossier_id", "position", "id")
            .values_list("dossier_id", "id", "birth_date", "problems")
        ):
            children[child[0]].append(child[1:])
        yield [(*row, children.get(row[0], [])) for row in page]
        last = page[-1][0]


def dossier_changes(
    row: tuple, old: SuggestedCodes, new: SuggestedCodes, codes: frozenset[str]
) -> list[dict]:
    """Per child of one dossier row: the codes added and removed (only where any differ).

    ``codes``: the problem areas the compared interventions look at; others cannot change
    whether they fit, so they are left out of the key (and many children share one).
    """
    _pk, _team, crisis, placement, family_problems, children = row
    family = codes.intersection(family_problems or ())
    changes = []
    for child_id, birth_date, problems in children:
        age = age_on(birth_date, old.reference)
        if not 0 <= age <= OLDEST_AGE:  # not a valid profile: the intake refuses it too
            continue
        key = (age, family, codes.intersection(problems or ()), crisis, placement)
        before, after = old(key), new(key)
        if before != after:
            changes.append(
                {
                    "child": child_id,
                    "added": sorted(after - before),
                    "removed": sorted(before - after),
                }
            )
    return changes


@dataclass(frozen=True)
class Comparison:
    """Two catalogues to compare, reduced to what can differ between two contents."""

    old: Catalogue | None
    new: Catalogue | None
    codes: frozenset[str]

    @property
    def nothing_differs(self) -> bool:
        return self.old is None and self.new is None


def comparison(old: ContentBundle, new: ContentBundle) -> Comparison:
    """Whether an intervention fits a child depends only on its own criteria and the
    vocabulary. With the same vocabulary, only interventions whose spec differs can change
    any suggestion, so only those are compiled and evaluated."""
    if old.vocabulary != new.vocabulary:
        everything = frozenset(p.code for p in new.vocabulary.problem_areas)
        everything |= frozenset(p.code for p in old.vocabulary.problem_areas)
        return Comparison(_compiled(old), _compiled(new), everything)
    before = {i.code: i for i in old.interventions.interventions}
    after = {i.code: i for i in new.interventions.interventions}
    changed = {c for c in before.keys() | after.keys() if before.get(c) != after.get(c)}
    codes = frozenset(
        code
        for spec in [
            *(before[c] for c in changed if c in before),
            *(after[c] for c in changed if c in after),
        ]
        for code in (*spec.criteria.problems_all, *spec.criteria.problems_any)
    )
    return Comparison(_compiled(old, changed), _compiled(new, changed), codes)


def _compiled(bundle: ContentBundle, only: set[str] | None = None) -> Catalogue | None:
    items = [i for i in bundle.interventions.interventions if only is None or i.code in only]
    if not items:
        return None
    part = bundle.model_copy(update={"interventions": InterventionsFile(interventions=items)})
    return compile_catalogue(part, content_version(bundle))


def impact_compute(run: ImpactRun, old: ContentBundle, new: ContentBundle) -> None:
    """Fill ``run`` with the differences between two contents over all open dossiers."""
    reference = today()
    compared = comparison(old, new)
    old_codes = SuggestedCodes(compared.old, reference)
    new_codes = SuggestedCodes(compared.new, reference)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    done = children_changed = dossiers_changed = 0
    for chunk in _open_dossier_chunks():
        found = []
        for row in [] if compared.nothing_differs else chunk:
            changes = dossier_changes(row, old_codes, new_codes, compared.codes)
            if not changes:
                continue
            found.append(DossierImpact(run=run, dossier_id=row[0], team_id=row[1], changes=changes))
            children_changed += len(changes)
            for change in changes:
                for code in change["added"]:
                    counts[code][0] += 1
                for code in change["removed"]:
                    counts[code][1] += 1
        DossierImpact.objects.bulk_create(found)
        dossiers_changed += len(found)
        done += len(chunk)
        ImpactRun.objects.filter(pk=run.pk).update(done=done, state=ImpactRun.State.RUNNING)
    run.counts = {code: {"added": a, "removed": r} for code, (a, r) in sorted(counts.items())}
    run.done, run.total = done, max(run.total, done)
    run.children_changed, run.dossiers_changed = children_changed, dossiers_changed
    run.state, run.finished_at = ImpactRun.State.DONE, timezone.now()
    run.save()


def impact_run_execute(run_id: int) -> None:
    """The background task's body: compute one run (a second call does nothing)."""
    run = ImpactRun.objects.select_related("old_version", "new_version").get(pk=run_id)
    if run.finished or run.state == ImpactRun.State.RUNNING:
        return
    ImpactRun.objects.filter(pk=run.pk).update(state=ImpactRun.State.RUNNING)
    try:
        old = version_bundle(run.old_version)
        if run.new_version is not None:
            new = version_bundle(run.new_version)
        else:
            new = draft_bundle()
            run.new_hash = content_version(new)  # what was computed, should the draft move on
        impact_compute(run, old, new)
    except Exception:
        ImpactRun.objects.filter(pk=run.pk).update(
            state=ImpactRun.State.FAILED, finished_at=timezone.now()
        )
        raise


def _enqueue(run: ImpactRun) -> ImpactRun:
    from impact.tasks import impact_run_task

    result = impact_run_task.enqueue(run.pk)
    ImpactRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


@transaction.atomic
def preview_start(*, user) -> ImpactRun | None:
    """Start (or join, on a double click) the impact preview of the draft."""
    in_use = version_in_use()
    draft = draft_bundle()
    if in_use is None or draft is None:
        return None
    draft_hash = content_version(draft)
    running = (
        ImpactRun.objects.select_for_update()
        .filter(kind=ImpactRun.Kind.PREVIEW, old_hash=in_use.content_hash, new_hash=draft_hash)
        .exclude(state__in=[ImpactRun.State.DONE, ImpactRun.State.FAILED])
        .first()
    )
    if running is not None:
        return running
    run = ImpactRun.objects.create(
        kind=ImpactRun.Kind.PREVIEW,
        old_hash=in_use.content_hash,
        new_hash=draft_hash,
        old_version=in_use,
        total=open_dossier_count(),
        started_by=user,
    )
    return _enqueue(run)


def reevaluation_start(*, old_version: ContentVersion, new_version: ContentVersion) -> ImpactRun:
    """After a publish: notices for every open dossier whose suggestions now differ."""
    run = ImpactRun.objects.create(
        kind=ImpactRun.Kind.REEVALUATION,
        old_hash=old_version.content_hash,
        new_hash=new_version.content_hash,
        old_version=old_version,
        new_version=new_version,
        total=open_dossier_count(),
    )
    return _enqueue(run)


def preview_latest() -> ImpactRun | None:
    """The latest preview of the draft as it is now, against the version in use."""
    in_use = version_in_use()
    draft = draft_bundle()
    if in_use is None or draft is None:
        return None
    return (
        ImpactRun.objects.filter(
            kind=ImpactRun.Kind.PREVIEW,
            old_hash=in_use.content_hash,
            new_hash=content_version(draft),
        )
        .order_by("-id")
        .first()
    )
