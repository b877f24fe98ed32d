"""The two-step login as a new colleague meets it: set up the app, keep the recovery codes,
log in again with a code. Every page is checked with axe at both widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.login import app_code
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_sets_up_the_app_then_logs_in_with_a_code(browsing, audit, screenshot):
    user = UserFactory(professional=True, teams=[TeamFactory(name="Noord", slug="noord")])
    page = browsing.new_page()
    page.goto("/inloggen/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Nothing but the set-up is reachable until it is done.
    expect(page).to_have_url(re.compile(r".*/account/2fa/totp/activate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen in twee stappen instellen")
    audit.check(page, "inloggen: app instellen")
    screenshot(page, "app-instellen")
    page.goto("/dossiers/")
    expect(page).to_have_url(re.compile(r".*/account/2fa/totp/activate/"))

    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.fill("#id_code", "000000")
    page.get_by_role("button", name="Instellen").click()
    expect(page.locator("#id_code_error")).to_contain_text("klopt niet")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    audit.check(page, "inloggen: app instellen, verkeerde code")

    page.fill("#id_code", app_code(secret))
    page.get_by_role("button", name="Instellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", c) for c in codes)
    audit.check(page, "herstelcodes")
    page.get_by_role("link", name="Verder naar Richtsnoer").click()
    expect(page).to_have_url(re.compile(r".*/dossiers/$"))

    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    audit.check(page, "mijn account")
    page.get_by_role("button", name=re.compile("Uitloggen")).click()

    # The next login asks the code: first a recovery code, once.
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    audit.check(page, "inloggen: stap 2")
    screenshot(page, "inloggen-stap-2")
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r".*/dossiers/$"))


def test_password_change_and_reset_pages(browsing, audit, screenshot):
    user = UserFactory(professional=True, teams=[TeamFactory(name="Noord", slug="noord")])
    page = browsing.new_page()
    page.goto("/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page, "wachtwoord vergeten")
    screenshot(page, "wachtwoord-vergeten")

    from tests.browser.login import log_in

    log_in(page, user)
    page.get_by_role("link", name="Mijn account").click()
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    audit.check(page, "wachtwoord wijzigen")
    page.get_by_role("button", name=re.compile("[Ww]achtwoord wijzigen")).click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    audit.check(page, "wachtwoord wijzigen: fouten")
    screenshot(page, "wachtwoord-wijzigen-fouten")
    new = "een-heel-nieuw-wachtwoord-2026"
    page.locator("#id_oldpassword").fill(PASSWORD)
    page.locator("#id_password1").fill(new)
    page.locator("#id_password2").fill(new)
    page.get_by_role("button", name=re.compile("[Ww]achtwoord wijzigen")).click()
    expect(page.get_by_text("Uw wachtwoord is gewijzigd.")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(new)
