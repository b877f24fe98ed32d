"""Writes for accounts: setting up the second factor outside the login pages (the demo
users, the tests' users)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

# The demo users' authenticator-app secret (README, "Demo"). Only `seed_demo` uses it, and
# seed_demo refuses to run outside DEBUG.
DEMO_TOTP_SECRET = "RICHTSNOERDEMOAPPRICHTSNOERDEMO7"  # noqa: S105 - a published demo secret


@transaction.atomic
def authenticator_app_set(*, user, secret: str) -> Authenticator:
    """Give ``user`` an authenticator app with this secret and fresh recovery codes,
    replacing what they had (as an administrator would after a lost phone)."""
    Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).delete()
    RecoveryCodes.activate(user)
    return TOTP.activate(user, secret).instance


def second_factor_check(*, user, code: str) -> bool:
    """Is ``code`` a valid code from the user's app, or an unused recovery code (which is
    then used up)? For the few management commands that act as a person (delete_dossier)."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return False
    for authenticator in Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False
