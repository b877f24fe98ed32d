"""The insight page: counts per intervention and content version, from review and CDS."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import ReviewDecision
from cdshooks.models import CdsCard, CdsClient, CdsFeedback
from cdshooks.tokens import new_private_key_pem, public_key_pem
from inzicht.charts import bar_chart
from inzicht.selectors import InsightFilter, insight
from inzicht.templatetags.inzicht import masked
from tests.factories import TeamFactory, UserFactory
from tests.helpers import submitted_dossier

pytestmark = pytest.mark.django_db


def test_small_counts_are_masked():
    assert [masked(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


@pytest.fixture
def world():
    noord, zuid = TeamFactory(name="Noord", slug="noord"), TeamFactory(name="Zuid", slug="zuid")
    prof = UserFactory(professional=True, teams=[noord, zuid])
    gw = UserFactory(gedragswetenschapper=True, teams=[noord, zuid])
    return {"noord": noord, "zuid": zuid, "prof": prof, "gw": gw}


def decide(dossier, snapshot, gw, code, decision, reason=""):
    return ReviewDecision.objects.create(
        dossier=dossier,
        snapshot=snapshot,
        child_index=0,
        intervention_code=code,
        intervention_name=code,
        decision=decision,
        reason=reason,
        decided_by=gw,
    )


def period():
    today = timezone.localdate()
    return {"start": today - timedelta(days=30), "end": today}


def test_review_decisions_are_counted_latest_first_with_exclusion_reasons(world):
    dossier, snapshot = submitted_dossier(team=world["noord"], submitter=world["prof"])
    suggested = [s["code"] for s in snapshot.result["children"][0]["suggestions"]]
    excluded = snapshot.result["children"][0]["excluded"][0]
    decide(dossier, snapshot, world["gw"], suggested[0], "decline", "voorkeur_gezin")
    decide(dossier, snapshot, world["gw"], suggested[0], "accept")  # changed mind: counts
    decide(dossier, snapshot, world["gw"], suggested[1], "decline", "niet_beschikbaar")
    decide(dossier, snapshot, world["gw"], excluded["code"], "add")
    rows = {r.code: r for r in insight(InsightFilter(**period())).rows}
    first, second, added = rows[suggested[0]], rows[suggested[1]], rows[excluded["code"]]
    assert (first.suggested, first.accepted, first.declined) == (1, 1, 0)
    assert (second.declined, dict(second.reasons)) == (1, {"niet_beschikbaar": 1})
    assert added.added == 1 and added.suggested == 0
    assert dict(added.exclusions) == dict.fromkeys(excluded["reasons"], 1)
    assert first.content_version == snapshot.content_version
    # Other team, other source, other period: nothing.
    assert insight(InsightFilter(**period(), team_id=world["zuid"].pk)).rows == []
    assert insight(InsightFilter(**period(), source="cds")).rows == []
    old = timezone.localdate() - timedelta(days=400)
    assert insight(InsightFilter(start=old, end=old + timedelta(days=10))).rows == []


def test_cds_feedback_is_counted_per_client_and_team(world):
    client = CdsClient.objects.create(
        name="zaak",
        issuer="https://zaak",
        public_key=public_key_pem(new_private_key_pem()),
        team=world["zuid"],
    )
    now = timezone.now()
    cards = [
        CdsCard.objects.create(
            suggestion_uuid=uuid.uuid4(),
            client=client,
            hook_instance=uuid.uuid4(),
            content_version="v1",
            kind="suggestion",
            intervention_code="MST",
            child_index=0,
            issued_at=now,
        )
        for _ in range(6)
    ]
    for card in cards[:5]:
        CdsFeedback.objects.create(
            card=card,
            client=client,
            content_version="v1",
            intervention_code="MST",
            outcome="accepted",
            outcome_at=now,
        )
    CdsFeedback.objects.create(  # the same card, later overridden: only this counts
        card=cards[0],
        client=client,
        content_version="v1",
        intervention_code="MST",
        outcome="overridden",
        reason="context_past_niet",
        outcome_at=now + timedelta(minutes=1),
    )
    [row] = insight(InsightFilter(**period(), source=f"cds-{client.pk}")).rows
    assert (row.suggested, row.accepted, row.declined) == (6, 4, 1)
    assert dict(row.reasons) == {"context_past_niet": 1}
    assert insight(InsightFilter(**period(), source="app")).rows == []
    assert insight(InsightFilter(**period(), team_id=world["noord"].pk)).rows == []
    result = insight(InsightFilter(**period(), team_id=world["zuid"].pk))
    assert result.totals() == {"suggested": 6, "accepted": 4, "declined": 1, "added": 0}


def test_chart_draws_small_counts_open_and_labelled():
    today = timezone.localdate().replace(day=1)
    chart = bar_chart([(today, {"suggested": 12, "accepted": 3, "declined": 0, "added": 0})])
    suggested, accepted, declined, _added = chart.bars
    assert not suggested.small and "12 voorgesteld" in suggested.title
    assert accepted.small and "< 5 overgenomen" in accepted.title
    assert declined.height == 0
    assert accepted.height == pytest.approx(suggested.height * 5 / 12, abs=0.2)


def test_page_for_content_admins_with_filters_and_errors(client, world):
    dossier, snapshot = submitted_dossier(team=world["noord"], submitter=world["prof"])
    code = snapshot.result["children"][0]["suggestions"][0]["code"]
    decide(dossier, snapshot, world["gw"], code, "decline", "voorkeur_gezin")
    client.force_login(UserFactory(content_admin=True))
    page = client.get(reverse("inzicht:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg class="rs-chart"' in html and 'role="img"' in html
    assert "Het gezin wil het niet: &lt; 5" in html
    assert dossier.family_name not in html and "Daan" not in html
    filtered = client.get(reverse("inzicht:overview"), {"bron": "cds", "interventie": code})
    assert "Geen voorstellen" in filtered.content.decode()
    today = timezone.localdate()
    bad = client.get(
        reverse("inzicht:overview"),
        {"van": today.isoformat(), "tot": (today - timedelta(days=1)).isoformat()},
    )
    assert bad.status_code == 400
    assert "Deze datum ligt voor de begindatum." in bad.content.decode()
    too_long = client.get(
        reverse("inzicht:overview"),
        {"van": (today - timedelta(days=2000)).isoformat(), "tot": today.isoformat()},
    )
    assert too_long.status_code == 400 and "hooguit 36 maanden" in too_long.content.decode()
    assert client.get(reverse("inzicht:overview"), {"bron": "onzin"}).status_code == 400
