"""Writes to dossiers. Each state change and its access-log row share one transaction."""

from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone

from dossiers.models import (
    Dossier,
    IntakeDraft,
    Jeugdige,
    Netwerklid,
    Ouder,
    Status,
    SuggestionSnapshot,
    Team,
)
from dossiers.rules import role_names
from dossiers.selectors import dossier_get_for_write, dossier_locked, for_write_read
from interventies.engine import CaseResult, Catalogue, evaluate
from interventies.profile import parse_case_profile, today
from interventies.selectors import catalogue_in_use
from richtlijnen.roles import PROFESSIONAL
from toegang.audit import (
    audit_log,
    audit_log_once_per_editing_session,
    editing_session_end,
    editing_session_logged,
)
from toegang.models import AccessLog


class EditConflict(Exception):
    """Someone else saved the dossier after this person opened it."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        super().__init__("edit conflict")


class NotReady(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ChildData:
    first_name: str
    birth_date: date
    problems: list[str]


@dataclass(frozen=True)
class IntakeData:
    family_name: str
    crisis: bool
    placement: str
    family_problems: list[str]
    verklarende_analyse: str
    children: list[ChildData]
    parents: list[tuple[str, str]]
    network: list[tuple[str, str, bool]]


def case_profile_data(
    *,
    crisis: bool,
    placement: str,
    family_problems: list[str],
    children: list[ChildData],
    reference_date: date | None = None,
) -> dict:
    """The engine's case profile (shared/contract) for a family."""
    return {
        "reference_date": (reference_date or today()).isoformat(),
        "crisis": crisis,
        "placement": placement,
        "family_problems": list(family_problems),
        "children": [
            {
                "label": c.first_name,
                "birth_date": c.birth_date.isoformat(),
                "problems": list(c.problems),
            }
            for c in children
        ],
    }


def dossier_profile_data(dossier: Dossier) -> dict:
    return case_profile_data(
        crisis=dossier.crisis,
        placement=dossier.placement,
        family_problems=dossier.family_problems,
        children=[
            ChildData(c.first_name, c.birth_date, c.problems) for c in dossier.children.all()
        ],
    )


def suggestions_for(profile_data: dict, catalogue: Catalogue) -> CaseResult | None:
    """Suggestions for a profile, or None when it has no child yet."""
    if not profile_data["children"]:
        return None
    return evaluate(parse_case_profile(profile_data, catalogue), catalogue)


@transaction.atomic
def dossier_create(*, request: HttpRequest, team: Team, family_name: str) -> Dossier:
    dossier = Dossier.objects.create(
        team=team,
        family_name=family_name,
        placement="",  # not chosen yet: the intake asks, nothing is assumed
        created_by=request.user,
        updated_by=request.user,
    )
    dossier.editors.add(request.user)
    audit_log(request=request, action=AccessLog.Action.CREATE, dossier=dossier)
    return dossier


def dossier_save_intake(
    *, request: HttpRequest, dossier: Dossier, data: IntakeData, expected_version: int
) -> Dossier:
    """Save the intake if nobody saved in between (optimistic locking); else EditConflict.

    A refused save is logged too, in its own transaction (the save's was rolled back).
    """
    with transaction.atomic():
        saved = _save_intake(request=request, dossier=dossier, data=data, version=expected_version)
    if saved is not None:
        return saved
    current = Dossier.objects.select_related("updated_by").filter(pk=dossier.pk).first()
    if current is None:  # erased meanwhile
        raise Http404("Dossier niet gevonden")
    raise EditConflict(current)


def _save_intake(*, request, dossier: Dossier, data: IntakeData, version: int) -> Dossier | None:
    updated = Dossier.objects.filter(pk=dossier.pk, version=version, status=Status.CONCEPT).update(
        family_name=data.family_name,
        crisis=data.crisis,
        placement=data.placement,
        family_problems=data.family_problems,
        verklarende_analyse=data.verklarende_analyse,
        version=F("version") + 1,
        updated_by=request.user,
        updated_at=timezone.now(),
    )
    if not updated:
        return None
    dossier.children.all().delete()
    Jeugdige.objects.bulk_create(
        Jeugdige(
            dossier=dossier,
            first_name=c.first_name,
            birth_date=c.birth_date,
            problems=c.problems,
            position=i,
        )
        for i, c in enumerate(data.children)
    )
    dossier.parents.all().delete()
    Ouder.objects.bulk_create(
        Ouder(dossier=dossier, name=name, relation=relation, position=i)
        for i, (name, relation) in enumerate(data.parents)
    )
    dossier.network.all().delete()
    Netwerklid.objects.bulk_create(
        Netwerklid(dossier=dossier, name=name, relation=relation, is_mentor=mentor, position=i)
        for i, (name, relation, mentor) in enumerate(data.network)
    )
    IntakeDraft.objects.filter(dossier=dossier, user=request.user).delete()
    editing_session_end(request=request, dossier=dossier)
    dossier.editors.add(request.user)
    audit_log(request=request, action=AccessLog.Action.CHANGE, dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def draft_save(
    *, request: HttpRequest, dossier: Dossier, raw: dict, base_version: int, log: bool = True
) -> None:
    """Keep what was typed: one upsert, and an access-log row once per editing session
    (both in one transaction). ``log=False`` when the caller logs the request's own
    action."""
    with _erased_is_not_found(dossier.pk):
        if log and not editing_session_logged(request=request, dossier_id=dossier.pk):
            with transaction.atomic():
                _draft_upsert(
                    dossier=dossier, user=request.user, raw=raw, base_version=base_version
                )
                audit_log_once_per_editing_session(
                    request=request, action=AccessLog.Action.AUTOSAVE, dossier=dossier
                )
            return
        # A single statement, atomic by itself.
        _draft_upsert(dossier=dossier, user=request.user, raw=raw, base_version=base_version)


def _draft_upsert(*, dossier: Dossier, user, raw: dict, base_version: int) -> None:
    """INSERT ... ON CONFLICT DO UPDATE, the same SQL on PostgreSQL and SQLite.

    Not ``bulk_create(update_conflicts=True)``: that wraps even one row in a transaction
    of its own, two more round trips on the path taken at every autosave pause."""
    alias = router.db_for_write(IntakeDraft)
    db = connections[alias]
    fields, _ = _draft_fields()
    values = [dossier.pk, user.pk, raw, base_version, timezone.now()]
    params = [
        field.get_db_prep_save(value, db) for field, value in zip(fields, values, strict=True)
    ]
    sql = _draft_upsert_sql("VALUES (" + ", ".join(["%s"] * len(fields)) + ")", alias)
    with db.cursor() as cursor:
        cursor.execute(sql, params)


def _draft_fields():
    """The draft's columns in the order the upserts write them, and the table."""
    meta = IntakeDraft._meta
    names = ["dossier", "user", "data", "base_version", "saved_at"]
    return [meta.get_field(name) for name in names], meta.db_table


@functools.cache
def _draft_upsert_sql(source: str, alias: str) -> str:
    """The draft's upsert, its five values (dossier, user, data, base version, time) from
    ``source``: a VALUES list or a SELECT."""
    fields, table = _draft_fields()
    quote = connections[alias].ops.quote_name
    columns = [quote(field.column) for field in fields]
    return (
        f"INSERT INTO {quote(table)} ({', '.join(columns)}) {source} "
        f"ON CONFLICT ({columns[0]}, {columns[1]}) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in columns[2:])
    )


def draft_autosave(*, request: HttpRequest, pk, raw: dict) -> tuple[Dossier, Catalogue, bool]:
    """The autosave's read, and its write when that can go in the same statement.

    Returns the dossier row (only the user's teams': 404 otherwise) with the catalogue in
    use, and whether the draft is already kept. It is, in one round trip to the database,
    on the path taken at every autosave pause: on PostgreSQL, for an active professional,
    once this editing session is logged. The statement keeps the draft only when the row
    is a concept and content is in use. With the role checked here and the team in the
    read's own filter, that is the "dossiers.edit" rule
    (tests/test_autosave_statement.py holds them equal and pins the rule).

    Otherwise (``False``) only the row is read: the caller checks the rule and keeps the
    draft with ``draft_save``, with the access-log row when an editing session starts.
    """
    user = request.user
    alias = router.db_for_write(Dossier)
    db = connections[alias]
    live = (
        db.vendor == "postgresql"  # SQLite has no INSERT inside WITH
        and user.is_active
        and PROFESSIONAL in role_names(user)
        and editing_session_logged(request=request, dossier_id=pk)
    )
    if not live:
        return (*dossier_get_for_write(user=user, pk=pk), False)
    dossier = None
    read = for_write_read(user=user, pk=pk)
    if read is not None:
        manager, read_sql, read_params = read
        meta = IntakeDraft._meta
        params = [
            *read_params,
            user.pk,
            meta.get_field("data").get_db_prep_save(raw, db),
            meta.get_field("saved_at").get_db_prep_save(timezone.now(), db),
            Status.CONCEPT.value,
        ]
        with _erased_is_not_found(pk):
            dossier = next(iter(manager.raw(_read_and_keep_sql(read_sql, alias), params)), None)
    if dossier is None:
        raise Http404("Dossier niet gevonden")
    return dossier, catalogue_in_use(dossier), dossier.draft_kept


@contextmanager
def _erased_is_not_found(pk):
    """A draft written while its dossier is being erased fails the foreign key when it
    commits: the dossier is gone, so the answer is a 404, not an error page."""
    try:
        yield
    except IntegrityError:
        if not Dossier.objects.filter(pk=pk).exists():
            raise Http404("Dossier niet gevonden") from None
        raise


@functools.lru_cache(maxsize=16)
def _read_and_keep_sql(read_sql: str, alias: str) -> str:
    """The autosave's read with the draft's upsert in one statement: the upsert takes the
    dossier id and version from the row read, and writes only when its status is the
    one given (a concept) and content is in use (else the view answers that none is)."""
    meta = Dossier._meta
    quote = connections[alias].ops.quote_name
    pk, version, status = (
        quote(meta.get_field(name).column) for name in ("id", "version", "status")
    )
    # Names from the models and SQL compiled by the ORM; every value is a parameter.
    upsert = _draft_upsert_sql(
        f"SELECT dossier_row.{pk}, %s, %s, dossier_row.{version}, %s "  # noqa: S608
        f"FROM dossier_row WHERE dossier_row.{status} = %s "
        "AND dossier_row.in_use_version_id IS NOT NULL",
        alias,
    )
    return (
        f"WITH dossier_row AS ({read_sql}), kept AS ({upsert} RETURNING 1) "  # noqa: S608
        "SELECT dossier_row.*, EXISTS (SELECT FROM kept) AS draft_kept FROM dossier_row"
    )


@transaction.atomic
def draft_save_refused(
    *, request: HttpRequest, dossier: Dossier, raw: dict, base_version: int, outcome: str
) -> None:
    """A save that was refused (invalid input, or an edit conflict): keep the input as a
    draft, and log the refused change."""
    draft_save(request=request, dossier=dossier, raw=raw, base_version=base_version, log=False)
    audit_log(request=request, action=AccessLog.Action.CHANGE, dossier=dossier, outcome=outcome)


def snapshot_create(*, dossier: Dossier, catalogue: Catalogue, user) -> SuggestionSnapshot:
    """Store the suggestions for the dossier as it is now, with the content version."""
    profile = dossier_profile_data(dossier)
    if not profile["children"]:
        raise NotReady("Voeg eerst minstens één kind toe.")
    return SuggestionSnapshot.objects.create(
        dossier=dossier,
        content_version=catalogue.version,
        profile=profile,
        result=suggestions_for(profile, catalogue).as_dict(),
        created_by=user,
    )


@transaction.atomic
def draft_discard(*, request: HttpRequest, dossier: Dossier) -> None:
    IntakeDraft.objects.filter(dossier=dossier, user=request.user).delete()
    editing_session_end(request=request, dossier=dossier)
    audit_log(request=request, action=AccessLog.Action.DISCARD, dossier=dossier)


@transaction.atomic
def dossier_submit(
    *, request: HttpRequest, dossier: Dossier, catalogue: Catalogue
) -> SuggestionSnapshot:
    """Send the saved intake for review, storing the suggestions exactly as computed now."""
    dossier = dossier_locked(dossier.pk)
    if dossier.status != Status.CONCEPT:
        raise NotReady("Dit dossier is al ingediend.")
    snapshot = snapshot_create(dossier=dossier, catalogue=catalogue, user=request.user)
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.TER_BEOORDELING,
        submitted_at=now,
        submitted_by=request.user,
        updated_at=now,
        updated_by=request.user,
        version=F("version") + 1,
    )
    audit_log(request=request, action=AccessLog.Action.SUBMIT, dossier=dossier)
    return snapshot


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, user, request: HttpRequest) -> bool:
    """Withdraw a concept created by mistake. False when it was already withdrawn (a double
    post); NotReady when it is no longer a concept. The dossier is kept (out of every
    list, not editable) until the concept term ends (toegang.retention); nobody's draft of
    it is kept, and the withdrawal is logged in the same transaction."""
    locked = dossier_locked(dossier.pk)
    if locked.status == Status.INGETROKKEN:
        return False
    if locked.status != Status.CONCEPT:
        raise NotReady("Dit dossier is al ingediend. Alleen een concept kan worden ingetrokken.")
    now = timezone.now()
    Dossier.objects.filter(pk=locked.pk).update(
        status=Status.INGETROKKEN,
        updated_at=now,
        updated_by=user,
        version=F("version") + 1,
    )
    IntakeDraft.objects.filter(dossier=locked).delete()
    editing_session_end(request=request, dossier=locked)
    audit_log(request=request, action=AccessLog.Action.WITHDRAW, dossier=locked)
    return True


@transaction.atomic
def drafts_discard_leftover(*, dossier: Dossier, request: HttpRequest) -> int:
    """Discard every draft left on a submitted dossier; how many there were. A second post
    finds none, removes nothing and logs nothing."""
    locked = dossier_locked(dossier.pk)
    if locked.status in (Status.CONCEPT, Status.INGETROKKEN):
        raise NotReady("Alleen bij een ingediend dossier kunnen achtergebleven concepten weg.")
    removed, _ = IntakeDraft.objects.filter(dossier=locked).delete()
    if removed:
        audit_log(request=request, action=AccessLog.Action.DISCARD, dossier=locked)
    return removed
