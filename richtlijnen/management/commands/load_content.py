from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from richtlijnen.content import ContentInvalid, content_read_files
from richtlijnen.versions import UnexportedChanges, content_import


class Command(BaseCommand):
    help = (
        "Laadt de inhoud (YAML) in het concept, in één transactie; met --publish wordt het "
        "ook gepubliceerd. Stopt (exit-status 2, niets gewijzigd) bij ongeldige bestanden of "
        "als het concept of de versie in gebruik wijzigingen bevat die de bestanden missen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=None,
            help="Map met de inhoudsbestanden (standaard: de projectmap).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publiceer de geladen inhoud meteen als nieuwe versie in gebruik "
            "(eerste installatie, of inhoud die in git is beoordeeld).",
        )
        parser.add_argument(
            "--discard-draft",
            action="store_true",
            help="Gooi wijzigingen in het concept (en een niet-geëxporteerde versie in "
            "gebruik) weg ten gunste van de bestanden.",
        )

    def handle(self, *args, source_dir, publish, discard_draft, **options) -> None:
        try:
            bundle = content_read_files(source_dir)
        except ContentInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Inhoud niet geladen: {_count(len(exc.problems))} gevonden. "
                "De database is niet gewijzigd.",
                returncode=2,
            ) from None
        try:
            report = content_import(bundle=bundle, publish=publish, discard_draft=discard_draft)
        except UnexportedChanges as exc:
            for found in exc.found:
                self.stderr.write(
                    f"In {found.where} staan wijzigingen die de bestanden niet hebben "
                    f"({len(found.changes)}):"
                )
                for change in found.changes:
                    self.stderr.write(f"  {change}")
            raise CommandError(
                "Inhoud niet geladen: dan zouden deze wijzigingen verloren gaan. De database is "
                "niet gewijzigd. Exporteer ze eerst ('manage.py dump_content', of "
                "'dump_content --draft' voor het concept) en neem ze op in de bestanden, of "
                "gooi ze bewust weg met 'load_content --discard-draft'.",
                returncode=2,
            ) from None
        load = report.load
        if load.changed:
            self.stdout.write(
                f"Inhoud geladen in het concept: {len(load.created)} nieuw, "
                f"{len(load.updated)} gewijzigd, {len(load.deleted)} verwijderd."
            )
            for line in load.created + load.updated + load.deleted:
                self.stdout.write(f"  {line}", style_func=None)
        else:
            self.stdout.write("Het concept is al gelijk aan de bestanden; niets gewijzigd.")
        if report.published is not None:
            self.stdout.write(
                f"Gepubliceerd als versie {report.published.number} "
                f"(door {report.published.publisher})."
            )
        self.stdout.write(f"Inhoudsversie: {report.files_hash}")


def _count(n: int) -> str:
    return "1 probleem" if n == 1 else f"{n} problemen"
