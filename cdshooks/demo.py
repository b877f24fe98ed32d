"""The demo case system: a registered client with a key on this machine, and a few months
of fictitious calls and feedback so the insight page has something to show. DEBUG only
(called by ``seed_demo``, which refuses without DEBUG)."""

from __future__ import annotations

import os
import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from beoordeling.models import DeclineReason
from cdshooks.cards import cards_for
from cdshooks.models import CardKind, CdsCard, CdsClient, CdsFeedback, Outcome
from cdshooks.selectors import source_labels
from cdshooks.tokens import demo_key_path, new_private_key_pem, public_key_pem
from dossiers.models import Team
from interventies.engine import evaluate
from interventies.profile import parse_case_profile
from interventies.selectors import current_catalogue

DEMO_CLIENT = "demo-zaaksysteem"
DEMO_ISSUER = "https://zaaksysteem.demo.richtsnoer.invalid"
DEMO_ORIGINS = "http://127.0.0.1:8000\nhttp://localhost:8000"
DEMO_CALLS = 60
DEMO_DAYS = 120

# Fictitious profiles: (placement, crisis, family problems, [(age, problems)]).
PROFILES = [
    ("uithuisplaatsing_overwogen", False, [], [(15, ["ernstige_gedragsproblemen"])]),
    ("uithuisplaatsing_overwogen", False, ["opvoedingsproblemen"], [(6, [])]),
    ("thuis", False, ["opvoedingsproblemen", "beperkt_netwerk"], [(4, []), (9, [])]),
    ("uithuisplaatsing_overwogen", False, [], [(16, ["middelengebruik", "delinquentie"])]),
    ("thuis", True, ["huiselijk_geweld"], [(7, [])]),
    ("uit_huis_geplaatst", False, ["ouder_kind_relatie"], [(12, ["emotionele_problemen"])]),
]


def demo_client() -> CdsClient:
    path = demo_key_path()
    if not path.exists():
        path.write_text(new_private_key_pem(), encoding="utf-8")
        os.chmod(path, 0o600)
    public = public_key_pem(path.read_text(encoding="utf-8"))
    client, _ = CdsClient.objects.update_or_create(
        name=DEMO_CLIENT,
        defaults={
            "issuer": DEMO_ISSUER,
            "public_key": public,
            "jwks_url": "",
            "allowed_origins": DEMO_ORIGINS,
            "team": Team.objects.filter(slug="noord").first(),
        },
    )
    return client


@transaction.atomic
def cds_demo_seed() -> CdsClient:
    client = demo_client()
    if CdsCard.objects.filter(client=client).exists():
        return client
    catalogue = current_catalogue()
    if not catalogue.items:
        return client
    rng = random.Random(17)  # noqa: S311 - demo data
    sources = source_labels(catalogue)
    reasons = list(DeclineReason)
    now = timezone.now()
    cards, feedback = [], []
    for _call in range(DEMO_CALLS):
        placement, crisis, family, children = rng.choice(PROFILES)
        profile = parse_case_profile(
            {
                "placement": placement,
                "crisis": crisis,
                "family_problems": family,
                "children": [{"age": age, "problems": p} for age, p in children],
            },
            catalogue,
        )
        result = evaluate(profile, catalogue)
        _cards, issued = cards_for(result, base_url="", sources=sources)
        at = now - timedelta(days=rng.randrange(DEMO_DAYS), minutes=rng.randrange(600))
        hook_instance = uuid.uuid4()
        for card in issued:
            row = CdsCard(
                uuid=card.uuid,
                suggestion_uuid=card.suggestion_uuid,
                client=client,
                hook_instance=hook_instance,
                content_version=result.content_version,
                kind=card.kind,
                intervention_code=card.intervention_code,
                child_index=card.child_index,
                issued_at=at,
            )
            cards.append(row)
            if card.kind != CardKind.SUGGESTION or rng.random() < 0.3:
                continue  # no feedback: the user let the card be
            accepted = rng.random() < 0.6
            feedback.append(
                CdsFeedback(
                    card=row,
                    client=client,
                    content_version=row.content_version,
                    intervention_code=row.intervention_code,
                    outcome=Outcome.ACCEPTED if accepted else Outcome.OVERRIDDEN,
                    reason="" if accepted else rng.choice(reasons).value,
                    outcome_at=at + timedelta(minutes=rng.randrange(1, 90)),
                )
            )
    CdsCard.objects.bulk_create(cards)
    CdsFeedback.objects.bulk_create(feedback)
    return client
