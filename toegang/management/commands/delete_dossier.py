import getpass
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import user_has_authenticator_app
from accounts.services import second_factor_check
from dossiers.models import Dossier
from toegang.models import Erasure
from toegang.retention import ErasureRefused, dossier_delete_on_request


def _authenticated(username: str, who: str):
    """An active administrator who proves it as on the website: password and a code from
    their authenticator app or a recovery code (both asked, never arguments)."""
    user = get_user_model().objects.filter(username=username).first()
    password = getpass.getpass(f"Wachtwoord van {who} {username}: ")
    if user is None or not user.is_active or not user.check_password(password):
        raise CommandError(f"Inloggen als {username} is mislukt.", returncode=2)
    if not user_has_authenticator_app(user):
        raise CommandError(
            f"{username} heeft inloggen in twee stappen nog niet ingesteld. Log eerst in op "
            "de website en stel de authenticator-app in.",
            returncode=2,
        )
    code = getpass.getpass(f"Code uit de authenticator-app (of een herstelcode) van {username}: ")
    if not second_factor_check(user=user, code=code):
        raise CommandError(f"Inloggen als {username} is mislukt: de code klopt niet.", returncode=2)
    return user


class Command(BaseCommand):
    help = (
        "Verwijdert één dossier op verzoek van het gezin (recht op vergetelheid), met alles "
        "wat eronder valt. Een beheerder logt in met wachtwoord en code; een tweede beheerder "
        "bevestigt (--tweede), of de beheerder legt de grondslag vast (--grondslag en "
        "--kenmerk). Het toegangslog krijgt een regel met alleen ids."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dossier_id", help="het id (UUID) van het dossier")
        parser.add_argument(
            "--gebruiker", required=True, metavar="GEBRUIKERSNAAM", help="de beheerder"
        )
        parser.add_argument(
            "--tweede", metavar="GEBRUIKERSNAAM", help="een tweede beheerder die meekijkt"
        )
        parser.add_argument(
            "--grondslag",
            choices=[Erasure.Basis.COURT, Erasure.Basis.AP],
            help="zonder tweede beheerder: uitspraak (rechter) of autoriteit (AP)",
        )
        parser.add_argument("--kenmerk", default="", help="zaak- of briefnummer, geen namen")
        parser.add_argument("--bevestig", action="store_true", help="echt verwijderen")

    def handle(self, *args, dossier_id: str, gebruiker: str, tweede, grondslag, kenmerk: str,
               bevestig: bool, **options) -> None:  # fmt: skip
        try:
            pk = uuid.UUID(dossier_id)
        except ValueError:
            raise CommandError(f"'{dossier_id}' is geen geldig dossier-id.", returncode=2) from None
        if not Dossier.objects.filter(pk=pk).exists():
            raise CommandError(f"Dossier {pk} bestaat niet.", returncode=2)
        if not bevestig:
            self.stdout.write(f"Zou dossier {pk} verwijderen. Voeg --bevestig toe om dat te doen.")
            return
        operator = _authenticated(gebruiker, "beheerder")
        second = _authenticated(tweede, "tweede beheerder") if tweede else None
        try:
            dossier_delete_on_request(
                dossier_id=pk,
                operator=operator,
                second=second,
                basis=grondslag or "",
                reference=kenmerk,
            )
        except ErasureRefused as refused:
            raise CommandError(str(refused), returncode=2) from None
        self.stdout.write(f"Dossier {pk} is verwijderd; het toegangslog vermeldt dit.")
