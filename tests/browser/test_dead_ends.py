"""In the browser: withdraw a concept created by mistake; clear a submitted dossier's
leftover drafts. Lean: one user each, axe on every new page."""

from __future__ import annotations

from playwright.sync_api import expect

from dossiers.models import Dossier, IntakeDraft, Status
from tests.browser.test_journeys import log_in
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import submitted_dossier


def test_withdraw_a_concept_and_discard_leftover_drafts(browsing, audit):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    mistake = DossierFactory(team=noord, created_by=prof, family_name="Vergissing")
    submitted, _ = submitted_dossier(team=noord, submitter=prof)
    colleague = UserFactory(professional=True, teams=[noord], first_name="Fleur", last_name="Kok")
    IntakeDraft.objects.create(dossier=submitted, user=colleague, data={}, base_version=1)

    page = browsing.new_page()
    log_in(page, prof)
    page.goto(f"/dossiers/{mistake.pk}/")
    page.get_by_role("button", name="Dossier intrekken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("intrekken?")
    audit.check(page, "dossier intrekken: bevestigen")
    page.get_by_role("button", name="Ja, dossier intrekken").click()
    expect(page.locator(".messages")).to_contain_text("is ingetrokken")
    expect(page.get_by_role("link", name="Gezin Vergissing")).to_have_count(0)
    assert Dossier.objects.get(pk=mistake.pk).status == Status.INGETROKKEN
    page.goto(f"/dossiers/{mistake.pk}/")
    expect(page.get_by_role("heading", name="Dit dossier is ingetrokken")).to_be_visible()
    audit.check(page, "ingetrokken dossier")

    page.goto(f"/dossiers/{submitted.pk}/")
    expect(page.get_by_text("Fleur Kok, bewaard om")).to_be_visible()
    page.get_by_role("button", name="Concepten weggooien").click()
    audit.check(page, "achtergebleven concepten: bevestigen")
    page.get_by_role("button", name="Ja, concepten weggooien").click()
    expect(page.locator(".messages")).to_contain_text("zijn weggegooid")
    assert not IntakeDraft.objects.filter(dossier=submitted).exists()
    audit.assert_clean()
    assert not browsing.console_errors and not browsing.failed_responses


def test_paging_through_many_search_results(browsing, audit):
    """A common name: the search is not counted, says there are more, and "Volgende
    pagina" (htmx, the search term kept in the form) reaches the last page and the total."""
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    DossierFactory.create_batch(27, team=noord, created_by=prof, family_name="Bakker")
    DossierFactory(team=noord, created_by=prof, family_name="Mulder")

    page = browsing.new_page()
    log_in(page, prof)
    page.goto("/dossiers/")
    page.fill("#zoek", "bakker")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Meer dan 25 dossiers gevonden. Typ meer van de naam")
    expect(results.locator("tbody tr")).to_have_count(25)
    expect(results.get_by_text("Pagina 1", exact=True)).to_be_visible()
    audit.check(page, "zoeken met veel treffers")
    results.get_by_role("button", name="Volgende pagina").click()
    expect(results).to_contain_text("27 dossiers")
    expect(results.locator("tbody tr")).to_have_count(2)
    expect(results).to_contain_text("Pagina 2 van 2")
    expect(results.get_by_role("button", name="Volgende pagina")).to_have_count(0)
    assert "Mulder" not in results.inner_text()
    audit.check(page, "zoeken, laatste pagina")
    results.get_by_role("button", name="Vorige pagina").click()
    expect(results.locator("tbody tr")).to_have_count(25)
    assert not browsing.console_errors
    audit.assert_clean()
