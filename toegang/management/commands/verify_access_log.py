import re

from django.core.management.base import BaseCommand, CommandError

from toegang.chain import logger, verify


class Command(BaseCommand):
    help = (
        "Controleert de hashketen van het toegangslog. Exit 0: intact. Exit 1: noemt de "
        "eerste rij die gewijzigd, verwijderd of ingevoegd is, of dat het log is ingekort. "
        "Geef met --kop de laatste kop uit het applicatielog ('toegangslog kop ID HASH') "
        "om ook een geleegde tabel of weggehaalde laatste rijen te zien."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kop", metavar="ID:HASH", help="een eerder gelogde kop die er nog moet zijn"
        )

    def handle(self, *args, kop: str | None, **options) -> None:
        expected = None
        if kop:
            match = re.fullmatch(r"\s*(\d+)[:\s]+([0-9a-f]{64})\s*", kop)
            if not match:
                raise CommandError("--kop moet de vorm ID:HASH hebben (64 hexadecimale tekens).")
            expected = (int(match[1]), match[2])
        problem, last = verify(expected_head=expected)
        if problem is not None:
            where = f"rij {problem.row_id}" if problem.row_id is not None else "het log"
            raise CommandError(
                f"Toegangslog NIET intact: {where}: {problem.message}.", returncode=1
            )
        if last is None:
            self.stdout.write("Toegangslog is leeg; geen keten om te controleren.")
            return
        logger.info("toegangslog kop %s %s", last.pk, last.hash)
        self.stdout.write(f"Toegangslog intact tot en met rij {last.pk}; kop {last.pk}:{last.hash}")
