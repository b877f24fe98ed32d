"""The CDS Hooks 2.0 endpoints: discovery, the service, and feedback.

For machines, not for people: no session, no CSRF token, no login page. Each call must
carry a JWT of a registered client (see :mod:`cdshooks.auth`); without one the answer is
401. Browsers may call from the origins an administrator registered for the client (CORS).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from cdshooks.auth import AuthFailed, authenticate
from cdshooks.cards import cards_for
from cdshooks.models import CdsClient
from cdshooks.ratelimit import rate_limited
from cdshooks.selectors import source_labels
from cdshooks.services import FeedbackInvalid, cards_record, feedback_record
from cdshooks.spec import HOOK, SERVICE_ID, FeedbackRequest, HookRequest
from interventies.engine import evaluate
from interventies.profile import ProfileInvalid, parse_case_profile
from interventies.selectors import current_catalogue
from richtlijnen.errors import FieldProblem, problems_from
from richtlijnen.yamlio import format_path

CORS_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type"
CORS_MAX_AGE = "600"

DESCRIPTION = (
    "Passende en niet-passende jeugdhulpinterventies per kind, volgens de richtlijnen "
    "Jeugdhulp en Jeugdbescherming. De context is het casusprofiel van Richtsnoer: "
    "placement, crisis, family_problems, children (birth_date of age, problems) en "
    "optioneel reference_date."
)


def base_url(request: HttpRequest) -> str:
    configured = getattr(settings, "CDS_HOOKS_BASE_URL", "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def discovery_url(request: HttpRequest) -> str:
    return f"{base_url(request)}/cds-services"


def service_url(request: HttpRequest, service_id: str = SERVICE_ID) -> str:
    return f"{discovery_url(request)}/{service_id}"


def _errors(status: int, problems: list[FieldProblem]) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": format_path(p.path), "message": p.message} for p in problems]},
        status=status,
    )


def _origin_allowed_anywhere(origin: str) -> bool:
    return any(
        origin in client.origins()
        for client in CdsClient.objects.filter(is_active=True).exclude(allowed_origins="")
    )


def _cors(response: HttpResponse, origin: str | None) -> HttpResponse:
    response["Vary"] = "Origin"
    if origin:
        response["Access-Control-Allow-Origin"] = origin
    return response


def cds_endpoint(audience: Callable[[HttpRequest, dict], str], methods: set[str]):
    """Machine endpoint: CORS preflight, JWT, rate limit and origin check, then the view."""

    def decorate(view):
        @csrf_exempt
        @login_not_required
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
            origin = request.headers.get("Origin", "").rstrip("/") or None
            if request.method == "OPTIONS":
                if origin and _origin_allowed_anywhere(origin):
                    response = _cors(HttpResponse(status=204), origin)
                    response["Access-Control-Allow-Methods"] = CORS_METHODS
                    response["Access-Control-Allow-Headers"] = CORS_HEADERS
                    response["Access-Control-Max-Age"] = CORS_MAX_AGE
                    return response
                return _cors(HttpResponse(status=403), None)
            if request.method not in methods:
                response = _errors(405, [FieldProblem((), "methode niet toegestaan")])
                response["Allow"] = ", ".join(sorted(methods | {"OPTIONS"}))
                return response
            # One transaction: the token's jti and what the call stores are committed
            # together, so a call costs one commit (one disk flush), not two.
            with transaction.atomic():
                return _authenticated(request, view, audience(request, kwargs), origin, kwargs)

        return wrapper

    return decorate


def _authenticated(request, view, audience: str, origin: str | None, kwargs) -> HttpResponse:
    try:
        client = authenticate(request.headers.get("Authorization", ""), audience=audience)
    except AuthFailed as exc:
        response = _errors(401, [FieldProblem((), str(exc))])
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return _cors(response, None)
    if kwargs.get("service_id", SERVICE_ID) != SERVICE_ID:
        return _errors(404, [FieldProblem((), "onbekende service")])
    if origin and origin not in client.origins():
        return _cors(_errors(403, [FieldProblem((), "deze origin is niet geregistreerd")]), None)
    wait = rate_limited(client)
    if wait is not None:
        response = _errors(429, [FieldProblem((), "te veel aanroepen; probeer later")])
        response["Retry-After"] = str(wait)
        return _cors(response, origin)
    return _cors(view(request, client=client, **kwargs), origin)


def _json_body(request: HttpRequest):
    try:
        return json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _Invalid


_Invalid = object()


@cds_endpoint(lambda request, kwargs: discovery_url(request), {"GET"})
def discovery(request: HttpRequest, *, client: CdsClient) -> HttpResponse:
    return JsonResponse(
        {
            "services": [
                {
                    "hook": HOOK,
                    "id": SERVICE_ID,
                    "title": "Richtsnoer: passende jeugdhulp",
                    "description": DESCRIPTION,
                    "prefetch": {},
                    "usageRequirements": (
                        "Registratie als client door een beheerder van Richtsnoer, met een "
                        "publieke sleutel (ES384 of RS384) of een JWKS-URL."
                    ),
                }
            ]
        }
    )


@cds_endpoint(lambda request, kwargs: service_url(request, kwargs["service_id"]), {"POST"})
def service(request: HttpRequest, *, client: CdsClient, service_id: str) -> HttpResponse:
    data = _json_body(request)
    if data is _Invalid or not isinstance(data, dict):
        return _errors(400, [FieldProblem((), "verwacht een JSON-object")])
    try:
        hook_request = HookRequest.model_validate(data)
    except ValidationError as exc:
        return _errors(400, problems_from(exc))
    if hook_request.hook != HOOK:
        return _errors(400, [FieldProblem(("hook",), f"moet '{HOOK}' zijn")])
    catalogue = current_catalogue()
    if not catalogue.items:
        return _errors(503, [FieldProblem((), "er is nog geen inhoud geladen")])
    try:
        profile = parse_case_profile(hook_request.context, catalogue)
    except ProfileInvalid as exc:
        return _errors(400, [FieldProblem(("context", *p.path), p.message) for p in exc.problems])
    result = evaluate(profile, catalogue)
    cards, issued = cards_for(result, base_url=base_url(request), sources=source_labels(catalogue))
    cards_record(
        client=client,
        hook_instance=hook_request.hookInstance,
        version=result.content_version,
        issued=issued,
    )
    return JsonResponse({"cards": cards})


@cds_endpoint(lambda request, kwargs: service_url(request, kwargs["service_id"]), {"POST"})
def feedback(request: HttpRequest, *, client: CdsClient, service_id: str) -> HttpResponse:
    data = _json_body(request)
    if data is _Invalid or not isinstance(data, dict):
        return _errors(400, [FieldProblem((), "verwacht een JSON-object")])
    try:
        feedback_request = FeedbackRequest.model_validate(data)
        stored, known = feedback_record(client=client, request=feedback_request)
    except ValidationError as exc:
        return _errors(400, problems_from(exc))
    except FeedbackInvalid as exc:
        return _errors(400, exc.problems)
    return JsonResponse({"stored": stored, "alreadyKnown": known})
