"""Views for review, the hulpverleningsplan, printing and evaluation. Thin, like views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beoordeling.forms import DecisionForm, EvaluationForm, MomentFormSet, PlanForm
from beoordeling.models import DeclineReason, EvaluationMoment, ReviewDecision
from beoordeling.services import (
    PLACED,
    PlanConflict,
    PlanData,
    ReviewIncomplete,
    ReviewInvalid,
    chosen_digest,
    chosen_interventions,
    decision_history,
    due_rows,
    evaluation_is_as_posted,
    evaluation_moments_due,
    evaluation_moments_open,
    evaluation_record,
    help_per_child,
    latest_decisions,
    pdf_logged,
    plan_latest,
    plan_pdf_bytes,
    plan_problems,
    plan_save,
    plan_set,
    print_logged,
    review_complete,
    review_decide,
    review_queue,
    review_state,
)
from beoordeling.services import review_accept_rest as review_accept_rest_service
from common.dates import format_date
from common.limits import management_count
from dossiers.pagination import BoundedPaginator
from dossiers.rules import can, team_ids, wrote_intake
from dossiers.selectors import dossier_get
from dossiers.views import HtmxHttpRequest, _require
from toegang.audit import audit_log, audit_log_shown
from toegang.models import AccessLog

PAGE_SIZE = 25
EVALUATIONS_CAP = 250  # more than this many late evaluations: the page says "meer dan"


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "beoordeling.review_queue")
    page = BoundedPaginator(review_queue(team_ids=team_ids(request.user)), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    now = timezone.now()
    shown = list(page)
    rows = [(d, (now - d.submitted_at).days if d.submitted_at else 0) for d in shown]
    audit_log_shown(request=request, action=AccessLog.Action.QUEUE, dossiers=shown)
    return render(request, "beoordeling/queue.html", {"rows": rows, "page": page})


def _snapshot_or_404(dossier):
    snapshot = dossier.snapshots.first()
    if snapshot is None:
        raise Http404("Geen ingediende suggesties")
    return snapshot


def _row_id(child_index: int, code: str) -> str:
    return f"rij-{child_index}-{code}"


def _review_context(
    dossier, snapshot, user, adding: dict | None = None, problems: dict | None = None
) -> dict:
    """``adding``: a failed "add" post, shown again in that child's add form.
    ``problems``: per (child, code), a message shown next to that row (and what was typed)."""
    current = latest_decisions(snapshot)
    history = decision_history(snapshot)
    problems = problems or {}
    children = []
    for index, child in enumerate(snapshot.result["children"]):
        suggestions = [
            {
                **s,
                "row_id": _row_id(index, s["code"]),
                "current": current.get((index, s["code"])),
                "history": history.get((index, s["code"]), []),
                "problem": problems.get((index, s["code"])),
            }
            for s in child["suggestions"]
        ]
        decided = sum(1 for s in suggestions if s["current"] is not None)
        children.append(
            {
                "index": index,
                "label": child["label"] or f"Kind {index + 1}",
                "age": child["age"],
                "suggestions": suggestions,
                "decided": decided,
                "undecided": len(suggestions) - decided,
                "excluded": [
                    {
                        **e,
                        "current": current.get((index, e["code"])),
                        "history": history.get((index, e["code"]), []),
                    }
                    for e in child["excluded"]
                ],
                "adding": adding if adding and adding["child_index"] == index else None,
            }
        )
    return {
        "dossier": dossier,
        "snapshot": snapshot,
        "children": children,
        "reasons": DeclineReason.choices,
        "chosen": chosen_interventions(snapshot),
        "can_review": can(user, "beoordeling.review", dossier),
        "four_eyes": wrote_intake(user, dossier),
        "review_state": review_state(snapshot),
    }


def _row_response(request, dossier, snapshot, child_index: int, code: str, problem=None):
    """The htmx answer to a decision: the row again, with the child's progress and the
    chosen help swapped out of band."""
    problems = {(child_index, code): problem} if problem else None
    context = _review_context(dossier, snapshot, request.user, problems=problems)
    child = context["children"][child_index]
    row = next(s for s in child["suggestions"] if s["code"] == code)
    response = render(
        request, "beoordeling/review.html#row", {**context, "child": child, "s": row, "oob": True}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def review(request: HtmxHttpRequest, pk) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view", dossier)
    snapshot = _snapshot_or_404(dossier)
    error, adding, problems = None, None, None
    if request.method == "POST":
        _require(request, "beoordeling.review", dossier)
        form = DecisionForm(request.POST)
        problem = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                review_decide_from(request, dossier, snapshot, data)
            except ReviewInvalid as invalid:
                problem = invalid
            else:
                if data["decision"] == "add":
                    messages.success(request, "De beslissing is vastgelegd.")
                    return redirect(reverse("beoordeling:review", args=[dossier.pk]) + "#gekozen")
                if request.htmx:
                    key = (data["child_index"], data["code"])
                    return _row_response(request, dossier, snapshot, *key)
                messages.success(request, "De beslissing is vastgelegd.")
                row = _row_id(data["child_index"], data["code"])
                return redirect(reverse("beoordeling:review", args=[dossier.pk]) + f"#{row}")
        elif form["decision"].value() == "add" and "code" in form.errors:
            problem = ReviewInvalid("Kies welke interventie u wilt toevoegen.", "code")
        else:
            problem = ReviewInvalid("Kies overnemen of niet overnemen.")
        error = problem.message
        decision = form["decision"].value()
        if decision == "add":
            # Shown again in the add form, with the message next to its field.
            adding = {
                "child_index": form.cleaned_data.get("child_index"),
                "code": form["code"].value() or "",
                "comment": form["comment"].value() or "",
                "field": problem.field or "code",
                "message": problem.message,
            }
        elif "child_index" in form.cleaned_data and "code" in form.cleaned_data:
            key = (form.cleaned_data["child_index"], form.cleaned_data["code"])
            known = {(c, code) for c, code in _suggested_keys(snapshot)}
            if key in known:
                # Next to its row, with what was typed kept.
                problems = {
                    key: {
                        "message": problem.message,
                        "field": problem.field,
                        "reason": form["reason"].value() or "",
                        "comment": form["comment"].value() or "",
                    }
                }
                audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
                if request.htmx:
                    return _row_response(request, dossier, snapshot, *key, problem=problems[key])
                error = None
    else:
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    context = _review_context(dossier, snapshot, request.user, adding, problems)
    context["error"] = error
    status = 400 if error or problems else 200
    return render(request, "beoordeling/review.html", context, status=status)


def _suggested_keys(snapshot):
    for index, child in enumerate(snapshot.result["children"]):
        for s in child["suggestions"]:
            yield index, s["code"]


def review_decide_from(request, dossier, snapshot, data) -> ReviewDecision:
    return review_decide(
        request=request,
        dossier=dossier,
        snapshot=snapshot,
        child_index=data["child_index"],
        code=data["code"],
        decision=data["decision"],
        reason=data.get("reason", ""),
        comment=data.get("comment", ""),
    )


@require_http_methods(["GET", "POST"])
def review_accept_rest(request: HttpRequest, pk, child: int) -> HttpResponse:
    """ "Alle overige overnemen" for one child: GET shows what will be accepted (the
    confirmation), POST accepts only what is still undecided."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "beoordeling.review", dossier)
    snapshot = _snapshot_or_404(dossier)
    if not 0 <= child < len(snapshot.result["children"]):
        raise Http404("Geen kind met dit nummer")
    review_url = reverse("beoordeling:review", args=[dossier.pk])
    if request.method == "POST":
        try:
            count = review_accept_rest_service(
                request=request, dossier=dossier, snapshot=snapshot, child_index=child
            )
        except ReviewInvalid as invalid:
            messages.error(request, invalid.message)
            return redirect(review_url)
        if count:
            messages.success(request, f"{count} suggesties overgenomen.")
        else:
            messages.info(request, "Er was niets meer over om over te nemen.")
        return redirect(f"{review_url}#kind-{child}")
    context = _review_context(dossier, snapshot, request.user)
    shown = context["children"][child]
    audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    return render(
        request,
        "beoordeling/review_accept_rest.html",
        {
            "dossier": dossier,
            "child": shown,
            "rest": [s for s in shown["suggestions"] if s["current"] is None],
            "review_url": review_url,
        },
    )


@require_POST
def review_finish(request: HttpRequest, pk) -> HttpResponse:
    """ "Beoordeling afronden": every suggestion needs a decision; then it is recorded (who,
    when) and the user goes on to the plan."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "beoordeling.review", dossier)
    snapshot = _snapshot_or_404(dossier)
    try:
        review_complete(request=request, dossier=dossier, snapshot=snapshot)
    except ReviewIncomplete as incomplete:
        problems = {
            key: {"message": "Kies overnemen of niet overnemen."} for key in incomplete.missing
        }
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
        context = _review_context(dossier, snapshot, request.user, problems=problems)
        context["missing"] = [
            s for child in context["children"] for s in child["suggestions"] if s["problem"]
        ]
        return render(request, "beoordeling/review.html", context, status=400)
    except ReviewInvalid as closed:  # the plan was set or the dossier closed meanwhile
        messages.error(request, closed.message)
        return redirect("beoordeling:plan", pk=dossier.pk)
    messages.success(request, "De beoordeling is afgerond. Stel nu het hulpverleningsplan op.")
    return redirect("beoordeling:plan", pk=dossier.pk)


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view", dossier)
    snapshot = _snapshot_or_404(dossier)
    latest = plan_latest(dossier)
    can_edit = can(request.user, "beoordeling.set_plan", dossier)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        return _plan_post(request, dossier, snapshot, latest)
    audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    form, moments = _plan_forms(latest)
    return _plan_page(request, dossier, snapshot, latest, form, moments, can_edit)


def _revision(latest) -> int:
    """The concept's revision the form is opened on; 0 when there is no concept."""
    return latest.revision if latest is not None and not latest.is_set else 0


def _plan_forms(latest, data=None):
    if data is not None:
        # Bound forms get no initial: an unchanged extra row would otherwise count as empty.
        return PlanForm(data), MomentFormSet(data, prefix="evaluatie")
    initial = {"revision": _revision(latest)}
    moments_initial = []
    if latest is not None:
        initial |= {
            "problem_picture": latest.problem_picture,
            "goals_short_term": latest.goals_short_term,
            "goals_long_term": latest.goals_long_term,
            "end_date_prognosis": latest.end_date_prognosis,
            "omgangsregeling": latest.omgangsregeling,
        }
        moments_initial = [
            {"who": m.who, "what": m.what, "due_date": m.due_date}
            for m in latest.evaluation_moments.all()
        ]
    form = PlanForm(initial=initial)
    moments = MomentFormSet(prefix="evaluatie", initial=moments_initial or [{}])
    return form, moments


def _plan_page(request, dossier, snapshot, latest, form, moments, can_edit, status=200, **extra):
    chosen = chosen_interventions(snapshot)
    return render(
        request,
        "beoordeling/plan.html",
        {
            "dossier": dossier,
            "plan": latest,
            "versions": dossier.plans.select_related("set_by").order_by("-version"),
            "form": form,
            "moments": moments,
            "chosen": chosen,
            "can_edit": can_edit,
            "placed": dossier.placement in PLACED,
            "missing": plan_problems(dossier, latest, chosen, snapshot)
            if latest and not latest.is_set
            else [],
            "show_errors": request.method == "POST",
            "review_state": review_state(snapshot),
            **extra,
        },
        status=status,
    )


def _plan_post(request, dossier, snapshot, latest) -> HttpResponse:
    action = request.POST.get("action", "save")
    if action == "add_moment":
        data = request.POST.copy()
        total = management_count(data, "evaluatie-TOTAL_FORMS", most=MomentFormSet.absolute_max)
        data["evaluatie-TOTAL_FORMS"] = str((total or 0) + 1)
        form, moments = _plan_forms(latest, data)
        return _plan_page(request, dossier, snapshot, latest, form, moments, True)
    if action == "set":
        return _plan_set(request, dossier, snapshot)
    form, moments = _plan_forms(latest, request.POST)
    if not (form.is_valid() and moments.is_valid()):
        audit_log(
            request=request,
            action=AccessLog.Action.PLAN_CONCEPT,
            dossier=dossier,
            outcome=AccessLog.Outcome.INVALID,
        )
        return _plan_page(request, dossier, snapshot, latest, form, moments, True, status=400)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
    data = PlanData(
        **fields,
        moments=[
            (m["who"], m["what"], m["due_date"])
            for m in moments.cleaned_data
            if m and not m.get("DELETE")
        ],
    )
    try:
        saved = plan_save(
            request=request,
            dossier=dossier,
            data=data,
            expected_revision=form.cleaned_data["revision"],
        )
    except PlanConflict as conflict:
        return _plan_conflict(request, dossier, snapshot, conflict.plan)
    except ReviewInvalid as invalid:
        messages.error(request, invalid.message)
        return redirect("beoordeling:plan", pk=dossier.pk)
    if action == "confirm":
        return _plan_confirm(request, dossier, snapshot, saved)
    messages.success(request, f"Concept van versie {saved.version} is opgeslagen.")
    return redirect("beoordeling:plan", pk=dossier.pk)


def _plan_conflict(request, dossier, snapshot, current) -> HttpResponse:
    """Someone else saved or set the concept: keep this user's input, say who, and let a
    second save deliberately replace the other concept."""
    data = request.POST.copy()
    data["revision"] = str(_revision(current))
    data["action"] = "save"
    form, moments = _plan_forms(current, data)
    form.is_valid(), moments.is_valid()
    return _plan_page(
        request, dossier, snapshot, current, form, moments, True, status=409, conflict=current
    )


def _plan_confirm(request, dossier, snapshot, plan_obj) -> HttpResponse:
    """What "Vaststellen" will set, exactly; the concept was saved as it was on screen."""
    chosen = chosen_interventions(snapshot)
    plan_obj.interventions = chosen  # shown as it will be set; not saved
    return render(
        request,
        "beoordeling/plan_confirm.html",
        {
            "dossier": dossier,
            "plan": plan_obj,
            "missing": plan_problems(dossier, plan_obj, chosen, snapshot),
            "chosen_digest": chosen_digest(chosen),
        },
    )


def _plan_set(request, dossier, snapshot) -> HttpResponse:
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        plan_set(
            request=request,
            dossier=dossier,
            snapshot=snapshot,
            expected_revision=revision,
            expected_chosen=request.POST.get("chosen", ""),
        )
    except PlanConflict:
        messages.error(
            request,
            "Het plan is niet vastgesteld: het concept of de gekozen hulp is veranderd sinds "
            "u het controleerde. Bekijk het plan en kies opnieuw Vaststellen.",
        )
        return redirect("beoordeling:plan", pk=dossier.pk)
    except ReviewInvalid as problem:
        messages.error(request, problem.message)
        return redirect("beoordeling:plan", pk=dossier.pk)
    messages.success(request, "Het hulpverleningsplan is vastgesteld.")
    return redirect("beoordeling:plan", pk=dossier.pk)


@require_GET
def plan_version(request: HttpRequest, pk, version: int) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view", dossier)
    shown = get_object_or_404(dossier.plans, version=version)
    audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    return render(
        request,
        "beoordeling/plan_version.html",
        {"dossier": dossier, "plan": shown, "versions": dossier.plans.order_by("-version")},
    )


def _print_context(request, pk, version: int):
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "beoordeling.print_plan", dossier)
    shown = get_object_or_404(dossier.plans.filter(set_at__isnull=False), version=version)
    return dossier, {
        "dossier": dossier,
        "plan": shown,
        "moments": shown.evaluation_moments.all(),
        "help_per_child": help_per_child(shown),
        "contact": dossier.submitted_by or dossier.created_by,  # the family's own worker
        "placed": dossier.placement in PLACED,
    }


@require_GET
def plan_print(request: HttpRequest, pk, version: int) -> HttpResponse:
    """The plan for parents and young person: plain Dutch, no codes, no reviewers' notes."""
    dossier, context = _print_context(request, pk, version)
    print_logged(request=request, dossier=dossier)
    return render(request, "beoordeling/plan_print.html", context)


@require_GET
def plan_pdf(request: HttpRequest, pk, version: int) -> HttpResponse:
    """The same letter as a PDF (WeasyPrint), logged like printing. The file name holds
    no personal data."""
    dossier, context = _print_context(request, pk, version)
    pdf = plan_pdf_bytes(render_to_string("beoordeling/plan_print.html", {**context, "pdf": True}))
    pdf_logged(request=request, dossier=dossier)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-versie-{version}.pdf"'
    return response


@require_GET
def evaluations(request: HttpRequest) -> HttpResponse:
    _require(request, "beoordeling.evaluation_overview")
    today = timezone.localdate()
    teams = team_ids(request.user)
    due = evaluation_moments_due(team_ids=teams, today=today)
    counted = evaluation_moments_open(team_ids=teams, today=today)  # index only
    late, soon = (
        BoundedPaginator(
            due.filter(when), PAGE_SIZE, cap=EVALUATIONS_CAP, counted=counted.filter(when)
        )
        for when in (Q(due_date__lt=today), Q(due_date__gte=today))
    )
    late_page = late.get_page(request.GET.get("te_laat"))
    soon_page = soon.get_page(request.GET.get("binnenkort"))
    overdue, due_soon = due_rows(late_page, today), due_rows(soon_page, today)
    shown = {d.moment.plan.dossier_id: d.moment.plan.dossier for d in overdue + due_soon}
    audit_log_shown(request=request, action=AccessLog.Action.EVALUATIONS, dossiers=shown.values())
    return render(
        request,
        "beoordeling/evaluations.html",
        {
            "overdue": overdue,
            "soon": due_soon,
            "late_page": late_page,
            "soon_page": soon_page,
        },
    )


@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk, moment: str) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "beoordeling.evaluate", dossier)
    moment_obj = get_object_or_404(
        EvaluationMoment.objects.select_related("plan"),
        pk=moment,
        plan__dossier=dossier,
        plan__set_at__isnull=False,  # a concept's agreements are not evaluated
    )
    if request.method == "GET" and hasattr(moment_obj, "record"):
        messages.info(request, "Deze evaluatie is al vastgelegd.")
        return redirect("beoordeling:plan", pk=dossier.pk)
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = evaluation_record(
                request=request, dossier=dossier, moment=moment_obj, **form.cleaned_data
            )
        except ReviewInvalid as problem:
            messages.error(request, problem.message)
        else:
            if evaluation_is_as_posted(record, user=request.user, **form.cleaned_data):
                # Also a double click: the first record stands, and it is this one.
                messages.success(request, "De evaluatie is vastgelegd.")
            else:  # someone else recorded this moment first: say so, lose nothing silently
                who, when = record.recorded_by, timezone.localtime(record.recorded_at)
                messages.error(
                    request,
                    f"Deze evaluatie was al vastgelegd door "
                    f"{who.get_full_name() or who.get_username()} "
                    f"({format_date(when.date())} om {when:%H:%M}). Uw invoer is niet "
                    "opgeslagen; "
                    "bekijk de evaluatie hieronder.",
                )
        return redirect("beoordeling:plan", pk=dossier.pk)
    if request.method == "GET":
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    return render(
        request,
        "beoordeling/evaluation.html",
        {
            "dossier": dossier,
            "moment": moment_obj,
            "form": form,
            "show_errors": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )
