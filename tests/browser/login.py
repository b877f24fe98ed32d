"""Logging in through the real pages: password, then the code an authenticator app would show."""

from __future__ import annotations

import re
import time

from allauth.mfa import app_settings
from playwright.sync_api import expect

from accounts.mfa import totp_code, user_has_authenticator_app
from accounts.services import authenticator_app_set
from tests.factories import PASSWORD

# Each code works once (allauth remembers used ones for a period); the app accepts one
# period either way, so a second login of the same user in the same period takes the next.
_used: set[tuple[str, int]] = set()


def app_code(secret: str) -> str:
    while True:
        now = int(time.time())
        counter = now // app_settings.TOTP_PERIOD
        for step in (0, 1):
            if (secret, counter + step) not in _used:
                _used.add((secret, counter + step))
                return totp_code(secret, step=step, at=now)
        time.sleep(1)


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log ``user`` in as a person would; a user without an app first gets one (as if set up
    at an earlier login)."""
    secret = getattr(user, "totp_secret", None)
    if secret is None or not user_has_authenticator_app(user):
        secret = "RICHTSNOERTESTAPP" + f"{user.pk:015d}".translate(str.maketrans("0189", "QRST"))
        authenticator_app_set(user=user, secret=secret)
        user.totp_secret = secret
    page.goto("/inloggen/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r".*/account/2fa/authenticate/"))
    page.fill("#id_code", app_code(secret))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r".*/(inloggen|authenticate)/"))
