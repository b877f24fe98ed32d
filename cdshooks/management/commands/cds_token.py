from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cdshooks.auth import MAX_LIFETIME_SECONDS
from cdshooks.models import CdsClient
from cdshooks.spec import SERVICE_ID
from cdshooks.tokens import client_token, demo_key_path


class Command(BaseCommand):
    help = (
        "Maakt een JWT voor een geregistreerde CDS Hooks-client, getekend met diens "
        "private sleutel (standaard de sleutel van de democlient). Eén token per aanroep: "
        "elk token (jti) wordt maar één keer geaccepteerd."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--client", required=True, help="naam van de client (zie beheer)")
        parser.add_argument(
            "--key", type=Path, default=None, help="private sleutel (PEM) van de client"
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="het adres van Richtsnoer zoals de client het aanroept",
        )
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--discovery", action="store_true", help="token voor discovery")
        target.add_argument("--service", default=SERVICE_ID, help="token voor deze service")
        parser.add_argument("--lifetime", type=int, default=MAX_LIFETIME_SECONDS)

    def handle(self, *args, client: str, key: Path | None, base_url: str, **options) -> None:
        registered = CdsClient.objects.filter(name=client).first()
        if registered is None:
            raise CommandError(f"--client: geen client met de naam '{client}'.")
        path = key or demo_key_path()
        try:
            private_pem = path.read_text(encoding="utf-8")
        except OSError:
            raise CommandError(
                f"--key: {path} niet te lezen; maak de democlient met 'manage.py seed_demo'."
            ) from None
        if not 1 <= options["lifetime"] <= MAX_LIFETIME_SECONDS:
            raise CommandError(f"--lifetime: tussen 1 en {MAX_LIFETIME_SECONDS} seconden.")
        audience = base_url.rstrip("/") + "/cds-services"
        if not options["discovery"]:
            audience += f"/{options['service']}"
        try:
            token = client_token(
                private_pem=private_pem,
                issuer=registered.issuer,
                audience=audience,
                lifetime=options["lifetime"],
            )
        except (ValueError, TypeError):
            raise CommandError(f"--key: {path} is geen private EC P-384-sleutel.") from None
        self.stdout.write(token)
