"""The access log: one row per access to dossier data, written in the caller's transaction.

Rows carry ids, never contents (no names, no free text, no search terms).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from dossiers.models import Dossier, Team
from dossiers.rules import role_names
from toegang.models import AccessLog

# An editing session of one dossier: autosaves with no pause longer than this between
# the logged one and the next (by default the session's idle timeout).
EDITING_SESSION_KEY = "_autosave_logged"


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
    roles = ",".join(sorted(role_names(user))) if user else ""
    return AccessLog.objects.create(
        user=user,
        roles=roles,
        team_id=dossier.team_id if dossier is not None else (team.pk if team else None),
        action=action,
        dossier_id=dossier.pk if dossier is not None else None,
        client_address=client_address(request),
        outcome=outcome,
    )


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
    now = int(time.time())
    logged = session.get(EDITING_SESSION_KEY) or {}
    key = str(dossier.pk)
    last = logged.get(key)
    if isinstance(last, int) and 0 <= now - last < settings.SESSION_COOKIE_AGE:
        return None
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
