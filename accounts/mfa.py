"""Two-factor login: what a session and an account have done (selectors) and the one
write this project adds to django-allauth's flow (recording a set-up as a passed factor).

django-allauth keeps, in the session, a record of every authentication step taken in it
("password", "mfa", "socialaccount"). A session counts as two-factor once it holds an
"mfa" step: a code from the authenticator app or a recovery code at login, or the code
that proved the app works when it was set up.
"""

from __future__ import annotations

import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.http import HttpRequest


def session_passed_second_factor(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def user_has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_enrolment_record(*, request: HttpRequest) -> None:
    """After the app was set up with a valid code: this session has passed the factor, and
    the user just proved themselves (so the recovery codes shown next need no password)."""
    authenticator = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is not None:
        record_authentication(
            request,
            request.user,
            "mfa",
            type=authenticator.type,
            id=authenticator.pk,
            reauthenticated=True,
        )


def totp_code(secret: str, *, step: int = 0, at: float | None = None) -> str:
    """The code an authenticator app with ``secret`` shows now (or at ``at``), or ``step``
    periods later or earlier: for the demo's ``demo_code`` and the tests, never for
    checking a code (allauth does that)."""
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))
