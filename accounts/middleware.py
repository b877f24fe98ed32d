"""An absolute session lifetime, besides the 30 minutes idle (SESSION_COOKIE_AGE).

A session that is kept busy would otherwise live for ever. The moment of the first
request after login is kept in the session; once SESSION_ABSOLUTE_SECONDS have passed the
user is logged out and sent to the login page, with a Dutch message.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

STARTED = "richtsnoer_session_started"


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED)
            if not isinstance(started, int):
                request.session[STARTED] = now
            elif now - started >= settings.SESSION_ABSOLUTE_SECONDS:
                path = request.get_full_path()
                logout(request)
                messages.info(request, "U bent automatisch uitgelogd. Log opnieuw in.")
                return redirect_to_login(path if request.method == "GET" else "/")
        return self.get_response(request)
