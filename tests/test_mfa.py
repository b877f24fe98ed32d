"""Two-factor login (django-allauth): password, then a code from the authenticator app or a
recovery code; set up at the first login; no page of the app without it; password change
and reset; no sign-up; single sign-on only when configured."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.mfa import totp_code
from accounts.services import DEMO_TOTP_SECRET
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def code_for(secret: str, step: int = 0) -> str:
    """The code an authenticator app shows now (step 0), or one period later or earlier."""
    return totp_code(secret, step=step)


def password_step(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"login": user.username, "password": password})


@pytest.fixture
def professional():
    return UserFactory(professional=True, teams=[TeamFactory()], authenticator_app=True)


def test_login_asks_a_code_after_the_password_and_nothing_opens_before(client, professional):
    response = password_step(client, professional)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Between the two steps the user is not logged in: the app's pages send back to login.
    page = client.get(reverse("dossiers:list"))
    assert page.status_code == 302 and page.url.startswith(reverse("login"))
    step2 = client.get(reverse("mfa_authenticate"))
    assert "Stap 2 van 2" in step2.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    html = wrong.content.decode()
    assert 'id="id_code_error"' in html  # the message stands at the field
    assert client.get(reverse("dossiers:list")).status_code == 302

    done = client.post(reverse("mfa_authenticate"), {"code": code_for(professional.totp_secret)})
    assert done.status_code == 302
    assert client.get(reverse("dossiers:list")).status_code == 200


def test_a_code_works_once(client, professional):
    code = code_for(professional.totp_secret)
    password_step(client, professional)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_step(client, professional)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200  # refused: someone who saw the code cannot reuse it
    assert client.get(reverse("dossiers:list")).status_code == 302


def test_wrong_codes_are_throttled_per_account(client, professional):
    password_step(client, professional)
    for _ in range(10):
        client.post(reverse("mfa_authenticate"), {"code": "123456"})
    blocked = client.post(reverse("mfa_authenticate"), {"code": code_for(professional.totp_secret)})
    assert blocked.status_code == 200
    assert client.get(reverse("dossiers:list")).status_code == 302


def test_a_recovery_code_logs_in_once(client, professional):
    authenticator = Authenticator.objects.get(
        user=professional, type=Authenticator.Type.RECOVERY_CODES
    )
    codes = RecoveryCodes(authenticator).get_unused_codes()
    assert len(codes) == 10
    password_step(client, professional)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("dossiers:list")).status_code == 200
    client.post(reverse("logout"))
    password_step(client, professional)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200
    authenticator.refresh_from_db()
    assert len(RecoveryCodes(authenticator).get_unused_codes()) == 9


def test_the_first_login_sets_up_the_app_before_anything_else(client):
    user = UserFactory(gedragswetenschapper=True, teams=[TeamFactory()])
    assert password_step(client, user).status_code == 302
    # Logged in with the password only: every page leads to setting up the app.
    for url in (reverse("home"), reverse("dossiers:list"), reverse("beoordeling:queue")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")
    htmx = client.get(reverse("dossiers:list"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Inloggen in twee stappen instellen" in html
    assert 'src="data:image/svg+xml' in html  # the QR code, inline: nothing from elsewhere
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in html

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert 'id="id_code_error"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()

    done = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert done.status_code == 302
    assert done.url == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done.url).content.decode()
    assert "Herstelcodes" in codes_page
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    # The code that proved the app works was this session's second step.
    assert client.get(reverse("beoordeling:queue")).status_code == 200


def test_a_double_submitted_set_up_makes_one_app(client):
    user = UserFactory(professional=True, teams=[TeamFactory()])
    password_step(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    first = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    second = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret, 1)})
    assert first.status_code == 302
    assert second.status_code in {302, 200}
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1


@pytest.mark.password_only
def test_a_session_that_went_around_the_second_step_is_ended(client, professional):
    client.force_login(professional)  # a session with no second step, as from a side door
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_admin_has_no_login_of_its_own(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/beheer/"


def test_the_app_cannot_be_switched_off(client, professional):
    client.force_login(professional)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code in {302, 403, 404}
    assert Authenticator.objects.filter(user=professional, type="totp").exists()


def test_the_account_page_shows_the_app_codes_and_password_link(client, professional):
    client.force_login(professional)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Mijn account" in html
    assert "U hebt nog 10 van de 10 herstelcodes." in html
    assert reverse("account_change_password") in html


def test_password_change_needs_the_old_password_and_keeps_the_session(client, professional):
    client.force_login(professional)
    url = reverse("account_change_password")
    new = "een-nieuw-lang-wachtwoord-2026"
    wrong = client.post(url, {"oldpassword": "fout", "password1": new, "password2": new})
    assert wrong.status_code == 200
    assert 'id="id_oldpassword_error"' in wrong.content.decode()
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)

    ok = client.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert ok.status_code == 302
    professional.refresh_from_db()
    assert professional.check_password(new)
    assert client.get(reverse("dossiers:list")).status_code == 200


def test_password_reset_by_mail_still_needs_the_code(client, professional):
    professional.email = "noor@wijkteam.example"
    professional.save()
    sent = client.post(reverse("account_reset_password"), {"email": professional.email})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Richtsnoer: ")
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "weer-een-nieuw-wachtwoord-77"
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                       {"password1": new, "password2": new})  # fmt: skip
    assert done.status_code == 302
    professional.refresh_from_db()
    assert professional.check_password(new)
    # Not logged in by the reset: the new password still needs the code.
    assert client.get(reverse("dossiers:list")).status_code == 302
    assert password_step(client, professional, new).url == reverse("mfa_authenticate")


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_nobody_can_sign_up(client):
    before = get_user_model().objects.count()
    response = client.post(
        reverse("account_signup"),
        {"username": "indringer", "password1": "lang-genoeg-1234", "password2": "lang-genoeg-1234"},
    )
    assert response.status_code in {200, 403}
    assert get_user_model().objects.count() == before


def test_single_sign_on_is_off_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert "Inloggen via" not in html
    assert "Wachtwoord vergeten?" in html


def test_single_sign_on_shows_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "organisatie",
                    "name": "Gemeente Voorbeeld",
                    "client_id": "richtsnoer",
                    "secret": "geheim",
                    "settings": {"server_url": "https://login.voorbeeld.example"},
                }
            ]
        }
    }
    html = client.get(reverse("login")).content.decode()
    assert "Inloggen via Gemeente Voorbeeld" in html


def test_demo_code_is_the_demo_apps_code_and_only_in_the_demo(settings, capsys):
    settings.DEBUG = True
    call_command("demo_code")
    shown = capsys.readouterr().out.split()[0]
    assert shown in {code_for(DEMO_TOTP_SECRET, step) for step in (-1, 0, 1)}
    settings.DEBUG = False
    with pytest.raises(CommandError, match="alleen in de demo"):
        call_command("demo_code")


def test_setting_up_and_removing_the_app_are_in_the_access_log(client):
    """As team and role changes are: who set up or removed whose app, ids only."""
    from toegang.models import AccessLog

    user = UserFactory(professional=True, teams=[TeamFactory()])
    password_step(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    set_row = AccessLog.objects.get(action="mfa_set")
    assert set_row.subject_user_id == user.pk and set_row.user == user

    admin = UserFactory(is_superuser=True, is_staff=True)
    app = Authenticator.objects.get(user=user, type="totp")
    client.force_login(admin)
    page = reverse("admin:mfa_authenticator_delete", args=[app.pk])
    assert client.post(page, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=app.pk).exists()
    removed = AccessLog.objects.get(action="mfa_remove")
    assert removed.subject_user_id == user.pk and removed.user == admin
