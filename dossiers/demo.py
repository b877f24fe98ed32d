"""Demo data for trying Richtsnoer locally. Never for production (the command refuses)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from richtlijnen.roles import CONTENT_ADMIN, sync_role_groups

DEMO_PASSWORD = "richtsnoer-demo"  # noqa: S105 - demo only; seed_demo refuses without DEBUG

DEMO_USERS = [
    # username, first name, roles, staff
    ("demo-beheer", "Beheer", [CONTENT_ADMIN], True),
]


@transaction.atomic
def demo_seed() -> list[str]:
    """Create the demo users (idempotent). Returns the usernames created."""
    sync_role_groups()
    user_model = get_user_model()
    created = []
    for username, first_name, roles, staff in DEMO_USERS:
        user, was_created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "is_staff": staff}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(username)
        user.groups.set(Group.objects.filter(name__in=roles))
    return created
