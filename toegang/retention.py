"""Retention and deletion of dossiers. What is removed is logged with ids only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dossiers.models import Dossier, Status
from toegang.models import AccessLog


@dataclass(frozen=True)
class Removed:
    dossier_id: str
    team_id: int


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Dossiers closed before this moment have passed the retention period."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - settings.RETENTION_YEARS, day=28)


def expired_dossiers(now: datetime | None = None) -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        status=Status.AFGESLOTEN, closed_at__isnull=False, closed_at__lt=retention_cutoff(now)
    ).order_by("closed_at")


def _remove(dossier: Dossier, *, action: str, user=None) -> Removed:
    removed = Removed(str(dossier.pk), dossier.team_id)
    AccessLog.objects.create(
        user=user,
        roles=",".join(sorted(g.name for g in user.groups.all())) if user else "",
        team_id=dossier.team_id,
        action=action,
        dossier_id=dossier.pk,
        client_address=None,
    )
    dossier.delete()  # children, parents, network, drafts and snapshots go with it
    return removed


@transaction.atomic
def dossiers_purge_expired(*, now: datetime | None = None) -> list[Removed]:
    """Delete every dossier past its retention period, each with a log row."""
    return [
        _remove(dossier, action=AccessLog.Action.PURGE)
        for dossier in expired_dossiers(now).select_for_update()
    ]


@transaction.atomic
def dossier_delete_on_request(*, dossier: Dossier, user) -> Removed:
    """Delete one dossier at the family's request, by an administrator."""
    return _remove(dossier, action=AccessLog.Action.DELETE, user=user)
