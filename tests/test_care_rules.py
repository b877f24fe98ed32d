"""The care rules bind everyone: no superuser side door, and four eyes over the whole intake."""

import pytest
import rules
from django.urls import reverse

import beoordeling.rules  # noqa: F401 - registers the care rules
import dossiers.rules  # noqa: F401
from beoordeling.models import ReviewDecision
from dossiers.models import Dossier, Team
from dossiers.rules import can
from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import planned_dossier, submitted_dossier
from tests.test_dossiers import intake_post

pytestmark = pytest.mark.django_db

CARE_PERMS = sorted(name for name in rules.permissions.permissions if "." in name)


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


def test_a_superuser_in_the_team_passes_no_care_rule(noord):
    boss = UserFactory(is_superuser=True, is_staff=True, teams=[noord])
    concept = DossierFactory(team=noord)
    planned, _plan, _moment = planned_dossier(
        team=noord,
        submitter=UserFactory(professional=True, teams=[noord]),
        reviewer=UserFactory(gedragswetenschapper=True, teams=[noord]),
    )
    assert boss.has_perm("dossiers.view", concept)  # Django's shortcut: why we never ask it
    for perm in CARE_PERMS:
        for obj in (None, concept, planned):
            assert not can(boss, perm, obj), (perm, obj)


def test_care_rules_are_never_asked_through_djangos_has_perm():
    """``user.has_perm`` lets superusers pass every rule; the code asks ``can`` instead."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = "|".join(re.escape(p) for p in CARE_PERMS)
    bad = re.compile(
        rf"(has_perm\(\s*[\"']({names})[\"']|\{{%\s*has_perm\s+[\"']({names})[\"']"
        rf"|perms\.({names})\b"
        r"|user\.has_perm\(\s*[a-z_]+\s*[,)])"  # a perm in a variable: could be a care rule
    )
    found = []
    for path in root.rglob("*"):
        if path.suffix not in {".py", ".html"} or any(
            part in {".venv", "tests", "node_modules", "staticfiles"} for part in path.parts
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "use dossiers.rules.can / {% can %}:\n" + "\n".join(found)


def test_a_superuser_sees_no_family_in_the_app(client, noord):
    boss = UserFactory(is_superuser=True, is_staff=True, teams=[noord])
    dossier = DossierFactory(team=noord, family_name="Geheimnaam")
    client.force_login(boss)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")
    for url in (
        reverse("dossiers:list"),
        reverse("dossiers:intake", args=[dossier.pk]),
        reverse("toegang:access_log", args=[dossier.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Geheimnaam" not in response.content.decode()


# ---------------------------------------------------------------- four eyes


def test_whoever_saved_a_change_to_the_intake_does_not_review_it(client, noord):
    both = UserFactory(role_names=(PROFESSIONAL, GEDRAGSWETENSCHAPPER), teams=[noord])
    colleague = UserFactory(professional=True, teams=[noord])
    other_gw = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier = DossierFactory(team=noord, created_by=colleague)
    client.force_login(both)
    saved = client.post(reverse("dossiers:intake", args=[dossier.pk]), intake_post(dossier))
    assert saved.status_code in {200, 302}
    assert Dossier.objects.get(pk=dossier.pk).editors.filter(pk=both.pk).exists()
    # The colleague saves last and submits: the earlier editor still may not review.
    dossier.refresh_from_db()
    client.force_login(colleague)
    client.post(reverse("dossiers:intake", args=[dossier.pk]), intake_post(dossier))
    dossier.refresh_from_db()
    client.post(
        reverse("dossiers:intake", args=[dossier.pk]), intake_post(dossier, action="submit")
    )
    dossier.refresh_from_db()
    assert dossier.status == "ter_beoordeling" and dossier.submitted_by == colleague
    assert not can(both, "beoordeling.review", dossier)
    assert not can(both, "beoordeling.set_plan", dossier)
    assert can(other_gw, "beoordeling.review", dossier)
    client.force_login(both)
    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert "U heeft aan deze intake gewerkt" in page
    refused = client.post(
        reverse("beoordeling:review", args=[dossier.pk]),
        {"child_index": 0, "code": "MST", "decision": "accept"},
    )
    assert refused.status_code == 403
    assert client.post(reverse("beoordeling:plan", args=[dossier.pk]), {}).status_code == 403
    assert not ReviewDecision.objects.filter(dossier=dossier).exists()


def test_the_creator_does_not_review_even_when_a_colleague_submitted(noord):
    both = UserFactory(role_names=(PROFESSIONAL, GEDRAGSWETENSCHAPPER), teams=[noord])
    colleague = UserFactory(professional=True, teams=[noord])
    dossier, _ = submitted_dossier(team=noord, submitter=colleague)
    Dossier.objects.filter(pk=dossier.pk).update(created_by=both)
    dossier.refresh_from_db()
    assert not can(both, "beoordeling.review", dossier)
    assert can(UserFactory(gedragswetenschapper=True, teams=[noord]), "beoordeling.review", dossier)


def test_setting_the_plan_does_not_make_the_reviewer_an_intake_writer(noord):
    prof = UserFactory(professional=True, teams=[noord])
    gw = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier, _plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    Dossier.objects.filter(pk=dossier.pk).update(updated_by=gw)
    dossier.refresh_from_db()
    assert can(gw, "beoordeling.set_plan", dossier)


# ---------------------------------------------------------------- nobody grants themselves access


def test_an_admin_cannot_add_themselves_to_a_team(client, noord):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    url = reverse("admin:dossiers_team_change", args=[noord.pk])
    response = client.post(url, {"name": "Noord", "slug": "noord", "members": [boss.pk]})
    assert response.status_code == 200
    assert "U kunt uzelf niet aan een team toevoegen" in response.content.decode()
    assert not noord.members.filter(pk=boss.pk).exists()
    new = client.post(
        reverse("admin:dossiers_team_add"), {"name": "Oost", "slug": "oost", "members": [boss.pk]}
    )
    assert new.status_code == 200 and not Team.objects.filter(slug="oost").exists()
    # Another administrator can: a normal team change.
    other = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(other)
    done = client.post(url, {"name": "Noord", "slug": "noord", "members": [boss.pk]})
    assert done.status_code == 302
    assert noord.members.filter(pk=boss.pk).exists()


def test_an_admin_cannot_give_themselves_a_role(client):
    from django.contrib.auth.models import Group

    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    url = reverse("admin:auth_user_change", args=[boss.pk])
    page = client.get(url).content.decode()
    assert 'name="groups"' not in page and 'name="is_superuser"' not in page
    group = Group.objects.get(name=GEDRAGSWETENSCHAPPER)
    client.post(
        url,
        {
            "username": boss.username,
            "groups": [group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert not boss.groups.exists()
    other = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(other)
    assert 'name="groups"' in client.get(url).content.decode()
