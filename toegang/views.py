"""The access-log pages: who saw this dossier (the team's gedragswetenschapper), and the
whole organisation's log (the privacy officer, ``org_access_log``)."""

from __future__ import annotations

import csv

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dossiers.pagination import BoundedPaginator
from dossiers.rules import can
from dossiers.selectors import dossier_get
from toegang.audit import audit_log, audit_log_read
from toegang.forms import AccessLogFilterForm, OrgLogFilterForm
from toegang.models import AccessLog


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied


PAGE_SIZE = 50
CSV_MAX_ROWS = 100_000


def _log_rows(request: HttpRequest, dossier):
    rows = AccessLog.objects.filter(dossier_id=dossier.pk)
    people = (
        get_user_model()
        .objects.filter(pk__in=rows.exclude(user=None).values("user"))
        .order_by("first_name", "last_name", "username")
    )
    form = AccessLogFilterForm(request.GET or None, people=people)
    return form, form.filter(rows).select_related("user", "team").order_by("-at", "-id")


@require_GET
def dossier_access_log(request: HttpRequest, pk) -> HttpResponse:
    """Wie heeft dit dossier ingezien: every logged access, by person, action and period."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view_access_log", dossier)
    audit_log(request=request, action=AccessLog.Action.VIEW_LOG, dossier=dossier)  # shown too
    form, rows = _log_rows(request, dossier)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request, "toegang/access_log.html", {"dossier": dossier, "form": form, "page": page}
    )


@require_GET
def dossier_access_log_csv(request: HttpRequest, pk) -> HttpResponse:
    """The same rows as the page (same filters) as CSV; the export is itself logged."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view_access_log", dossier)
    audit_log(request=request, action=AccessLog.Action.EXPORT_LOG, dossier=dossier)
    _form, rows = _log_rows(request, dossier)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # the dossier id only: no family name in a file name
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{dossier.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["tijdstip", "wie", "gebruiker-id", "rol", "wat", "resultaat", "adres", "rij"])
    for row in rows[:CSV_MAX_ROWS].iterator(chunk_size=2000):
        who = row.user.get_full_name() or row.user.get_username() if row.user else "systeem"
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(timespec="seconds"),
                _cell(who),
                row.user_id or "",
                _cell(row.roles),
                row.get_action_display(),
                row.get_outcome_display(),
                row.client_address or "",
                row.pk,
            ]
        )
    return response


def _cell(text: str) -> str:
    """No formulas in a spreadsheet cell (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# ---------------------------------------------------------------- the organisation's log

ORG_PAGE_SIZE = 50


def _org_rows(request: HttpRequest) -> tuple[OrgLogFilterForm, object]:
    form = OrgLogFilterForm(request.GET or None)
    rows = form.filter(AccessLog.objects.all())
    return form, rows.select_related("user", "team").order_by("-at", "-id")


def _org_require(request: HttpRequest, action: str) -> None:
    """The privacy officer only; a refused attempt is logged (geweigerd) like any other."""
    if not can(request.user, "toegang.view_org_log"):
        audit_log_read(request=request, action=action, outcome=AccessLog.Outcome.DENIED)
        raise PermissionDenied


def _filtered_on(form: OrgLogFilterForm) -> dict:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {"dossier_id": data.get("dossier"), "team": data.get("team")}


@require_GET
def org_access_log(request: HttpRequest) -> HttpResponse:
    """The whole organisation's access log for the privacy officer: every team, every
    person, denied attempts included; ids and names of staff, never a family's data."""
    _org_require(request, AccessLog.Action.VIEW_LOG)
    form, rows = _org_rows(request)
    audit_log_read(request=request, action=AccessLog.Action.VIEW_LOG, **_filtered_on(form))
    page = BoundedPaginator(rows, ORG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "toegang/org_access_log.html",
        {"form": form, "page": page, "show_errors": form.is_bound},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def org_access_log_csv(request: HttpRequest) -> HttpResponse:
    """The same rows as the page (same filters) as CSV; the export is itself logged."""
    _org_require(request, AccessLog.Action.EXPORT_LOG)
    form, rows = _org_rows(request)
    audit_log_read(request=request, action=AccessLog.Action.EXPORT_LOG, **_filtered_on(form))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["tijdstip", "wie", "gebruiker-id", "rol", "team", "wat", "dossier", "resultaat",
         "adres", "rij"]
    )  # fmt: skip
    for row in rows[:CSV_MAX_ROWS].iterator(chunk_size=2000):
        who = row.user.get_full_name() or row.user.get_username() if row.user else "systeem"
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(timespec="seconds"),
                _cell(who),
                row.user_id or "",
                _cell(row.roles),
                _cell(row.team.name) if row.team else "",
                row.get_action_display(),
                row.dossier_id or "",
                row.get_outcome_display(),
                row.client_address or "",
                row.pk,
            ]
        )
    return response
