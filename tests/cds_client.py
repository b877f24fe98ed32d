"""A small CDS Hooks 2.0 client, written from the specification (cds-hooks.hl7.org).

It knows nothing of Richtsnoer's code: it signs its own JWT (ES384 or RS384, with iss,
aud, exp, iat and jti), calls discovery, a service and its feedback endpoint, and
validates every answer against pydantic models of the spec's shapes. The transport is a
function, so the same client runs against Django's test client and against a real server.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Self
from uuid import UUID

import jwt
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

# ---------------------------------------------------------------- the spec's shapes


class SpecModel(BaseModel):
    # Only the spec's fields (and 'extension', its one way to add more) are allowed.
    model_config = ConfigDict(extra="forbid")
    extension: dict[str, Any] | None = None


class Coding(SpecModel):
    code: str
    system: str | None = None
    display: str | None = None


class Source(SpecModel):
    label: str
    url: HttpUrl | None = None
    icon: HttpUrl | None = None
    topic: Coding | None = None


class Action(SpecModel):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: list[str] | None = None


class Suggestion(SpecModel):
    label: str
    uuid: UUID | None = None
    isRecommended: bool | None = None
    actions: list[Action] | None = None


class Link(SpecModel):
    label: str
    url: HttpUrl
    type: Literal["absolute", "smart"]
    appContext: str | None = None


class Card(SpecModel):
    uuid: UUID  # optional in the spec, but required once a service takes feedback
    summary: str = Field(max_length=140)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: list[Coding] | None = None
    links: list[Link] | None = None

    @model_validator(mode="after")
    def _selection_behavior_with_suggestions(self) -> Self:
        if self.suggestions and self.selectionBehavior is None:
            raise ValueError("selectionBehavior is required when a card has suggestions")
        return self


class CdsResponse(SpecModel):
    cards: list[Card]
    systemActions: list[Action] | None = None


class ServiceDefinition(SpecModel):
    hook: str
    title: str | None = None
    description: str
    id: str
    prefetch: dict[str, str] | None = None
    usageRequirements: str | None = None


class Discovery(SpecModel):
    services: list[ServiceDefinition]


class CdsRequest(SpecModel):
    hook: str
    hookInstance: UUID
    fhirServer: HttpUrl | None = None
    fhirAuthorization: dict[str, Any] | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


class AcceptedSuggestion(SpecModel):
    id: UUID


class OverrideReason(SpecModel):
    reason: Coding | None = None
    userComment: str | None = None


class Feedback(SpecModel):
    card: UUID
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = None
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: datetime


class FeedbackRequest(SpecModel):
    feedback: list[Feedback]


class ErrorBody(BaseModel):
    # Richtsnoer's error body (not in the spec): one entry per field.
    model_config = ConfigDict(extra="forbid")

    class Problem(BaseModel):
        model_config = ConfigDict(extra="forbid")
        field: str
        message: str

    errors: list[Problem] = Field(min_length=1)


# ---------------------------------------------------------------- the client

Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, dict, bytes]]


class CdsError(Exception):
    def __init__(self, status: int, body: ErrorBody, headers: dict) -> None:
        self.status, self.body, self.headers = status, body, headers
        super().__init__(f"{status}: {body.errors}")

    @property
    def messages(self) -> list[str]:
        return [f"{p.field}: {p.message}" if p.field else p.message for p in self.body.errors]


class CdsHooksClient:
    def __init__(
        self,
        *,
        base_url: str,
        issuer: str,
        private_pem: str,
        transport: Transport,
        algorithm: str = "ES384",
        kid: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.issuer, self.private_pem = issuer, private_pem
        self.transport, self.algorithm, self.kid = transport, algorithm, kid

    def token(self, audience: str, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience,
            "exp": now + 300,
            "iat": now,
            "jti": str(uuid.uuid4()),
        } | overrides
        headers = {"typ": "JWT"} | ({"kid": self.kid} if self.kid else {})
        return jwt.encode(claims, self.private_pem, algorithm=self.algorithm, headers=headers)

    def _call(self, method, url, *, token=None, body=None, expect=200):
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        raw = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            raw = body if isinstance(body, bytes) else json.dumps(body, default=str).encode()
        status, response_headers, content = self.transport(method, url, headers, raw)
        data = json.loads(content) if content else None
        if status != expect:
            raise CdsError(status, ErrorBody.model_validate(data), response_headers)
        return data

    def discovery_url(self) -> str:
        return f"{self.base_url}/cds-services"

    def service_url(self, service_id: str) -> str:
        return f"{self.discovery_url()}/{service_id}"

    def discover(self, **token_claims) -> Discovery:
        url = self.discovery_url()
        return Discovery.model_validate(
            self._call("GET", url, token=self.token(url, **token_claims))
        )

    def call(self, service: ServiceDefinition | str, context: Any, **token_claims):
        service_id = service if isinstance(service, str) else service.id
        hook = "nl.richtsnoer.jeugdhulp-intake" if isinstance(service, str) else service.hook
        request = CdsRequest(hook=hook, hookInstance=uuid.uuid4(), context={})
        body = request.model_dump(mode="json", exclude_none=True) | {"context": context}
        url = self.service_url(service_id)
        return CdsResponse.model_validate(
            self._call("POST", url, token=self.token(url, **token_claims), body=body)
        )

    def post_raw(self, url: str, body, *, token: str | None):
        return self._call("POST", url, token=token, body=body)

    def feedback(self, service_id: str, entries: list[Feedback], **token_claims) -> dict:
        request = FeedbackRequest(feedback=entries)
        url = f"{self.service_url(service_id)}/feedback"
        return self._call(
            "POST",
            url,
            token=self.token(self.service_url(service_id), **token_claims),
            body=request.model_dump(mode="json", exclude_none=True),
        )


def django_transport(django_client, base_url: str) -> Transport:
    """Send the client's requests through Django's test client."""

    def send(method, url, headers, body):
        path = url.removeprefix(base_url.rstrip("/"))
        response = django_client.generic(
            method,
            path,
            data=body or b"",
            content_type=headers.get("Content-Type", "application/json"),
            headers={k: v for k, v in headers.items() if k != "Content-Type"},
        )
        return response.status_code, dict(response.headers), response.content

    return send


def urllib_transport() -> Transport:
    """Send the client's requests over real HTTP (for a running server)."""
    import urllib.error
    import urllib.request

    def send(method, url, headers, body):
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    return send
