"""Review by the gedragswetenschapper, the hulpverleningsplan and its evaluation.

Writes are services: each state change and its access-log row share one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from beoordeling.models import (
    DeclineReason,
    EvaluationMoment,
    EvaluationRecord,
    Hulpverleningsplan,
    ReviewCompletion,
    ReviewDecision,
)
from common.digest import json_digest
from dossiers.models import Dossier, Status, SuggestionSnapshot
from dossiers.selectors import dossier_locked
from interventies.models import Interventie
from interventies.profile import today
from toegang.audit import audit_log
from toegang.models import AccessLog

PLACED = {"uit_huis_geplaatst", "terugplaatsing"}
DUE_SOON_DAYS = 14


class PlanConflict(Exception):
    """Someone else saved or set the concept plan after this person opened it."""

    def __init__(self, plan: Hulpverleningsplan | None) -> None:
        self.plan = plan
        super().__init__("plan conflict")


class ReviewInvalid(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field  # the form field the message belongs next to, if any
        super().__init__(message)


class ReviewIncomplete(ReviewInvalid):
    """ "Afronden" while suggestions still wait for a decision: ``missing`` names them."""

    def __init__(self, missing: list[tuple[int, str]]) -> None:
        self.missing = missing
        super().__init__("De beoordeling is nog niet af: niet elke suggestie heeft een beslissing.")


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
class ChildHelp:
    child: str
    help: list[tuple[str, str]]  # (name, what it is in plain Dutch)


def help_per_child(plan: Hulpverleningsplan) -> list[ChildHelp]:
    """The set plan's help, per child in plan order, with each item's B1 description."""
    codes = {item["code"] for item in plan.interventions}
    described = dict(
        Interventie.objects.filter(code__in=codes).values_list("code", "description_b1")
    )
    grouped: dict[str, list[tuple[str, str]]] = {}
    for item in plan.interventions:
        grouped.setdefault(item["child"], []).append(
            (item["name"], described.get(item["code"], ""))
        )
    return [ChildHelp(child, help) for child, help in grouped.items()]


@dataclass(frozen=True)
class DueEvaluation:
    moment: EvaluationMoment
    overdue: bool
    days: int


def evaluation_moments_due(
    *, team_ids, today: date, horizon_days: int = DUE_SOON_DAYS
) -> QuerySet[EvaluationMoment]:
    """Evaluation moments of the current set plans without a record, due by the horizon,
    earliest first: one query (the current plan is "no newer set version exists"), no list
    of dossier ids sent back to the database. Slice or paginate it."""
    newer_set_plan = Hulpverleningsplan.objects.filter(
        dossier_id=OuterRef("plan__dossier_id"),
        set_at__isnull=False,
        version__gt=OuterRef("plan__version"),
    )
    return (
        EvaluationMoment.objects.filter(
            # The moment's own team (a copy of its dossier's), open moments only: the
            # partial (team, due_date, position, id) index serves the page without reading
            # other teams' moments or the evaluated and closed ones of earlier years. The
            # conditions after it decide what is due.
            team_id__in=team_ids,
            is_open=True,
            plan__dossier__status=Status.VASTGESTELD,
            plan__set_at__isnull=False,
            due_date__lte=today + timedelta(days=horizon_days),
        )
        # Anti-joins on indexed keys, not a join over every record or plan.
        .exclude(Exists(EvaluationRecord.objects.filter(moment_id=OuterRef("pk"))))
        .exclude(Exists(newer_set_plan))
        .select_related("plan__dossier__team")
        .order_by("due_date", "position", "id")
    )


def evaluation_moments_open(
    *, team_ids, today: date, horizon_days: int = DUE_SOON_DAYS
) -> QuerySet[EvaluationMoment]:
    """The same moments as ``evaluation_moments_due``, from the open flag alone (which the
    services keep exact): the partial index answers it without reading a plan or dossier,
    so the overview counts its pages with it."""
    return EvaluationMoment.objects.filter(
        team_id__in=team_ids,
        is_open=True,
        due_date__lte=today + timedelta(days=horizon_days),
    )


def due_rows(moments, today: date) -> list[DueEvaluation]:
    return [DueEvaluation(m, m.due_date < today, abs((m.due_date - today).days)) for m in moments]


def evaluations_due(*, team_ids, today: date, horizon_days: int = DUE_SOON_DAYS):
    """Every due evaluation (unbounded: for small sets and tests; pages use the query)."""
    return due_rows(
        evaluation_moments_due(team_ids=team_ids, today=today, horizon_days=horizon_days), today
    )


# ---------------------------------------------------------------- writes


def _locked_with_status(dossier: Dossier, allowed: set[str], message: str) -> Dossier:
    """Lock the dossier row for this transaction and check its status again: the check
    the view made before the transaction may be stale by now."""
    locked = dossier_locked(dossier.pk)
    if locked.status not in allowed:
        raise ReviewInvalid(message)
    return locked


PLAN_CAN_CHANGE = {Status.TER_BEOORDELING, Status.VASTGESTELD}
PLAN_CLOSED = "Dit dossier is afgesloten: het plan verandert niet meer."


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
    _locked_with_status(dossier, {Status.TER_BEOORDELING}, REVIEW_CLOSED)
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


REVIEW_CLOSED = (
    "De beoordeling is afgerond: het plan is vastgesteld. Beslissingen veranderen niet meer."
)


@transaction.atomic
def review_accept_rest(
    *, request: HttpRequest, dossier: Dossier, snapshot: SuggestionSnapshot, child_index: int
) -> int:
    """Accept every suggestion of this child that has no decision yet; decided rows keep
    theirs. A second post finds nothing left and changes nothing. Returns how many."""
    _locked_with_status(dossier, {Status.TER_BEOORDELING}, REVIEW_CLOSED)
    children = snapshot.result["children"]
    if not 0 <= child_index < len(children):
        raise ReviewInvalid("Dit kind staat niet in de suggesties.")
    decided = {code for (i, code) in latest_decisions(snapshot) if i == child_index}
    rest = [s for s in children[child_index]["suggestions"] if s["code"] not in decided]
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            dossier=dossier,
            snapshot=snapshot,
            child_index=child_index,
            intervention_code=s["code"],
            intervention_name=s["name"],
            decision=ReviewDecision.Decision.ACCEPT,
            decided_by=request.user,
        )
        for s in rest
    )
    if rest:
        audit_log(request=request, action=AccessLog.Action.REVIEW, dossier=dossier)
    return len(rest)


def review_undecided(snapshot: SuggestionSnapshot) -> list[tuple[int, str]]:
    """(child, code) of every suggestion without a decision yet, in page order."""
    current = latest_decisions(snapshot)
    return [
        (index, s["code"])
        for index, child in enumerate(snapshot.result["children"])
        for s in child["suggestions"]
        if (index, s["code"]) not in current
    ]


@dataclass(frozen=True)
class ReviewState:
    """The latest "Beoordeling afronden" of a snapshot, and whether it still counts: a
    decision made after it reopens the review."""

    completion: ReviewCompletion
    current: bool

    @property
    def reopened(self) -> bool:
        return not self.current


def review_state(snapshot: SuggestionSnapshot) -> ReviewState | None:
    latest = snapshot.completions.select_related("completed_by").order_by("-completed_at").first()
    if latest is None:
        return None
    return ReviewState(latest, latest.decisions_seen == snapshot.decisions.count())


def _review_closed_message(status: str) -> str:
    if status == Status.AFGESLOTEN:
        return "Dit dossier is afgesloten: de beoordeling verandert niet meer."
    if status == Status.VASTGESTELD:
        return REVIEW_CLOSED
    return "Dit dossier is niet ter beoordeling."


@transaction.atomic
def review_complete(
    *, request: HttpRequest, dossier: Dossier, snapshot: SuggestionSnapshot
) -> ReviewCompletion:
    """ "Beoordeling afronden": record who finished the review, and when, once every
    suggestion has a decision (else ReviewIncomplete). Only while the dossier is ter
    beoordeling, checked again under the row lock. Finishing the same state again (a
    double click, a colleague at the same moment) returns the first record and logs
    nothing new; the unique (snapshot, decisions_seen) holds this even without a lock."""
    locked = dossier_locked(dossier.pk)
    if locked.status != Status.TER_BEOORDELING:
        raise ReviewInvalid(_review_closed_message(locked.status))
    missing = review_undecided(snapshot)
    if missing:
        raise ReviewIncomplete(missing)
    seen = snapshot.decisions.count()
    existing = ReviewCompletion.objects.filter(snapshot=snapshot, decisions_seen=seen).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            completion = ReviewCompletion.objects.create(
                dossier=dossier, snapshot=snapshot, decisions_seen=seen, completed_by=request.user
            )
    except IntegrityError:  # the other click won (SQLite has no row lock to wait on)
        return ReviewCompletion.objects.get(snapshot=snapshot, decisions_seen=seen)
    audit_log(request=request, action=AccessLog.Action.REVIEW_DONE, dossier=dossier)
    return completion


@dataclass(frozen=True)
class PlanData:
    problem_picture: str
    goals_short_term: str
    goals_long_term: str
    end_date_prognosis: date | None
    omgangsregeling: str
    moments: list[tuple[str, str, date]]


def plan_save(
    *, request: HttpRequest, dossier: Dossier, data: PlanData, expected_revision: int
) -> Hulpverleningsplan:
    """Save the concept plan if nobody saved or set it in between (optimistic locking, as
    the intake); else PlanConflict. If the latest version is set, this starts a new one.

    ``expected_revision`` is the concept's revision the form was opened on, 0 when there
    was no concept. A refused save is logged too, in its own transaction.
    """
    try:
        with transaction.atomic():
            return _plan_save(
                request=request, dossier=dossier, data=data, expected_revision=expected_revision
            )
    except PlanConflict:
        audit_log(
            request=request,
            action=AccessLog.Action.PLAN_CONCEPT,
            dossier=dossier,
            outcome=AccessLog.Outcome.CONFLICT,
        )
        raise


def _plan_save(*, request, dossier: Dossier, data: PlanData, expected_revision: int):
    _locked_with_status(dossier, PLAN_CAN_CHANGE, PLAN_CLOSED)
    latest = plan_latest(dossier)
    concept = latest if latest is not None and not latest.is_set else None
    if (concept.revision if concept else 0) != expected_revision:
        raise PlanConflict(latest)
    if concept is None:
        plan = Hulpverleningsplan(
            dossier=dossier,
            version=(latest.version + 1) if latest else 1,
            created_by=request.user,
            revision=1,
        )
    else:
        plan = concept
        plan.revision += 1
    plan.problem_picture = data.problem_picture
    plan.goals_short_term = data.goals_short_term
    plan.goals_long_term = data.goals_long_term
    plan.end_date_prognosis = data.end_date_prognosis
    plan.omgangsregeling = data.omgangsregeling
    plan.save()
    plan.evaluation_moments.all().delete()
    EvaluationMoment.objects.bulk_create(
        EvaluationMoment.for_plan(plan, who=who, what=what, due_date=when, position=i)
        for i, (who, what, when) in enumerate(data.moments)
    )
    audit_log(request=request, action=AccessLog.Action.PLAN_CONCEPT, dossier=dossier)
    return plan


def chosen_digest(chosen: list[dict]) -> str:
    """A short fingerprint of the chosen help: what the confirmation showed."""
    return json_digest(chosen)


def plan_problems(
    dossier: Dossier, plan: Hulpverleningsplan, chosen: list[dict], snapshot: SuggestionSnapshot
) -> list[str]:
    """What is still missing before the plan can be set (the parts the guideline names).

    The first plan also waits for the review: every suggestion needs a decision, so what
    the plan applies is what the review made of the guideline's suggestions. (Later
    versions do not: once a plan is set, the decisions no longer change.)"""
    problems = []
    if dossier.status == Status.TER_BEOORDELING:
        undecided = len(review_undecided(snapshot))
        if undecided:
            problems.append(
                f"Beoordeel eerst alle voorgestelde interventies: bij {undecided} "
                f"{'staat' if undecided == 1 else 'staan'} nog geen besluit."
            )
    if not plan.problem_picture.strip():
        problems.append("Beschrijf het samenhangende beeld van de problemen.")
    if not plan.goals_short_term.strip():
        problems.append("Schrijf de doelen voor de korte termijn op.")
    if not chosen:
        problems.append("Neem minstens één interventie over of voeg er een toe.")
    moments = list(plan.evaluation_moments.all())
    if not moments:
        problems.append("Maak minstens één afspraak over evaluatie (wie, wat, wanneer).")
    if any(m.due_date < today() for m in moments):
        problems.append("Een afspraak over evaluatie ligt in het verleden: kies een nieuwe datum.")
    if dossier.placement in PLACED:
        if plan.end_date_prognosis is None:
            problems.append("Geef een verwachte einddatum: er is een uithuisplaatsing.")
        if not plan.omgangsregeling.strip():
            problems.append("Beschrijf de omgangsregeling: het kind woont niet thuis.")
    return problems


@transaction.atomic
def plan_set(
    *,
    request: HttpRequest,
    dossier: Dossier,
    snapshot: SuggestionSnapshot,
    expected_revision: int,
    expected_chosen: str,
) -> Hulpverleningsplan:
    """Set exactly the concept the confirmation showed: same revision, same chosen help."""
    dossier = _locked_with_status(dossier, PLAN_CAN_CHANGE, PLAN_CLOSED)
    plan = plan_latest(dossier)
    if plan is None or plan.is_set or plan.revision != expected_revision:
        raise PlanConflict(plan)
    chosen = chosen_interventions(snapshot)
    if chosen_digest(chosen) != expected_chosen:
        raise PlanConflict(plan)
    problems = plan_problems(dossier, plan, chosen, snapshot)
    if problems:
        raise ReviewInvalid(" ".join(problems))
    now = timezone.now()
    plan.interventions = chosen
    plan.set_by = request.user
    plan.set_at = now
    plan.save()
    # This plan's agreements are now waiting for their evaluation; the earlier set plan's
    # are no longer due (this plan replaces them). The overview counts on these flags.
    EvaluationMoment.objects.filter(plan=plan, is_open=False).update(is_open=True)
    EvaluationMoment.objects.filter(plan__dossier=dossier, is_open=True).exclude(plan=plan).update(
        is_open=False
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.VASTGESTELD, updated_at=now, updated_by=request.user
    )
    audit_log(request=request, action=AccessLog.Action.PLAN, dossier=dossier)
    return plan


def evaluation_is_as_posted(
    record: EvaluationRecord, *, user, result: str, summary: str, next_step: str
) -> bool:
    """Whether the stored record is this user's post (a double click), not someone else's."""
    return record.recorded_by_id == user.pk and (
        record.result,
        record.summary,
        record.next_step,
    ) == (result, summary, next_step)


def evaluation_record(
    *,
    request: HttpRequest,
    dossier: Dossier,
    moment: EvaluationMoment,
    result: str,
    summary: str,
    next_step: str,
) -> EvaluationRecord:
    """Record the evaluation of a moment of the plan in force. Saving the same moment twice
    (a double click, two people at once) keeps the first record and is no error; when the
    first record is someone else's (or says something else), the refused attempt is
    logged as a conflict and the caller tells the user (evaluation_is_as_posted)."""
    with transaction.atomic():
        locked = _locked_with_status(
            dossier, {Status.VASTGESTELD, Status.AFGESLOTEN}, "Dit plan is nog niet vastgesteld."
        )
        existing = EvaluationRecord.objects.filter(moment=moment).first()
        if existing is not None:
            posted = {"result": result, "summary": summary, "next_step": next_step}
            if not evaluation_is_as_posted(existing, user=request.user, **posted):
                # someone else was first: this attempt is refused, and logged as such
                audit_log(
                    request=request,
                    action=AccessLog.Action.EVALUATE,
                    dossier=dossier,
                    outcome=AccessLog.Outcome.CONFLICT,
                )
            return existing
        if locked.status != Status.VASTGESTELD:
            raise ReviewInvalid(PLAN_CLOSED)
        current = plan_set_latest(locked)
        if current is None or current.pk != moment.plan_id:
            raise ReviewInvalid(
                "Deze afspraak hoort niet bij het plan dat nu geldt. Kies een afspraak uit "
                "het vastgestelde plan."
            )
        try:
            with transaction.atomic():
                record = EvaluationRecord.objects.create(
                    moment=moment,
                    result=result,
                    summary=summary,
                    next_step=next_step,
                    recorded_by=request.user,
                )
        except IntegrityError:  # the other save won (SQLite has no row lock to wait on)
            return EvaluationRecord.objects.get(moment=moment)
        EvaluationMoment.objects.filter(pk=moment.pk).update(is_open=False)
        if next_step == EvaluationRecord.NextStep.CLOSE:
            now = timezone.now()
            Dossier.objects.filter(pk=dossier.pk).update(
                status=Status.AFGESLOTEN, closed_at=now, updated_at=now, updated_by=request.user
            )
            # A closed dossier's agreements are never due again.
            EvaluationMoment.objects.filter(plan__dossier=dossier, is_open=True).update(
                is_open=False
            )
        audit_log(request=request, action=AccessLog.Action.EVALUATE, dossier=dossier)
        return record


def print_logged(*, request: HttpRequest, dossier: Dossier) -> None:
    audit_log(request=request, action=AccessLog.Action.PRINT, dossier=dossier)


def pdf_logged(*, request: HttpRequest, dossier: Dossier) -> None:
    audit_log(request=request, action=AccessLog.Action.PDF, dossier=dossier)


def plan_pdf_bytes(html: str) -> bytes:
    """The printed plan as PDF. Stylesheets are read from disk (no HTTP from the server)."""
    from weasyprint import CSS, HTML  # imported here: Pango loads only when a PDF is made

    sheets = [CSS(filename=finders.find(path)) for path in ("css/fonts.css", "css/print.css")]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=sheets)
