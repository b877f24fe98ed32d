"""The access log: one row per access to dossier data, written in the caller's transaction.

Rows carry ids, never contents (no names, no free text, no search terms).
"""

from __future__ import annotations

from django.http import HttpRequest

from dossiers.models import Dossier, Team
from toegang.models import AccessLog


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    request: HttpRequest,
    action: str,
    dossier: Dossier | None = None,
    team: Team | None = None,
    outcome: str = AccessLog.Outcome.OK,
) -> AccessLog:
    user = request.user if request.user.is_authenticated else None
    roles = ",".join(sorted(g.name for g in user.groups.all())) if user else ""
    return AccessLog.objects.create(
        user=user,
        roles=roles,
        team_id=dossier.team_id if dossier is not None else (team.pk if team else None),
        action=action,
        dossier_id=dossier.pk if dossier is not None else None,
        client_address=client_address(request),
        outcome=outcome,
    )
