"""The privacy officer's organisation-wide access log in Chromium, checked with axe-core."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import DossierFactory, TeamFactory, UserFactory
from toegang.audit import audit_system

pytestmark = pytest.mark.browser


def logged_in_page(browsing, user):
    """A page with the user's session (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page = browsing.new_page()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": browsing.base_url}]
    )
    return page


def test_privacy_officer_filters_the_log_on_denied_attempts(browsing, audit, screenshot):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord], first_name="Anna", last_name="Smit")
    dossier = DossierFactory(team=noord, family_name="Verborgen")
    for action in ("view", "change", "view"):
        audit_system(action=action, user=prof, dossier_id=dossier.pk, team_id=noord.pk)
    audit_system(action="view", user=prof, dossier_id=dossier.pk, outcome="denied")
    officer = UserFactory(privacy_officer=True, first_name="Petra", last_name="Vos")

    page = logged_in_page(browsing, officer)
    page.goto("/")
    expect(page).to_have_url(f"{browsing.base_url}/toegangslog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegangslog van de organisatie")
    audit.check(page, "toegangslog")
    page.get_by_label("Resultaat").select_option(label="Geweigerd")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Geweigerd")
    assert "Verborgen" not in page.content()
    audit.check(page, "toegangslog geweigerd")
    page.get_by_label("Dossiernummer").fill("geen-nummer")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Dit is geen dossiernummer")).to_be_visible()
    audit.check(page, "toegangslog foute filter")
    screenshot(page, "toegangslog")
    audit.assert_clean()
    assert browsing.console_errors == []
