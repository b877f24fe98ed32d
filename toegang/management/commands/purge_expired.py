from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from toegang.retention import dossiers_purge_expired, expired_dossiers, retention_cutoff


class Command(BaseCommand):
    help = (
        "Verwijdert wat over zijn bewaartermijn is: afgesloten dossiers (standaard 15 jaar: "
        "Jeugdwet art. 7.3.8), dossiers die nooit zijn afgesloten (15 jaar na de laatste "
        "wijziging), onaangeroerde concepten (RICHTSNOER_RETENTION_CONCEPT_DAYS), verlopen "
        "sessies en oude inlogpogingen. Elk dossier in een eigen transactie; elke "
        "verwijdering komt in het toegangslog, met alleen ids."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Laat zien wat weg zou gaan; verwijder niets."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        self.stdout.write(
            f"Bewaartermijn {settings.RETENTION_YEARS} jaar (afgesloten, of laatste wijziging "
            f"vóór {retention_cutoff():%Y-%m-%d}); concepten {settings.RETENTION_CONCEPT_DAYS} "
            "dagen."
        )
        if dry_run:
            ids = [str(pk) for pk in expired_dossiers().values_list("pk", flat=True)]
            for pk in ids:
                self.stdout.write(f"  zou verwijderen: dossier {pk}")
            self.stdout.write(f"Proefdraai: {len(ids)} dossier(s) zouden worden verwijderd.")
            return
        result = dossiers_purge_expired()
        for item in result.removed:
            self.stdout.write(f"  verwijderd: dossier {item.dossier_id}")
        self.stdout.write(
            f"{len(result.removed)} dossier(s) verwijderd; {result.sessions} verlopen sessie(s) "
            f"en {result.login_attempts} oude inlogpoging(en) opgeruimd."
        )
        if result.failed:
            for pk in result.failed:
                self.stderr.write(f"  NIET verwijderd (zie het applicatielog): dossier {pk}")
            raise CommandError(f"{len(result.failed)} dossier(s) niet verwijderd.", returncode=1)
