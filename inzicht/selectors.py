"""What the reviewers' decisions and the CDS clients' feedback say about each intervention.

Reads the in-app review (suggestion snapshots and review decisions) and the CDS Hooks
cards and feedback, and counts per content version and intervention: how often it was
suggested, accepted, declined (per coded reason) and added while the engine excluded it
(with the engine's reasons). Only counts leave this module: no dossier, name or comment.

A decision or feedback entry can be given again (a reviewer changes their mind, a client
reports a card twice): only the latest per child and intervention (per card) counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from beoordeling.models import DeclineReason, ReviewDecision
from cdshooks.models import CardKind, CdsCard, CdsClient, CdsFeedback
from dossiers.models import SuggestionSnapshot

SOURCE_ALL, SOURCE_APP, SOURCE_CDS = "alle", "app", "cds"
SERIES = ("suggested", "accepted", "declined", "added")


@dataclass(frozen=True)
class InsightFilter:
    start: date
    end: date
    team_id: int | None = None
    source: str = SOURCE_ALL  # alle, app, cds or cds-<client id>
    intervention: str = ""

    @property
    def wants_app(self) -> bool:
        return self.source in {SOURCE_ALL, SOURCE_APP}

    @property
    def cds_client_id(self) -> int | None:
        prefix = f"{SOURCE_CDS}-"
        return int(self.source.removeprefix(prefix)) if self.source.startswith(prefix) else None

    @property
    def wants_cds(self) -> bool:
        return self.source == SOURCE_ALL or self.source.startswith(SOURCE_CDS)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.max, tzinfo=tz),
        )


@dataclass
class Row:
    content_version: str
    code: str
    suggested: int = 0
    accepted: int = 0
    declined: int = 0
    added: int = 0
    reasons: Counter = field(default_factory=Counter)  # decline reason code -> count
    exclusions: Counter = field(default_factory=Counter)  # engine reason -> count (when added)


@dataclass
class Insight:
    rows: list[Row]
    months: list[tuple[date, dict[str, int]]]  # (first of month, {series: count})

    def totals(self) -> dict[str, int]:
        return {s: sum(getattr(r, s) for r in self.rows) for s in SERIES}


def _month(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


class _Tally:
    def __init__(self, intervention: str) -> None:
        self.intervention = intervention
        self.rows: dict[tuple[str, str], Row] = {}
        self.months: dict[date, Counter] = defaultdict(Counter)

    def add(self, version: str, code: str, series: str, moment: datetime) -> Row | None:
        if self.intervention and code != self.intervention:
            return None
        row = self.rows.get((version, code))
        if row is None:
            row = self.rows[(version, code)] = Row(version, code)
        setattr(row, series, getattr(row, series) + 1)
        self.months[_month(moment)][series] += 1
        return row


def _app(tally: _Tally, f: InsightFilter) -> None:
    start, end = f.bounds()
    snapshots = SuggestionSnapshot.objects.filter(created_at__range=(start, end))
    decisions = ReviewDecision.objects.filter(decided_at__range=(start, end))
    if f.team_id:
        snapshots = snapshots.filter(dossier__team_id=f.team_id)
        decisions = decisions.filter(dossier__team_id=f.team_id)
    for version, result, created in snapshots.values_list(
        "content_version", "result", "created_at"
    ).iterator():
        for child in result.get("children", []):
            for suggestion in child.get("suggestions", []):
                tally.add(version, suggestion["code"], "suggested", created)
    latest = {}
    for d in decisions.order_by("decided_at", "id").values(
        "snapshot_id", "child_index", "intervention_code", "decision", "reason", "decided_at"
    ):
        latest[(d["snapshot_id"], d["child_index"], d["intervention_code"])] = d
    added_in = {
        d["snapshot_id"] for d in latest.values() if d["decision"] == ReviewDecision.Decision.ADD
    }
    versions = dict(
        SuggestionSnapshot.objects.filter(
            pk__in={d["snapshot_id"] for d in latest.values()}
        ).values_list("pk", "content_version")
    )
    # The engine's reasons are read only for the snapshots where something was added.
    results = dict(SuggestionSnapshot.objects.filter(pk__in=added_in).values_list("pk", "result"))
    for d in latest.values():
        version = versions[d["snapshot_id"]]
        code, moment = d["intervention_code"], d["decided_at"]
        if d["decision"] == ReviewDecision.Decision.ACCEPT:
            tally.add(version, code, "accepted", moment)
        elif d["decision"] == ReviewDecision.Decision.DECLINE:
            row = tally.add(version, code, "declined", moment)
            if row is not None and d["reason"]:
                row.reasons[d["reason"]] += 1
        else:
            row = tally.add(version, code, "added", moment)
            if row is not None:
                row.exclusions.update(_exclusion_reasons(results[d["snapshot_id"]], d, code))


def _exclusion_reasons(result: dict, decision: dict, code: str) -> list[str]:
    children = result.get("children", [])
    if decision["child_index"] >= len(children):
        return []
    for excluded in children[decision["child_index"]].get("excluded", []):
        if excluded["code"] == code:
            return excluded["reasons"]
    return []


def _cds(tally: _Tally, f: InsightFilter) -> None:
    start, end = f.bounds()
    cards = CdsCard.objects.filter(kind=CardKind.SUGGESTION, issued_at__range=(start, end))
    feedback = CdsFeedback.objects.filter(outcome_at__range=(start, end))
    if f.cds_client_id:
        cards = cards.filter(client_id=f.cds_client_id)
        feedback = feedback.filter(client_id=f.cds_client_id)
    if f.team_id:
        cards = cards.filter(client__team_id=f.team_id)
        feedback = feedback.filter(client__team_id=f.team_id)
    if f.intervention:
        cards = cards.filter(intervention_code=f.intervention)
        feedback = feedback.filter(intervention_code=f.intervention)
    for version, code, issued in cards.values_list(
        "content_version", "intervention_code", "issued_at"
    ).iterator():
        tally.add(version, code, "suggested", issued)
    latest = {}
    for row in feedback.order_by("outcome_at", "id").values(
        "card_id", "content_version", "intervention_code", "outcome", "reason", "outcome_at"
    ):
        latest[row["card_id"]] = row
    for row in latest.values():
        series = "accepted" if row["outcome"] == "accepted" else "declined"
        tallied = tally.add(
            row["content_version"], row["intervention_code"], series, row["outcome_at"]
        )
        if tallied is not None and series == "declined" and row["reason"]:
            tallied.reasons[row["reason"]] += 1


def insight(f: InsightFilter) -> Insight:
    tally = _Tally(f.intervention)
    if f.wants_app:
        _app(tally, f)
    if f.wants_cds:
        _cds(tally, f)
    rows = sorted(tally.rows.values(), key=lambda r: (-r.suggested, r.code, r.content_version))
    months, current = [], f.start.replace(day=1)
    while current <= f.end:
        months.append((current, {s: tally.months[current][s] for s in SERIES}))
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Insight(rows=rows, months=months)


def source_choices() -> list[tuple[str, str]]:
    clients = CdsClient.objects.order_by("name").values_list("pk", "name")
    return [
        (SOURCE_ALL, "Alle bronnen"),
        (SOURCE_APP, "Beoordeling in Richtsnoer"),
        (SOURCE_CDS, "Alle CDS Hooks-clients"),
        *[(f"{SOURCE_CDS}-{pk}", f"CDS Hooks-client: {name}") for pk, name in clients],
    ]


REASON_LABELS = dict(DeclineReason.choices)
