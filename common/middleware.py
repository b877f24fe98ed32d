"""Dutch error pages also when the app runs with DEBUG on (as the demo does).

Under DEBUG, Django answers a missing page, a bad request or an uncaught error with its
English technical page, which also lists every URL and setting. This middleware answers
those with the Dutch pages that production shows: for an exception a view raised (the
traceback is still logged), and for a URL that matches no view. Responses a view returns
itself (a form shown again with status 400, say) are left alone. A developer who wants
Django's technical pages sets DJANGO_DEBUG_TECHNICAL_PAGES=1. Outside DEBUG it does
nothing: Django already uses the handlers named in config/urls.py there.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404

from common import views

logger = logging.getLogger("django.request")


def _active() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_PAGES", False)


class DutchErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _active() and response.status_code == 404 and request.resolver_match is None:
            return views.page_not_found(request)  # no view matched this URL
        return response

    def process_exception(self, request, exception):
        if not _active():
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request)
        if isinstance(exception, PermissionDenied):
            return None  # Django uses handler403 under DEBUG too
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logger.warning("Bad request: %s", request.path, exc_info=exception)
            return views.bad_request(request)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return views.server_error(request)
