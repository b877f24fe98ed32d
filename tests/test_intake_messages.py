"""The intake asks rather than assumes, and says what is wrong the same way in the live
panel and on save. A family name that already exists in the team is pointed out."""

from datetime import date

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.test_dossiers import intake_post, intake_url, teen_birth_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def professional(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.fixture
def client_noord(client, professional):
    client.force_login(professional)
    return client


def create_family(client, name: str, **extra):
    team = TeamFactory._meta.model.objects.get(slug="noord")
    return client.post(reverse("dossiers:new"), {"family_name": name, "team": team.pk, **extra})


def test_a_new_family_has_no_situation_chosen_and_no_empty_child(client_noord, noord):
    response = create_family(client_noord, "Nieuw")
    dossier = Dossier.objects.get(family_name="Nieuw")
    assert response.status_code == 302 and response["Location"] == intake_url(dossier)
    html = client_noord.get(intake_url(dossier)).content.decode()
    assert 'name="placement"' in html and "checked" not in html.split('id="kinderen"')[0]
    assert 'name="kind-TOTAL_FORMS" value="0"' in html
    assert "Dit kind verwijderen bij opslaan" not in html
    assert "Nog geen kinderen ingevuld." in html
    # The panel asks for what the suggestions need; it suggests nothing meanwhile.
    assert "Waar woont het kind nu?: Kies waar het kind nu woont." in html
    assert "Voeg een kind toe met zijn of haar geboortedatum." in html
    assert 'class="child-result"' not in html


def test_no_suggestions_for_a_situation_nobody_chose(client_noord, professional, noord):
    dossier = DossierFactory(team=noord, created_by=professional, placement="")
    html = client_noord.post(
        reverse("dossiers:autosave", args=[dossier.pk]),
        intake_post(dossier, placement=""),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'href="#id_placement_0">Waar woont het kind nu?: Kies waar het kind nu woont.' in html
    assert 'class="child-result"' not in html
    assert "Nog geen suggesties — bekijk" in html
    chosen = client_noord.post(
        reverse("dossiers:autosave", args=[dossier.pk]),
        intake_post(dossier),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'class="child-result"' in chosen and "panel-problems" not in chosen
    assert "passend voor Daan — bekijk" in chosen
    assert "Automatisch bewaard om " in chosen


def test_adding_a_child_gives_a_card_without_a_delete_box(client_noord, professional, noord):
    dossier = DossierFactory(team=noord, created_by=professional)
    data = intake_post(dossier, action="add_child", children=[])
    html = client_noord.post(intake_url(dossier), data, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="id_kind-0-first_name"' in html and "autofocus" in html
    assert "Dit kind verwijderen bij opslaan" not in html


@pytest.mark.parametrize(
    ("child", "message"),
    [
        (
            {"first_name": "Mila", "birth_date": f"01-01-{date.today().year + 1}"},  # noqa: DTZ011
            "Kind 1 (Mila): Geboortedatum: De geboortedatum ligt in de toekomst.",
        ),
        (
            {"first_name": "Mila", "birth_date": "31-02-2020"},
            "Kind 1 (Mila): Geboortedatum: Deze datum bestaat niet: februari 2020 heeft 29 dagen.",
        ),
        (
            {"first_name": "Mila", "birth_date": "2015-13-01"},
            "Kind 1 (Mila): Geboortedatum: Deze datum bestaat niet: er is geen maand 13.",
        ),
        (
            {"first_name": "Mila", "birth_date": "21 maart"},
            "Kind 1 (Mila): Geboortedatum: Vul de datum in als dag-maand-jaar, "
            "bijvoorbeeld 21-03-2015.",
        ),
        (
            {"first_name": "Mila", "birth_date": ""},
            "Kind 1 (Mila): Geboortedatum: Vul de geboortedatum in.",
        ),
        (
            {"first_name": "M" * 101, "birth_date": teen_birth_date(8)},
            "Voornaam: Zorg dat deze waarde niet meer dan 100 tekens bevat (het zijn er nu 101).",
        ),
    ],
    ids=["future", "31-02", "month-13", "not-a-date", "missing", "too-long"],
)
def test_the_panel_and_saving_say_the_same(client_noord, professional, noord, child, message):
    dossier = DossierFactory(team=noord, created_by=professional)
    panel = client_noord.post(
        reverse("dossiers:autosave", args=[dossier.pk]),
        intake_post(dossier, children=[child]),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    saved = client_noord.post(intake_url(dossier), intake_post(dossier, children=[child]))
    page = saved.content.decode()
    assert saved.status_code == 200  # not saved: the form is shown again
    assert message in panel
    summary = page.split('class="utrecht-alert utrecht-alert--error error-summary"')[1]
    assert message in summary.split("</ul>")[0]
    assert message in page.split('id="suggesties"')[1]  # the panel after the save says it too
    assert "Niet opgeslagen: 1 veld klopt nog niet" in page
    dossier.refresh_from_db()
    assert dossier.version == 1
    assert "2015-03-21" not in panel + page


def test_length_limits_are_shown_at_the_field_and_kept_by_the_input(
    client_noord, professional, noord
):
    dossier = DossierFactory(team=noord, created_by=professional)
    html = client_noord.get(intake_url(dossier)).content.decode()
    assert 'maxlength="100"' in html
    assert 'id="id_family_name_helptext">Maximaal 100 tekens.</p>' in html
    assert "Maximaal 20.000 tekens." in html
    new = client_noord.get(reverse("dossiers:new")).content.decode()
    assert "Bijvoorbeeld de achternaam van het gezin. Maximaal 100 tekens." in new
    too_long = create_family(client_noord, "B" * 101).content.decode()
    assert "niet meer dan 100 tekens" in too_long
    assert not Dossier.objects.filter(family_name__startswith="BBBB").exists()


def test_a_family_name_already_in_the_team_is_pointed_out(client_noord, professional, noord):
    existing = DossierFactory(team=noord, created_by=professional, family_name="Bakker")
    DossierFactory(team=TeamFactory(name="Zuid", slug="zuid"), family_name="Visser")
    response = create_family(client_noord, " bakker ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bestaat dit gezin al?" in html
    assert f'href="{intake_url(existing)}"' in html
    assert Dossier.objects.filter(family_name__iexact="bakker").count() == 1
    # Another team's family of the same name is not shown, nor that it exists.
    other = create_family(client_noord, "Visser")
    assert other.status_code == 302
    assert Dossier.objects.filter(family_name="Visser").count() == 2
    # A different family with the same name can still be created, on purpose.
    again = create_family(client_noord, "Bakker", toch_nieuw="1")
    assert again.status_code == 302
    assert Dossier.objects.filter(family_name__iexact="bakker").count() == 2
