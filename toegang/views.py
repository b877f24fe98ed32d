"""The access-log page: who saw this dossier, for the gedragswetenschapper and privacy officer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dossiers.rules import can
from dossiers.selectors import dossier_get
from toegang.audit import audit_log
from toegang.forms import PeriodForm
from toegang.models import AccessLog


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied


@require_GET
def dossier_access_log(request: HttpRequest, pk) -> HttpResponse:
    """Wie heeft dit dossier ingezien: every logged access, filterable by period."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view_access_log", dossier)
    audit_log(request=request, action=AccessLog.Action.VIEW_LOG, dossier=dossier)  # shown too
    form = PeriodForm(request.GET or None)
    rows = AccessLog.objects.filter(dossier_id=dossier.pk).select_related("user", "team")
    if form.is_valid():
        if form.cleaned_data["van"]:
            rows = rows.filter(at__date__gte=form.cleaned_data["van"])
        if form.cleaned_data["tot"]:
            rows = rows.filter(at__date__lte=form.cleaned_data["tot"])
    page = Paginator(rows.order_by("-at", "-id"), 50).get_page(request.GET.get("pagina"))
    return render(
        request, "toegang/access_log.html", {"dossier": dossier, "form": form, "page": page}
    )
