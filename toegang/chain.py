"""The hash chain over the access log: every row hashes its content and the previous hash.

Writers serialise on the chain head: on PostgreSQL a transaction-scoped advisory lock,
taken when the row is inserted (services log last, views log outside a transaction, so
it is held for as short a time as possible); on SQLite the database's single writer.
On PostgreSQL a trigger checks every new row against the head (``toegang.triggers``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from toegang.models import GENESIS, AccessLog, LogTrim
from toegang.triggers import CHAIN_LOCK

logger = logging.getLogger("richtsnoer.toegang")

FIELDS = (
    "at",
    "user_id",
    "roles",
    "team_id",
    "action",
    "dossier_id",
    "subject_user_id",
    "client_address",
    "outcome",
)


@lru_cache(maxsize=256)
def _time_text(value) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@lru_cache(maxsize=256)
def _address_text(value: str) -> str:
    return str(ipaddress.ip_address(value))


# A page's rows share their time, user, roles and address: their texts are made once.
def _text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "at":
        return _time_text(value)
    if name == "client_address":
        return _address_text(str(value))
    return str(value)


def row_hash(row: AccessLog, prev_hash: str) -> str:
    content = "\x1f".join(_text(name, getattr(row, name)) for name in FIELDS)
    return hashlib.sha256(f"{prev_hash}\x1e{content}".encode()).hexdigest()


# Before the chain lock: run the transaction's pending deferred checks now (Django's
# foreign keys are INITIALLY DEFERRED), then defer again. Otherwise a writer would hold the
# chain lock while its commit-time key check waits for a row another writer has locked
# (select_for_update on the dossier) and wants the chain lock for: a deadlock. The test of
# two users at once (tests/test_lifecycle_machine.py) found it. A pending deferred
# constraint trigger is checked here too: erasure logs before it deletes.
LOCK_SQL = (
    "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED; "
    f"SELECT pg_advisory_xact_lock({int(CHAIN_LOCK)})"
)


def lock_head() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCK_SQL)
    head = AccessLog.objects.order_by("-id").values_list("hash", flat=True).first()
    return head or GENESIS


@lru_cache(maxsize=1)
def _insert_sql() -> tuple[str, tuple[str, ...]]:
    """One INSERT for a page's rows on PostgreSQL: each column sent as one array and
    unnested, as ``bulk_create`` does, without its per-value preparation (these values
    need none: the trigger recomputes the hash from what is stored and refuses a row
    whose stored values differ from what was hashed here)."""
    meta = AccessLog._meta
    fields = [meta.get_field(name) for name in (*FIELDS, "prev_hash", "hash")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) RETURNING id"  # noqa: S608 (names from the model)
    return sql, tuple(f.attname for f in fields)


def _insert_many(rows: list[AccessLog]) -> None:
    sql, attnames = _insert_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [[getattr(row, name) for row in rows] for name in attnames])
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):  # in insert order
            row.pk = pk
            row._state.adding, row._state.db = False, connection.alias


def append(rows: list[AccessLog]) -> list[AccessLog]:
    """Insert rows at the head of the chain, in the caller's transaction (or their own)."""
    if not rows:
        return rows
    with transaction.atomic():
        prev = lock_head()
        now = timezone.now()
        for row in rows:
            row.at = now
            row.prev_hash = prev
            row.hash = prev = row_hash(row, prev)
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        elif connection.vendor == "postgresql":
            _insert_many(rows)
        else:
            AccessLog.objects.bulk_create(rows)
        last = rows[-1]
        transaction.on_commit(
            lambda: logger.info("toegangslog kop %s %s", last.pk, last.hash)  # ids, no content
        )
    return rows


@dataclass(frozen=True)
class Problem:
    row_id: int | None
    message: str


def _rows() -> Iterator[AccessLog]:
    last = -(2**63)
    while True:
        chunk = list(AccessLog.objects.filter(id__gt=last).order_by("id")[:5000])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id


def verify(
    *, expected_head: tuple[int, str] | None = None
) -> tuple[Problem | None, AccessLog | None]:
    """Walk the chain in id order. Returns the first problem (or None) and the last row."""
    trims = {(t.first_id, t.first_prev_hash) for t in LogTrim.objects.all()}
    prev: AccessLog | None = None
    seen_expected = expected_head is None
    for row in _rows():
        if prev is None:
            if row.prev_hash != GENESIS and (row.id, row.prev_hash) not in trims:
                return Problem(row.id, "het begin van het log ontbreekt (rijen verwijderd)"), None
        elif row.prev_hash != prev.hash:
            return Problem(
                row.id, "sluit niet aan op de vorige rij (rij verwijderd of ingevoegd)"
            ), prev
        if row.hash != row_hash(row, row.prev_hash):
            return Problem(row.id, "inhoud klopt niet met de hash (rij gewijzigd)"), prev
        if expected_head is not None and row.id == expected_head[0]:
            if row.hash != expected_head[1]:
                return Problem(row.id, "hash wijkt af van de bekende kop"), prev
            seen_expected = True
        prev = row
    if not seen_expected:
        return Problem(
            expected_head[0], "de bekende kop ontbreekt: het log is ingekort of geleegd"
        ), prev
    return None, prev
