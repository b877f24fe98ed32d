"""The runtime database role: it can read and add to the access log, nothing more.

Privileges do the work, not only triggers: pgtrigger's escape hatch (SET pgtrigger.ignore)
does not help this role, and as it owns no table it cannot disable or drop a trigger.
The role is the one .ci/run creates and the README documents; the test gives it its
rights with the same command (grant_runtime_role) and then acts as exactly that role.
"""

import contextlib

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import TeamFactory, UserFactory
from tests.helpers import planned_dossier
from toegang.audit import audit_system
from toegang.models import AccessLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]

ROLE = settings.RUNTIME_DB_ROLE


@pytest.fixture
def as_runtime_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {connection.ops.quote_name(ROLE)} LOGIN")
    call_command("grant_runtime_role", ROLE, stdout=None)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(ROLE)}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == ROLE


def refused(sql: str, match: str, *, escape_hatch: bool = False) -> None:
    hatch = (
        pgtrigger.ignore("toegang.AccessLog:access_log_append_only")
        if escape_hatch
        else contextlib.nullcontext()
    )
    with (
        pytest.raises(DatabaseError, match=match),
        hatch,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


TRIGGER = "pgtrigger_access_log_append_only_4f648"


def test_the_runtime_role_can_only_read_and_add_to_the_log(as_runtime_role):
    row = audit_system(action="view")
    assert AccessLog.objects.filter(pk=row.pk).exists()
    # pgtrigger's escape hatch switches the trigger off, but the privilege is not there
    refused("UPDATE toegang_accesslog SET outcome = 'x'", "permission denied", escape_hatch=True)
    refused("DELETE FROM toegang_accesslog", "permission denied", escape_hatch=True)
    refused("TRUNCATE toegang_accesslog", "permission denied")
    refused(f"ALTER TABLE toegang_accesslog DISABLE TRIGGER {TRIGGER}", "must be owner")
    refused(f"DROP TRIGGER {TRIGGER} ON toegang_accesslog", "must be owner")
    refused("UPDATE beoordeling_reviewdecision SET comment = 'x'", "permission denied")
    refused("DELETE FROM django_migrations", "permission denied")
    assert AccessLog.objects.filter(pk=row.pk, outcome="ok").exists()


def test_the_runtime_role_can_erase_a_worked_dossier(as_runtime_role):
    from toegang.retention import dossier_delete_on_request

    team = TeamFactory()
    prof, gw = UserFactory(teams=[team]), UserFactory(teams=[team])
    dossier, _plan, _moment = planned_dossier(team=team, submitter=prof, reviewer=gw)
    admin, second = UserFactory(is_superuser=True), UserFactory(is_superuser=True)
    dossier_delete_on_request(dossier_id=dossier.pk, operator=admin, second=second)
    assert AccessLog.objects.filter(action="delete", dossier_id=dossier.pk).exists()
