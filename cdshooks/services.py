"""Writes for the CDS Hooks service: the cards a call returned, and feedback on them."""

from __future__ import annotations

import random
import uuid

from django.db import transaction
from django.utils import timezone

from beoordeling.models import DeclineReason
from cdshooks.auth import purge_used_tokens
from cdshooks.cards import IssuedCard
from cdshooks.models import CdsCard, CdsClient, CdsFeedback
from cdshooks.spec import DECLINE_REASON_SYSTEM, FeedbackRequest
from richtlijnen.errors import FieldProblem

PURGE_CHANCE = 0.01  # about one call in a hundred clears expired token ids


def cards_record(
    *, client: CdsClient, hook_instance: uuid.UUID, version: str, issued: list[IssuedCard]
) -> None:
    now = timezone.now()
    CdsCard.objects.bulk_create(
        CdsCard(
            uuid=card.uuid,
            suggestion_uuid=card.suggestion_uuid,
            client=client,
            hook_instance=hook_instance,
            content_version=version,
            kind=card.kind,
            intervention_code=card.intervention_code,
            child_index=card.child_index,
            issued_at=now,
        )
        for card in issued
    )
    if random.random() < PURGE_CHANCE:  # noqa: S311 - housekeeping, not security
        purge_used_tokens()


class FeedbackInvalid(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


REASON_CODES = {reason.value for reason in DeclineReason}
FUTURE_LEEWAY_SECONDS = 300


@transaction.atomic
def feedback_record(*, client: CdsClient, request: FeedbackRequest) -> tuple[int, int]:
    """Store each entry (all or nothing). Returns (stored, already known).

    Only the client's own cards are known to it; an entry repeated (same card, outcome
    and time) is stored once. ``userComment`` is free text and is not stored.
    """
    card_ids = {entry.card for entry in request.feedback}
    cards = {c.uuid: c for c in CdsCard.objects.filter(uuid__in=card_ids, client=client)}
    problems: list[FieldProblem] = []
    rows = []
    latest = timezone.now().timestamp() + FUTURE_LEEWAY_SECONDS
    for i, entry in enumerate(request.feedback):
        where = ("feedback", i)
        card = cards.get(entry.card)
        if card is None:
            problems.append(FieldProblem((*where, "card"), "onbekende kaart voor deze client"))
            continue
        if entry.outcomeTimestamp.timestamp() > latest:
            problems.append(FieldProblem((*where, "outcomeTimestamp"), "ligt in de toekomst"))
        accepted = {s.id for s in entry.acceptedSuggestions}
        if accepted and (entry.outcome != "accepted" or accepted != {card.suggestion_uuid}):
            problems.append(
                FieldProblem(
                    (*where, "acceptedSuggestions"), "hoort niet bij deze kaart of deze uitkomst"
                )
            )
        reason = ""
        if entry.overrideReason is not None and entry.overrideReason.reason is not None:
            coding = entry.overrideReason.reason
            if entry.outcome != "overridden":
                problems.append(
                    FieldProblem((*where, "overrideReason"), "alleen bij outcome 'overridden'")
                )
            elif coding.system not in {None, DECLINE_REASON_SYSTEM} or (
                coding.code not in REASON_CODES
            ):
                problems.append(
                    FieldProblem(
                        (*where, "overrideReason", "reason"),
                        "onbekende reden; kies een van de overrideReasons van de kaart",
                    )
                )
            else:
                reason = coding.code
        rows.append(
            CdsFeedback(
                card=card,
                client=client,
                content_version=card.content_version,
                intervention_code=card.intervention_code,
                outcome=entry.outcome,
                reason=reason,
                outcome_at=entry.outcomeTimestamp,
            )
        )
    if problems:
        raise FeedbackInvalid(problems)
    before = CdsFeedback.objects.filter(card__in=cards.values()).count()
    CdsFeedback.objects.bulk_create(rows, ignore_conflicts=True)
    stored = CdsFeedback.objects.filter(card__in=cards.values()).count() - before
    return stored, len(rows) - stored
