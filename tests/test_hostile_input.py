"""Hostile input: random and oversized data posted to every form of the app.

No server error, nothing half-saved. In CI each form gets 500 examples on PostgreSQL and
200 on SQLite (RICHTSNOER_FUZZ_EXAMPLES overrides; locally the default is smaller).
"""

import os

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.models import Dossier
from tests.factories import PASSWORD, DossierFactory, TeamFactory, UserFactory
from tests.test_dossiers import intake_post

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("RICHTSNOER_FUZZ_EXAMPLES", "1000" if os.environ.get("CI") else "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

oversized = st.builds(
    lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(1_000, 60_000)
)  # a browser can only send what UTF-8 encodes (no lone surrogates)
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "2999-12-31",
            "1900-01-01",
            "0000-00-00",
            "-1",
            "99999999999999999999",
            "NaN",
            "thuis",
            "uithuisplaatsing_overwogen",
            "schulden",
            "on",
            "true",
            "🙂" * 50,
        ]
    ),
    oversized,
)
values = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))


def form_data(keys):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(keys, values))


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def setup(client):
    team = TeamFactory(name="Noord", slug="noord")
    user = UserFactory(professional=True, teams=[team])
    gw = UserFactory(gedragswetenschapper=True, teams=[team])
    dossier = DossierFactory(team=team, created_by=user, family_name="Fuzz")
    client.force_login(user)
    return {"client": client, "team": team, "user": user, "gw": gw, "dossier": dossier}


INTAKE_KEYS = [
    "action",
    "version",
    "family_name",
    "crisis",
    "placement",
    "family_problems",
    "verklarende_analyse",
    "kind-TOTAL_FORMS",
    "kind-INITIAL_FORMS",
    "kind-0-first_name",
    "kind-0-birth_date",
    "kind-0-problems",
    "kind-0-DELETE",
    "kind-1-birth_date",
    "ouder-TOTAL_FORMS",
    "ouder-0-name",
    "ouder-0-relation",
    "netwerk-TOTAL_FORMS",
    "netwerk-0-name",
    "netwerk-0-is_mentor",
]


def test_intake_save_survives_anything_and_never_half_saves(setup):
    client, dossier = setup["client"], setup["dossier"]
    url = reverse("dossiers:intake", args=[dossier.pk])

    @FUZZ
    @given(changes=form_data(INTAKE_KEYS), base=st.booleans())
    def run(changes, base):
        dossier.refresh_from_db()
        before = (dossier.version, list(dossier.children.values_list("first_name", "birth_date")))
        data = {**(intake_post(dossier) if base else {}), **changes}
        response = client.post(url, data)
        assert_no_server_error(response)
        dossier.refresh_from_db()
        after = (dossier.version, list(dossier.children.values_list("first_name", "birth_date")))
        action = data.get("action", "save")
        if isinstance(action, list):  # posted as several values: Django reads the last
            action = action[-1] if action else "save"
        writes = action not in {"preview", "add_child", "add_parent", "add_network"}
        if response.status_code == 302 and writes:
            assert after[0] == before[0] + 1
        else:
            assert after == before  # nothing at all was written

    run()


def test_autosave_survives_anything(setup):
    client, dossier = setup["client"], setup["dossier"]
    url = reverse("dossiers:autosave", args=[dossier.pk])

    @FUZZ
    @given(changes=form_data(INTAKE_KEYS))
    def run(changes):
        assert_no_server_error(client.post(url, changes, HTTP_HX_REQUEST="true"))

    run()


def test_new_family_form_survives_anything(setup):
    client = setup["client"]
    url = reverse("dossiers:new")

    @FUZZ
    @given(changes=form_data(["family_name", "team"]))
    def run(changes):
        count = Dossier.objects.count()
        response = client.post(url, changes)
        assert_no_server_error(response)
        assert Dossier.objects.count() == count + (1 if response.status_code == 302 else 0)

    run()


def test_search_survives_anything(setup):
    client = setup["client"]
    url = reverse("dossiers:list")

    @FUZZ
    @given(changes=form_data(["q", "status", "mijn", "pagina"]), htmx=st.booleans())
    def run(changes, htmx):
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        assert_no_server_error(client.post(url, changes, **extra))
        assert_no_server_error(client.get(url, changes))

    run()


def test_access_log_period_survives_anything(setup):
    client, dossier = setup["client"], setup["dossier"]
    client.force_login(setup["gw"])
    url = reverse("toegang:access_log", args=[dossier.pk])

    @FUZZ
    @given(changes=form_data(["van", "tot", "pagina"]))
    def run(changes):
        assert_no_server_error(client.get(url, changes))

    run()


def test_login_form_survives_anything(client):
    url = reverse("login")

    @FUZZ
    @given(changes=form_data(["login", "password", "next"]))
    def run(changes):
        assert_no_server_error(client.post(url, changes))

    run()


def test_the_code_step_and_the_app_set_up_survive_anything(client):
    """Step 2 of the login and the set-up of the app: no input gives a server error, and
    none gets anyone in."""
    with_app = UserFactory(professional=True, authenticator_app=True)
    without = UserFactory(professional=True)

    @FUZZ
    @given(changes=form_data(["code", "next"]))
    def run(changes):
        cache.clear()  # rate limits (wrong codes, logins per minute) would end the run early
        client.logout()
        client.post(reverse("login"), {"login": with_app.username, "password": PASSWORD})
        assert_no_server_error(client.post(reverse("mfa_authenticate"), changes))
        assert client.get(reverse("dossiers:list")).status_code == 302
        client.logout()
        client.post(reverse("login"), {"login": without.username, "password": PASSWORD})
        client.get(reverse("mfa_activate_totp"))
        assert_no_server_error(client.post(reverse("mfa_activate_totp"), changes))

    run()


@pytest.mark.parametrize("name", ["x" * 300, "a\x00b", "🙂" * 200])
def test_login_with_a_hostile_user_name_is_refused_cleanly(client, name):
    response = client.post(reverse("login"), {"login": name, "password": "fout"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "klopt niet" in html or "niet meer dan 150 tekens" in html or "Null-tekens" in html


ADMIN_KEYS = [
    "code",
    "name",
    "kind",
    "doelgroep",
    "age_min",
    "age_max",
    "age_max_inclusive",
    "age_wording",
    "crisis",
    "problems_all",
    "problems_any",
    "placements",
    "recognition",
    "level",
    "classification_wording",
    "in_databank",
    "research",
    "sources",
    "note",
    "position",
    "goal",
    "duration",
]


def test_admin_content_form_survives_anything_and_saves_only_valid_content(client):
    from interventies.models import Interventie
    from richtlijnen.content import content_bundle_from_db
    from tests.test_admin import change_url, post_data

    client.force_login(UserFactory(content_admin=True))
    url = change_url("MST")
    base = post_data(client.get(url))

    @FUZZ
    @given(changes=form_data(ADMIN_KEYS))
    def run(changes):
        before = Interventie.objects.filter(code="MST").values().first()
        response = client.post(url, {**base, **changes})
        assert_no_server_error(response)
        if response.status_code == 302:
            content_bundle_from_db()  # what was saved is still valid content
        else:
            assert Interventie.objects.filter(code="MST").values().first() == before

    run()


@pytest.fixture
def review_setup(client):
    from tests.helpers import planned_dossier, submitted_dossier

    team = TeamFactory(name="Noord", slug="noord")
    prof = UserFactory(professional=True, teams=[team])
    gw = UserFactory(gedragswetenschapper=True, teams=[team])
    submitted, _snapshot = submitted_dossier(team=team, submitter=prof)
    planned, _plan, moment = planned_dossier(team=team, submitter=prof, reviewer=gw)
    client.force_login(gw)
    return {"client": client, "submitted": submitted, "planned": planned, "moment": moment}


def test_review_decision_form_survives_anything(review_setup):
    from beoordeling.models import ReviewDecision

    client, dossier = review_setup["client"], review_setup["submitted"]
    url = reverse("beoordeling:review", args=[dossier.pk])

    @FUZZ
    @given(changes=form_data(["child_index", "code", "decision", "reason", "comment"]))
    def run(changes):
        count = ReviewDecision.objects.count()
        response = client.post(url, changes)
        assert_no_server_error(response)
        assert ReviewDecision.objects.count() == count + (response.status_code == 302)

    run()


def test_plan_form_survives_anything(review_setup):
    client, dossier = review_setup["client"], review_setup["submitted"]
    url = reverse("beoordeling:plan", args=[dossier.pk])
    keys = [
        "action",
        "problem_picture",
        "goals_short_term",
        "goals_long_term",
        "end_date_prognosis",
        "omgangsregeling",
        "evaluatie-TOTAL_FORMS",
        "evaluatie-INITIAL_FORMS",
        "evaluatie-0-who",
        "evaluatie-0-what",
        "evaluatie-0-due_date",
        "evaluatie-0-DELETE",
    ]

    @FUZZ
    @given(changes=form_data(keys))
    def run(changes):
        assert_no_server_error(client.post(url, changes))

    run()


def test_evaluation_form_survives_anything(review_setup):
    from beoordeling.models import EvaluationRecord

    client, dossier, moment = (
        review_setup["client"],
        review_setup["planned"],
        review_setup["moment"],
    )
    url = reverse("beoordeling:evaluation", args=[dossier.pk, moment.pk])

    @FUZZ
    @given(changes=form_data(["result", "summary", "next_step"]))
    def run(changes):
        response = client.post(url, changes)
        assert_no_server_error(response)
        if EvaluationRecord.objects.filter(moment=moment).exists():
            EvaluationRecord.objects.filter(moment=moment).delete()  # try again next example
            from dossiers.models import Dossier, Status

            Dossier.objects.filter(pk=dossier.pk).update(status=Status.VASTGESTELD)

    run()


def test_searching_for_a_nul_character_is_no_server_error(setup):
    response = setup["client"].post(reverse("dossiers:list"), {"q": "Fu\x00zz"})
    assert response.status_code == 200
    assert response.context["query"] == "Fuzz"
