from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from toegang.retention import access_log_trim


class Command(BaseCommand):
    help = (
        "Verwijdert toegangslogregels die ouder zijn dan RICHTSNOER_RETENTION_LOG_YEARS "
        "(standaard 5) jaar. Draai als de databaserol die de tabellen bezit: de runtime-rol "
        "mag dit niet. De keten blijft controleerbaar (verify_access_log)."
    )

    def handle(self, *args, **options) -> None:
        try:
            removed = access_log_trim()
        except DatabaseError as error:
            raise CommandError(
                "Het toegangslog kon niet worden ingekort; draai dit als de eigenaar van de "
                f"tabellen, niet als de runtime-rol ({str(error).splitlines()[0]}).",
                returncode=2,
            ) from None
        self.stdout.write(
            f"{removed} regel(s) ouder dan {settings.RETENTION_ACCESS_LOG_YEARS} jaar verwijderd."
        )
