"""Erasure on PostgreSQL, committed for real: a fully worked dossier leaves no trace.

A transactional test: the deferred check on review decisions runs at COMMIT, and pg_dump
sees only committed data. None of the family's strings may be anywhere in the dump.
"""

import datetime as dt
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from beoordeling.models import EvaluationRecord, ReviewCompletion, ReviewDecision
from dossiers.factories import NetwerklidFactory, OuderFactory
from dossiers.models import Dossier, IntakeDraft, Status
from tests.factories import TeamFactory, UserFactory
from toegang.retention import dossier_delete_on_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="erasure is PostgreSQL's"),
]


@pytest.fixture
def content():
    from interventies.selectors import clear_catalogue_cache
    from richtlijnen.content import content_read_files
    from richtlijnen.versions import content_import

    content_import(bundle=content_read_files(), publish=True, user_name="tests")
    clear_catalogue_cache()
    yield
    clear_catalogue_cache()


def worked_dossier(tag: str, *, team, prof, gw, close: bool):
    """Reviewed, plan set, evaluated and (if close) closed, every text marked with tag."""
    from tests.helpers import planned_dossier

    dossier, plan, moment = planned_dossier(team=team, submitter=prof, reviewer=gw)
    strings = {f"Gezin{tag}", f"Kind{tag}", f"Ouder{tag}", f"Netwerk{tag}", f"Analyse{tag}"}
    strings |= {f"Toelichting{tag}", f"Beeld{tag}", f"Samenvatting{tag}", f"Concept{tag}"}
    Dossier.objects.filter(pk=dossier.pk).update(
        family_name=f"Gezin{tag}", verklarende_analyse=f"Analyse{tag}"
    )
    dossier.children.update(first_name=f"Kind{tag}")
    OuderFactory(dossier=dossier, name=f"Ouder{tag}")
    NetwerklidFactory(dossier=dossier, name=f"Netwerk{tag}")
    IntakeDraft.objects.create(
        dossier=dossier, user=prof, data={"x": f"Concept{tag}"}, base_version=1
    )
    snapshot = dossier.snapshots.get()
    ReviewDecision.objects.create(
        dossier=dossier, snapshot=snapshot, child_index=0, intervention_code="MST",
        intervention_name="Multi Systeem Therapie", decision="decline",
        reason="voorkeur_gezin", comment=f"Toelichting{tag}", decided_by=gw,
    )  # fmt: skip
    ReviewCompletion.objects.create(
        dossier=dossier, snapshot=snapshot, decisions_seen=2, completed_by=gw
    )
    type(plan).objects.filter(pk=plan.pk).update(problem_picture=f"Beeld{tag}")
    EvaluationRecord.objects.create(
        moment=moment, result="bereikt", summary=f"Samenvatting{tag}",
        next_step="afsluiten" if close else "doorgaan", recorded_by=gw,
    )  # fmt: skip
    if close:
        Dossier.objects.filter(pk=dossier.pk).update(
            status=Status.AFGESLOTEN, closed_at=timezone.now() - dt.timedelta(days=366 * 16)
        )
    return dossier, strings


def database_dump() -> str:
    settings = connection.settings_dict
    command = ["pg_dump", "--data-only", "-h", settings["HOST"] or "127.0.0.1", "-U"]
    command += [settings["USER"], "-p", str(settings["PORT"] or 5432), settings["NAME"]]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_a_fully_worked_dossier_is_erased_without_a_trace(content):
    team = TeamFactory()
    prof, gw = UserFactory(teams=[team]), UserFactory(teams=[team])
    admin, second = UserFactory(is_superuser=True), UserFactory(is_superuser=True)
    on_request, asked = worked_dossier("Aquamarijn", team=team, prof=prof, gw=gw, close=False)
    expired, kept_long = worked_dossier("Berkenrijs", team=team, prof=prof, gw=gw, close=True)
    _control, control_strings = worked_dossier(
        "Citroenkruid", team=team, prof=prof, gw=gw, close=False
    )
    before = database_dump()
    assert all(s in before for s in asked | kept_long | control_strings)

    dossier_delete_on_request(dossier_id=on_request.pk, operator=admin, second=second)
    call_command("purge_expired", stdout=StringIO())

    after = database_dump()
    assert [s for s in asked | kept_long if s in after] == []
    assert all(s in after for s in control_strings)  # the dump does show what is still there
    assert not Dossier.objects.filter(pk__in=[on_request.pk, expired.pk]).exists()
    assert not ReviewDecision.objects.filter(dossier_id__in=[on_request.pk, expired.pk]).exists()
    erased = ReviewCompletion.objects.filter(dossier_id__in=[on_request.pk, expired.pk])
    assert not erased.exists()
    assert ReviewCompletion.objects.count() == 1  # the control dossier's
    assert str(on_request.pk) in after and str(expired.pk) in after  # the id-only log rows
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact" in out.getvalue()


def test_decisions_cannot_be_deleted_without_their_dossier(content):
    from django.db import DatabaseError, transaction

    team = TeamFactory()
    prof, gw = UserFactory(teams=[team]), UserFactory(teams=[team])
    dossier, _ = worked_dossier("Dennenappel", team=team, prof=prof, gw=gw, close=False)
    with (
        pytest.raises(DatabaseError, match="only deleted together"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM beoordeling_reviewdecision")
    with (
        pytest.raises(DatabaseError, match="only deleted together"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM beoordeling_reviewcompletion")
    with pytest.raises(DatabaseError, match="only deleted together"):
        dossier.snapshots.all().delete()  # the cascade reaches the decisions
    assert ReviewDecision.objects.filter(dossier=dossier).count() == 2
    assert ReviewCompletion.objects.filter(dossier=dossier).count() == 1
