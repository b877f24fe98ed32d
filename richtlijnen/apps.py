from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class RichtlijnenConfig(AppConfig):
    name = "richtlijnen"
    verbose_name = "Richtlijnen en vocabulaire"

    def ready(self) -> None:
        from richtlijnen.roles import sync_role_groups_after_migrate

        # After the last content app has its permissions, the role groups can be set.
        post_migrate.connect(
            sync_role_groups_after_migrate,
            sender=apps.get_app_config("interventies"),
            dispatch_uid="richtlijnen.sync_role_groups",
        )
