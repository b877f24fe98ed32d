"""Reads: the content-change notices of one dossier, with names filled in at view time."""

from __future__ import annotations

from dataclasses import dataclass

from dossiers.models import Dossier
from impact.models import DossierImpact, ImpactRun
from interventies.selectors import current_catalogue


@dataclass(frozen=True)
class Notice:
    version: int
    published_at: object
    since_submit: bool
    lines: list[str]


def dossier_notices(dossier: Dossier, *, limit: int = 5) -> list[Notice]:
    """Versions published since the dossier was submitted (or last changed, for a concept)
    that change what fits one of its children: "MST past nu bij Sem"."""
    snapshot = dossier.snapshots.first()
    since = snapshot.created_at if snapshot is not None else dossier.updated_at
    rows = list(
        DossierImpact.objects.filter(
            dossier=dossier,
            run__kind=ImpactRun.Kind.REEVALUATION,
            run__new_version__published_at__gt=since,
        )
        .select_related("run__new_version")
        .order_by("-id")[:limit]
    )
    if not rows:
        return []
    names = {c.pk: c.first_name for c in dossier.children.all()}
    items = {i.code: i.name for i in current_catalogue().items}

    def called(code: str) -> str:
        name = items.get(code, code)
        return code if name == code else f"{name} ({code})"

    notices = []
    for row in rows:
        lines = []
        for change in row.changes:
            child = names.get(change["child"])
            if child is None:  # the child was removed from the dossier since
                continue
            lines += [f"{called(c)} past nu bij {child}" for c in change["added"]]
            lines += [f"{called(c)} past niet meer bij {child}" for c in change["removed"]]
        if lines:
            version = row.run.new_version
            notices.append(
                Notice(version.number, version.published_at, snapshot is not None, lines)
            )
    return notices
