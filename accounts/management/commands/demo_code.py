import time

from allauth.mfa import app_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import totp_code
from accounts.services import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Toont de code die de demo-gebruikers bij het inloggen invullen (stap 2), zoals een "
        "authenticator-app met de demo-sleutel die zou tonen. Alleen met DJANGO_DEBUG=1."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_code werkt alleen in de demo (DJANGO_DEBUG=1): echte gebruikers hebben "
                "hun eigen authenticator-app.",
                returncode=2,
            )
        now = time.time()
        period = app_settings.TOTP_PERIOD
        code = totp_code(DEMO_TOTP_SECRET, at=now)
        left = period - int(now) % period
        self.stdout.write(f"{code}  (nog {left} seconden geldig; de volgende werkt ook)")
