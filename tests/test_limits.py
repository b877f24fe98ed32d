"""Limits and headers: formset bounds, malformed management forms, autosave rate, headers."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from beoordeling.models import Hulpverleningsplan
from dossiers.models import IntakeDraft
from tests.conftest import ROOT
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import submitted_dossier
from tests.test_dossiers import intake_post
from tests.test_review import plan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def prof(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.mark.parametrize("total", ["abc", "100000", "-1", "1e3", "٣", "0" * 4301, ""])
@pytest.mark.parametrize("action", ["save", "add_moment"])
def test_a_malformed_plan_management_form_is_a_dutch_400(client, noord, prof, total, action):
    gw = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier, _ = submitted_dossier(team=noord, submitter=prof)
    client.force_login(gw)
    response = client.post(
        reverse("beoordeling:plan", args=[dossier.pk]),
        plan_post(dossier, action=action, **{"evaluatie-TOTAL_FORMS": total}),
    )
    if total == "":
        assert response.status_code in {302, 200, 400}  # empty: Django's own form error
        return
    assert response.status_code == 400
    assert "Het formulier kwam niet goed aan" in response.content.decode()
    assert len(response.content) < 50_000  # no thousands of rendered forms
    assert not Hulpverleningsplan.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize("url_name", ["dossiers:intake", "dossiers:autosave"])
@pytest.mark.parametrize("key", ["kind-TOTAL_FORMS", "ouder-INITIAL_FORMS", "netwerk-TOTAL_FORMS"])
def test_a_malformed_intake_management_form_is_a_400_and_writes_nothing(
    client, noord, prof, url_name, key
):
    from dossiers.models import IntakeDraft

    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    version = dossier.version
    for bad in ("abc", "100000"):
        response = client.post(
            reverse(url_name, args=[dossier.pk]), intake_post(dossier, **{key: bad})
        )
        assert response.status_code == 400, bad
        assert "Het formulier kwam niet goed aan" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.version == version
    assert not IntakeDraft.objects.filter(dossier=dossier).exists()


def test_one_row_too_many_is_a_message_next_to_the_rows_not_a_400(client, noord, prof):
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    data = intake_post(dossier)
    data["ouder-TOTAL_FORMS"] = "11"
    for i in range(11):
        data[f"ouder-{i}-name"] = f"Ouder {i}"
    response = client.post(reverse("dossiers:intake", args=[dossier.pk]), data)
    assert response.status_code == 200
    assert "Het formulier kwam niet goed aan" not in response.content.decode()


def test_autosave_is_rate_limited_per_user(client, noord, prof, settings):
    settings.AUTOSAVE_PER_MINUTE = 3
    dossier = DossierFactory(team=noord, created_by=prof)
    colleague = UserFactory(professional=True, teams=[noord])
    url = reverse("dossiers:autosave", args=[dossier.pk])
    client.force_login(prof)
    answers = [client.post(url, intake_post(dossier)).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    limited = client.post(url, intake_post(dossier))
    assert limited["Retry-After"] == "60" and "Even rustig aan" in limited.content.decode()
    client.force_login(colleague)  # someone else is not slowed down by it
    assert client.post(url, intake_post(dossier)).status_code == 200


def test_autosave_goes_on_when_redis_cannot_count(client, noord, prof, settings, monkeypatch):
    """Redis away: the limit cannot count, and the professional's typing is still kept."""
    from common import limits
    from config.cache import TolerantRedisCache

    settings.AUTOSAVE_PER_MINUTE = 1
    unreachable = TolerantRedisCache(
        "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        {"OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}},
    )
    monkeypatch.setattr(limits, "cache", unreachable)
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    url = reverse("dossiers:autosave", args=[dossier.pk])
    answers = [client.post(url, intake_post(dossier)).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert IntakeDraft.objects.filter(dossier=dossier, user=prof).exists()


def test_every_page_says_no_store_and_has_a_permissions_policy(client, noord, prof):
    dossier = DossierFactory(team=noord, created_by=prof)
    client.force_login(prof)
    for url in (
        reverse("dossiers:list"),
        reverse("dossiers:intake", args=[dossier.pk]),
        reverse("login"),
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
    not_found = client.get("/bestaat-niet/")
    assert "no-store" in not_found["Cache-Control"]


def _start_wsgi(static_root) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "richtsnoer.example.nl",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_STATIC_ROOT": str(static_root),
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys, config.wsgi; "
            "print('frozen', gc.get_freeze_count(), 'dossiers.views' in sys.modules)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_collected_static_files(tmp_path):
    refused = _start_wsgi(tmp_path)
    assert refused.returncode != 0
    assert "collectstatic" in refused.stderr and "niet verzameld" in refused.stderr
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    started = _start_wsgi(tmp_path)
    assert started.returncode == 0
    # What the worker loaded (every view module through the URLs) is kept out of the
    # garbage collector's full collections.
    frozen, views_loaded = started.stdout.split("frozen ")[1].split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
