"""Dutch error pages also when the app runs with DEBUG on (as the demo does).

Under DEBUG, Django answers a missing page, a bad request or an uncaught error with its
English technical page, which also lists every URL and setting. This middleware replaces
those with the Dutch pages that production shows. A developer who wants Django's
technical pages sets DJANGO_DEBUG_TECHNICAL_PAGES=1. Outside DEBUG it does nothing
(Django already uses the handlers in config/urls.py there).
"""

from __future__ import annotations

from django.conf import settings

from common import views

REPLACED = {
    400: lambda request: views.bad_request(request),
    404: lambda request: views.page_not_found(request),
    500: lambda request: views.server_error(request),
}


class DutchErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not getattr(settings, "DEBUG_TECHNICAL_PAGES", False)
            and response.status_code in REPLACED
            and response.get("Content-Type", "").startswith(("text/html", "text/plain"))
            and not getattr(response, "richtsnoer_error_page", False)
        ):
            replacement = REPLACED[response.status_code](request)
            replacement.richtsnoer_error_page = True
            return replacement
        return response
