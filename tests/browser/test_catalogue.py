"""The catalogue in Chromium: from a suggestion to its page and back, filters in place,
the guidelines; axe (WCAG 2.1 AA) at 1280 and 320 px; the filters without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WIDE, wait_until_quiet
from tests.browser.test_journeys import log_in
from tests.factories import TeamFactory, UserFactory
from tests.helpers import submitted_dossier

pytestmark = pytest.mark.browser


def test_catalogue_journey(browsing, audit):
    team = TeamFactory()
    user = UserFactory(professional=True, teams=[team])
    page = browsing.new_page()
    log_in(page, user)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Interventies"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interventies")
    audit.check(page, "catalogus")

    # Filtering updates the list in place (htmx) and the address bar keeps the filter.
    swaps_before = page.evaluate("window.__activity.swaps")
    page.get_by_label("Leeftijd (jaar)").fill("19")
    wait_until_quiet(page)
    assert page.evaluate("window.__activity.swaps") > swaps_before
    expect(page).to_have_url(re.compile(r"leeftijd=19"))
    results = page.locator("#resultaten")
    expect(results.get_by_role("link", name="Multidimensionele Familietherapie")).to_be_visible()
    expect(results.get_by_role("link", name="Multi Systeem Therapie", exact=True)).to_have_count(0)
    page.get_by_label("Erkenning").select_option("goede")
    wait_until_quiet(page)
    expect(results.locator(".catalogue-item")).to_have_count(1)
    audit.check(page, "catalogus gefilterd")

    results.get_by_role("link", name="Multidimensionele Familietherapie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Multidimensionele")
    expect(page.get_by_role("heading", name="Wanneer stelt Richtsnoer dit voor?")).to_be_visible()
    expect(page.get_by_text("Als de jeugdige 12 t/m 24 jaar oud is")).to_be_visible()
    audit.check(page, "interventiepagina")

    page.get_by_role("link", name="Richtlijn Uithuisplaatsing en terugplaatsing").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richtlijnen")
    expect(page.locator("#aanbeveling-UHP-OMGANGSREGELING")).to_be_visible()
    audit.check(page, "richtlijnen")

    # From a suggestion on the (submitted, read-only) intake to its page and back.
    dossier, _snapshot = submitted_dossier(team=team, submitter=user)
    page.goto(f"/dossiers/{dossier.pk}/")
    page.locator("#suggesties").get_by_role("link", name="Multi Systeem Therapie").first.click()
    expect(page).to_have_url(re.compile(r"/interventies/MST/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/dossiers/{dossier.pk}/$"))

    audit.assert_clean()
    assert not browsing.console_errors, browsing.console_errors
    assert not browsing.failed_responses, browsing.failed_responses


def test_filters_work_without_javascript(chromium, live_server):
    user = UserFactory(gedragswetenschapper=True)
    context = chromium.new_context(
        viewport=WIDE, base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, user)
        page.goto("/interventies/")
        page.get_by_label("Soort").select_option("verblijfsvorm")
        page.get_by_role("button", name="Filteren").click()
        expect(page).to_have_url(re.compile(r"soort=verblijfsvorm"))
        names = page.locator("#resultaten .catalogue-item h2 a").all_inner_texts()
        assert names == ["Kleinschalig verblijf", "Gezinshuis-Plus"]
    finally:
        context.close()
