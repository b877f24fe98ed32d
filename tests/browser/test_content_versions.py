"""The content admin's journey: edit the draft, a second admin reviews the diff and the
impact and publishes, and a professional's open dossier shows what changed for that child.
Every new page is checked with axe (WCAG 2.1 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from impact.models import ImpactRun
from interventies.models import Interventie
from richtlijnen.models import ContentVersion
from tests.browser.test_journeys import log_in
from tests.factories import TeamFactory, UserFactory
from tests.helpers import submitted_dossier

pytestmark = pytest.mark.browser


def test_edit_review_publish_and_the_family_notice(browsing, audit, screenshot):
    noord = TeamFactory(name="Noord", slug="noord")
    professional = UserFactory(professional=True, teams=[noord])
    dossier, _snapshot = submitted_dossier(team=noord, submitter=professional)
    child = dossier.children.get()
    child.first_name = "Sem"  # 15, with the problems MST is for
    child.save()
    author = UserFactory(content_admin=True, username="auteur")
    reviewer = UserFactory(content_admin=True, username="beoordelaar")
    mst = Interventie.objects.get(code="MST")

    # The author edits the draft in admin; admin says it is the draft.
    admin = browsing.new_page()
    log_in(admin, author)
    admin.goto(f"/beheer/interventies/interventie/{mst.pk}/change/")
    expect(admin.locator(".messagelist")).to_contain_text("U bewerkt het concept")
    admin.fill("#id_age_max", "14")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("verschilt op 1 onderdeel")
    audit.check(admin, "beheer: concept bewerkt")
    admin.goto("/inhoud/beoordelen/")
    expect(admin.locator("main")).to_contain_text("U heeft zelf aan dit concept gewerkt")
    expect(admin.get_by_role("button", name="Publiceren")).to_have_count(0)

    # A second content admin sees the diff and the impact, and publishes.
    page = browsing.new_page()
    log_in(page, reviewer)
    page.goto("/inhoud/versies/")
    audit.check(page, "inhoud: versies")
    page.get_by_role("link", name="Concept beoordelen").click()
    expect(page.locator("main")).to_contain_text("Interventie MST: gewijzigd")
    expect(page.locator("main table")).to_contain_text("leeftijd tot")
    page.get_by_role("button", name="Gevolgen doorrekenen").click()
    expect(page.locator("#impact")).to_contain_text("MST (Multi Systeem Therapie): 0 kinderen")
    expect(page.locator("#impact")).to_contain_text("1 eruit")
    assert "Sem" not in page.inner_text("main")  # no personal data on this page
    audit.check(page, "inhoud: concept beoordelen met gevolgen")
    screenshot(page, "inhoud-beoordelen")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_contain_text("verplicht")
    audit.check(page, "inhoud: publiceren zonder toelichting")
    page.fill("#id_text", "MST volgens de nieuwe bron tot 14 jaar")
    page.get_by_role("button", name="Publiceren").click()
    expect(page).to_have_url(re.compile(r".*/inhoud/versies/2/$"))
    expect(page.locator("main")).to_contain_text("Versie 2 is gepubliceerd")
    audit.check(page, "inhoud: versie 2")
    assert ContentVersion.objects.get(in_use=True).published_by == reviewer

    # The professional's open dossier says what changed for Sem.
    care = browsing.new_page()
    log_in(care, professional)
    care.goto(f"/dossiers/{dossier.pk}/")
    notice = care.locator(".rs-content-notice")
    expect(notice).to_contain_text("Sinds het indienen is de inhoud gewijzigd")
    expect(notice).to_contain_text("Multi Systeem Therapie (MST) past niet meer bij Sem")
    audit.check(care, "dossier met melding over de inhoud")

    # Only the refused publish without a release note answered with an error status.
    assert [r.split(" ")[0] + " " + r.split("/", 3)[-1] for r in browsing.failed_responses] == [
        "400 inhoud/beoordelen/"
    ]
    assert not browsing.console_errors
    audit.assert_clean()


def test_impact_progress_is_polled_until_done(browsing, audit):
    reviewer = UserFactory(content_admin=True)
    version = ContentVersion.objects.get(in_use=True)
    run = ImpactRun.objects.create(
        kind=ImpactRun.Kind.PREVIEW,
        state=ImpactRun.State.RUNNING,
        old_hash=version.content_hash,
        new_hash="concept",
        old_version=version,
        total=200,
        done=50,
    )
    page = browsing.new_page()
    log_in(page, reviewer)
    page.goto(f"/inhoud/impact/{run.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "25")
    audit.check(page, "inhoud: gevolgen worden doorgerekend")
    ImpactRun.objects.filter(pk=run.pk).update(
        state=ImpactRun.State.DONE, done=200, counts={"MST": {"added": 3, "removed": 1}}
    )
    expect(page.locator("#impact")).to_contain_text("MST (Multi Systeem Therapie): 3 kinderen")
    expect(page.locator("progress")).to_have_count(0)
    audit.check(page, "inhoud: gevolgen klaar")
    assert not browsing.console_errors
    audit.assert_clean()
