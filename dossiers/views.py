"""Dossier views: thin; reads in selectors, writes in services, rules in dossiers.rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from common.digest import json_digest
from common.forms import own_field
from common.limits import MalformedForm, rate_limited
from dossiers.forms import Intake, NewDossierForm
from dossiers.models import IntakeDraft, Status
from dossiers.pagination import BoundedPaginator, LookaheadPaginator
from dossiers.rules import can, role_names
from dossiers.selectors import (
    dossier_get,
    dossier_get_for_write,
    leftover_drafts,
    possible_duplicates,
    teams_for_user,
    with_child_counts,
)
from dossiers.selectors import dossier_list as select_dossiers
from dossiers.services import (
    EditConflict,
    NotReady,
    dossier_create,
    dossier_save_intake,
    dossier_submit,
    dossier_withdraw,
    draft_autosave,
    draft_discard,
    draft_save,
    draft_save_refused,
    drafts_discard_leftover,
    suggestions_for,
)
from interventies.engine import RANKING_RULE
from interventies.profile import ProfileInvalid
from interventies.selectors import current_catalogue
from richtlijnen.roles import PROFESSIONAL
from toegang.audit import audit_log, audit_log_shown
from toegang.models import AccessLog

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def dossier_list(request: HtmxHttpRequest) -> HttpResponse:
    """The team's dossiers. Searching posts the form: a family name never goes in a URL."""
    _require(request, "dossiers.list")
    params = request.POST if request.method == "POST" else request.GET
    # NUL cannot be searched for (PostgreSQL refuses it in text), so it is dropped.
    query = request.POST.get("q", "").replace("\x00", "").strip()[:100]
    status = params.get("status", "")
    if status not in Status.values or status == Status.INGETROKKEN:
        status = ""
    mine = params.get("mijn") == "1"
    # A name search is not counted (see dossiers.pagination): its pages read one row ahead.
    paginator = LookaheadPaginator if query else BoundedPaginator
    page = paginator(
        select_dossiers(user=request.user, query=query, status=status, mine=mine), PAGE_SIZE
    ).get_page(params.get("pagina"))
    page.object_list = with_child_counts(page.object_list)
    audit_log_shown(  # one row per family on the page: "wie heeft dit dossier gezien"
        request=request,
        action=AccessLog.Action.SEARCH if query else AccessLog.Action.LIST,
        dossiers=page.object_list,
    )
    template = "dossiers/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "status": status,
            "mine": mine,
            "statuses": [(v, label) for v, label in Status.choices if v != Status.INGETROKKEN],
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def dossier_new(request: HttpRequest) -> HttpResponse:
    _require(request, "dossiers.create")
    teams = teams_for_user(request.user)
    if not teams.exists():
        raise PermissionDenied
    form = NewDossierForm(request.POST if request.method == "POST" else None, teams=teams)
    duplicates = []
    if request.method == "POST" and form.is_valid() and request.POST.get("toch_nieuw") != "1":
        duplicates = possible_duplicates(
            user=request.user,
            team=form.cleaned_data["team"],
            family_name=form.cleaned_data["family_name"],
        )
    if request.method == "POST" and form.is_valid() and not duplicates:
        dossier = dossier_create(
            request=request,
            team=form.cleaned_data["team"],
            family_name=form.cleaned_data["family_name"],
        )
        messages.success(request, "Het gezin is aangemaakt. Vul nu de gegevens in.")
        return redirect("dossiers:intake", pk=dossier.pk)
    return render(request, "dossiers/new.html", {"form": form, "duplicates": duplicates})


def _intake_context(request, dossier, catalogue, intake, judged=None, **extra) -> dict:
    """``intake`` is what the page shows; ``judged`` (bound to the same input, if given)
    is what the suggestions are computed from."""
    profile, problems = (judged or intake).judge()
    try:
        result = suggestions_for(profile, catalogue) if profile else None
    except ProfileInvalid:
        result = None
    result = result.as_dict() if result else None
    return {
        "dossier": dossier,
        "intake": intake,
        "result": result,
        "problems": problems,
        "shown": _suggestions_digest(result, problems),
        "ranking_rule": RANKING_RULE,
        "placement_label": catalogue.vocabulary.placement_label,
        "editing": True,
        **extra,
    }


# The browser tells which suggestions it shows (the digest it got with them); when a new
# autosave brings the same, only the save state is sent back (typing in a free-text field
# changes nothing the engine reads, and the panel need not be rendered and swapped again).
SHOWN_HEADER = "X-Shown-Suggestions"


def _suggestions_digest(result: dict | None, problems) -> str:
    """Names what the suggestions panel shows: the engine's answer and the input problems
    (the panel is rendered from these alone). A digest, so no contents travel back."""
    return json_digest([result, problems], length=32)


@require_http_methods(["GET", "POST"])
def dossier_intake(request: HtmxHttpRequest, pk) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view", dossier)
    if not can(request.user, "dossiers.edit", dossier):
        if _own_submit_again(request, dossier):
            return _submitted(request, dossier)
        return _dossier_read_only(request, dossier)
    catalogue = current_catalogue()

    if request.method == "GET":
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
        draft = IntakeDraft.objects.filter(dossier=dossier, user=request.user).first()
        if draft is not None:
            # Shown as typed, not judged: a half-finished draft gets no error messages.
            intake = Intake(catalogue=catalogue, initial=Intake.initial_from_raw(draft.data))
            try:
                judged = Intake(catalogue=catalogue, data=MultiValueDict(draft.data))
            except MalformedForm:  # a draft kept before the limits: shown, not judged
                judged = None
            return render(
                request,
                "dossiers/intake.html",
                _intake_context(
                    request, dossier, catalogue, intake, judged, draft=draft, show_errors=False
                ),
            )
        intake = Intake(catalogue=catalogue, initial=Intake.initial_for(dossier))
        return render(
            request,
            "dossiers/intake.html",
            _intake_context(request, dossier, catalogue, intake, show_errors=False),
        )

    action = request.POST.get("action", "save")
    add_rows = {"add_child": "children", "add_parent": "parents", "add_network": "network"}
    if action in add_rows:
        raw = _raw(request.POST)
        intake = Intake(
            catalogue=catalogue,
            initial=Intake.initial_from_raw(raw),
            extra_row=add_rows[action],
        )
        new_row = getattr(intake, add_rows[action]).forms[-1]
        # htmx and browsers move focus there; the row's own copy of the field (the form
        # classes' fields are shared by every form built).
        first_field = own_field(new_row, next(iter(new_row.fields)))
        first_field.widget.attrs["autofocus"] = True
        judged = Intake(catalogue=catalogue, data=request.POST)  # a malformed post stops here
        draft_save(request=request, dossier=dossier, raw=raw, base_version=dossier.version)
        return render(
            request,
            "dossiers/intake.html",
            _intake_context(request, dossier, catalogue, intake, judged, show_errors=False),
        )

    intake = Intake(catalogue=catalogue, data=request.POST)
    if action == "preview" or not intake.is_valid():
        keep = draft_save if action == "preview" else draft_save_refused
        extra = {} if action == "preview" else {"outcome": AccessLog.Outcome.INVALID}
        keep(
            request=request,
            dossier=dossier,
            raw=_raw(request.POST),
            base_version=dossier.version,
            **extra,
        )
        return render(
            request,
            "dossiers/intake.html",
            _intake_context(request, dossier, catalogue, intake, show_errors=action != "preview"),
        )

    try:
        dossier = dossier_save_intake(
            request=request,
            dossier=dossier,
            data=intake.data(),
            expected_version=intake.form.cleaned_data["version"],
        )
    except EditConflict as conflict:
        if _own_submit_again(request, conflict.dossier):
            return _submitted(request, conflict.dossier)
        draft_save_refused(
            request=request,
            dossier=dossier,
            raw=_raw(request.POST),
            base_version=dossier.version,
            outcome=AccessLog.Outcome.CONFLICT,
        )
        return render(
            request,
            "dossiers/intake.html",
            _intake_context(
                request, dossier, catalogue, intake, show_errors=True, conflict=conflict.dossier
            ),
            status=409,
        )
    if action == "submit":
        try:
            dossier_submit(request=request, dossier=dossier, catalogue=catalogue)
        except NotReady as problem:
            messages.error(request, problem.message)
            return redirect("dossiers:intake", pk=dossier.pk)
        return _submitted(request, dossier)
    messages.success(request, "De gegevens zijn opgeslagen.")
    return redirect("dossiers:intake", pk=dossier.pk)


MAX_DRAFT_VALUE = 20_000


def _raw(data) -> dict:
    """Posted form data as storable JSON: every key with all its values.

    NUL characters (which no text field accepts, and PostgreSQL cannot store) are dropped
    and each value is cut to a length no field allows more than.
    """

    def clean(text: str) -> str:
        return text.replace("\x00", "")[:MAX_DRAFT_VALUE]

    return {
        clean(key): [clean(v) for v in data.getlist(key)]
        for key in data
        if key != "csrfmiddlewaretoken"
    }


def _dossier_read_only(request: HttpRequest, dossier) -> HttpResponse:
    # A professional's change that arrives after someone else submitted the dossier (two
    # people at once): refused with a 409 and a clear "niet opgeslagen", never silently.
    refused = (
        request.method == "POST"
        and dossier.status != Status.INGETROKKEN
        and PROFESSIONAL in role_names(request.user)
    )
    if refused:
        audit_log(
            request=request,
            action=AccessLog.Action.CHANGE,
            dossier=dossier,
            outcome=AccessLog.Outcome.CONFLICT,
        )
    else:
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
    if dossier.status == Status.INGETROKKEN:
        return render(
            request,
            "dossiers/withdrawn.html",
            {"dossier": dossier, "not_saved": request.method == "POST"},
        )
    catalogue = current_catalogue()
    snapshot = dossier.snapshots.first()
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "snapshot": snapshot,
            "result": snapshot.result if snapshot else None,
            "content_changed": snapshot is not None
            and snapshot.content_version != catalogue.version,
            "current_version": catalogue.version,
            "placement_label": catalogue.vocabulary.placement_label,
            "problem_label": catalogue.vocabulary.problem_label,
            "ranking_rule": RANKING_RULE,
            "stored": True,
            "leftover_drafts": leftover_drafts(dossier=dossier),
            "not_saved": refused,
        },
        status=409 if refused else 200,
    )


@require_POST
@rate_limited(scope="autosave", per_minute_setting="AUTOSAVE_PER_MINUTE", default=60)
def dossier_autosave(request: HtmxHttpRequest, pk) -> HttpResponse:
    """Keep what was typed and answer with fresh suggestions (htmx, debounced).

    The live path: it reads the dossier row alone (with the content version in use) and
    keeps the draft in one statement (``draft_autosave``); when an editing session
    starts, the draft and its access-log row go in one transaction instead. When the
    browser already shows these suggestions, only the save state goes back."""
    raw = _raw(request.POST)
    try:
        Intake.refuse_malformed(request.POST)  # a malformed post stops here, nothing written
    except MalformedForm:
        # Still a 404 for another team's dossier and a 403 for one that cannot be edited
        # (each logged as refused), as for any other post.
        dossier, _ = dossier_get_for_write(user=request.user, pk=pk)
        _require(request, "dossiers.edit", dossier)
        raise
    dossier, catalogue, kept = draft_autosave(request=request, pk=pk, raw=raw)
    _require(request, "dossiers.edit", dossier)
    if not kept:
        draft_save(request=request, dossier=dossier, raw=raw, base_version=dossier.version)
    intake = Intake(catalogue=catalogue, data=request.POST)
    context = _intake_context(request, dossier, catalogue, intake, autosaved_at=timezone.now())
    unchanged = request.headers.get(SHOWN_HEADER) == context["shown"]
    response = render(request, "dossiers/_autosave.html", {**context, "unchanged": unchanged})
    response[SHOWN_HEADER] = context["shown"]
    if unchanged:
        response["HX-Reswap"] = "none"  # the save state still comes, out of band
    patch_vary_headers(response, [SHOWN_HEADER])
    return response


@require_POST
def dossier_discard_draft(request: HttpRequest, pk) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.edit", dossier)
    draft_discard(request=request, dossier=dossier)
    messages.info(request, "De niet-opgeslagen wijzigingen zijn weggegooid.")
    return redirect("dossiers:intake", pk=dossier.pk)


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("bevestigen") == "ja"


@require_POST
def dossier_withdrawal(request: HttpRequest, pk) -> HttpResponse:
    """Withdraw a concept created by mistake, after a confirmation page (a post without
    ``bevestigen=ja`` shows it). A double post or a dossier submitted meanwhile gets a
    message on the dossier page, never an error."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.view", dossier)
    if dossier.status == Status.INGETROKKEN:
        messages.info(request, "Dit dossier is al ingetrokken.")
        return redirect("dossiers:intake", pk=dossier.pk)
    if dossier.status != Status.CONCEPT:
        messages.error(
            request, "Dit dossier is al ingediend. Alleen een concept kan worden ingetrokken."
        )
        return redirect("dossiers:intake", pk=dossier.pk)
    _require(request, "dossiers.withdraw", dossier)
    if not _confirmed(request):
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
        return render(request, "dossiers/withdraw_confirm.html", {"dossier": dossier})
    try:
        withdrawn = dossier_withdraw(dossier=dossier, user=request.user, request=request)
    except NotReady as problem:  # submitted by someone else in the meantime
        messages.error(request, problem.message)
        return redirect("dossiers:intake", pk=dossier.pk)
    if withdrawn:
        messages.success(
            request,
            f"Het dossier van gezin {dossier.family_name} is ingetrokken. Het staat niet meer "
            "in de lijst en wordt na de bewaartermijn verwijderd.",
        )
    return redirect("dossiers:list")


@require_POST
def dossier_discard_leftover_drafts(request: HttpRequest, pk) -> HttpResponse:
    """Discard the drafts left on a submitted dossier, after a confirmation page."""
    dossier = dossier_get(user=request.user, pk=pk)
    _require(request, "dossiers.discard_leftover_drafts", dossier)
    if not _confirmed(request):
        audit_log(request=request, action=AccessLog.Action.VIEW, dossier=dossier)
        return render(
            request,
            "dossiers/discard_leftover_confirm.html",
            {"dossier": dossier, "drafts": leftover_drafts(dossier=dossier)},
        )
    try:
        removed = drafts_discard_leftover(dossier=dossier, request=request)
    except NotReady as problem:
        messages.error(request, problem.message)
        return redirect("dossiers:intake", pk=dossier.pk)
    if removed:
        messages.success(request, "De achtergebleven concepten zijn weggegooid.")
    else:
        messages.info(request, "Er waren geen achtergebleven concepten meer.")
    return redirect("dossiers:intake", pk=dossier.pk)


def _own_submit_again(request: HttpRequest, dossier) -> bool:
    """A double-clicked "Indienen": the second post finds the dossier submitted by this
    same person. That is one submission, and no conflict."""
    return (
        request.method == "POST"
        and request.POST.get("action") == "submit"
        and dossier.status == Status.TER_BEOORDELING
        and dossier.submitted_by_id == request.user.pk
    )


def _submitted(request: HttpRequest, dossier) -> HttpResponse:
    messages.success(
        request,
        "Het dossier is ingediend. Een gedragswetenschapper van team "
        f"{dossier.team.name} beoordeelt nu de suggesties en stelt daarna het "
        "hulpverleningsplan op. U kunt het dossier hier blijven inzien.",
    )
    return redirect("dossiers:intake", pk=dossier.pk)
