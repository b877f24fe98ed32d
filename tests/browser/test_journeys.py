"""Journeys through the real app in Chromium, each page checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from beoordeling.models import Hulpverleningsplan, ReviewDecision
from dossiers.models import Status
from interventies.models import Interventie
from tests.browser.conftest import panel_swaps, wait_until_quiet
from tests.browser.login import log_in
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import publish_draft, submitted_dossier

pytestmark = pytest.mark.browser

MST = "Multi Systeem Therapie"
FF = "Families First"
INTAKE_URL = re.compile(r".*/dossiers/[0-9a-f-]{36}/$")


def birth_date(age: int) -> str:
    """A birth date that makes a child ``age`` whole years old today."""
    today = date.today()  # noqa: DTZ011 - whole years are all that matter here
    return date(today.year - age, 1, 1).isoformat()


def panel(page) -> list[dict]:
    """The suggestions panel per child: heading, suggested names, excluded lines."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#suggesties .child-result')].map(c => ({
          heading: c.querySelector('h3').textContent.trim(),
          suggested: [...c.querySelectorAll('.suggestion-list > .suggestion strong')]
            .map(s => s.textContent.trim()),
          excluded: [...c.querySelectorAll('.excluded li')]
            .map(li => li.textContent.replace(/\\s+/g, ' ').trim()),
        }))"""
    )


def suggested_part(page) -> str:
    """The panel's text before "Past niet": what it suggests, not what it rules out."""
    return page.inner_text("#suggesties").split("Past niet")[0]


def expect_polite_live_region(page) -> None:
    """The panel stays in place; its status line is a polite live region whose text changes."""
    expect(page.locator("#suggesties")).to_have_count(1)
    status = page.locator("#suggesties-status")
    expect(status).to_have_count(1)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text(re.compile(r"Suggesties bijgewerkt|Nog geen suggesties"))


def change_and_wait(page, action) -> None:
    """Do something that triggers the live suggestions, and wait for htmx to answer it."""
    before = panel_swaps(page)
    action()
    wait_until_quiet(page)
    assert panel_swaps(page) > before, "the suggestions panel was not updated"


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def professional(noord):
    return UserFactory(professional=True, teams=[noord], username="prof-noord")


def test_professional_journey(browsing, audit, screenshot, noord, professional):
    DossierFactory(team=noord, created_by=professional, family_name="De Vries")
    zuid_user = UserFactory(
        professional=True, teams=[TeamFactory(name="Zuid", slug="zuid")], username="prof-zuid"
    )
    page = browsing.new_page()

    page.goto("/")
    expect(page).to_have_url(re.compile(r".*/inloggen/"))
    audit.check(page, "inloggen")
    screenshot(page, "inloggen")
    log_in(page, professional)
    expect(page).to_have_url(re.compile(r".*/dossiers/$"))
    audit.check(page, "dossierlijst (leeg)")

    page.get_by_role("link", name="Nieuw gezin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw gezin")
    audit.check(page, "nieuw gezin")
    page.fill("#id_family_name", "Jansen-Browser")
    page.get_by_role("button", name="Gezin aanmaken").click()
    expect(page).to_have_url(INTAKE_URL)
    url = page.url
    expect_polite_live_region(page)
    audit.check(page, "intake (nieuw)")

    # A new family has no child card yet: "Kind toevoegen" adds one and focuses it.
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#id_kind-0-first_name")).to_be_focused()

    # Child 1, 15 years old, with the problems MST is meant for.
    def fill_first_child():
        page.fill("#id_kind-0-first_name", "Daan")
        page.fill("#id_kind-0-birth_date", birth_date(15))
        page.check("input[name=placement][value=uithuisplaatsing_overwogen]")
        page.check('input[name="kind-0-problems"][value=ernstige_gedragsproblemen]')
        page.check('input[name="kind-0-problems"][value=problemen_meerdere_leefgebieden]')

    change_and_wait(page, fill_first_child)
    assert MST in suggested_part(page)
    (daan,) = panel(page)
    assert daan["heading"] == "Daan (15 jaar)"
    assert MST in daan["suggested"]
    expect_polite_live_region(page)
    audit.check(page, "intake na htmx-update: kind 1")

    # A second child via "Kind toevoegen" (htmx swaps the children section).
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#id_kind-1-first_name")).to_be_visible()
    wait_until_quiet(page)
    expect(page.locator("#id_kind-1-first_name")).to_be_focused()
    audit.check(page, "intake na 'Kind toevoegen'")

    def fill_second_child_and_crisis():
        page.fill("#id_kind-1-first_name", "Mila")
        page.fill("#id_kind-1-birth_date", birth_date(6))
        page.check("#id_crisis")
        page.check("input[name=family_problems][value=opvoedingsproblemen]")

    change_and_wait(page, fill_second_child_and_crisis)
    daan, mila = panel(page)
    assert mila["heading"] == "Mila (6 jaar)"
    assert FF in mila["suggested"], mila
    assert FF in suggested_part(page)
    expect_polite_live_region(page)
    audit.check(page, "intake na htmx-update: kind 2 en crisis")
    screenshot(page, "intake-met-suggesties")

    # Submit: the dossier becomes read-only for review.
    page.get_by_role("button", name="Indienen ter beoordeling").click()
    expect(page.locator(".messages")).to_contain_text("Het dossier is ingediend")
    expect(page.locator("#suggesties")).to_contain_text(FF)
    assert page.url == url
    audit.check(page, "ingediend dossier")
    screenshot(page, "ingediend-dossier")

    # The dossier is in the team's list, and search (htmx) finds it.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dossiers").click()
    expect(page.locator("#results")).to_contain_text("2 dossiers")
    row = page.locator("#results tbody tr", has_text="Jansen-Browser")
    expect(row.locator("td").nth(2)).to_have_text("Ter beoordeling")
    expect(row.locator("td").nth(3)).to_have_text("2")  # children
    audit.check(page, "dossierlijst")
    screenshot(page, "dossierlijst")
    change_and_wait(page, lambda: page.fill("#zoek", "Jansen"))
    expect(page.locator("#results")).to_contain_text("1 dossier")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    audit.check(page, "dossierlijst na zoeken (htmx)")

    # Someone of another team cannot even see that the dossier exists.
    other = browsing.new_page()
    log_in(other, zuid_user)
    response = other.goto(url)
    assert response.status == 404
    audit.check(other, "404 voor ander team")

    assert browsing.failed_responses == [f"404 {url}"]
    assert not browsing.console_errors
    audit.assert_clean()


def test_content_admin_edit_is_used_once_published(
    browsing, audit, screenshot, noord, professional
):
    content_admin = UserFactory(content_admin=True, username="beheer")
    mst = Interventie.objects.get(code="MST")
    dossier = DossierFactory(
        team=noord,
        created_by=professional,
        family_name="Visser-Browser",
        placement="uithuisplaatsing_overwogen",
        without_children=True,
    )

    admin = browsing.new_page()
    log_in(admin, content_admin)
    expect(admin).to_have_url(re.compile(r".*/beheer/$"))
    audit.check(admin, "beheer: start")
    admin.goto(f"/beheer/interventies/interventie/{mst.pk}/change/")
    expect(admin.locator("#id_age_min")).to_have_value("10")
    audit.check(admin, "beheer: MST wijzigen")
    screenshot(admin, "beheer-interventie-wijzigen")
    admin.fill("#id_age_min", "16")
    admin.locator("input[name=_save]").click()
    expect(admin).to_have_url(re.compile(r".*/beheer/interventies/interventie/$"))
    expect(admin.locator(".messagelist")).to_contain_text("Multi Systeem Therapie")
    audit.check(admin, "beheer: na opslaan")
    mst.refresh_from_db()
    assert mst.age_min == 16
    publish_draft()  # the four-eyes review itself: tests/browser/test_content_versions.py

    page = browsing.new_page()
    log_in(page, professional)
    page.goto(f"/dossiers/{dossier.pk}/")
    expect_polite_live_region(page)
    # A new family has no child card yet: "Kind toevoegen" adds one and focuses it.
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#id_kind-0-first_name")).to_be_focused()

    def fill_child():
        page.fill("#id_kind-0-first_name", "Sem")
        page.fill("#id_kind-0-birth_date", birth_date(15))
        page.check('input[name="kind-0-problems"][value=ernstige_gedragsproblemen]')
        page.check('input[name="kind-0-problems"][value=problemen_meerdere_leefgebieden]')

    change_and_wait(page, fill_child)
    (sem,) = panel(page)
    assert sem["heading"] == "Sem (15 jaar)"
    assert MST not in sem["suggested"], sem
    assert MST not in suggested_part(page)
    (mst_line,) = [line for line in sem["excluded"] if line.startswith(f"{MST}:")]
    assert "leeftijd 15 valt buiten 16 t/m 18 jaar" in mst_line
    page.locator("#suggesties .excluded summary").first.click()
    expect(page.locator("#suggesties .excluded").first).to_contain_text(
        "leeftijd 15 valt buiten 16 t/m 18 jaar"
    )
    audit.check(page, "intake na inhoudswijziging (uitgeklapt 'Past niet')")
    screenshot(page, "intake-mst-past-niet")

    assert not browsing.failed_responses
    assert not browsing.console_errors
    audit.assert_clean()


def test_axe_check_reports_a_field_without_a_label(browsing, audit):
    page = browsing.new_page()
    page.goto("/inloggen/")
    assert audit.run(page) == []

    page.evaluate("document.querySelector('label[for=id_login]').remove()")
    violations = {v["id"]: v for v in audit.run(page)}
    assert "label" in violations, violations
    targets = [node["target"] for node in violations["label"]["nodes"]]
    assert ["#id_login"] in targets

    audit.check(page, "inloggen zonder label")
    assert "label" in "\n".join(audit.findings)
    with pytest.raises(AssertionError, match="#id_login"):
        audit.assert_clean()


def test_reflow_check_reports_a_page_that_scrolls_sideways_at_320_px(browsing, audit):
    page = browsing.new_page()
    page.goto("/inloggen/")
    audit.check(page, "inloggen")
    assert audit.findings == []
    assert "inloggen @320px" in audit.checked

    # Set through the CSSOM: the CSP refuses style="..." attributes.
    page.evaluate(
        """() => {
          const wide = document.createElement('p');
          wide.id = 'breed';
          wide.textContent = 'breed';
          wide.style.width = '600px';
          document.querySelector('main').append(wide);
        }"""
    )
    audit.check(page, "inloggen met breed blok")
    assert "reflow (WCAG 1.4.10)" in "\n".join(audit.findings)
    assert "p#breed" in "\n".join(audit.findings)
    assert page.viewport_size == {"width": 1280, "height": 900}  # put back


def test_error_messages_are_announced_with_their_fields(browsing, audit, professional):
    """The error states the journeys do not reach: axe-clean, each message tied to its field."""
    page = browsing.new_page()
    page.goto("/inloggen/")
    page.fill("#id_login", professional.username)
    page.fill("#id_password", "niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    audit.check(page, "inloggen: verkeerd wachtwoord")

    log_in(page, professional)
    page.goto("/dossiers/nieuw/")
    page.get_by_role("button", name="Gezin aanmaken").click()
    family_name = page.get_by_label("Gezinsnaam")
    expect(family_name).to_have_attribute("aria-invalid", "true")
    expect(family_name).to_have_accessible_description(
        re.compile(r"Bijvoorbeeld de achternaam van het gezin\..*verplicht")
    )
    audit.check(page, "nieuw gezin: zonder naam")

    page.fill("#id_family_name", "Fout-Browser")
    page.get_by_role("button", name="Gezin aanmaken").click()
    expect(page).to_have_url(INTAKE_URL)
    # A new family has no child card yet: "Kind toevoegen" adds one and focuses it.
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#id_kind-0-first_name")).to_be_focused()
    change_and_wait(page, lambda: page.fill("#id_kind-0-birth_date", birth_date(8)))
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_kind-0-first_name")).to_have_accessible_description(
        re.compile("verplicht")
    )
    audit.check(page, "intake: foutmeldingen")

    audit.assert_clean()


def test_gedragswetenschapper_reviews_plans_and_prints(
    browsing, audit, screenshot, screenshots_dir, noord, professional
):
    """Review (accept, decline with a reason, add with a rationale), plan, set and print."""
    dossier, snapshot = submitted_dossier(
        team=noord, submitter=professional, family_name="Bakker-Browser"
    )
    reviewer = UserFactory(
        gedragswetenschapper=True,
        teams=[noord],
        username="gw-noord",
        first_name="Gea",
        last_name="Wet",
    )
    suggested = snapshot.result["children"][0]["suggestions"]
    assert suggested[0]["code"] == "MST"
    declined = suggested[1]
    added = next(e for e in snapshot.result["children"][0]["excluded"] if e["code"] == "MDFT")
    review_url = f"/dossiers/{dossier.pk}/beoordeling/"
    plan_url = f"/dossiers/{dossier.pk}/plan/"

    def decision_form(page, code):
        return page.locator("form").filter(has=page.locator(f"input[name=code][value='{code}']"))

    # The professional who submitted the dossier sees the review page, but cannot decide.
    own = browsing.new_page()
    log_in(own, professional)
    own.goto(review_url)
    expect(own.get_by_role("heading", level=1)).to_have_text("Beoordeling gezin Bakker-Browser")
    expect(
        own.get_by_role("status").filter(has_text="U heeft aan deze intake gewerkt")
    ).to_have_count(1)
    expect(own.locator("form.decision-form")).to_have_count(0)
    expect(own.locator("input[name=decision]")).to_have_count(0)
    expect(own.get_by_role("button", name=re.compile(r"^Overnemen"))).to_have_count(0)
    expect(own.get_by_role("button", name=re.compile(r"toevoegen$"))).to_have_count(0)
    audit.check(own, "beoordeling: indiener (alleen bekijken)")
    screenshot(own, "beoordeling-indiener")

    page = browsing.new_page()
    log_in(page, reviewer)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beoordelen").click()
    expect(page).to_have_url(re.compile(r".*/dossiers/beoordelen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Te beoordelen")
    row = page.locator("tbody tr", has_text="Bakker-Browser")
    expect(row).to_contain_text("sinds vandaag")
    audit.check(page, "beoordelen: wachtrij")
    screenshot(page, "beoordelen-wachtrij")

    row.get_by_role("link", name="Bakker-Browser").click()
    expect(page).to_have_url(re.compile(rf".*{review_url}$"))
    expect(decision_form(page, "MST")).to_have_count(1)
    audit.check(page, "beoordeling: open")
    screenshot(page, "beoordeling-open")

    # Accept MST: saved in place (htmx), the focus stays on the row's button.
    mst = page.locator("#rij-0-MST")
    mst.get_by_role("button", name=re.compile(r"^Overnemen")).click()
    expect(mst).to_contain_text("Overgenomen")
    expect(page.locator("#ok-rij-0-MST")).to_be_focused()
    expect(page.locator("#voortgang-0")).to_contain_text(f"1 van {len(suggested)} beoordeeld")
    audit.check(page, "beoordeling: MST overgenomen")

    # Decline the next suggestion: first without a reason (the message is at the row),
    # then with a reason from the list and a comment.
    other = page.locator(f"#rij-0-{declined['code']}")
    other.locator("summary", has_text="Niet overnemen").click()
    other.locator(f"#nee-rij-0-{declined['code']}").click()
    expect(other.locator(".utrecht-form-field__error-message")).to_contain_text("Kies een reden")
    audit.check(page, "beoordeling: reden ontbreekt")
    other = page.locator(f"#rij-0-{declined['code']}")
    other.get_by_label("Reden").select_option(label="Het gezin wil het niet")
    other.get_by_label("Toelichting").fill("Het gezin wil liever eerst praten.")
    other.locator(f"#nee-rij-0-{declined['code']}").click()
    expect(other).to_contain_text("Niet overgenomen: het gezin wil het niet")
    expect(page.locator("#voortgang-0")).to_contain_text(f"2 van {len(suggested)} beoordeeld")
    audit.check(page, "beoordeling: niet overgenomen")

    # Add an intervention that was not suggested, with a rationale.
    excluded = page.locator("details.excluded").first
    excluded.locator("summary").click()
    expect(excluded).to_have_attribute("open", "")
    audit.check(page, "beoordeling: 'Niet voorgesteld' uitgeklapt")
    add = page.locator("form.add-form").first
    add.get_by_label("Welke interventie?").select_option("MDFT")
    add.get_by_label("Waarom kiest u deze toch?").fill("Er wordt ook geblowd.")
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".messages")).to_contain_text("De beslissing is vastgelegd.")
    chosen = page.locator("section", has=page.get_by_role("heading", name="Gekozen hulp"))
    expect(chosen).to_contain_text(f"Daan: {MST}")
    expect(chosen).to_contain_text(f"Daan: {added['name']}")
    expect(chosen).not_to_contain_text(declined["name"])
    page.locator("details.excluded summary").first.click()
    added_row = page.locator("details.excluded li", has_text=added["name"]).first
    expect(added_row).to_contain_text("Toegevoegd")
    audit.check(page, "beoordeling: na drie beslissingen")
    screenshot(page, "beoordeling-beslist")
    assert {
        (d.intervention_code, d.decision, d.reason, d.decided_by_id)
        for d in ReviewDecision.objects.filter(dossier=dossier)
    } == {
        ("MST", "accept", "", reviewer.pk),
        (declined["code"], "decline", "voorkeur_gezin", reviewer.pk),
        ("MDFT", "add", "", reviewer.pk),
    }

    # The plan: fill it in, save the concept, set it.
    chosen.get_by_role("link", name="Naar het hulpverleningsplan").click()
    expect(page).to_have_url(re.compile(rf".*{plan_url}$"))
    audit.check(page, "plan: opstellen")
    page.get_by_label("Samenhangend beeld van de problemen").fill(
        "Daan loopt vast thuis en op school; thuis is veel ruzie."
    )
    page.get_by_label("Doelen voor de korte termijn").fill("Minder ruzie thuis.")
    page.get_by_label("Doelen voor daarna").fill("Daan gaat weer elke dag naar school.")
    due = date.today() + timedelta(days=42)  # noqa: DTZ011 - a date in a form
    page.fill("#id_evaluatie-0-who", "Gedragswetenschapper, ouders en Daan")
    page.fill("#id_evaluatie-0-what", "Samen kijken of de doelen dichterbij komen")
    page.fill("#id_evaluatie-0-due_date", due.isoformat())
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Concept van versie 1 is opgeslagen.")
    expect(page.get_by_role("heading", name="Concept van versie 1")).to_be_visible()
    audit.check(page, "plan: concept opgeslagen")
    screenshot(page, "plan-concept")

    page.get_by_label("Doelen voor de korte termijn").fill("Minder ruzie thuis, en samen eten.")
    page.get_by_role("button", name="Vaststellen…").click()
    # The rest of the suggestions has no decision yet: the plan cannot be set, and the
    # confirmation says why (the edit is kept as the concept).
    rest = suggested[2:]
    expect(page.locator("main")).to_contain_text(
        f"Beoordeel eerst alle voorgestelde interventies: bij {len(rest)} "
    )
    expect(page.get_by_role("button", name="Ja, plan vaststellen")).to_have_count(0)
    audit.check(page, "plan: eerst alles beoordelen")
    page.goto(review_url)
    for item in rest:  # not for this family: declined, each with its reason
        row = page.locator(f"#rij-0-{item['code']}")
        row.locator("summary", has_text="Niet overnemen").click()
        row.get_by_label("Reden").select_option(label="Niet beschikbaar of wachtlijst")
        row.locator(f"#nee-rij-0-{item['code']}").click()
        expect(row).to_contain_text("Niet overgenomen")
    expect(page.locator("#voortgang-0")).to_contain_text(
        f"{len(suggested)} van {len(suggested)} beoordeeld"
    )
    page.goto(plan_url)
    expect(page.get_by_label("Doelen voor de korte termijn")).to_have_value(
        "Minder ruzie thuis, en samen eten."
    )
    page.get_by_role("button", name="Vaststellen…").click()
    expect(page.locator("main")).to_contain_text("Minder ruzie thuis, en samen eten.")
    expect(page.locator("main")).not_to_contain_text("Beoordeel eerst")
    audit.check(page, "plan: bevestigen")
    page.get_by_role("button", name="Ja, plan vaststellen").click()
    expect(page.locator(".messages")).to_contain_text("Het hulpverleningsplan is vastgesteld.")
    expect(page.get_by_role("heading", name="Vastgesteld plan (versie 1)")).to_be_visible()
    audit.check(page, "plan: vastgesteld")
    screenshot(page, "plan-vastgesteld")
    plan = Hulpverleningsplan.objects.get(dossier=dossier)
    assert plan.is_set and plan.set_by == reviewer
    assert plan.goals_short_term == "Minder ruzie thuis, en samen eten."  # the edit is kept
    assert {item["name"] for item in plan.interventions} == {MST, added["name"]}
    dossier.refresh_from_db()
    assert dossier.status == Status.VASTGESTELD

    # The printed plan for the family: the chosen help by name, no codes, no notes.
    page.get_by_role("link", name="Afdrukken voor het gezin").click()
    expect(page).to_have_url(re.compile(rf".*{plan_url}1/afdrukken/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ons plan voor de hulp aan gezin Bakker-Browser"
    )
    help_list = page.locator("section", has=page.get_by_role("heading", name="Welke hulp"))
    expect(help_list.locator(".help-name")).to_have_text([added["name"], MST])  # by code
    expect(page.locator("main")).to_contain_text("Samen kijken of de doelen dichterbij komen")
    audit.check(page, "afdruk voor het gezin")
    screenshot(page, "plan-afdruk")
    html = page.content()
    for internal in [
        "MST",
        "MDFT",
        declined["name"],
        "Het gezin wil liever eerst praten.",
        "Er wordt ook geblowd.",
        "Het gezin wil het niet",
        "voorkeur_gezin",
        "Gea Wet",
        "inhoudsversie",
    ]:
        assert internal not in html, internal
    assert not re.search(rf"\b{re.escape(declined['code'])}\b", html), declined["code"]

    # The same plan as a PDF, downloaded as the family's contact would: each child by name,
    # the chosen help and the contact person. The file (and, where poppler is installed, a
    # picture of its first page) is kept beside the screenshots.
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    kept = screenshots_dir / "plan-afdruk.pdf"
    kept.write_bytes(pdf)
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for child in dossier.children.all():
        assert child.first_name in text, child.first_name
    for name in (MST, added["name"]):
        assert name in text, name
    assert (professional.get_full_name() or professional.get_username()) in text
    assert declined["name"] not in text
    if pdftoppm := shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - a fixed local tool on a file this test wrote
            [
                pdftoppm,
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                kept,
                screenshots_dir / "plan-afdruk-pdf",
            ],
            check=True,
        )
        assert (screenshots_dir / "plan-afdruk-pdf.png").stat().st_size > 0

    assert not browsing.failed_responses
    assert not browsing.console_errors
    audit.assert_clean()
