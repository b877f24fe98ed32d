"""The health endpoint for a load balancer and the metrics endpoint for Prometheus."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.network import client_address
from ops.health import content_version, database_ok, task_worker_state
from ops.metrics import render_metrics


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when this server can serve (database reachable, content loaded), else 503.

    Says which content version is in use and whether the task worker keeps up. Carries
    no personal data; safe for a load balancer to poll every few seconds.
    """
    database = database_ok()
    version = content_version() if database else None
    worker = task_worker_state() if database else "unknown"
    fit = database and version is not None
    return JsonResponse(
        {
            "status": "ok" if fit else "unavailable",
            "database": "ok" if database else "unreachable",
            "content_version": version,
            "task_worker": worker,
        },
        status=200 if fit else 503,
    )


def _allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        client in ipaddress.ip_network(network, strict=False)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, only for the networks in METRICS_ALLOWED_NETWORKS (else 404)."""
    # The real client behind a trusted proxy (accounts.network), never a forgeable header.
    if not _allowed(client_address(request)):
        raise Http404
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
