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
from datetime import date

from django.db import transaction
from django.utils import timezone

from dossiers.models import Dossier, Jeugdige, Status
from impact.models import DossierImpact, ImpactRun
from interventies.engine import Catalogue, age_on, evaluate
from interventies.profile import ProfileInvalid, parse_case_profile, today
from interventies.selectors import catalogue_for_version, draft_catalogue
from richtlijnen.content import content_version
from richtlijnen.models import ContentVersion
from richtlijnen.versions import draft_bundle, version_in_use

OPEN_STATUSES = [Status.CONCEPT, Status.TER_BEOORDELING, Status.VASTGESTELD]
CHUNK = 2000


class SuggestedCodes:
    """The codes the engine suggests for one child's circumstances, remembered."""

    def __init__(self, catalogue: Catalogue, reference: date) -> None:
        self.catalogue = catalogue
        self.reference = reference
        self.memo: dict[tuple, frozenset[str]] = {}

    def __call__(self, key: tuple) -> frozenset[str]:
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._evaluate(*key)
        return found

    def _evaluate(self, age, family, problems, crisis, placement) -> frozenset[str]:
        data = {
            "reference_date": self.reference.isoformat(),
            "crisis": crisis,
            "placement": placement,
            "family_problems": sorted(family),
            "children": [{"age": age, "problems": sorted(problems)}],
        }
        try:
            result = evaluate(parse_case_profile(data, self.catalogue), self.catalogue)
        except ProfileInvalid:  # a code this content no longer knows: nothing to suggest
            return frozenset()
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


def dossier_changes(row: tuple, old: SuggestedCodes, new: SuggestedCodes) -> list[dict]:
    """Per child of one dossier row: the codes added and removed (only where any differ)."""
    _pk, _team, crisis, placement, family_problems, children = row
    family = frozenset(family_problems or ())
    changes = []
    for child_id, birth_date, problems in children:
        key = (age_on(birth_date, old.reference), family, frozenset(problems or ()), crisis)
        key += (placement,)
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


def impact_compute(run: ImpactRun, old: Catalogue, new: Catalogue) -> None:
    """Fill ``run`` with the differences between two catalogues over all open dossiers."""
    reference = today()
    old_codes, new_codes = SuggestedCodes(old, reference), SuggestedCodes(new, reference)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    done = children_changed = dossiers_changed = 0
    for chunk in _open_dossier_chunks():
        found = []
        for row in chunk:
            changes = dossier_changes(row, old_codes, new_codes)
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
        old = catalogue_for_version(run.old_version)
        if run.new_version is not None:
            new = catalogue_for_version(run.new_version)
        else:
            new = draft_catalogue()
            run.new_hash = new.version  # what was computed, should the draft have moved on
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
