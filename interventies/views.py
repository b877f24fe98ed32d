"""The catalogue pages: every item as the Databank shows it, and the guidelines.

They read the content in use (``current_catalogue()``), the same the engine decides
with, and hold no family data, so nothing here is written to the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from dossiers.rules import can
from interventies.catalogue import catalogue_filter, catalogue_view
from interventies.engine import classification_label
from interventies.forms import CatalogueFilterForm
from interventies.selectors import current_catalogue

PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _require_reader(request: HttpRequest) -> None:
    if not can(request.user, "interventies.view_catalogue"):
        raise PermissionDenied


@require_GET
def catalogue_list(request: HtmxHttpRequest) -> HttpResponse:
    _require_reader(request)
    catalogue = current_catalogue()
    view = catalogue_view(catalogue)
    params = request.GET.copy()
    page_number = params.pop("pagina", [None])[-1]
    form = CatalogueFilterForm(params or None, catalogue=catalogue)
    entries = catalogue_filter(view, form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    template = "interventies/catalogue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(
        request,
        template,
        {"form": form, "page": page, "total": len(view.entries), "version": view.version},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    catalogue = current_catalogue()
    view = catalogue_view(catalogue)
    entry = view.by_code.get(code)
    if entry is None:
        raise Http404("Deze interventie staat niet in de catalogus.")
    cls = entry.spec.classification
    return render(
        request,
        "interventies/detail.html",
        {
            "entry": entry,
            "spec": entry.spec,
            "classification": classification_label(cls.recognition, cls.level),
            "version": view.version,
        },
    )


@require_GET
def guidelines(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    view = catalogue_view(current_catalogue())
    return render(
        request,
        "interventies/guidelines.html",
        {"guidelines": view.guidelines, "version": view.version},
    )
