"""The audit service: one row per access to dossier data, written in the caller's transaction.

Rows carry ids, never contents (no names, no free text, no search terms). The API:

- ``audit_log(request=..., action=..., dossier=..., outcome=...)``: one access;
- ``audit_log_shown(request=..., action=..., dossiers=[...])``: a list, search, queue or
  overview page, one row per dossier it showed;
- ``audit_system(action=..., ...)``: commands and admin changes without a request;
- ``audit_log_once_per_editing_session(...)``: autosave, logged once per editing session.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from accounts.network import client_address as network_client_address
from dossiers.models import Dossier, Team
from dossiers.rules import role_names
from toegang.chain import append
from toegang.models import AccessLog

# An editing session of one dossier: autosaves with no pause longer than this between
# the logged one and the next (by default the session's idle timeout).
EDITING_SESSION_KEY = "_autosave_logged"


def client_address(request: HttpRequest) -> str | None:
    """The real client, behind a trusted proxy too (accounts.network)."""
    return network_client_address(request)


def _roles(user) -> str:
    if user is None:
        return ""
    # The same per-request cache as the permission checks: the roles are read once.
    return ",".join(sorted(role_names(user)))


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


def _who(request: HttpRequest) -> dict:
    """The fields every row of this request shares: who, in which roles, from where."""
    user = _request_user(request)
    return {
        "user_id": user.pk if user is not None else None,
        "roles": _roles(user),
        "client_address": client_address(request),
    }


def _row(
    request: HttpRequest, action: str, dossier, team, outcome: str, who: dict | None = None
) -> AccessLog:
    _mark(request, dossier.pk if dossier is not None else None)
    return AccessLog(
        **(who or _who(request)),
        team_id=dossier.team_id if dossier is not None else (team.pk if team else None),
        action=action,
        dossier_id=dossier.pk if dossier is not None else None,
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
    who = _who(request)
    rows = [_row(request, action, d, None, AccessLog.Outcome.OK, who) for d in dossiers]
    return append(rows or [_row(request, action, None, team, AccessLog.Outcome.OK, who)])


def audit_denied(*, request: HttpRequest, dossier_id, action: str = AccessLog.Action.VIEW) -> None:
    """A refused attempt on a dossier URL (another team's, or a forbidden action)."""
    row = _row(request, action, None, None, AccessLog.Outcome.DENIED)
    row.dossier_id = dossier_id
    _mark(request, dossier_id)
    append([row])


def audit_log_read(
    *,
    request: HttpRequest,
    action: str,
    dossier_id=None,
    team: Team | None = None,
    outcome: str = AccessLog.Outcome.OK,
) -> AccessLog:
    """A look at the log itself (the privacy officer's page or export): the dossier and
    team it was filtered on, so "who looked at this dossier's log" has an answer too."""
    row = _row(request, action, None, team, outcome)
    row.dossier_id = dossier_id
    return append([row])[0]


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


def editing_session_logged(*, request: HttpRequest, dossier_id) -> bool:
    """This login session's editing of the dossier was logged, less than the session idle
    timeout ago (see below)."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    last = (session.get(EDITING_SESSION_KEY) or {}).get(str(dossier_id))
    return isinstance(last, int) and 0 <= int(time.time()) - last < settings.SESSION_COOKIE_AGE


def audit_log_once_per_editing_session(
    *, request: HttpRequest, action: str, dossier: Dossier
) -> AccessLog | None:
    """Log ``action`` once per editing session of this dossier, not on every autosave.

    An editing session is one login session's work on one dossier; it is logged when it
    starts, and again only when the last logged row of it is older than the session idle
    timeout (a new stretch of work). The login session remembers when (a timestamp per
    dossier id, no contents), so this costs a session write once per editing session.
    Returns the row, or None when this editing session was already logged.
    """
    session = getattr(request, "session", None)
    if session is None:
        return audit_log(request=request, action=action, dossier=dossier)
    if editing_session_logged(request=request, dossier_id=dossier.pk):
        return None
    now = int(time.time())
    logged = session.get(EDITING_SESSION_KEY) or {}
    key = str(dossier.pk)
    # Keep the newest few dossiers only: a session never grows without bound.
    recent = sorted(logged.items(), key=lambda item: item[1], reverse=True)[:19]
    session[EDITING_SESSION_KEY] = {**dict(recent), key: now}
    return audit_log(request=request, action=action, dossier=dossier)


def editing_session_end(*, request: HttpRequest, dossier: Dossier) -> None:
    """The draft was saved or discarded: the next autosave starts a new editing session."""
    session = getattr(request, "session", None)
    logged = session.get(EDITING_SESSION_KEY) if session is not None else None
    if logged and str(dossier.pk) in logged:
        session[EDITING_SESSION_KEY] = {k: v for k, v in logged.items() if k != str(dossier.pk)}
