"""The privacy officer's view of the whole access log (/toegangslog/).

Every team, every person, denied attempts included; filters by person, team, dossier,
action, outcome and period, each served by an index; paginated; a CSV export with the
same filters; every look at the log and every export is itself logged. No family data:
the permission matrix (tests/test_security.py) shows the role reaches no dossier.
"""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import DossierFactory, TeamFactory, UserFactory
from toegang.audit import audit_system
from toegang.models import AccessLog

pytestmark = pytest.mark.django_db

URL = reverse("toegangslog:overview")
EXPORT = reverse("toegangslog:export")


@pytest.fixture
def org():
    noord, zuid = TeamFactory(name="Noord"), TeamFactory(name="Zuid")
    anna = UserFactory(professional=True, teams=[noord], first_name="Anna", last_name="Smit")
    bert = UserFactory(gedragswetenschapper=True, teams=[zuid], first_name="Bert", last_name="Al")
    d_noord = DossierFactory(team=noord, family_name="Verborgen")
    d_zuid = DossierFactory(team=zuid, family_name="Onzichtbaar")
    audit_system(action="view", user=anna, dossier_id=d_noord.pk, team_id=noord.pk)
    audit_system(action="change", user=anna, dossier_id=d_noord.pk, team_id=noord.pk)
    audit_system(action="view", user=bert, dossier_id=d_zuid.pk, team_id=zuid.pk)
    audit_system(action="view", user=bert, dossier_id=d_noord.pk, outcome="denied")
    officer = UserFactory(privacy_officer=True, first_name="Petra", last_name="Vos")
    return {"noord": noord, "zuid": zuid, "anna": anna, "bert": bert, "officer": officer,
            "d_noord": d_noord, "d_zuid": d_zuid}  # fmt: skip


SETUP = {"view_log", "export_log", "team_join", "role_grant"}  # the fixture's own rows


def shown(response) -> list[AccessLog]:
    return [row for row in response.context["page"].object_list if row.action not in SETUP]


def test_every_team_and_every_outcome_is_there_without_family_data(client, org):
    client.force_login(org["officer"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = shown(response)
    assert {r.team_id for r in rows} >= {org["noord"].pk, org["zuid"].pk}
    assert "denied" in {r.outcome for r in rows}
    html = response.content.decode()
    assert "Geweigerd" in html and "Bert Al" in html and "Noord" in html
    assert "Verborgen" not in html and "Onzichtbaar" not in html
    # where the privacy officer lands, and the menu
    assert client.get(reverse("home"))["Location"] == URL
    assert 'aria-current="page">Toegangslog</a>' in html


@pytest.mark.parametrize(
    ("params", "expect"),
    [
        (lambda o: {"persoon": "smit"}, lambda r, o: {x.user_id for x in r} == {o["anna"].pk}),
        (lambda o: {"team": o["zuid"].pk}, lambda r, o: {x.team_id for x in r} == {o["zuid"].pk}),
        (
            lambda o: {"dossier": str(o["d_noord"].pk)},
            lambda r, o: len(r) == 3 and {x.dossier_id for x in r} == {o["d_noord"].pk},
        ),
        (lambda o: {"actie": "change"}, lambda r, o: [x.action for x in r] == ["change"]),
        (
            lambda o: {"resultaat": "denied"},
            lambda r, o: [(x.user_id, x.outcome) for x in r] == [(o["bert"].pk, "denied")],
        ),
    ],
    ids=["person", "team", "dossier", "action", "outcome"],
)
def test_each_filter(client, org, params, expect):
    client.force_login(org["officer"])
    response = client.get(URL, params(org))
    assert response.status_code == 200
    assert expect(shown(response), org), [(r.action, r.user_id) for r in shown(response)]


def test_the_period_filter_and_bad_filters_get_a_dutch_message(client, org):
    client.force_login(org["officer"])
    today = timezone.localdate()
    assert len(shown(client.get(URL, {"van": today, "tot": today}))) == 4
    yesterday = today - dt.timedelta(days=1)
    assert shown(client.get(URL, {"tot": yesterday})) == []
    for params, message in [
        ({"dossier": "geen-nummer"}, "Dit is geen dossiernummer"),
        ({"persoon": "niemand-zo"}, "Niemand gevonden"),
        ({"van": today, "tot": yesterday}, "voor de begindatum"),
    ]:
        response = client.get(URL, params)
        assert response.status_code == 400 and message in response.content.decode()
        assert list(response.context["page"].object_list) == []  # nothing, not everything


def test_paginated_with_the_shared_pager(client, org):
    for _ in range(60):
        audit_system(action="view", user=org["anna"], team_id=org["noord"].pk)
    client.force_login(org["officer"])
    first = client.get(URL, {"persoon": "smit"})
    assert len(first.context["page"].object_list) == 50
    html = first.content.decode()
    assert "Pagina 1 van 2" in html and "pagina=2" in html and "persoon=smit" in html
    second = client.get(URL, {"persoon": "smit", "pagina": 2})
    assert len(second.context["page"].object_list) == 12


def test_every_look_and_every_export_is_logged_and_the_export_has_the_filters(client, org):
    client.force_login(org["officer"])
    client.get(URL, {"dossier": str(org["d_noord"].pk)})
    looked = AccessLog.objects.get(user=org["officer"], action="view_log")
    assert looked.dossier_id == org["d_noord"].pk and looked.roles == "Privacyfunctionaris"
    export = client.get(EXPORT, {"team": org["noord"].pk})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(";")[:6] == ["tijdstip", "wie", "gebruiker-id", "rol", "team", "wat"]
    assert all(";Noord;" in line for line in lines[1:])
    assert sum(";Ingezien;" in line or ";Intake opgeslagen;" in line for line in lines) == 2
    assert "Verborgen" not in export.content.decode()
    exported = AccessLog.objects.get(user=org["officer"], action="export_log")
    assert exported.team_id == org["noord"].pk


@pytest.mark.parametrize("kind", ["gedragswetenschapper", "content_admin"])
def test_others_are_refused_and_the_refusal_is_logged(client, org, kind):
    user = UserFactory(**{kind: True}, teams=[org["noord"]])
    client.force_login(user)
    for url, action in [(URL, "view_log"), (EXPORT, "export_log")]:
        assert client.get(url).status_code == 403
        assert AccessLog.objects.filter(user=user, action=action, outcome="denied").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN is PostgreSQL's")
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "accesslog_at"),
        # (team, at, id) and (user, at, id): the keys have no single-column index of their
        # own (toegang 0008), these serve their foreign keys too
        ({"team": "TEAM"}, "accesslog_team_recent"),
        ({"dossier": "DOSSIER"}, "accesslog_dossier_recent"),
        ({"actie": "change"}, "accesslog_action_recent"),
        ({"resultaat": "denied"}, "accesslog_outcome_recent"),
        ({"persoon": "smit"}, "accesslog_user_recent"),
    ],
)
def test_each_filter_is_served_by_an_index(org, params, index):
    from toegang.views import ORG_PAGE_SIZE, OrgLogFilterForm

    values = {"TEAM": org["noord"].pk, "DOSSIER": str(uuid.uuid4())}
    form = OrgLogFilterForm({k: values.get(v, v) for k, v in params.items()})
    rows = form.filter(AccessLog.objects.all()).order_by("-at", "-id")[:ORG_PAGE_SIZE]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, sql_params = rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_logs_user_and_team_keys_have_no_index_of_their_own(org):
    """Every logged page writes each index of the log: the composite (user, at, id) and
    (team, at, id) indexes lead with these keys, so single-column ones would be written
    for nothing. A team or account in the log still cannot be deleted (PROTECT)."""
    from django.db.models import ProtectedError

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AccessLog._meta.db_table)
    leading = {
        tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]
    }
    assert ("user_id",) not in leading and ("team_id",) not in leading
    assert ("user_id", "at", "id") in leading and ("team_id", "at", "id") in leading
    logged = AccessLog.objects.exclude(team=None).exclude(user=None).first()
    with pytest.raises(ProtectedError):
        logged.team.delete()
    with pytest.raises(ProtectedError):
        logged.user.delete()
