from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from dossiers.rules import can


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Start where the user's work is: the review queue for a gedragswetenschapper, the
    dossiers for a professional, content management for content admins, the access log
    for the privacy officer."""
    if can(request.user, "beoordeling.review_queue"):
        return redirect("beoordeling:queue")
    if can(request.user, "dossiers.list"):
        return redirect("dossiers:list")
    if can(request.user, "toegang.view_org_log"):
        return redirect("toegangslog:overview")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("dossiers:list")
