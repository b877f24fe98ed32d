"""Request middleware of the project itself."""

from __future__ import annotations

import time

from django.conf import settings

TOUCHED_KEY = "_idle_touched"


class SessionIdleMiddleware:
    """Idle expiry without rewriting the session on every request.

    A session expires ``SESSION_COOKIE_AGE`` after it was last saved. Instead of saving it
    on every request (``SESSION_SAVE_EVERY_REQUEST``: a write per autosave), the session is
    marked changed only when it was last moved on ``SESSION_IDLE_REFRESH_SECONDS`` or more
    ago, so an active user's session is written about once a minute and an idle one still
    expires between ``SESSION_COOKIE_AGE - refresh`` and ``SESSION_COOKIE_AGE`` after the
    last request. Requests without a session (anonymous visitors) create none.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # After the view: a login or logout in this request has already changed the session.
        if session is not None and not session.is_empty():
            now = int(time.time())
            touched = session.get(TOUCHED_KEY)
            if (
                not isinstance(touched, int)
                or now - touched >= settings.SESSION_IDLE_REFRESH_SECONDS
                or touched > now
            ):
                session[TOUCHED_KEY] = now
        return response
