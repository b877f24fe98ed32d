from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cdshooks.demo import cds_demo_seed
from dossiers.demo import DEMO_PASSWORD, DEMO_USERS, demo_seed
from dossiers.models import Dossier


class Command(BaseCommand):
    help = (
        "Maakt demoteams, demogebruikers en fictieve gezinnen "
        "(alleen met DJANGO_DEBUG=1, nooit in productie)."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo werkt alleen met DJANGO_DEBUG=1: demodata hoort niet in productie."
            )
        created = demo_seed()
        cds_client = cds_demo_seed()
        if created:
            self.stdout.write(f"Demogebruikers aangemaakt: {', '.join(created)}")
        names = ", ".join(name for name, *_ in DEMO_USERS)
        self.stdout.write(f"Demogebruikers: {names} (wachtwoord: {DEMO_PASSWORD})")
        self.stdout.write(f"Dossiers in de database: {Dossier.objects.count()}")
        self.stdout.write(
            f"CDS Hooks-democlient: {cds_client.name} "
            f"(token: manage.py cds_token --client {cds_client.name})"
        )
