from django.conf import settings
from django.core.management.base import BaseCommand

from toegang.retention import dossiers_purge_expired, expired_dossiers, retention_cutoff


class Command(BaseCommand):
    help = (
        "Verwijdert afgesloten dossiers waarvan de bewaartermijn voorbij is "
        "(RICHTSNOER_RETENTION_YEARS, standaard 15 jaar: Jeugdwet art. 7.3.8). "
        "Elke verwijdering komt in het toegangslog, met alleen ids."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Laat zien wat weg zou gaan; verwijder niets."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        cutoff = retention_cutoff()
        self.stdout.write(
            f"Bewaartermijn {settings.RETENTION_YEARS} jaar: afgesloten vóór {cutoff:%Y-%m-%d}."
        )
        if dry_run:
            ids = [str(pk) for pk in expired_dossiers().values_list("pk", flat=True)]
            for pk in ids:
                self.stdout.write(f"  zou verwijderen: dossier {pk}")
            self.stdout.write(f"Proefdraai: {len(ids)} dossier(s) zouden worden verwijderd.")
            return
        removed = dossiers_purge_expired()
        for item in removed:
            self.stdout.write(f"  verwijderd: dossier {item.dossier_id}")
        self.stdout.write(f"{len(removed)} dossier(s) verwijderd.")
