"""Review by the gedragswetenschapper, the hulpverleningsplan and its evaluation.

Writes are services: each state change and its access-log row share one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from beoordeling.models import (
    DeclineReason,
    EvaluationMoment,
    EvaluationRecord,
    Hulpverleningsplan,
    ReviewDecision,
)
from dossiers.models import Dossier, Status, SuggestionSnapshot
from toegang.audit import audit_log
from toegang.models import AccessLog

PLACED = {"uit_huis_geplaatst", "terugplaatsing"}
DUE_SOON_DAYS = 14


class ReviewInvalid(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field  # the form field the message belongs next to, if any
        super().__init__(message)


# ---------------------------------------------------------------- reads


def review_queue(*, team_ids) -> QuerySet[Dossier]:
    """Dossiers waiting for review in these teams, the longest waiting first."""
    return (
        Dossier.objects.filter(team_id__in=team_ids, status=Status.TER_BEOORDELING)
        .select_related("team", "submitted_by")
        .order_by("submitted_at", "id")
    )


def latest_decisions(snapshot: SuggestionSnapshot) -> dict[tuple[int, str], ReviewDecision]:
    """The decision that counts for each (child, intervention): the latest one."""
    current: dict[tuple[int, str], ReviewDecision] = {}
    for decision in snapshot.decisions.select_related("decided_by").order_by("decided_at", "id"):
        current[(decision.child_index, decision.intervention_code)] = decision
    return current


def decision_history(snapshot: SuggestionSnapshot) -> dict[tuple[int, str], list[ReviewDecision]]:
    history: dict[tuple[int, str], list[ReviewDecision]] = {}
    for decision in snapshot.decisions.select_related("decided_by").order_by("decided_at", "id"):
        history.setdefault((decision.child_index, decision.intervention_code), []).append(decision)
    return history


def chosen_interventions(snapshot: SuggestionSnapshot) -> list[dict]:
    """What the plan will say: per child, the accepted and added interventions."""
    children = snapshot.result["children"]
    chosen = []
    for (child_index, _code), decision in sorted(latest_decisions(snapshot).items()):
        if decision.decision in {ReviewDecision.Decision.ACCEPT, ReviewDecision.Decision.ADD}:
            chosen.append(
                {
                    "child": children[child_index]["label"] or f"Kind {child_index + 1}",
                    "code": decision.intervention_code,
                    "name": decision.intervention_name,
                }
            )
    return chosen


def plan_latest(dossier: Dossier) -> Hulpverleningsplan | None:
    return dossier.plans.order_by("-version").prefetch_related("evaluation_moments").first()


def plan_set_latest(dossier: Dossier) -> Hulpverleningsplan | None:
    return (
        dossier.plans.filter(set_at__isnull=False)
        .order_by("-version")
        .prefetch_related("evaluation_moments")
        .first()
    )


@dataclass(frozen=True)
class DueEvaluation:
    moment: EvaluationMoment
    overdue: bool
    days: int


def evaluations_due(*, team_ids, today: date, horizon_days: int = DUE_SOON_DAYS):
    """Evaluation moments of the current set plans without a record: overdue or due soon."""
    current_versions = (
        Hulpverleningsplan.objects.filter(
            dossier__team_id__in=team_ids,
            set_at__isnull=False,
            dossier__status=Status.VASTGESTELD,
        )
        .values("dossier")
        .annotate(latest=Max("version"))
    )
    latest = {row["dossier"]: row["latest"] for row in current_versions}
    moments = (
        EvaluationMoment.objects.filter(
            plan__dossier_id__in=latest.keys(),
            record__isnull=True,
            due_date__lte=today + timedelta(days=horizon_days),
        )
        .select_related("plan__dossier__team")
        .order_by("due_date")
    )
    return [
        DueEvaluation(m, m.due_date < today, abs((m.due_date - today).days))
        for m in moments
        if latest.get(m.plan.dossier_id) == m.plan.version
    ]


# ---------------------------------------------------------------- writes


@transaction.atomic
def review_decide(
    *,
    request: HttpRequest,
    dossier: Dossier,
    snapshot: SuggestionSnapshot,
    child_index: int,
    code: str,
    decision: str,
    reason: str = "",
    comment: str = "",
) -> ReviewDecision:
    children = snapshot.result["children"]
    if not 0 <= child_index < len(children):
        raise ReviewInvalid("Dit kind staat niet in de suggesties.")
    child = children[child_index]
    suggested = {s["code"]: s["name"] for s in child["suggestions"]}
    excluded = {e["code"]: e["name"] for e in child["excluded"]}
    comment = comment.strip()
    if decision in {ReviewDecision.Decision.ACCEPT, ReviewDecision.Decision.DECLINE}:
        if code not in suggested:
            raise ReviewInvalid("Deze interventie is niet voorgesteld voor dit kind.")
        name = suggested[code]
    elif decision == ReviewDecision.Decision.ADD:
        if code not in excluded:
            raise ReviewInvalid("Kies een interventie die niet al is voorgesteld.", "code")
        name = excluded[code]
        if not comment:
            raise ReviewInvalid("Schrijf op waarom u deze interventie toch kiest.", "comment")
    else:
        raise ReviewInvalid("Kies overnemen, niet overnemen of toevoegen.")
    if decision == ReviewDecision.Decision.DECLINE:
        if reason not in DeclineReason.values:
            raise ReviewInvalid("Kies een reden waarom u deze suggestie niet overneemt.", "reason")
    else:
        reason = ""
    record = ReviewDecision.objects.create(
        dossier=dossier,
        snapshot=snapshot,
        child_index=child_index,
        intervention_code=code,
        intervention_name=name,
        decision=decision,
        reason=reason,
        comment=comment,
        decided_by=request.user,
    )
    audit_log(request=request, action=AccessLog.Action.REVIEW, dossier=dossier)
    return record


@dataclass(frozen=True)
class PlanData:
    problem_picture: str
    goals_short_term: str
    goals_long_term: str
    end_date_prognosis: date | None
    omgangsregeling: str
    moments: list[tuple[str, str, date]]


@transaction.atomic
def plan_save(*, request: HttpRequest, dossier: Dossier, data: PlanData) -> Hulpverleningsplan:
    """Save the concept plan. If the latest version is set, this starts a new version."""
    Dossier.objects.select_for_update().get(pk=dossier.pk)
    latest = plan_latest(dossier)
    if latest is None or latest.is_set:
        plan = Hulpverleningsplan(
            dossier=dossier,
            version=(latest.version + 1) if latest else 1,
            created_by=request.user,
        )
    else:
        plan = latest
    plan.problem_picture = data.problem_picture
    plan.goals_short_term = data.goals_short_term
    plan.goals_long_term = data.goals_long_term
    plan.end_date_prognosis = data.end_date_prognosis
    plan.omgangsregeling = data.omgangsregeling
    plan.save()
    plan.evaluation_moments.all().delete()
    EvaluationMoment.objects.bulk_create(
        EvaluationMoment(plan=plan, who=who, what=what, due_date=when, position=i)
        for i, (who, what, when) in enumerate(data.moments)
    )
    audit_log(request=request, action=AccessLog.Action.PLAN, dossier=dossier)
    return plan


def plan_problems(dossier: Dossier, plan: Hulpverleningsplan, chosen: list[dict]) -> list[str]:
    """What is still missing before the plan can be set (the parts the guideline names)."""
    problems = []
    if not plan.problem_picture.strip():
        problems.append("Beschrijf het samenhangende beeld van de problemen.")
    if not plan.goals_short_term.strip():
        problems.append("Schrijf de doelen voor de korte termijn op.")
    if not chosen:
        problems.append("Neem minstens één interventie over of voeg er een toe.")
    if not plan.evaluation_moments.exists():
        problems.append("Maak minstens één afspraak over evaluatie (wie, wat, wanneer).")
    if dossier.placement in PLACED:
        if plan.end_date_prognosis is None:
            problems.append("Geef een verwachte einddatum: er is een uithuisplaatsing.")
        if not plan.omgangsregeling.strip():
            problems.append("Beschrijf de omgangsregeling: het kind woont niet thuis.")
    return problems


@transaction.atomic
def plan_set(
    *, request: HttpRequest, dossier: Dossier, snapshot: SuggestionSnapshot
) -> Hulpverleningsplan:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    plan = plan_latest(dossier)
    if plan is None or plan.is_set:
        raise ReviewInvalid("Er is geen conceptplan om vast te stellen.")
    chosen = chosen_interventions(snapshot)
    problems = plan_problems(dossier, plan, chosen)
    if problems:
        raise ReviewInvalid(" ".join(problems))
    now = timezone.now()
    plan.interventions = chosen
    plan.set_by = request.user
    plan.set_at = now
    plan.save()
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.VASTGESTELD, updated_at=now, updated_by=request.user
    )
    audit_log(request=request, action=AccessLog.Action.PLAN, dossier=dossier)
    return plan


@transaction.atomic
def evaluation_record(
    *,
    request: HttpRequest,
    dossier: Dossier,
    moment: EvaluationMoment,
    result: str,
    summary: str,
    next_step: str,
) -> EvaluationRecord:
    record = EvaluationRecord.objects.create(
        moment=moment,
        result=result,
        summary=summary,
        next_step=next_step,
        recorded_by=request.user,
    )
    if next_step == EvaluationRecord.NextStep.CLOSE:
        now = timezone.now()
        Dossier.objects.filter(pk=dossier.pk).update(
            status=Status.AFGESLOTEN, closed_at=now, updated_at=now, updated_by=request.user
        )
    audit_log(request=request, action=AccessLog.Action.EVALUATE, dossier=dossier)
    return record


def print_logged(*, request: HttpRequest, dossier: Dossier) -> None:
    audit_log(request=request, action=AccessLog.Action.PRINT, dossier=dossier)
