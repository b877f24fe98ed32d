from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from richtlijnen.content import ContentInvalid, content_load, content_read_files, content_version


class Command(BaseCommand):
    help = "Laadt alle inhoud (YAML) in de database, in één transactie. Exit-status 2 bij fouten."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=None,
            help="Map met de inhoudsbestanden (standaard: de projectmap).",
        )

    def handle(self, *args, source_dir: Path | None, **options) -> None:
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
        report = content_load(bundle=bundle)
        if report.changed:
            self.stdout.write(
                f"Inhoud geladen: {len(report.created)} nieuw, {len(report.updated)} gewijzigd, "
                f"{len(report.deleted)} verwijderd."
            )
            for line in report.created + report.updated + report.deleted:
                self.stdout.write(f"  {line}", style_func=None)
        else:
            self.stdout.write("Inhoud is al actueel; niets gewijzigd.")
        self.stdout.write(f"Inhoudsversie: {content_version(bundle)}")


def _count(n: int) -> str:
    return "1 probleem" if n == 1 else f"{n} problemen"
