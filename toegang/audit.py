"""The audit service: one row per access to dossier data, written in the caller's transaction.

Rows carry ids, never contents (no names, no free text, no search terms). The API:

- ``audit_log(request=..., action=..., dossier=..., outcome=...)``: one access;
- ``audit_log_shown(request=..., action=..., dossiers=[...])``: a list, search, queue or
  overview page, one row per dossier it showed;
- ``audit_system(action=..., ...)``: commands and admin changes without a request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from accounts.network import client_address as network_client_address
from dossiers.models import Dossier, Team
from toegang.chain import append
from toegang.models import AccessLog


def client_address(request: HttpRequest) -> str | None:
    """The real client, behind a trusted proxy too (accounts.network)."""
    return network_client_address(request)


def _roles(user) -> str:
    if user is None:
        return ""
    cached = getattr(user, "_audit_roles", None)
    if cached is None:
        cached = user._audit_roles = ",".join(sorted(g.name for g in user.groups.all()))
    return cached


def _request_user(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def audited(request: HttpRequest, dossier_id) -> bool:
    """Whether this request already wrote a row for this dossier (the middleware asks)."""
    return dossier_id in getattr(request, "_audited_dossiers", ())


def _mark(request: HttpRequest, dossier_id) -> None:
    if dossier_id is not None:
        if not hasattr(request, "_audited_dossiers"):
            request._audited_dossiers = set()
        request._audited_dossiers.add(dossier_id)


def _row(request: HttpRequest, action: str, dossier, team, outcome: str) -> AccessLog:
    user = _request_user(request)
    _mark(request, dossier.pk if dossier is not None else None)
    return AccessLog(
        user=user,
        roles=_roles(user),
        team_id=dossier.team_id if dossier is not None else (team.pk if team else None),
        action=action,
        dossier_id=dossier.pk if dossier is not None else None,
        client_address=client_address(request),
        outcome=outcome,
    )


def audit_log(
    *,
    request: HttpRequest,
    action: str,
    dossier: Dossier | None = None,
    team: Team | None = None,
    outcome: str = AccessLog.Outcome.OK,
) -> AccessLog:
    return append([_row(request, action, dossier, team, outcome)])[0]


def audit_log_shown(
    *,
    request: HttpRequest,
    action: str,
    dossiers: Iterable[Dossier],
    team: Team | None = None,
) -> list[AccessLog]:
    """A page that showed several families: one row per dossier, or one without if none."""
    rows = [_row(request, action, d, None, AccessLog.Outcome.OK) for d in dossiers]
    return append(rows or [_row(request, action, None, team, AccessLog.Outcome.OK)])


def audit_denied(*, request: HttpRequest, dossier_id, action: str = AccessLog.Action.VIEW) -> None:
    """A refused attempt on a dossier URL (another team's, or a forbidden action)."""
    row = _row(request, action, None, None, AccessLog.Outcome.DENIED)
    row.dossier_id = dossier_id
    _mark(request, dossier_id)
    append([row])


def audit_system(
    *,
    action: str,
    user: AbstractBaseUser | None = None,
    dossier_id=None,
    team_id: int | None = None,
    subject_user_id: int | None = None,
    outcome: str = AccessLog.Outcome.OK,
) -> AccessLog:
    return append(
        [
            AccessLog(
                user=user,
                roles=_roles(user),
                team_id=team_id,
                action=action,
                dossier_id=dossier_id,
                subject_user_id=subject_user_id,
                outcome=outcome,
            )
        ]
    )[0]
