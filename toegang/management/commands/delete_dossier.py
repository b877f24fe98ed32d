import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Dossier
from toegang.retention import dossier_delete_on_request


class Command(BaseCommand):
    help = (
        "Verwijdert één dossier op verzoek van het gezin (recht op vergetelheid). "
        "Alleen voor beheerders; de verwijdering komt in het toegangslog, met alleen ids."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dossier_id", help="het id (UUID) van het dossier")
        parser.add_argument(
            "--door", required=True, metavar="GEBRUIKERSNAAM", help="de beheerder die verwijdert"
        )
        parser.add_argument("--bevestig", action="store_true", help="echt verwijderen")

    def handle(self, *args, dossier_id: str, door: str, bevestig: bool, **options) -> None:
        try:
            pk = uuid.UUID(dossier_id)
        except ValueError:
            raise CommandError(f"'{dossier_id}' is geen geldig dossier-id.", returncode=2) from None
        admin = get_user_model().objects.filter(username=door, is_superuser=True).first()
        if admin is None:
            raise CommandError(f"'{door}' is geen beheerder (superuser).", returncode=2)
        dossier = Dossier.objects.filter(pk=pk).first()
        if dossier is None:
            raise CommandError(f"Dossier {pk} bestaat niet.", returncode=2)
        if not bevestig:
            self.stdout.write(f"Zou dossier {pk} verwijderen. Voeg --bevestig toe om dat te doen.")
            return
        dossier_delete_on_request(dossier=dossier, user=admin)
        self.stdout.write(f"Dossier {pk} is verwijderd; het toegangslog vermeldt dit.")
