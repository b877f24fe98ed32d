"""The CDS Hooks 2.0 shapes this service reads (request and feedback), as pydantic models.

The hook's ``context`` is the case profile of ``shared/contract``; it is validated
separately by :func:`interventies.profile.parse_case_profile`, so that its messages are
exactly those of ``manage.py suggest``.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

HOOK = "nl.richtsnoer.jeugdhulp-intake"
SERVICE_ID = "richtsnoer-jeugdhulp"
EXTENSION_CONTENT_VERSION = "nl.richtsnoer.content-version"
EXTENSION_INTERVENTION = "nl.richtsnoer.intervention"
EXTENSION_CHILD = "nl.richtsnoer.child-index"
DECLINE_REASON_SYSTEM = "urn:richtsnoer:cds:afwijsreden"


class _Open(BaseModel):
    # The spec lets clients add fields (extensions); unknown ones are ignored.
    model_config = ConfigDict(extra="ignore")


class HookRequest(_Open):
    hook: str
    hookInstance: UUID
    context: dict[str, Any]
    fhirServer: str | None = None
    fhirAuthorization: dict[str, Any] | None = None
    prefetch: dict[str, Any] | None = None


class Coding(_Open):
    code: str = Field(min_length=1, max_length=100)
    system: str | None = Field(default=None, max_length=300)
    display: str | None = Field(default=None, max_length=300)


class OverrideReason(_Open):
    reason: Coding | None = None
    userComment: str | None = Field(default=None, max_length=5000)


class AcceptedSuggestion(_Open):
    id: UUID


class FeedbackEntry(_Open):
    card: UUID
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] = Field(default_factory=list, max_length=20)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: AwareDatetime


class FeedbackRequest(_Open):
    feedback: list[FeedbackEntry] = Field(min_length=1, max_length=100)
