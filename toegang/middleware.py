"""Completeness of the access log, whatever a view forgets.

For every request to a dossier URL (``<uuid:pk>`` under dossiers, beoordeling, toegang):
- a refusal (404 for another team's dossier, 403 for a forbidden action) writes a row
  with outcome *geweigerd*;
- a page that showed the dossier (200, or 400/409/422 when a failed post re-renders it)
  but whose view wrote no row gets one: *ingezien*, or *ongeldig* for a failed post.
The autosave partial logs once per editing session itself, so it is left to its view.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from toegang.audit import audit_denied, audit_log, audited
from toegang.models import AccessLog

NAMESPACES = {"dossiers", "beoordeling", "toegang"}
SELF_LOGGING = {"dossiers:autosave"}
SHOWN = {200, 400, 409, 422}


def _dossier_id(request: HttpRequest) -> uuid.UUID | None:
    match = getattr(request, "resolver_match", None)
    if match is None or not NAMESPACES & set(match.namespaces):
        return None
    pk = match.kwargs.get("pk")
    return pk if isinstance(pk, uuid.UUID) else None


class AccessAuditMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        dossier_id = _dossier_id(request)
        if dossier_id is None or not request.user.is_authenticated:
            return response
        if audited(request, dossier_id) or request.resolver_match.view_name in SELF_LOGGING:
            return response
        if response.status_code in (403, 404):
            audit_denied(request=request, dossier_id=dossier_id, action=_action(request))
        elif response.status_code in SHOWN:
            from dossiers.models import Dossier

            dossier = Dossier.objects.filter(pk=dossier_id).only("pk", "team_id").first()
            if dossier is not None:
                failed = request.method == "POST"
                audit_log(
                    request=request,
                    action=_action(request),
                    dossier=dossier,
                    outcome=AccessLog.Outcome.INVALID if failed else AccessLog.Outcome.OK,
                )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, (Http404, PermissionDenied)) and request.user.is_authenticated:
            dossier_id = _dossier_id(request)
            if dossier_id is not None and not audited(request, dossier_id):
                audit_denied(request=request, dossier_id=dossier_id, action=_action(request))


def _action(request: HttpRequest) -> str:
    return AccessLog.Action.VIEW if request.method in ("GET", "HEAD") else AccessLog.Action.CHANGE
