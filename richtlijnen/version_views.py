"""Pages for content admins: the versions, the four-eyes review of the draft, rollback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.rules import can, team_ids
from impact.models import DossierImpact, ImpactRun
from impact.services import preview_latest, preview_start
from interventies.selectors import current_catalogue
from richtlijnen.content import content_version
from richtlijnen.models import ContentReview, ContentVersion
from richtlijnen.versions import (
    PublishRefused,
    bundle_diff,
    bundle_json,
    draft_authors,
    draft_bundle,
    draft_publish,
    draft_restore,
    draft_send_back,
    version_in_use,
)


def _require_content_admin(request: HttpRequest) -> None:
    if not can(request.user, "richtlijnen.manage_versions"):
        raise PermissionDenied


@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    _require_content_admin(request)
    rows = ContentVersion.objects.select_related("published_by", "restores").defer("bundle")
    page = Paginator(rows.order_by("-number"), 25).get_page(request.GET.get("pagina"))
    draft = draft_bundle()
    in_use = version_in_use()
    draft_differs = draft is not None and in_use is not None
    draft_differs = draft_differs and content_version(draft) != in_use.content_hash
    return render(
        request,
        "inhoud/versions.html",
        {"page": page, "in_use": in_use, "draft_differs": draft_differs},
    )


@require_GET
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    _require_content_admin(request)
    version = get_object_or_404(
        ContentVersion.objects.select_related("published_by", "restores"), number=number
    )
    previous = ContentVersion.objects.filter(number__lt=number).order_by("-number").first()
    changes = bundle_diff(previous.bundle, version.bundle) if previous else []
    return render(
        request,
        "inhoud/version.html",
        {"version": version, "previous": previous, "changes": changes},
    )


@require_POST
def version_restore(request: HttpRequest, number: int) -> HttpResponse:
    """Rollback, step one: the earlier version goes into the draft for a four-eyes review."""
    _require_content_admin(request)
    version = get_object_or_404(ContentVersion, number=number)
    try:
        draft_restore(version=version)
    except PublishRefused as refused:
        messages.error(request, refused.message)
        return redirect("inhoud:version", number=number)
    messages.success(
        request,
        f"Versie {number} staat nu in het concept. Een andere inhoudsbeheerder kan het "
        "beoordelen en publiceren.",
    )
    return redirect("inhoud:review")


def _review_context(request: HttpRequest, **extra) -> dict:
    in_use = version_in_use()
    draft = draft_bundle()
    draft_hash = content_version(draft) if draft is not None else ""
    changes = bundle_diff(in_use.bundle if in_use else None, bundle_json(draft)) if draft else []
    author_ids = draft_authors()
    authors = list(get_user_model().objects.filter(pk__in=author_ids).order_by("username"))
    reviews = ContentReview.objects.select_related("reviewer", "published_version")[:5]
    return {
        "in_use": in_use,
        "draft_hash": draft_hash,
        "changes": changes,
        "authors": authors,
        "is_author": request.user.pk in author_ids,
        "reviews": reviews,
        **_impact_context(request, preview_latest() if changes else None),
        "restores": (
            ContentVersion.objects.filter(content_hash=draft_hash).order_by("number").first()
            if changes
            else None
        ),
        "errors": {},
        **extra,
    }


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    """The draft against the version in use: diff, impact preview, publish or send back."""
    _require_content_admin(request)
    if request.method == "GET":
        return render(request, "inhoud/review.html", _review_context(request))
    action = request.POST.get("action")
    seen = request.POST.get("draft_hash", "")
    text = request.POST.get("text", "")
    try:
        if action == "preview":
            if preview_start(user=request.user) is None:
                raise PublishRefused("Er is geen concept om door te rekenen.")
            return redirect("inhoud:review")
        if action == "publish":
            version = draft_publish(user=request.user, draft_hash=seen, release_note=text)
            messages.success(
                request,
                f"Versie {version.number} is gepubliceerd en in gebruik. Open dossiers worden "
                "op de achtergrond opnieuw beoordeeld.",
            )
            return redirect("inhoud:version", number=version.number)
        if action == "send_back":
            draft_send_back(user=request.user, draft_hash=seen, remark=text)
            messages.success(request, "Het concept is teruggestuurd met uw toelichting.")
            return redirect("inhoud:review")
        raise PublishRefused("Kies publiceren of terugsturen.")
    except PublishRefused as refused:
        context = _review_context(request, errors={action or "action": refused.message})
        context["text"] = text
        return render(request, "inhoud/review.html", context, status=400)


def _impact_context(request: HttpRequest, impact_run: ImpactRun | None) -> dict:
    """The run and, of its dossiers, only those of the user's own teams (as links)."""
    if impact_run is None:
        return {"run": None, "page": None}
    mine = DossierImpact.objects.filter(
        run=impact_run, team_id__in=team_ids(request.user)
    ).order_by("id")
    page = Paginator(mine.only("dossier_id", "changes"), 50).get_page(request.GET.get("pagina"))
    names = {item.code: item.name for item in current_catalogue().items}
    counts = [
        (code, names.get(code, code), c["added"], c["removed"])
        for code, c in impact_run.counts.items()
    ]
    return {"run": impact_run, "page": page, "counts": counts}


@require_GET
def impact_progress(request: HttpRequest, run: int) -> HttpResponse:
    """The impact preview's progress and, once done, its counts (polled by htmx)."""
    _require_content_admin(request)
    impact_run = get_object_or_404(ImpactRun, pk=run, kind=ImpactRun.Kind.PREVIEW)
    template = "inhoud/impact.html" + ("#impact" if request.htmx else "")
    response = render(request, template, _impact_context(request, impact_run))
    response["Vary"] = "HX-Request"
    return response
