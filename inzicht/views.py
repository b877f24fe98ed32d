"""The insight page for content admins: what decisions and feedback say per intervention."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dossiers.rules import can
from interventies.selectors import current_catalogue
from inzicht.charts import SERIES_LABELS, bar_chart
from inzicht.forms import InsightForm, default_period
from inzicht.selectors import REASON_LABELS, SERIES, InsightFilter, insight

PAGE_SIZE = 25
TOP_EXCLUSION_REASONS = 3


def _named(name: str, code: str) -> str:
    return name if f"({code})" in name else f"{name} ({code})".strip()


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "inzicht.view"):
        raise PermissionDenied
    names = {it.code: it.name for it in current_catalogue().items}
    start, end = default_period(timezone.localdate())
    form = InsightForm(
        request.GET or None,
        initial={"van": start, "tot": end},
        interventions=[(code, f"{name} ({code})") for code, name in names.items()],
    )
    if request.GET and not form.is_valid():
        return render(request, "inzicht/overview.html", {"form": form}, status=400)
    if request.GET:
        data = form.cleaned_data
        chosen = InsightFilter(
            start=data["van"],
            end=data["tot"],
            team_id=data["team"].pk if data["team"] else None,
            source=data["bron"],
            intervention=data["interventie"],
        )
    else:
        chosen = InsightFilter(start=start, end=end)
    result = insight(chosen)
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [
        {
            "row": row,
            "name": _named(names.get(row.code, ""), row.code),
            "reasons": [
                (REASON_LABELS.get(code, code), n) for code, n in row.reasons.most_common()
            ],
            "exclusions": row.exclusions.most_common(TOP_EXCLUSION_REASONS),
        }
        for row in page.object_list
    ]
    return render(
        request,
        "inzicht/overview.html",
        {
            "form": form,
            "chosen": chosen,
            "page": page,
            "rows": rows,
            "chart": bar_chart(result.months),
            "month_rows": [(month, [v[s] for s in SERIES]) for month, v in result.months],
            "series": [(s, SERIES_LABELS[s]) for s in SERIES],
            "totals": [result.totals()[s] for s in SERIES],
        },
    )
