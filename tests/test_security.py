"""Security: the permission matrix over every URL, the append-only access log, hardening."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cdshooks.spec import SERVICE_ID
from dossiers.models import Dossier, IntakeDraft, Status
from impact.models import ImpactRun
from tests.conftest import ROOT
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import planned_dossier, submitted_dossier
from toegang.audit import audit_system
from toegang.models import AccessLog, AppendOnlyError

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "prof_own", "prof_other", "gw_own", "gw_other", "content_admin"]
LOGIN = "login"


ACCOUNT_PAGES = ("account_", "mfa_", "socialaccount_", "openid_connect_", "admin_login")


def content_only(status: int) -> dict:
    """Content admins get ``status``; everyone else is refused (or sent to log in)."""
    return dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN, "content_admin": status}


# What each role gets for each URL and method. Every URL in the URLconf must be here:
# a new view without an entry fails this test until someone decides who may use it.
# Values: a status code, or "login" (redirect to the login page).
EXPECTED = {
    ("home", "GET"): dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN},
    ("login", "GET"): dict.fromkeys(ROLES, 302) | {"anonymous": 200},
    ("logout", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": 302},  # asks to confirm
    # Account pages (django-allauth, accounts/urls.py). No family data on any of them: open
    # pages to log in and reset a password; the rest for the signed-in account itself. The
    # users here have no authenticator app (force_login stands in for both steps).
    ("account_login", "GET"): dict.fromkeys(ROLES, 302) | {"anonymous": 200},
    ("account_logout", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    ("account_signup", "POST"): dict.fromkeys(ROLES, 302) | {"anonymous": 200},  # "closed"
    ("account_inactive", "GET"): dict.fromkeys(ROLES, 200),
    ("account_reauthenticate", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("account_change_password", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("account_reset_password", "GET"): dict.fromkeys(ROLES, 200),
    ("account_reset_password_done", "GET"): dict.fromkeys(ROLES, 200),
    ("account_reset_password_from_key", "GET"): dict.fromkeys(ROLES, 200),  # "link invalid"
    ("account_reset_password_from_key_done", "GET"): dict.fromkeys(ROLES, 200),
    ("admin_login_redirect", "GET"): dict.fromkeys(ROLES, 302),
    ("mfa_index", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("mfa_activate_totp", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("mfa_authenticate", "GET"): dict.fromkeys(ROLES, 302) | {"anonymous": 302},
    ("mfa_reauthenticate", "GET"): dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN},
    ("mfa_deactivate_totp", "POST"): dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN},
    ("mfa_view_recovery_codes", "GET"): dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN},
    ("mfa_download_recovery_codes", "GET"): dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN},
    ("mfa_generate_recovery_codes", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    # Single sign-on is off here (no RICHTSNOER_OIDC_ISSUER): its pages do not exist.
    ("openid_connect_login", "GET"): dict.fromkeys(ROLES, 404),
    ("openid_connect_callback", "GET"): dict.fromkeys(ROLES, 404),
    ("socialaccount_login_cancelled", "GET"): dict.fromkeys(ROLES, 200),
    ("socialaccount_login_error", "GET"): dict.fromkeys(ROLES, 401) | {"anonymous": LOGIN},
    # For load balancers and Prometheus: no login; /metrics/ only from allowed networks
    # (the test client is 127.0.0.1; other addresses get 404, see tests/test_ops.py).
    ("ops:health", "GET"): dict.fromkeys(ROLES, 200),
    ("ops:metrics", "GET"): dict.fromkeys(ROLES, 200),
    ("dossiers:list", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 200,
        "gw_own": 200,
        "gw_other": 200,
        "content_admin": 403,
    },
    ("dossiers:list", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 200,
        "gw_own": 200,
        "gw_other": 200,
        "content_admin": 403,
    },
    ("dossiers:new", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 200,
        "gw_own": 403,
        "gw_other": 403,
        "content_admin": 403,
    },
    ("dossiers:intake", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("dossiers:intake", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("dossiers:autosave", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 403,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("dossiers:discard_draft", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 302,
        "prof_other": 404,
        "gw_own": 403,
        "gw_other": 404,
        "content_admin": 404,
    },
    # A post without confirmation shows the confirmation page.
    ("dossiers:withdraw", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 403,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("dossiers:discard_leftover_drafts", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("toegang:access_log", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("toegang:access_log_csv", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:queue", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 403,
        "gw_own": 200,
        "gw_other": 200,
        "content_admin": 403,
    },
    ("beoordeling:evaluations", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 200,
        "gw_own": 200,
        "gw_other": 200,
        "content_admin": 403,
    },
    ("beoordeling:review", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:review", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 400,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:review_accept_rest", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:review_accept_rest", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 302,
        "gw_other": 404,
        "content_admin": 404,
    },
    # Tried after the bulk accept above, so nothing is missing: on to the plan.
    ("beoordeling:review_finish", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 302,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:plan", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:plan", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 403,
        "prof_other": 404,
        "gw_own": 400,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:plan_version", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:plan_print", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:plan_pdf", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:evaluation", "GET"): {
        "anonymous": LOGIN,
        "prof_own": 200,
        "prof_other": 404,
        "gw_own": 200,
        "gw_other": 404,
        "content_admin": 404,
    },
    ("beoordeling:evaluation", "POST"): {
        "anonymous": LOGIN,
        "prof_own": 400,
        "prof_other": 404,
        "gw_own": 400,
        "gw_other": 404,
        "content_admin": 404,
    },
    # Content versions (#11): content admins only; nobody's family data on these pages.
    ("inhoud:versions", "GET"): content_only(200),
    ("inhoud:version", "GET"): content_only(200),
    # Version 1 is in use: restoring it is refused with a message (a redirect).
    ("inhoud:restore", "POST"): content_only(302),
    ("inhoud:review", "GET"): content_only(200),
    # An empty post chooses no action: the page again with a message.
    ("inhoud:review", "POST"): content_only(400),
    ("inhoud:impact", "GET"): content_only(200),
    # CDS Hooks: for machines with a signed JWT; a logged-in session counts for nothing.
    ("cdshooks:discovery", "GET"): dict.fromkeys(ROLES, 401),
    ("cdshooks:service", "POST"): dict.fromkeys(ROLES, 401),
    ("cdshooks:feedback", "POST"): dict.fromkeys(ROLES, 401),
    # What the reviewers' decisions teach: for content admins only (no personal data).
    ("inzicht:overview", "GET"): dict.fromkeys(ROLES, 403)
    | {"anonymous": LOGIN, "content_admin": 200},
    # The catalogue pages hold no family data: every care role and content admins read them.
    ("interventies:list", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("interventies:detail", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    ("richtlijnen", "GET"): dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN},
    # The organisation's access log: the privacy officer only (test_privacy_officer.py);
    # every care and content role is refused, and the refusal is logged.
    ("toegangslog:overview", "GET"): dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN},
    ("toegangslog:export", "GET"): dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN},
}
# The privacy officer reads the organisation's log and nothing else that is not open.
PRIVACY_OFFICER_PAGES = {("toegangslog:overview", "GET"), ("toegangslog:export", "GET")}
# For case systems with a signed JWT only (CDS Hooks): every session gets 401.
MACHINE_ONLY = {"cdshooks:discovery", "cdshooks:service", "cdshooks:feedback"}
# Which dossier each URL is tried on (the concept one unless named here).
TARGET = {
    "dossiers:discard_leftover_drafts": "submitted",
    "beoordeling:review": "submitted",
    "beoordeling:review_accept_rest": "submitted",
    "beoordeling:review_finish": "submitted",
    "beoordeling:plan": "submitted",
    "beoordeling:plan_version": "planned",
    "beoordeling:plan_print": "planned",
    "beoordeling:plan_pdf": "planned",
    "beoordeling:evaluation": "planned",
}
# Views that answer only POST (GET gives 405) or only GET.
GET_NOT_ALLOWED = {
    "dossiers:autosave",
    "dossiers:discard_draft",
    "dossiers:withdraw",
    "dossiers:discard_leftover_drafts",
    "inhoud:restore",
    "beoordeling:review_finish",
}


def url_names(patterns=None, namespace="", groups=()):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(
                entry.url_patterns, inner, (*groups, *entry.pattern.regex.groupindex)
            )
        elif isinstance(entry, URLPattern) and entry.name:
            entry.route_groups = {*groups, *entry.pattern.regex.groupindex}
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def world():
    noord, zuid = TeamFactory(name="Noord", slug="noord"), TeamFactory(name="Zuid", slug="zuid")
    dossier = DossierFactory(team=noord, family_name="Geheimnaam")
    users = {
        "anonymous": None,
        "prof_own": UserFactory(professional=True, teams=[noord]),
        "prof_other": UserFactory(professional=True, teams=[zuid]),
        "gw_own": UserFactory(gedragswetenschapper=True, teams=[noord]),
        "gw_other": UserFactory(gedragswetenschapper=True, teams=[zuid]),
        "content_admin": UserFactory(content_admin=True),
    }
    submitted, _snapshot = submitted_dossier(
        team=noord, submitter=users["prof_own"], family_name="Geheimnaam"
    )
    planned, plan, moment = planned_dossier(
        team=noord, submitter=users["prof_own"], reviewer=users["gw_own"]
    )
    Dossier.objects.filter(pk=planned.pk).update(family_name="Geheimnaam")
    return {
        "dossier": dossier,
        "dossiers": {"concept": dossier, "submitted": submitted, "planned": planned},
        "kwargs": {
            "version": plan.version,
            "moment": moment.pk,
            "service_id": SERVICE_ID,
            "child": 0,
            "code": "MST",
            "number": 1,
            "uidb36": "1",
            "key": "ongeldig",
            "provider_id": "organisatie",
            "run": ImpactRun.objects.create(
                kind=ImpactRun.Kind.PREVIEW, old_hash="a", new_hash="b", state="klaar"
            ).pk,
        },
        "users": users,
    }


def test_every_url_of_the_app_has_a_permission_expectation():
    ours = {name for name, _p in url_names() if not name.startswith("admin:")}
    covered = {name for name, _method in EXPECTED}
    assert ours == covered, f"no permission expectation for: {sorted(ours - covered)}"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    for (name, method), expected_by_role in EXPECTED.items():
        groups = dict(url_names())[name].route_groups
        dossier = world["dossiers"][TARGET.get(name, "concept")]
        kwargs = {"pk": dossier.pk} if "pk" in groups else {}
        kwargs |= {key: value for key, value in world["kwargs"].items() if key in groups}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url) if method == "GET" else client.post(url, {})
        expected = expected_by_role[role]
        where = f"{method} {name} as {role}"
        if expected == LOGIN:
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse("login")), where
        else:
            assert response.status_code == expected, f"{where}: {response.status_code}"
        if role in {"anonymous", "prof_other", "gw_other", "content_admin"}:
            assert "Geheimnaam" not in response.content.decode(errors="replace"), where
        if name in GET_NOT_ALLOWED and user is not None:
            assert client.get(url).status_code in {405, 404, 403}, where


def matrix_statuses(client, world, user, *, sees_families=True) -> dict[tuple[str, str], int]:
    """What each URL of the matrix answers this user (status code per URL and method)."""
    client.force_login(user)
    answers = {}
    for name, method in EXPECTED:
        groups = dict(url_names())[name].route_groups
        dossier = world["dossiers"][TARGET.get(name, "concept")]
        kwargs = {"pk": dossier.pk} if "pk" in groups else {}
        kwargs |= {key: value for key, value in world["kwargs"].items() if key in groups}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url) if method == "GET" else client.post(url, {})
        answers[name, method] = response.status_code
        if not sees_families:
            assert "Geheimnaam" not in response.content.decode(errors="replace"), (name, user)
    return answers


@pytest.mark.parametrize("superuser", [False, True])
def test_being_superuser_adds_nothing_to_the_care_rules(client, world, superuser):
    """A superuser in the team without a role gets exactly what a roleless team member gets,
    and a superuser with a role exactly what that role gets: access comes from roles and
    teams only (dossiers.rules.can, never Django's has_perm, which lets superusers pass)."""
    noord = world["dossier"].team
    roleless = UserFactory(teams=[noord], is_superuser=superuser, is_staff=superuser)
    got = matrix_statuses(client, world, roleless, sees_families=False)
    for (name, method), status in got.items():
        if name in MACHINE_ONLY:
            assert status == 401, (name, method, status)  # a session counts for nothing
        elif name not in {"home", "login", "logout", "ops:health", "ops:metrics"} and not (
            name.startswith(ACCOUNT_PAGES)
        ):  # open, or the account's own pages
            assert status in {403, 404}, (name, method, status)
    as_plain = matrix_statuses(client, world, UserFactory(teams=[noord]), sees_families=False)
    assert got == as_plain
    gw = world["users"]["gw_own"]
    if superuser:
        gw.is_superuser = gw.is_staff = True
        gw.save()
    for key, status in matrix_statuses(client, world, gw).items():
        assert status == EXPECTED[key]["gw_own"], (key, status)


@pytest.mark.parametrize("in_team", [False, True])
def test_the_privacy_officer_reaches_the_log_and_no_dossier(client, world, in_team):
    """The role gives the organisation's access log and nothing of any family: on every
    other URL of the matrix a privacy officer (even one in the dossier's team) gets exactly
    what a user without a role gets, and no response shows a family name."""
    teams = [world["dossier"].team] if in_team else []
    officer = UserFactory(privacy_officer=True, teams=teams)
    got = matrix_statuses(client, world, officer, sees_families=False)
    as_plain = matrix_statuses(client, world, UserFactory(teams=teams), sees_families=False)
    for key in PRIVACY_OFFICER_PAGES:
        assert got.pop(key) == 200 and as_plain.pop(key) == 403, key
    assert got == as_plain
    for (name, method), status in got.items():
        if name not in MACHINE_ONLY | {"home", "login", "logout", "ops:health", "ops:metrics"} and (
            not name.startswith(ACCOUNT_PAGES)
        ):  # open, or the account's own pages
            assert status in {403, 404}, (name, method, status)


@pytest.mark.parametrize("role", ["anonymous", "prof_own"])
def test_admin_urls_are_closed_to_non_staff(client, world, role):
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    checked = 0
    for name, pattern in url_names():
        if not name.startswith("admin:"):
            continue
        kwargs = {}
        for key in pattern.pattern.regex.groupindex:
            kwargs[key] = {"app_label": "interventies", "content_type_id": 1}.get(key, "1")
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: S112 - a pattern whose kwargs we cannot fill
            continue
        response = client.get(url)
        if name in {"admin:login", "admin:logout", "admin:javascript-catalog"}:
            continue
        assert response.status_code in {302, 403, 404, 405}, f"{name}: {response.status_code}"
        checked += 1
    assert checked > 20


# ---------------------------------------------------------------- the access log


def test_each_kind_of_access_leaves_exactly_one_row(client, world):
    from tests.test_dossiers import intake_post

    prof, dossier = world["users"]["prof_own"], world["dossier"]
    client.force_login(prof)

    def rows_for(action_call):
        before = AccessLog.objects.count()
        action_call()
        return list(AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before])

    intake = reverse("dossiers:intake", args=[dossier.pk])
    cases = [
        (lambda: client.get(reverse("dossiers:list")), "list", None),
        (lambda: client.post(reverse("dossiers:list"), {"q": "Geheim"}), "search", None),
        (lambda: client.get(intake), "view", dossier.pk),
        (
            lambda: client.post(
                reverse("dossiers:autosave", args=[dossier.pk]), intake_post(dossier)
            ),
            "autosave",
            dossier.pk,
        ),
        (
            lambda: client.post(reverse("dossiers:discard_draft", args=[dossier.pk])),
            "discard",
            dossier.pk,
        ),
        (
            lambda: client.post(
                intake,
                intake_post(dossier, children=[{"first_name": "X", "birth_date": "2999-01-01"}]),
            ),
            "change",
            dossier.pk,
        ),
        (lambda: client.post(intake, intake_post(dossier)), "change", dossier.pk),
        (
            lambda: client.post(
                reverse("dossiers:new"), {"family_name": "Nieuw", "team": dossier.team_id}
            ),
            "create",
            None,
        ),
    ]
    team_dossiers = set(Dossier.objects.filter(team=dossier.team).values_list("pk", flat=True))
    for call, action, dossier_id in cases:
        dossier.refresh_from_db()
        rows = rows_for(call)
        if action in ("list", "search"):  # one row for each family the page showed
            assert {r.action for r in rows} == {action}
            assert {r.dossier_id for r in rows} == team_dossiers and len(rows) == 3
            continue
        assert len(rows) == 1, (action, [r.action for r in rows])
        row = rows[0]
        assert row.action == action
        assert row.user == prof and row.roles == "Wijkteamprofessional"
        assert row.client_address == "127.0.0.1"
        if dossier_id:
            assert row.dossier_id == dossier_id and row.team_id == dossier.team_id
    invalid, valid = AccessLog.objects.filter(action="change").order_by("id")
    assert (invalid.outcome, valid.outcome) == ("invalid", "ok")


def test_the_log_never_holds_contents(client, world):
    from tests.test_dossiers import intake_post

    client.force_login(world["users"]["prof_own"])
    dossier = world["dossier"]
    client.post(reverse("dossiers:list"), {"q": "Geheimnaam"})
    client.post(reverse("dossiers:intake", args=[dossier.pk]), intake_post(dossier))
    for row in AccessLog.objects.all():
        text = " ".join(str(getattr(row, f.attname)) for f in AccessLog._meta.fields)
        assert "Geheimnaam" not in text and "Daan" not in text


def test_the_model_refuses_to_change_or_delete_log_rows(world):
    row = audit_system(action="view", dossier_id=world["dossier"].pk)
    row.outcome = "denied"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(outcome="denied")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE toegang_accesslog SET outcome = 'denied'",
        "DELETE FROM toegang_accesslog",
    ],
)
def test_postgresql_refuses_update_and_delete_on_the_log(world, statement):
    from django.db import DatabaseError, transaction

    audit_system(action="view", dossier_id=world["dossier"].pk)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLog.objects.filter(outcome="ok").exists()


def test_who_has_seen_this_dossier_page(client, world):
    gw, dossier = world["users"]["gw_own"], world["dossier"]
    prof = world["users"]["prof_own"]
    client.force_login(prof)
    client.get(reverse("dossiers:intake", args=[dossier.pk]))
    client.force_login(gw)
    page = client.get(reverse("toegang:access_log", args=[dossier.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert prof.get_full_name() in html and "Ingezien" in html
    assert AccessLog.objects.filter(action="view_log", user=gw, dossier_id=dossier.pk).exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    empty = client.get(reverse("toegang:access_log", args=[dossier.pk]), {"van": tomorrow})
    assert "Geen toegang in deze periode." in empty.content.decode()
    wrong = client.get(
        reverse("toegang:access_log", args=[dossier.pk]), {"van": tomorrow, "tot": "2020-01-01"}
    )
    assert "Deze datum ligt voor de begindatum." in wrong.content.decode()


# ---------------------------------------------------------------- retention and deletion


def test_purge_removes_only_dossiers_past_retention_and_logs_ids(world, settings):
    settings.RETENTION_YEARS = 15
    old = DossierFactory(
        status=Status.AFGESLOTEN, closed_at=timezone.now() - timedelta(days=366 * 15 + 5)
    )
    recent = DossierFactory(
        status=Status.AFGESLOTEN, closed_at=timezone.now() - timedelta(days=365 * 14)
    )
    open_one = DossierFactory()
    IntakeDraft.objects.create(dossier=old, user=old.created_by, data={}, base_version=1)

    from io import StringIO

    out = StringIO()
    call_command("purge_expired", dry_run=True, stdout=out)
    assert str(old.pk) in out.getvalue() and str(recent.pk) not in out.getvalue()
    assert Dossier.objects.filter(pk=old.pk).exists()

    call_command("purge_expired", stdout=StringIO())
    assert not Dossier.objects.filter(pk=old.pk).exists()
    assert not IntakeDraft.objects.filter(dossier_id=old.pk).exists()
    assert Dossier.objects.filter(pk__in=[recent.pk, open_one.pk]).count() == 2
    row = AccessLog.objects.get(action="purge")
    assert row.dossier_id == old.pk and row.user is None


def test_deletion_on_request_needs_an_authenticated_admin_and_a_second_person(world, monkeypatch):
    from io import StringIO

    from django.core.management.base import CommandError

    from accounts.mfa import totp_code

    admin = UserFactory(is_superuser=True, is_staff=True, authenticator_app=True)
    admin.set_password("geheim-1")
    admin.save()
    other = UserFactory(is_superuser=True, is_staff=True, authenticator_app=True)
    other.set_password("geheim-2")
    other.save()
    passwords = {admin.username: "geheim-1", other.username: "geheim-2"}
    secrets_ = {admin.username: admin.totp_secret, other.username: other.totp_secret}
    steps = iter(range(-1, 2))  # each code works once: every prompt gets the next period's

    def answer(prompt):
        name = prompt.split()[-1][:-1]
        if prompt.startswith("Wachtwoord"):
            return passwords[name]
        if name not in secrets_:
            return "000000"
        return totp_code(secrets_[name], step=next(steps))

    monkeypatch.setattr("getpass.getpass", answer)
    dossier = world["dossier"]
    call_command("delete_dossier", str(dossier.pk), gebruiker=admin.username, stdout=StringIO())
    assert Dossier.objects.filter(pk=dossier.pk).exists()  # not without --bevestig
    with pytest.raises(CommandError, match="tweede beheerder"):  # alone, no legal basis
        call_command("delete_dossier", str(dossier.pk), gebruiker=admin.username, bevestig=True)
    prof = world["users"]["prof_own"]
    passwords[prof.username] = "x"
    with pytest.raises(CommandError, match="Inloggen"):  # wrong password
        call_command("delete_dossier", str(dossier.pk), gebruiker=prof.username, bevestig=True)
    # The right password without the second step is not enough either.
    passwords[prof.username] = "een-lang-testwachtwoord"
    with pytest.raises(CommandError, match="twee stappen"):  # no app set up
        call_command("delete_dossier", str(dossier.pk), gebruiker=prof.username, bevestig=True)
    impostor = UserFactory(is_superuser=True, is_staff=True, authenticator_app=True)
    passwords[impostor.username] = "een-lang-testwachtwoord"
    with pytest.raises(CommandError, match="code klopt niet"):  # a wrong code
        call_command("delete_dossier", str(dossier.pk), gebruiker=impostor.username, bevestig=True)
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert not AccessLog.objects.filter(action="delete").exists()
    call_command(
        "delete_dossier",
        str(dossier.pk),
        gebruiker=admin.username,
        tweede=other.username,
        bevestig=True,
        stdout=StringIO(),
    )
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    row = AccessLog.objects.get(action="delete")
    assert row.user == admin and row.subject_user_id == other.pk


# ---------------------------------------------------------------- hardening


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "richtsnoer.example.nl",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY ontbreekt" in result.stderr


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, world):
    client.force_login(world["users"]["prof_own"])
    response = client.get(reverse("dossiers:intake", args=[world["dossier"].pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    assert "<script>" not in html and "onclick=" not in html and "style=" not in html


def test_login_is_throttled_after_five_failures(client, world):
    user = world["users"]["prof_own"]
    for _ in range(5):
        client.post(reverse("login"), {"login": user.username, "password": "fout"})
    locked = client.post(
        reverse("login"), {"login": user.username, "password": "een-lang-testwachtwoord"}
    )
    assert locked.status_code == 429
    assert "Inloggen is even geblokkeerd" in locked.content.decode()


def test_passwords_are_hashed_with_argon2():
    from django.conf import settings as live

    assert live.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.MD5PasswordHasher"  # tests only
    import config.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire_after_inactivity():
    import config.settings as production

    assert production.SESSION_COOKIE_AGE == 30 * 60
    # Moved on at most once a minute (tests/test_performance.py), not on every request.
    assert "config.middleware.SessionIdleMiddleware" in production.MIDDLEWARE


def test_free_text_with_html_is_shown_as_text(client, world):
    from tests.test_dossiers import intake_post

    client.force_login(world["users"]["prof_own"])
    dossier = world["dossier"]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(
        reverse("dossiers:intake", args=[dossier.pk]),
        intake_post(dossier, verklarende_analyse=evil, family_name=evil[:90]),
    )
    html = client.get(reverse("dossiers:intake", args=[dossier.pk])).content.decode()
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
