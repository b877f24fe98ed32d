"""How django-allauth behaves here: accounts are made by an administrator, never by
signing up, and the second factor cannot be switched off once it is set up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from accounts.mfa import user_has_authenticator_app


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": (
            "Deze combinatie van gebruikersnaam en wachtwoord klopt niet. Probeer het opnieuw."
        ),
        "too_many_login_attempts": (
            "Te veel mislukte pogingen. Wacht een paar minuten en probeer het dan opnieuw."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # The first set-up of the app follows the password step at once (nothing else is
        # reachable before it): asking the password again there would only confuse. Every
        # later change (new recovery codes, viewing them) asks it again.
        request = context.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and not user_has_authenticator_app(request.user)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "Deze code klopt niet. Vul de code in die de app nu laat zien (die verandert elke "
            "30 seconden), of een herstelcode die u nog niet gebruikte."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Two-factor login is required for every account: the app can be replaced (an
        # administrator removes it, and the next login sets up a new one), not switched off.
        return authenticator.type != Authenticator.Type.TOTP
