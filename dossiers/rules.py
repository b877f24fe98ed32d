"""Who may do what with a dossier: one place, with django-rules.

Use ``can(user, "dossiers.edit", dossier)`` (in templates ``{% can "dossiers.edit" user
dossier as ok %}`` from ``{% load care %}``), never ``user.has_perm``: Django's
``has_perm`` answers True for every active superuser before any rule is asked, and
administering the system must give no access to families. Care access comes only from a
role (group) and a team. A user only ever reaches a dossier of one of their own teams
(selectors filter by team); these rules say what they may do there.
"""

import rules

from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL


def team_ids(user) -> frozenset[int]:
    """The ids of the user's teams, asked once per request (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_richtsnoer_team_ids", None)
    if cached is None:
        cached = frozenset(user.teams.values_list("id", flat=True))
        user._richtsnoer_team_ids = cached
    return cached


def role_names(user) -> frozenset[str]:
    """The names of the user's groups (roles), asked once per request.

    Shares django-rules' own per-user cache (``is_group_member`` reads the same
    attribute), so the permission checks and the access log read the roles once.
    """
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = set(user.groups.values_list("name", flat=True))
    return frozenset(user._group_names_cache)


def remember_roles_and_teams(user, *, roles: set[str], team_ids: set[int]) -> None:
    """Roles and team ids read together with the user (``accounts.backends``): the two
    functions above then ask nothing more in this request."""
    user._group_names_cache = set(roles)
    user._richtsnoer_team_ids = frozenset(team_ids)


@rules.predicate
def is_team_member(user, dossier) -> bool:
    return dossier is not None and dossier.team_id in team_ids(user)


@rules.predicate
def is_concept(user, dossier) -> bool:
    return dossier is not None and dossier.status == "concept"


@rules.predicate
def is_submitted(user, dossier) -> bool:
    """Sent for review at some point (and not withdrawn: only a concept can be)."""
    return dossier is not None and dossier.status in {
        "ter_beoordeling",
        "vastgesteld",
        "afgesloten",
    }


is_professional = rules.is_group_member(PROFESSIONAL)
is_gedragswetenschapper = rules.is_group_member(GEDRAGSWETENSCHAPPER)
works_with_families = is_professional | is_gedragswetenschapper

rules.add_perm("dossiers.list", works_with_families)
rules.add_perm("dossiers.create", is_professional)
rules.add_perm("dossiers.view", works_with_families & is_team_member)
rules.add_perm("dossiers.edit", is_professional & is_team_member & is_concept)
rules.add_perm("dossiers.submit", is_professional & is_team_member & is_concept)
rules.add_perm("dossiers.withdraw", is_professional & is_team_member & is_concept)
# Drafts someone left behind when the intake was submitted: any team member may clear them.
rules.add_perm(
    "dossiers.discard_leftover_drafts", works_with_families & is_team_member & is_submitted
)
rules.add_perm("dossiers.view_access_log", is_gedragswetenschapper & is_team_member)


def can(user, perm: str, obj=None) -> bool:
    """The care rules only, for everyone alike: no superuser shortcut."""
    return user.is_active and rules.has_perm(perm, user, obj)


@rules.predicate
def wrote_intake(user, dossier) -> bool:
    """Created, saved a change to, or submitted the intake (four eyes: not its reviewer)."""
    if dossier is None or not user.is_authenticated:
        return False
    if user.pk in {dossier.created_by_id, dossier.submitted_by_id}:
        return True
    return dossier.editors.filter(pk=user.pk).exists()
