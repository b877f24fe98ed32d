"""The chain head is checked by PostgreSQL on every INSERT (toegang.triggers).

A row written past the Python code (raw SQL, as the owner or as the runtime role) must
link to the head and hash to its own content, or it is refused; the runtime role can
switch the check off by no means it has. Normal logging, lists logging many rows in one
statement, and two writers at once still produce a chain verify_access_log accepts.
"""

import ipaddress
import random
import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from tests.factories import DossierFactory, UserFactory
from tests.test_runtime_role import as_runtime_role  # noqa: F401 (a fixture)
from toegang.audit import audit_system
from toegang.chain import append, row_hash, verify
from toegang.models import GENESIS, AccessLog

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


def head() -> AccessLog | None:
    return AccessLog.objects.order_by("-id").first()


def insert(*, prev_hash: str, hash_for: dict | None = None, id_: int | None = None, **fields):
    """INSERT a row by hand; its hash is computed over hash_for (default: the row itself)."""
    row = {
        "at": timezone.now(),
        "roles": "",
        "action": "view",
        "outcome": "ok",
        "client_address": None,
        **fields,
    }
    hashed = AccessLog(**{**row, **(hash_for or {})})
    columns = [*row, "prev_hash", "hash", *(["id"] if id_ is not None else [])]
    values = [*row.values(), prev_hash, row_hash(hashed, prev_hash)]
    values += [id_] if id_ is not None else []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO toegang_accesslog ({', '.join(columns)}) "  # noqa: S608 (test)
            f"VALUES ({', '.join(['%s'] * len(values))}) RETURNING id",
            values,
        )
        return cursor.fetchone()[0]


def refused(match: str, **kwargs) -> None:
    with pytest.raises(DatabaseError, match=match):
        insert(**kwargs)


@pytest.mark.django_db
def test_a_forged_head_row_is_refused_and_a_right_one_accepted():
    rows = [audit_system(action="view", dossier_id=DossierFactory().pk) for _ in range(3)]
    top = rows[-1]
    # a copy of an earlier row (its own hash is right, its link is not)
    refused("vorige hash", prev_hash=rows[0].prev_hash)
    refused("vorige hash", prev_hash=GENESIS)
    # the right link, but the content is not what was hashed
    refused("hash klopt niet", prev_hash=top.hash, outcome="ok", hash_for={"outcome": "denied"})
    refused("hash klopt niet", prev_hash=top.hash, hash_for={"at": top.at - timedelta(days=1)})
    # the right link and hash, but placed before the head in id order
    refused("komt niet na de kop", prev_hash=top.hash, id_=top.id)
    assert head() == top
    # written by hand correctly, it joins the chain
    new_id = insert(prev_hash=top.hash, client_address="::ffff:10.0.0.1")
    assert head().id == new_id
    assert verify() == (None, head())


@pytest.mark.django_db
def test_a_row_cannot_be_backdated_or_dated_ahead():
    """The time is part of the hash, but the hash formula is no secret: the database also
    checks the time against its own clock and the head's, so a row written by hand (the
    runtime role, a bug) cannot be put in another period."""
    top = audit_system(action="view", dossier_id=DossierFactory().pk)
    now = timezone.now()
    for at in (now - timedelta(days=1), now - timedelta(minutes=6), now + timedelta(hours=1)):
        refused("tijdstip", prev_hash=top.hash, at=at)  # link and hash right, time not
    assert head() == top
    # A little apart (two servers' clocks) is fine; the chain goes on.
    new_id = insert(prev_hash=top.hash, at=now - timedelta(minutes=1))
    assert head().id == new_id
    # Not before the head by more than that, even when the clock would allow it: a head
    # 4 minutes ahead (within the clock's margin), then a row 2 minutes back.
    ahead_id = insert(prev_hash=head().hash, at=timezone.now() + timedelta(minutes=4))
    ahead = head()
    assert ahead.id == ahead_id
    refused("tijdstip", prev_hash=ahead.hash, at=timezone.now() - timedelta(minutes=2))
    assert audit_system(action="view", dossier_id=top.dossier_id).prev_hash == ahead.hash


@pytest.mark.django_db
def test_the_runtime_role_cannot_switch_the_check_off(as_runtime_role):  # noqa: F811
    top = audit_system(action="view")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'pgtrigger_access_log_chain_head%%'"
        )
        trigger = cursor.fetchone()[0]

    def attempt(sql: str, match: str) -> None:
        with (
            pytest.raises(DatabaseError, match=match),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)

    attempt(f"ALTER TABLE toegang_accesslog DISABLE TRIGGER {trigger}", "must be owner")
    attempt(f"DROP TRIGGER {trigger} ON toegang_accesslog", "must be owner")
    attempt(f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger AS 'BEGIN END' "
            "LANGUAGE plpgsql", "must be owner|permission denied")  # fmt: skip
    attempt("SET LOCAL session_replication_role = replica", "permission denied")
    # pgtrigger's escape hatch is a setting anyone may change: this trigger ignores it
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [f"{{{trigger}}}"])
        refused("vorige hash", prev_hash=GENESIS)
    # a temporary table of the same name comes first on the search path: not for the trigger
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE toegang_accesslog (id bigint, hash text) ON COMMIT DROP"
            )
            cursor.execute("INSERT INTO toegang_accesslog VALUES (1, %s)", [GENESIS])
        with (
            pytest.raises(DatabaseError, match="vorige hash"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "INSERT INTO public.toegang_accesslog (at, roles, action, outcome,"
                " prev_hash, hash) VALUES (now(), '', 'view', 'ok', %s, %s)",
                [GENESIS, GENESIS],
            )
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE pg_temp.toegang_accesslog")
    # the app, as the runtime role, still logs
    assert audit_system(action="view").prev_hash == top.hash
    assert verify()[0] is None


ADDRESSES = [
    "127.0.0.1", "10.0.0.0", "255.255.255.255", "::", "::1", "::ffff:1.2.3.4", "::1.2.3.4",
    "::ffff:0:0", "::ffff:0", "64:ff9b::1.2.3.4", "2001:db8::", "fe80::1", "1:0:2:3:4:5:6:7",
    "1:0:0:2:0:0:3:4", "2001:DB8:0:0:1:0:0:1",
]  # fmt: skip


@pytest.mark.django_db
def test_normal_logging_hashes_as_the_database_does_in_one_statement_too():
    """Many rows at once (a list page) and every form of address Python writes."""
    rng = random.Random(13)
    hextets = [0, 0, 0, 1, 0xFFFF]
    addresses = list(ADDRESSES)
    for _ in range(400):
        words = [rng.choice([*hextets, rng.randrange(65536)]) for _ in range(8)]
        addresses.append(str(ipaddress.IPv6Address(b"".join(w.to_bytes(2) for w in words))))
    user = UserFactory()
    dossier = DossierFactory()
    rows = [
        AccessLog(
            user=user, roles="gedragswetenschapper,professional", team_id=dossier.team_id,
            action="list", dossier_id=dossier.pk, subject_user_id=user.pk,
            client_address=address, outcome="ok",
        )
        for address in addresses
    ]  # fmt: skip
    append(rows)  # one multi-row INSERT: each row is checked against the one before it
    assert AccessLog.objects.count() >= len(addresses)
    assert verify()[0] is None
    # Each object got the id of its own row, in chain order.
    ids = [row.pk for row in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    stored = dict(AccessLog.objects.filter(pk__in=ids).values_list("pk", "hash"))
    assert [stored[row.pk] for row in rows] == [row.hash for row in rows]
    assert not any(row._state.adding for row in rows)


@pytest.mark.django_db(transaction=True)
def test_two_threads_logging_at_once_make_one_valid_chain():
    dossiers = [DossierFactory().pk for _ in range(2)]
    per_thread, start, errors = 25, threading.Barrier(2), []

    def work(dossier_id):
        try:
            start.wait()
            for i in range(per_thread):
                if i % 5 == 0:  # a service: state change and its log row in one transaction
                    with transaction.atomic():
                        audit_system(action="change", dossier_id=dossier_id)
                        audit_system(action="view", dossier_id=dossier_id)
                else:
                    audit_system(action="view", dossier_id=dossier_id)
        except Exception as error:  # pragma: no cover - the assertion shows it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLog.objects.filter(dossier_id__in=dossiers).count() == 2 * (per_thread + 5)
    problem, last = verify()
    assert problem is None and last == head()
