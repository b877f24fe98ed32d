"""The insight page in Chromium: the demo's CDS feedback and a review, axe-clean at 1280
and 320 px, the chart's numbers also in its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from beoordeling.models import ReviewDecision
from cdshooks import demo
from tests.browser.test_journeys import log_in
from tests.factories import TeamFactory, UserFactory
from tests.helpers import submitted_dossier

pytestmark = pytest.mark.browser


def test_content_admin_reads_the_insight_page(browsing, audit, screenshot, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "demo_key_path", lambda: tmp_path / "demo.pem")
    noord = TeamFactory(name="Noord", slug="noord")
    demo.cds_demo_seed()
    prof = UserFactory(professional=True, teams=[noord])
    gw = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier, snapshot = submitted_dossier(team=noord, submitter=prof)
    code = snapshot.result["children"][0]["suggestions"][0]["code"]
    ReviewDecision.objects.create(
        dossier=dossier,
        snapshot=snapshot,
        child_index=0,
        intervention_code=code,
        intervention_name=code,
        decision="decline",
        reason="voorkeur_gezin",
        decided_by=gw,
    )
    admin = UserFactory(content_admin=True, username="inhoud")
    page = browsing.new_page()
    log_in(page, admin)
    page.goto("/inzicht/")
    expect(page.get_by_role("link", name="Inzicht")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat de beoordelingen leren")
    expect(page.get_by_role("img", name="Per maand")).to_be_visible()
    totals = page.locator("tfoot td").all_inner_texts()
    assert totals[0] not in {"0", "< 5"}, totals  # the demo's CDS calls show
    assert page.get_by_text("Het gezin wil het niet").count() >= 1
    assert dossier.family_name not in page.content()
    audit.check(page, "inzicht")
    page.select_option("#id_bron", "app")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("tfoot td").nth(2)).to_have_text("< 5")  # one decline: masked
    audit.check(page, "inzicht: alleen beoordeling")
    screenshot(page, "inzicht")
    audit.assert_clean()
    assert not browsing.console_errors and not browsing.failed_responses
