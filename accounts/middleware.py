"""Session rules: an absolute lifetime, and no page without the second factor.

An absolute session lifetime, besides the 30 minutes idle (SESSION_COOKIE_AGE).

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
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import mfa

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


# What a signed-in account without a passed second factor may still reach: setting up the
# app (with allauth's re-authentication when the login is older than a few minutes), and
# logging out.
SETUP_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_logout",
        "logout",
    }
)


class SecondFactorRequiredMiddleware:
    """Every account logs in with two factors (NEN 7510): no page without it.

    An account without an authenticator app is sent to set one up, and can do nothing else
    until it has. A session of an account that has the app but did not use it (a login
    that went around the two-step form) is ended.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or mfa.session_passed_second_factor(request):
            return None
        match = request.resolver_match
        if mfa.user_has_authenticator_app(user):
            logout(request)
            messages.info(request, "Log opnieuw in, met de code uit uw authenticator-app.")
            return _redirect(request, reverse(settings.LOGIN_URL))
        if match is not None and match.url_name in SETUP_VIEWS:
            return None
        messages.info(
            request,
            "Stel eerst inloggen in twee stappen in. Daarna kunt u verder.",
        )
        return _redirect(request, reverse("mfa_activate_totp"))


def _redirect(request, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        # an htmx request would swap the setup page into a panel: let the browser go there
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
