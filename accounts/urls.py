"""The account pages: django-allauth's views, only those this app uses.

No sign-up, no e-mail management (an administrator keeps the address that password resets
go to), no linking of outside accounts: each of those would be a way around how accounts
are given out here.
"""

from allauth.account import views as account
from allauth.socialaccount import views as socialaccount
from django.urls import include, path, re_path

from accounts import views

urlpatterns = [
    # Only to say that accounts are given out by an administrator (the adapter refuses).
    path("aanmelden/", account.signup, name="account_signup"),
    path("inactief/", account.account_inactive, name="account_inactive"),
    path("herbevestigen/", account.reauthenticate, name="account_reauthenticate"),
    path("wachtwoord/wijzigen/", account.password_change, name="account_change_password"),
    path("wachtwoord/vergeten/", account.password_reset, name="account_reset_password"),
    path(
        "wachtwoord/vergeten/verstuurd/",
        account.password_reset_done,
        name="account_reset_password_done",
    ),
    re_path(
        r"^wachtwoord/nieuw/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "wachtwoord/nieuw/klaar/",
        account.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    # Setting up the app: allauth's page, counted as the session's second step.
    path("2fa/totp/activate/", views.activate_totp, name="mfa_activate_totp"),
    path("2fa/authenticate/", views.authenticate, name="mfa_authenticate"),
    path("2fa/", include("allauth.mfa.urls")),
    # Single sign-on (only when RICHTSNOER_OIDC_ISSUER is set; see config/settings.py).
    path("sso/geannuleerd/", socialaccount.login_cancelled, name="socialaccount_login_cancelled"),
    path("sso/fout/", socialaccount.login_error, name="socialaccount_login_error"),
    path("sso/", include("allauth.socialaccount.providers.openid_connect.urls")),
]
