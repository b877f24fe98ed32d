"""Reads of dossiers, always scoped to the user's teams."""

from __future__ import annotations

import functools
import uuid

from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from common.compiled import Compiled, compiled
from dossiers.models import Dossier, IntakeDraft, Jeugdige, Status, Team
from dossiers.rules import team_ids
from interventies.engine import Catalogue
from interventies.selectors import catalogue_in_use, in_use_annotations


def teams_for_user(user) -> QuerySet[Team]:
    return Team.objects.filter(id__in=team_ids(user))


def dossiers_for_user(user) -> QuerySet[Dossier]:
    """Every dossier the user may know exists: those of their own teams. Nothing else."""
    return Dossier.objects.filter(team_id__in=team_ids(user))


def dossier_list(*, user, query: str = "", status: str = "", mine: bool = False) -> QuerySet:
    """The user's teams' dossiers, latest activity first; withdrawn ones are left out.

    Served by the ``(team, updated_at DESC, id DESC)`` index; children are not counted
    here (that would group every matching dossier): ``with_child_counts`` counts them for
    the shown page only. On PostgreSQL the name search is answered by a trigram index.
    """
    dossiers = (
        dossiers_for_user(user)
        .exclude(status=Status.INGETROKKEN)
        .select_related("team", "updated_by")
        .order_by("-updated_at", "-id")
    )
    if query:
        dossiers = dossiers.filter(family_name__icontains=query)
    if status:
        dossiers = dossiers.filter(status=status)
    if mine:
        dossiers = dossiers.filter(Q(created_by=user) | Q(updated_by=user))
    return dossiers


def with_child_counts(dossiers) -> list[Dossier]:
    """The given (shown) dossiers as a list, each with ``child_count``: one query."""
    shown = list(dossiers)
    counts = dict(
        Jeugdige.objects.filter(dossier_id__in=[d.pk for d in shown])
        .values_list("dossier_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for dossier in shown:
        dossier.child_count = counts.get(dossier.pk, 0)
    return shown


# Marks where the team ids and the dossier id go in the compiled statement below.
_TEAM_MARK = -1_987_654_000
_PK_MARK = uuid.UUID("00000000-0000-4000-8000-00000000d055")


@functools.lru_cache(maxsize=64)
def _for_write_statement(alias: str, vendor: str, teams: int) -> Compiled:
    """The autosave's read compiled once per database and number of teams: the ORM's own
    compilation of it (two subqueries) cost about as much as the query itself."""
    marks = [_TEAM_MARK - i for i in range(teams)]
    rows = (
        Dossier.objects.db_manager(alias)
        .filter(team_id__in=marks, pk=_PK_MARK)
        .only("team_id", "status", "version", "updated_at")
        .annotate(**in_use_annotations())
    )
    pk_mark = Dossier._meta.pk.get_db_prep_value(_PK_MARK, connections[alias])
    return compiled(rows, teams=marks, pk=[pk_mark])


def dossier_get_for_write(*, user, pk) -> tuple[Dossier, Catalogue]:
    """The dossier row alone (no family, no people, not its long texts), or 404, with the
    catalogue in use read in the same statement: for autosave, which needs only the row's
    team, status and version, and the engine. The same query as
    ``dossiers_for_user(user).only(...).annotate(...).get(pk=pk)``, compiled once."""
    read = for_write_read(user=user, pk=pk)
    dossier = None
    if read is not None:
        manager, sql, params = read
        dossier = next(iter(manager.raw(sql, params)), None)
    if dossier is None:
        raise Http404("Dossier niet gevonden")
    return dossier, catalogue_in_use(dossier)


def for_write_read(*, user, pk) -> tuple[object, str, list] | None:
    """``dossier_get_for_write``'s statement as (manager, SQL, parameters) for this user
    and dossier id, or None when the user has no team (nothing to find). The autosave's
    one-statement write (``dossiers.services.draft_autosave``) reads the row with it."""
    teams = sorted(team_ids(user))
    if not teams:
        return None
    alias = router.db_for_write(Dossier)
    connection = connections[alias]
    statement = _for_write_statement(alias, connection.vendor, len(teams))
    pk_value = Dossier._meta.pk.get_db_prep_value(Dossier._meta.pk.to_python(pk), connection)
    return (
        Dossier.objects.db_manager(alias),
        statement.sql,
        statement.params_for(teams=teams, pk=[pk_value]),
    )


def dossier_locked(pk) -> Dossier:
    """The dossier row, locked for this transaction (a write re-checks its status under
    the lock), or 404 when it was erased since the view read it."""
    try:
        return Dossier.objects.select_for_update().get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404("Dossier niet gevonden") from None


def dossier_get(*, user, pk) -> Dossier:
    """The dossier with its family, or 404 when it is not one of the user's teams'."""
    try:
        return (
            dossiers_for_user(user)
            .select_related("team", "created_by", "updated_by", "submitted_by")
            .prefetch_related("children", "parents", "network")
            .get(pk=pk)
        )
    except Dossier.DoesNotExist:
        raise Http404("Dossier niet gevonden") from None


def possible_duplicates(*, user, team: Team, family_name: str, limit: int = 5) -> list[Dossier]:
    """Dossiers of the same name in this team (one the user belongs to), newest first.

    Only the chosen team is looked in, and only if the user is in it: another team's
    families are never shown, not even that they exist.
    """
    name = family_name.strip()
    if not name or team.pk not in team_ids(user):
        return []
    return list(
        Dossier.objects.filter(team=team, family_name__iexact=name)
        .exclude(status=Status.INGETROKKEN)
        .select_related("team")
        .order_by("-created_at")[:limit]
    )


def leftover_drafts(*, dossier: Dossier) -> list[IntakeDraft]:
    """Drafts anyone left on this dossier, oldest first: who and when, never the contents."""
    return list(
        IntakeDraft.objects.filter(dossier=dossier)
        .select_related("user")
        .defer("data")
        .order_by("saved_at", "pk")
    )
