"""Roles are Django groups. Their model permissions are kept in step after every migrate."""

from django.apps import apps as global_apps
from django.db import transaction

CONTENT_ADMIN = "Inhoudsbeheerder"
PROFESSIONAL = "Wijkteamprofessional"
GEDRAGSWETENSCHAPPER = "Gedragswetenschapper"
# Sees the organisation-wide access log (toegang); no access to any dossier's contents.
PRIVACY_OFFICER = "Privacyfunctionaris"

CONTENT_MODELS = [
    ("richtlijnen", "problemarea"),
    ("richtlijnen", "placementsituation"),
    ("richtlijnen", "guideline"),
    ("richtlijnen", "section"),
    ("richtlijnen", "recommendation"),
    ("interventies", "interventie"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    CONTENT_ADMIN: [
        (app, action, model)
        for app, model in CONTENT_MODELS
        for action in ("view", "add", "change", "delete")
    ],
    PROFESSIONAL: [],
    GEDRAGSWETENSCHAPPER: [],
    PRIVACY_OFFICER: [],
}


@transaction.atomic
def sync_role_groups(apps=global_apps) -> None:
    """Create the role groups and give each exactly its permissions."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        perms = [
            permission_model.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            for app, action, model in wanted
        ]
        group.permissions.set(perms)


def sync_role_groups_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    # Permissions exist only once every app has migrated; skip partial states quietly.
    permission_model = apps.get_model("auth", "Permission")
    if permission_model.objects.filter(content_type__app_label="interventies").exists():
        sync_role_groups(apps)
