"""The review as a worklist in the browser: two children, accept, decline with a reason,
"alle overige overnemen" with its confirmation, and "Beoordeling afronden"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beoordeling.models import ReviewDecision
from dossiers.factories import DossierFactory, JeugdigeFactory
from dossiers.models import Dossier, Status
from dossiers.services import snapshot_create
from interventies.selectors import current_catalogue
from tests.browser.conftest import WIDE, viewport
from tests.browser.test_journeys import log_in
from tests.factories import TeamFactory, UserFactory
from tests.helpers import MST_PROBLEMS

pytestmark = pytest.mark.browser

FAMILY_PROBLEMS = ["opvoedingsproblemen", "meervoudige_problematiek", "moeilijk_bereikbaar"]


def two_children_submitted(team, submitter):
    dossier = DossierFactory(
        team=team,
        created_by=submitter,
        family_name="Worklist",
        family_problems=FAMILY_PROBLEMS,
        # a placement considered: 8 suggestions for each child from the shipped content
        placement="uithuisplaatsing_overwogen",
        children=[],
    )
    year = timezone.localdate().year
    for name, age in (("Daan", 15), ("Sara", 13)):
        JeugdigeFactory(
            dossier=dossier,
            first_name=name,
            birth_date=dt.date(year - age, 1, 1),
            problems=MST_PROBLEMS,
        )
    snapshot = snapshot_create(dossier=dossier, catalogue=current_catalogue(), user=submitter)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.TER_BEOORDELING, submitted_by=submitter, submitted_at=timezone.now()
    )
    return dossier, snapshot


def test_worklist_accept_decline_bulk_and_finish(browsing, audit, screenshot):
    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    reviewer = UserFactory(gedragswetenschapper=True, teams=[noord], username="gw-lijst")
    dossier, snapshot = two_children_submitted(noord, prof)
    children = snapshot.result["children"]
    first = [s["code"] for s in children[0]["suggestions"]]
    assert len(first) >= 2 and children[1]["suggestions"]

    counts = [len(c["suggestions"]) for c in children]
    assert counts == [8, 8]  # the measure: two children, 8 suggestions each

    page = browsing.new_page()
    log_in(page, reviewer)
    page.goto(f"/dossiers/{dossier.pk}/beoordeling/")
    with viewport(page, WIDE):
        height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nreview page height at 1280 px, two children with {counts} suggestions: {height} px")
    audit.check(page, "werklijst: open")
    screenshot(page, "werklijst-open")
    assert height < 3000

    # Accept in place.
    row = page.locator(f"#rij-0-{first[0]}")
    row.get_by_role("button", name=re.compile(r"^Overnemen")).click()
    expect(row).to_contain_text("Overgenomen")
    expect(page.locator("#voortgang-0")).to_contain_text(f"1 van {len(first)} beoordeeld")

    # Decline with a reason: the reason list only shows after "Niet overnemen…".
    row = page.locator(f"#rij-0-{first[1]}")
    expect(row.get_by_label("Reden")).to_be_hidden()
    row.locator("summary", has_text="Niet overnemen").click()
    row.get_by_label("Reden").select_option(label="Niet beschikbaar of wachtlijst")
    row.locator(f"#nee-rij-0-{first[1]}").click()
    expect(row).to_contain_text("Niet overgenomen: niet beschikbaar of wachtlijst")
    expect(page.locator("#voortgang-0")).to_contain_text(f"2 van {len(first)} beoordeeld")
    audit.check(page, "werklijst: twee beslissingen")

    # Finishing too early names what is missing, next to it.
    page.get_by_role("button", name="Beoordeling afronden").click()
    expect(page.get_by_role("alert")).to_contain_text("De beoordeling is nog niet af")
    audit.check(page, "werklijst: nog niet af")

    # Accept the rest per child, after a confirmation.
    for index in range(len(children)):
        progress = page.locator(f"#voortgang-{index}")
        progress.get_by_role("link", name=re.compile("Alle overige overnemen")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Alle overige suggesties")
        if index == 0:
            audit.check(page, "werklijst: bevestigen")
        page.get_by_role("button", name=re.compile(r"^Ja, \d+ overnemen")).click()
        total = len(children[index]["suggestions"])
        expect(page.locator(f"#voortgang-{index}")).to_contain_text(
            f"{total} van {total} beoordeeld"
        )

    page.get_by_role("button", name="Beoordeling afronden").click()
    expect(page).to_have_url(re.compile(rf".*/dossiers/{dossier.pk}/plan/$"))
    audit.check(page, "werklijst: afgerond, naar het plan")
    latest = {}
    for d in ReviewDecision.objects.filter(dossier=dossier).order_by("decided_at", "id"):
        latest[d.child_index, d.intervention_code] = d.decision
    assert latest[0, first[1]] == "decline"
    assert len(latest) == sum(counts)
    assert not browsing.console_errors
    audit.assert_clean()


COLOURS = """
(selector) => {
  const probe = (value) => {
    const el = document.createElement('span');
    el.style.color = value;
    document.body.append(el);
    const out = getComputedStyle(el).color;
    el.remove();
    return out;
  };
  const invalid = probe('var(--utrecht-radio-button-invalid-border-color)');
  const normal = probe('var(--utrecht-radio-button-border-color)');
  const fieldsetInvalid = probe('var(--utrecht-form-field-invalid-border-inline-start-color)');
  const radios = [...document.querySelectorAll(selector)].map(r => getComputedStyle(r).borderColor);
  const fieldsets = [...document.querySelectorAll('fieldset')].map(
    f => getComputedStyle(f).borderInlineStartColor);
  return {invalid, normal, fieldsetInvalid, radios, fieldsets};
}
"""


def test_a_fresh_evaluation_form_shows_no_errors_before_anything_was_done(
    browsing, audit, screenshot
):
    from tests.helpers import planned_dossier

    noord = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[noord])
    reviewer = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier, _plan, moment = planned_dossier(team=noord, submitter=prof, reviewer=reviewer)
    page = browsing.new_page()
    log_in(page, prof)
    page.goto(f"/dossiers/{dossier.pk}/evaluatie/{moment.pk}/")
    radios = "input[type=radio]"
    assert page.locator(f"{radios}[required]").count() >= 2  # :invalid applies to them
    fresh = page.evaluate(COLOURS, radios)
    assert fresh["invalid"] != fresh["normal"]  # else the check below proves nothing
    assert fresh["radios"] and set(fresh["radios"]) == {fresh["normal"]}
    assert fresh["fieldsetInvalid"] not in fresh["fieldsets"]
    audit.check(page, "evaluatie: nieuw formulier")
    screenshot(page, "evaluatie-nieuw")

    # Clicking into the form is not an error either; sending it empty is, next to the fields.
    page.get_by_label("Wat is er besproken").fill("Besproken.")
    assert set(page.evaluate(COLOURS, radios)["radios"]) == {fresh["normal"]}
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.locator(".utrecht-form-fieldset--invalid")).to_have_count(2)
    sent = page.evaluate(COLOURS, radios)
    assert set(sent["radios"]) == {sent["invalid"]}
    assert sent["fieldsetInvalid"] in sent["fieldsets"]
    audit.check(page, "evaluatie: leeg verstuurd")
    audit.assert_clean()
