"""Family dossiers and the intake: team scoping, live suggestions, autosave, conflicts."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Dossier, IntakeDraft, Status, SuggestionSnapshot
from interventies.models import Interventie
from interventies.selectors import current_catalogue
from tests.factories import DossierFactory, JeugdigeFactory, TeamFactory, UserFactory
from tests.helpers import publish_draft
from toegang.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def zuid():
    return TeamFactory(name="Zuid", slug="zuid")


@pytest.fixture
def professional(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.fixture
def client_noord(client, professional):
    client.force_login(professional)
    return client


@pytest.fixture
def dossier(noord, professional):
    return DossierFactory(team=noord, created_by=professional, family_name="Bakker")


def teen_birth_date(age: int) -> str:
    today = date.today()  # noqa: DTZ011 - whole years are all that matter here
    return date(today.year - age, 1, 1).isoformat()


def intake_post(dossier, *, action="save", children=None, **fields):
    """The intake form as a browser posts it."""
    children = (
        children
        if children is not None
        else [
            {
                "first_name": "Daan",
                "birth_date": teen_birth_date(15),
                "problems": ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"],
            }
        ]
    )
    data = {
        "action": action,
        "version": str(dossier.version),
        "family_name": dossier.family_name,
        "placement": "uithuisplaatsing_overwogen",
        "family_problems": [],
        "verklarende_analyse": "Eerder geprobeerd: opvoedondersteuning.",
        "kind-TOTAL_FORMS": str(len(children)),
        "kind-INITIAL_FORMS": "0",
        "ouder-TOTAL_FORMS": "1",
        "ouder-INITIAL_FORMS": "0",
        "ouder-0-name": "Anja Bakker",
        "ouder-0-relation": "moeder",
        "netwerk-TOTAL_FORMS": "1",
        "netwerk-INITIAL_FORMS": "0",
        "netwerk-0-name": "Oma Bakker",
        "netwerk-0-relation": "oma",
        "netwerk-0-is_mentor": "on",
    }
    for i, child in enumerate(children):
        for key, value in child.items():
            data[f"kind-{i}-{key}"] = value
    data.update(fields)
    return data


def intake_url(dossier):
    return reverse("dossiers:intake", args=[dossier.pk])


# ---------------------------------------------------------------- login and scoping


def test_everything_but_the_login_page_needs_a_login(client, dossier):
    for url in [reverse("dossiers:list"), intake_url(dossier), reverse("dossiers:new"), "/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Inloggen" in page.content.decode()
    assert 'lang="nl"' in page.content.decode()


def test_login_and_logout_in_the_browser_path(client, professional):
    from accounts.mfa import totp_code
    from accounts.services import authenticator_app_set

    authenticator_app_set(user=professional, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = client.post(
        reverse("login"), {"login": professional.username, "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    code = totp_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("dossiers:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dossiers:list")).status_code == 302
    wrong = client.post(reverse("login"), {"login": professional.username, "password": "fout"})
    assert "klopt niet" in wrong.content.decode()


def test_the_list_shows_only_the_users_teams(client_noord, noord, zuid, dossier):
    other = DossierFactory(team=zuid, family_name="Zuiderling")
    page = client_noord.get(reverse("dossiers:list")).content.decode()
    assert "Bakker" in page
    assert "Zuiderling" not in page
    assert (
        client_noord.post(reverse("dossiers:list"), {"q": "Zuider"}).context["page"].paginator.count
        == 0
    )
    # The other team's dossier does not exist for this user.
    assert client_noord.get(intake_url(other)).status_code == 404
    assert client_noord.post(reverse("dossiers:autosave", args=[other.pk]), {}).status_code == 404
    assert client_noord.post(intake_url(other), intake_post(other)).status_code == 404
    assert client_noord.post(reverse("dossiers:discard_draft", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.version == 1 and not IntakeDraft.objects.filter(dossier=other).exists()


def test_search_filter_mine_and_pagination(client_noord, noord, professional):
    colleague = UserFactory(professional=True, teams=[noord])
    DossierFactory.create_batch(30, team=noord, created_by=colleague, family_name="Visser")
    DossierFactory(team=noord, created_by=professional, family_name="Mulder", submitted=True)
    url = reverse("dossiers:list")
    first = client_noord.get(url).context["page"]
    assert first.paginator.count == 31 and len(first.object_list) == 25
    assert first.object_list[0].family_name == "Mulder"  # newest activity first
    assert len(client_noord.post(url, {"pagina": 2}).context["page"].object_list) == 6
    assert client_noord.post(url, {"q": "mul"}).context["page"].paginator.count == 1
    assert (
        client_noord.post(url, {"status": "ter_beoordeling"}).context["page"].paginator.count == 1
    )
    assert client_noord.post(url, {"mijn": "1"}).context["page"].paginator.count == 1
    # A name in the URL is ignored: searching only works by posting the form.
    assert client_noord.get(url, {"q": "mul"}).context["page"].paginator.count == 31


def test_the_search_answers_htmx_with_the_results_only(client_noord, dossier):
    response = client_noord.post(reverse("dossiers:list"), {"q": "Bak"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="results"' in html and "<html" not in html
    assert "Bakker" in html
    assert "HX-Request" in response["Vary"]
    # The search term is not logged; the search is, with the dossier it showed.
    row = AccessLog.objects.latest("id")
    assert row.action == "search" and row.dossier_id == dossier.pk


def test_content_admins_without_a_team_role_see_no_dossiers(client, dossier):
    client.force_login(UserFactory(content_admin=True))
    assert client.get(reverse("dossiers:list")).status_code == 403
    assert client.get(intake_url(dossier)).status_code == 404


# ---------------------------------------------------------------- creating and the intake


def test_creating_a_family_leads_to_its_intake(client_noord, noord, professional):
    response = client_noord.post(
        reverse("dossiers:new"), {"family_name": "De Jong", "team": noord.pk}
    )
    dossier = Dossier.objects.get(family_name="De Jong")
    assert response["Location"] == intake_url(dossier)
    assert str(dossier.pk) in response["Location"]  # a UUID, not a sequential id
    assert dossier.team == noord and dossier.status == Status.CONCEPT
    assert AccessLog.objects.filter(
        action="create", dossier_id=dossier.pk, user=professional
    ).exists()


def test_the_new_family_form_explains_problems_in_dutch(client_noord):
    response = client_noord.post(reverse("dossiers:new"), {"family_name": ""})
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Dossier.objects.exists()


def test_saving_the_intake_without_javascript(client_noord, dossier):
    response = client_noord.post(intake_url(dossier), intake_post(dossier))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.version == 2
    assert dossier.placement == "uithuisplaatsing_overwogen"
    assert [c.first_name for c in dossier.children.all()] == ["Daan"]
    assert [p.name for p in dossier.parents.all()] == ["Anja Bakker"]
    assert dossier.network.get().is_mentor
    page = client_noord.get(intake_url(dossier)).content.decode()
    assert "De gegevens zijn opgeslagen." in page
    assert "Multi Systeem Therapie" in page  # the suggestions for the saved family
    assert AccessLog.objects.filter(action="change", outcome="ok", dossier_id=dossier.pk).exists()


def test_preview_without_javascript_shows_suggestions_for_unsaved_input(client_noord, dossier):
    response = client_noord.post(intake_url(dossier), intake_post(dossier, action="preview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Multi Systeem Therapie" in html
    assert "Past niet" in html
    dossier.refresh_from_db()
    assert dossier.version == 1  # previewing saves nothing but the draft
    assert IntakeDraft.objects.filter(dossier=dossier).exists()


def test_the_htmx_partial_updates_as_problems_are_ticked(client_noord, dossier):
    url = reverse("dossiers:autosave", args=[dossier.pk])
    calm = client_noord.post(
        url,
        intake_post(dossier, children=[{"first_name": "Mila", "birth_date": teen_birth_date(6)}]),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in calm and "<section" not in calm  # only the panel's contents
    # The live status line is updated in place (out of band), so it is announced.
    assert '<p id="suggesties-status" hx-swap-oob="innerHTML">' in calm
    assert "Suggesties bijgewerkt: " in calm and "passend voor Mila" in calm
    assert "Families First" not in calm.split("Past niet")[0]

    crisis = client_noord.post(
        url,
        intake_post(
            dossier,
            children=[{"first_name": "Mila", "birth_date": teen_birth_date(6)}],
            crisis="on",
            family_problems=["opvoedingsproblemen"],
        ),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    suggested = crisis.split("Past niet")[0]
    assert "Families First" in suggested and "Ambulante Spoedhulp" in suggested
    assert "bedoeld bij een acute crisis, en die is er" in suggested


def test_the_partial_asks_for_a_birth_date_before_it_can_suggest(client_noord, dossier):
    html = client_noord.post(
        reverse("dossiers:autosave", args=[dossier.pk]),
        intake_post(dossier, children=[{"first_name": "Mila", "birth_date": "morgen"}]),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert (
        "Kind 1 (Mila): Geboortedatum: Vul de datum in als dag-maand-jaar, bijvoorbeeld 21-03-2015."
        in html
    )
    assert 'href="#id_kind-0-birth_date"' in html


def test_validation_messages_beside_the_field_and_in_a_summary(client_noord, dossier):
    response = client_noord.post(
        intake_post_url := intake_url(dossier),
        intake_post(dossier, children=[{"first_name": "", "birth_date": "2999-01-01"}]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "De geboortedatum ligt in de toekomst." in html
    assert "Dit veld is verplicht." in html
    assert 'href="#id_kind-0-birth_date"' in html  # the summary links to the field
    assert "Controleer 2 velden" in html
    dossier.refresh_from_db()
    assert dossier.version == 1 and not dossier.children.filter(first_name="").exists()
    assert intake_post_url


def test_adding_a_child_row_works_with_and_without_htmx(client_noord, dossier):
    data = intake_post(dossier, action="add_child")
    page = client_noord.post(intake_url(dossier), data).content.decode()
    assert 'name="kind-TOTAL_FORMS" value="2"' in page
    assert "Kind 2" in page
    partial = client_noord.post(intake_url(dossier), data, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert 'id="id_kind-1-first_name"' in partial.content.decode()


def test_removing_a_child(client_noord, dossier):
    two = [
        {"first_name": "Daan", "birth_date": teen_birth_date(15)},
        {"first_name": "Mila", "birth_date": teen_birth_date(6), "DELETE": "on"},
    ]
    client_noord.post(intake_url(dossier), intake_post(dossier, children=two))
    assert [c.first_name for c in dossier.children.all()] == ["Daan"]


# ---------------------------------------------------------------- nothing is lost


def test_autosave_restores_the_draft_when_coming_back(client_noord, dossier):
    client_noord.post(
        reverse("dossiers:autosave", args=[dossier.pk]),
        intake_post(dossier, children=[{"first_name": "Onaf", "birth_date": ""}]),
        HTTP_HX_REQUEST="true",
    )
    page = client_noord.get(intake_url(dossier)).content.decode()
    assert 'value="Onaf"' in page
    assert "U werkt verder waar u was" in page
    assert "Dit veld is verplicht" not in page  # a restored draft is not scolded
    client_noord.post(reverse("dossiers:discard_draft", args=[dossier.pk]))
    assert 'value="Onaf"' not in client_noord.get(intake_url(dossier)).content.decode()


def test_autosave_sends_only_the_save_state_when_the_suggestions_are_already_shown(
    client_noord, dossier
):
    from dossiers.models import IntakeDraft

    url = reverse("dossiers:autosave", args=[dossier.pk])
    page = client_noord.get(intake_url(dossier)).content.decode()
    first = client_noord.post(url, intake_post(dossier), HTTP_HX_REQUEST="true")
    shown = first["X-Shown-Suggestions"]
    assert len(shown) == 32 and "Multi Systeem Therapie" in first.content.decode()
    assert "X-Shown-Suggestions" in first["Vary"] and "HX-Reswap" not in first
    assert f'data-shown="{shown}"' not in page  # the page showed other (no) suggestions

    # Typing in a free-text field: the engine reads nothing of it, the panel stays.
    typed = intake_post(dossier, verklarende_analyse="Eerder geprobeerd: opvoedondersteuning, 2x")
    same = client_noord.post(url, typed, HTTP_HX_REQUEST="true", HTTP_X_SHOWN_SUGGESTIONS=shown)
    body = same.content.decode()
    assert same.status_code == 200 and same["HX-Reswap"] == "none"
    assert same["X-Shown-Suggestions"] == shown
    assert "Multi Systeem Therapie" not in body and 'class="child-result"' not in body
    assert 'id="bewaarstatus-tekst" hx-swap-oob' in body and "Automatisch bewaard" in body
    draft = IntakeDraft.objects.get(dossier=dossier)
    assert draft.data["verklarende_analyse"] == ["Eerder geprobeerd: opvoedondersteuning, 2x"]

    # A change the engine does read brings the new panel, and a new digest.
    older = {"first_name": "Daan", "birth_date": teen_birth_date(19), "problems": []}
    changed = client_noord.post(
        url,
        intake_post(dossier, children=[older]),
        HTTP_HX_REQUEST="true",
        HTTP_X_SHOWN_SUGGESTIONS=shown,
    )
    assert "HX-Reswap" not in changed and changed["X-Shown-Suggestions"] != shown
    assert 'class="child-result"' in changed.content.decode()

    # A digest the server never gave (stale page, or made up) only means: send it all.
    other = client_noord.post(
        url, intake_post(dossier), HTTP_HX_REQUEST="true", HTTP_X_SHOWN_SUGGESTIONS="x" * 32
    )
    assert "HX-Reswap" not in other and "Multi Systeem Therapie" in other.content.decode()

    # Coming back: the page says what it shows, so the next autosave can skip the panel.
    page = client_noord.get(intake_url(dossier)).content.decode()
    assert f'data-shown="{other["X-Shown-Suggestions"]}"' in page


def test_two_people_editing_get_a_conflict_instead_of_an_overwrite(client, noord, dossier):
    anna = UserFactory(professional=True, teams=[noord], first_name="Anna", last_name="Smit")
    bram = UserFactory(professional=True, teams=[noord])
    stale = intake_post(dossier, family_name="Bakker-Bram")

    client.force_login(anna)
    assert (
        client.post(
            intake_url(dossier), intake_post(dossier, family_name="Bakker-Anna")
        ).status_code
        == 302
    )

    client.force_login(bram)
    response = client.post(intake_url(dossier), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft dit dossier intussen opgeslagen" in html
    assert "Anna Smit" in html
    assert 'value="Bakker-Bram"' in html  # Bram's input is still on the page
    dossier.refresh_from_db()
    assert dossier.family_name == "Bakker-Anna"
    assert IntakeDraft.objects.filter(dossier=dossier, user=bram).exists()
    assert AccessLog.objects.filter(user=bram, outcome="conflict", dossier_id=dossier.pk).exists()


# ---------------------------------------------------------------- submitting


def test_submitting_stores_the_suggestions_as_shown_with_the_content_version(client_noord, dossier):
    response = client_noord.post(intake_url(dossier), intake_post(dossier, action="submit"))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.TER_BEOORDELING and dossier.submitted_at
    snapshot = SuggestionSnapshot.objects.get(dossier=dossier)
    catalogue = current_catalogue()
    assert snapshot.content_version == catalogue.version == snapshot.result["content_version"]
    assert snapshot.result["children"][0]["suggestions"][0]["code"] == "MST"
    assert AccessLog.objects.filter(action="submit", dossier_id=dossier.pk).exists()

    page = client_noord.get(intake_url(dossier)).content.decode()
    assert "Ter beoordeling" in page
    assert "Multi Systeem Therapie" in page
    assert "is gewijzigd sinds" not in page
    # Once submitted, the intake cannot be changed any more.
    client_noord.post(intake_url(dossier), intake_post(dossier, family_name="Anders"))
    dossier.refresh_from_db()
    assert dossier.family_name == "Bakker"


def test_a_double_clicked_submit_is_one_submission_and_says_what_happens_next(
    client_noord, dossier
):
    clicked = intake_post(dossier, action="submit")  # both posts carry the same version
    first = client_noord.post(intake_url(dossier), clicked, follow=True)
    second = client_noord.post(intake_url(dossier), clicked, follow=True)
    for response in (first, second):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Een gedragswetenschapper van team Noord beoordeelt nu de suggesties" in html
        assert "Iemand anders" not in html and "conflict" not in html.lower()
    assert SuggestionSnapshot.objects.filter(dossier=dossier).count() == 1
    assert AccessLog.objects.filter(action="submit", dossier_id=dossier.pk).count() == 1


def test_the_dossier_says_when_the_content_changed_since(client_noord, dossier):
    client_noord.post(intake_url(dossier), intake_post(dossier, action="submit"))
    item = Interventie.objects.get(code="MST")
    item.age_min = 11
    item.save()
    page = client_noord.get(intake_url(dossier)).content.decode()
    assert "De inhoud van de richtlijnen is gewijzigd" not in page  # only a draft so far
    publish_draft()
    page = client_noord.get(intake_url(dossier)).content.decode()
    assert "De inhoud van de richtlijnen is gewijzigd sinds deze suggesties zijn opgeslagen" in page


def test_submitting_without_a_child_is_refused_with_a_message(client_noord, noord, professional):
    empty = DossierFactory(team=noord, created_by=professional, without_children=True)
    response = client_noord.post(
        intake_url(empty), intake_post(empty, action="submit", children=[]), follow=True
    )
    assert "Voeg eerst minstens één kind toe." in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == Status.CONCEPT


# ---------------------------------------------------------------- queries do not grow


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_intake_use_the_same_queries_for_10_and_1000_dossiers(
    client_noord, noord, professional
):
    dossiers = DossierFactory.create_batch(10, team=noord, created_by=professional)
    JeugdigeFactory(dossier=dossiers[0])
    client_noord.get(intake_url(dossiers[0]))  # warm the catalogue cache
    small = (
        count_queries(client_noord, reverse("dossiers:list")),
        count_queries(client_noord, intake_url(dossiers[0])),
    )
    DossierFactory.create_batch(990, team=noord, created_by=professional, children=[])
    large = (
        count_queries(client_noord, reverse("dossiers:list")),
        count_queries(client_noord, intake_url(dossiers[0])),
    )
    assert small == large


# ---------------------------------------------------------------- demo data


def test_seed_demo_builds_teams_users_and_families(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    assert Dossier.objects.filter(team__slug="noord").exists()
    assert Dossier.objects.filter(team__slug="zuid").exists()
    assert 18 <= Dossier.objects.count() <= 25
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    never_submitted = [Status.CONCEPT, Status.INGETROKKEN]
    assert (
        SuggestionSnapshot.objects.count()
        == Dossier.objects.exclude(status__in=never_submitted).count()
    )
    call_command("seed_demo", stdout=None)  # a second run adds nothing
    assert Dossier.objects.count() <= 25
    privacy = get_user_model().objects.get(username="demo-privacy")
    assert set(privacy.groups.values_list("name", flat=True)) == {"Privacyfunctionaris"}
    assert not privacy.teams.exists() and not privacy.is_staff


def test_demo_users_log_in_with_the_published_demo_app(client, settings):
    """Every demo user has the authenticator app with the README's demo secret (and
    recovery codes); a second seed_demo keeps it rather than making another."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt
    from django.contrib.auth import get_user_model

    from accounts.mfa import totp_code
    from accounts.services import DEMO_TOTP_SECRET
    from dossiers.demo import DEMO_PASSWORD

    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    demo_users = get_user_model().objects.filter(username__startswith="demo-")
    assert demo_users.count() >= 5
    for user in demo_users:
        apps = Authenticator.objects.filter(user=user, type="totp")
        assert apps.count() == 1, user.username
        assert decrypt(apps.get().data["secret"]) == DEMO_TOTP_SECRET
        assert Authenticator.objects.filter(user=user, type="recovery_codes").count() == 1
    client.post(reverse("login"), {"login": "demo-gw-noord", "password": DEMO_PASSWORD})
    code = totp_code(DEMO_TOTP_SECRET)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("beoordeling:queue")).status_code == 200


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
