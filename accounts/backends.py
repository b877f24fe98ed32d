"""Django's model backend, reading the user's roles and teams with the user.

Every request loads the logged-in user, and nearly every request then asks which roles
(groups) and teams that user has (permission checks, team-scoped reads, the access log).
Here the user row comes with both, as two subqueries in the same statement: one query
per request instead of three. Nothing is kept between requests, so a role or team taken
away counts from the next request on.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast

from common.compiled import Compiled, compiled
from dossiers.models import Team
from dossiers.rules import remember_roles_and_teams

ROLE_SEPARATOR = "\n"


def _roles_of_outer_user() -> Subquery:
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef("pk"))
    return Subquery(
        memberships.order_by()
        .values("user_id")
        .annotate(names=StringAgg("group__name", Value(ROLE_SEPARATOR)))
        .values("names")
    )


def _teams_of_outer_user() -> Subquery:
    memberships = Team.members.through.objects.filter(user_id=OuterRef("pk"))
    return Subquery(
        memberships.order_by()
        .values("user_id")
        .annotate(ids=StringAgg(Cast("team_id", CharField()), Value(",")))
        .values("ids")
    )


# Marks where the user id goes in the compiled statement (no database hands it out).
_ID_MARK = -1_987_654_321


@functools.cache
def _statement(alias: str, vendor: str) -> Compiled:
    """The query compiled once per database: building it with the ORM on every request
    (two subqueries with aggregates) costs more than the two queries it saves."""
    users = (
        get_user_model()
        ._default_manager.db_manager(alias)
        .annotate(role_list=_roles_of_outer_user(), team_list=_teams_of_outer_user())
    )
    return compiled(users.filter(pk=_ID_MARK), pk=[_ID_MARK])


class CareUserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(model)
        statement = _statement(alias, connections[alias].vendor)
        user = statement.first(model._default_manager.db_manager(alias), pk=[pk])
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles_and_teams(
            user,
            roles={name for name in (user.role_list or "").split(ROLE_SEPARATOR) if name},
            team_ids={int(pk) for pk in (user.team_list or "").split(",") if pk},
        )
        return user
