"""The access log's hash chain, verify_access_log, and retention of every kind of record."""

from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from dossiers.models import Dossier, Status
from tests.factories import DossierFactory
from toegang.audit import audit_system
from toegang.models import AccessLog

pytestmark = pytest.mark.django_db


@contextmanager
def triggers_off():
    """As the table owner, with the triggers bypassed (PostgreSQL; SQLite has none)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # superuser only
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def tamper(sql: str, params=()) -> None:
    """What an attacker with the table owner's rights could do, bypassing the triggers."""
    with triggers_off() as cursor:
        cursor.execute(sql, params)


def verify(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_access_log", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


@pytest.fixture
def chain():
    dossier = DossierFactory()
    return [audit_system(action="view", dossier_id=dossier.pk) for _ in range(5)]


def test_an_intact_chain_verifies_and_names_its_head(chain):
    code, text = verify()
    assert code == 0 and f"{chain[-1].pk}:{chain[-1].hash}" in text
    assert chain[1].prev_hash == chain[0].hash != chain[1].hash


def test_a_changed_row_is_named(chain):
    tamper("UPDATE toegang_accesslog SET outcome = 'denied' WHERE id = %s", [chain[2].pk])
    code, text = verify()
    assert code == 1 and f"rij {chain[2].pk}" in text and "gewijzigd" in text


def test_a_deleted_row_is_named_by_its_successor(chain):
    tamper("DELETE FROM toegang_accesslog WHERE id = %s", [chain[2].pk])
    code, text = verify()
    assert code == 1 and f"rij {chain[3].pk}" in text


def test_a_row_inserted_out_of_order_is_named(chain):
    # a copy of an earlier row added later: its own hash is right, its link is not
    row = chain[1]
    tamper(
        "INSERT INTO toegang_accesslog (id, at, roles, action, dossier_id, outcome, prev_hash,"
        " hash) SELECT %s, at, roles, action, dossier_id, outcome, prev_hash, hash"
        " FROM toegang_accesslog WHERE id = %s",
        [chain[-1].pk + 1000, row.pk],
    )
    code, text = verify()
    assert code == 1 and f"rij {chain[-1].pk + 1000}" in text


def test_a_removed_first_part_or_an_emptied_table_is_detected(chain):
    tamper("DELETE FROM toegang_accesslog WHERE id <= %s", [chain[1].pk])
    code, text = verify()
    assert code == 1 and "begin" in text
    tamper("DELETE FROM toegang_accesslog")
    assert verify()[0] == 0  # nothing left to compare with but the application log's head
    code, text = verify("--kop", f"{chain[-1].pk}:{chain[-1].hash}")
    assert code == 1 and "ingekort of geleegd" in text


def test_the_head_goes_to_the_application_log(caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = audit_system(action="view")
    assert f"toegangslog kop {row.pk} {row.hash}" in caplog.text


# ---------------------------------------------------------------- retention


def test_purge_covers_every_status_and_the_app_records(settings):
    from axes.models import AccessAttempt
    from django.contrib.sessions.backends.db import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    now = timezone.now()
    long_ago = now - timedelta(days=366 * 16)
    concept_old = DossierFactory()
    concept_new = DossierFactory()
    stuck = DossierFactory(status=Status.TER_BEOORDELING)
    stuck_recent = DossierFactory(status=Status.VASTGESTELD)
    Dossier.objects.filter(pk=concept_old.pk).update(updated_at=now - timedelta(days=100))
    Dossier.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    expired = SessionStore()
    expired["x"] = 1
    expired.set_expiry(-10)
    expired.save()
    AccessAttempt.objects.create(
        username="iemand", ip_address="10.0.0.1", failures_since_start=1, user_agent="",
        get_data="", post_data="", http_accept="", path_info="",
    )  # fmt: skip
    AccessAttempt.objects.update(attempt_time=now - timedelta(days=200))

    out = StringIO()
    call_command("purge_expired", stdout=out)
    left = set(Dossier.objects.values_list("pk", flat=True))
    assert concept_old.pk not in left and stuck.pk not in left
    assert {concept_new.pk, stuck_recent.pk} <= left
    assert not AccessAttempt.objects.exists()
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    purged = set(AccessLog.objects.filter(action="purge").values_list("dossier_id", flat=True))
    assert purged == {concept_old.pk, stuck.pk}
    assert verify()[0] == 0


def test_one_failing_dossier_stops_no_other(monkeypatch):
    first, second = DossierFactory(), DossierFactory()
    Dossier.objects.filter(pk__in=[first.pk, second.pk]).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    real_delete = Dossier.delete

    def flaky(self, *args, **kwargs):
        if self.pk == first.pk:
            raise RuntimeError("simulated")
        return real_delete(self, *args, **kwargs)

    monkeypatch.setattr(Dossier, "delete", flaky)
    with pytest.raises(CommandError):
        call_command("purge_expired", stdout=StringIO(), stderr=StringIO())
    assert Dossier.objects.filter(pk=first.pk).exists()
    assert not Dossier.objects.filter(pk=second.pk).exists()
    # the failed one left no log row: its transaction was rolled back whole
    assert not AccessLog.objects.filter(dossier_id=first.pk, action="purge").exists()
    assert verify()[0] == 0


# ---------------------------------------------------------------- completeness


@pytest.fixture
def teams():
    from tests.factories import TeamFactory, UserFactory
    from tests.helpers import planned_dossier

    noord, zuid = TeamFactory(), TeamFactory()
    prof = UserFactory(professional=True, teams=[noord])
    gw = UserFactory(gedragswetenschapper=True, teams=[noord])
    stranger = UserFactory(gedragswetenschapper=True, teams=[zuid])
    soon = timezone.localdate() + timedelta(days=3)
    planned, _plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw, due=soon)
    return {"prof": prof, "gw": gw, "stranger": stranger, "planned": planned, "noord": noord}


def test_denied_attempts_on_a_dossier_url_are_logged(client, teams):
    from django.urls import reverse

    planned = teams["planned"]
    client.force_login(teams["stranger"])
    for name in ("dossiers:intake", "beoordeling:plan", "toegang:access_log"):
        assert client.get(reverse(name, args=[planned.pk])).status_code == 404
    client.force_login(teams["prof"])
    assert client.get(reverse("toegang:access_log", args=[planned.pk])).status_code == 403
    denied = AccessLog.objects.filter(dossier_id=planned.pk, outcome="denied")
    assert denied.filter(user=teams["stranger"]).count() == 3
    assert denied.filter(user=teams["prof"]).count() == 1
    assert verify()[0] == 0


def test_lists_record_every_dossier_they_showed(client, teams):
    from django.urls import reverse

    client.force_login(teams["gw"])
    client.get(reverse("dossiers:list"))
    client.get(reverse("beoordeling:evaluations"))
    shown = AccessLog.objects.filter(user=teams["gw"], dossier_id=teams["planned"].pk)
    assert set(shown.values_list("action", flat=True)) == {"list", "evaluations"}


def test_a_page_a_view_forgot_to_log_is_logged_by_the_safety_net(client, teams, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr("beoordeling.views.audit_log", lambda **kwargs: None)
    client.force_login(teams["gw"])
    assert client.get(reverse("beoordeling:plan", args=[teams["planned"].pk])).status_code == 200
    assert AccessLog.objects.filter(
        user=teams["gw"], dossier_id=teams["planned"].pk, action="view", outcome="ok"
    ).exists()


def test_team_and_role_changes_are_in_the_log(teams):
    from django.contrib.auth.models import Group

    prof, noord = teams["prof"], teams["noord"]
    noord.members.remove(prof)
    prof.teams.add(noord)
    prof.groups.clear()
    role = Group.objects.get_or_create(name="Gedragswetenschapper")[0]
    role.user_set.add(prof)
    rows = AccessLog.objects.filter(subject_user_id=prof.pk).order_by("id")
    assert [r.action for r in rows][-4:] == ["team_leave", "team_join", "role_revoke", "role_grant"]
    assert rows.filter(action="team_join").last().team_id == noord.pk
    assert verify()[0] == 0


# ---------------------------------------------------------------- the access-log page


def test_the_log_page_filters_by_person_action_and_period_and_exports_csv(client, teams):
    from django.urls import reverse

    planned, gw, prof = teams["planned"], teams["gw"], teams["prof"]
    client.force_login(prof)
    client.get(reverse("dossiers:intake", args=[planned.pk]))
    client.force_login(gw)
    url = reverse("toegang:access_log", args=[planned.pk])
    page = client.get(url, {"persoon": prof.pk, "actie": "view"})
    rows = list(page.context["page"].object_list)
    assert rows and {(r.user_id, r.action) for r in rows} == {(prof.pk, "view")}
    assert "Ingezien" in page.content.decode()
    today = timezone.localdate().isoformat()
    assert client.get(url, {"van": today, "tot": today}).context["page"].paginator.count > 0
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert client.get(url, {"tot": yesterday}).context["page"].paginator.count == 0

    export = client.get(reverse("toegang:access_log_csv", args=[planned.pk]), {"actie": "view"})
    assert export["Content-Type"].startswith("text/csv")
    assert str(planned.pk) in export["Content-Disposition"]
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("tijdstip;wie") and len(lines) >= 2
    assert all(";Ingezien;" in line for line in lines[1:])
    assert planned.family_name not in export.content.decode()
    assert AccessLog.objects.filter(user=gw, action="export_log", dossier_id=planned.pk).exists()


def test_the_log_is_trimmed_after_its_term_and_still_verifies(monkeypatch, settings):
    settings.RETENTION_ACCESS_LOG_YEARS = 5
    # Rows written six years ago. PostgreSQL checks a new row's time against its own clock,
    # which a test cannot turn back: there they are written with the triggers off.
    earlier = timezone.now() - timedelta(days=366 * 6)
    monkeypatch.setattr("toegang.chain.timezone.now", lambda: earlier)
    with triggers_off():
        old = [audit_system(action="view") for _ in range(3)]
    monkeypatch.undo()
    kept = [audit_system(action="view") for _ in range(2)]
    call_command("trim_access_log", stdout=StringIO())
    assert not AccessLog.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AccessLog.objects.filter(pk__in=[r.pk for r in kept]).count() == 2
    assert AccessLog.objects.filter(action="log_trim").exists()
    assert verify()[0] == 0
    tamper("DELETE FROM toegang_accesslog WHERE id = %s", [kept[0].pk])  # not a recorded trim
    assert verify()[0] == 1
