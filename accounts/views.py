"""Account pages of our own; the rest is django-allauth's (config/urls.py)."""

from __future__ import annotations

from allauth.mfa.base.views import authenticate as allauth_authenticate
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse

from accounts import mfa


def activate_totp(request: HttpRequest) -> HttpResponse:
    """allauth's set-up page; a set-up that succeeded counts as this session's second step."""
    response = allauth_activate_totp(request)
    if (
        request.method == "POST"
        and response.status_code == 302
        and request.user.is_authenticated
        and not mfa.session_passed_second_factor(request)
    ):
        mfa.totp_enrolment_record(request=request)
    return response


@login_not_required  # step 2 comes before the login is complete
def authenticate(request: HttpRequest) -> HttpResponse:
    """allauth's step-2 page. A post without a code field is taken as an empty code (allauth
    would otherwise look for a security key, which is not offered here, and show no field)."""
    if request.method == "POST" and "code" not in request.POST:
        request.POST = request.POST.copy()
        request.POST["code"] = ""
    return allauth_authenticate(request)
