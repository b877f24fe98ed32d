from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from richtlijnen.content import content_bundle_from_db, content_version, content_write_files


class Command(BaseCommand):
    help = (
        "Schrijft de inhoud uit de database terug naar YAML, in hetzelfde formaat als de "
        "bestanden in de repository, zodat wijzigingen als diff te beoordelen zijn."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Map om in te schrijven (standaard: de projectmap zelf, over de bestanden heen).",
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        bundle = content_bundle_from_db()
        base = output or Path(settings.BASE_DIR)
        for path in content_write_files(bundle, base):
            self.stdout.write(f"Geschreven: {path}")
        self.stdout.write(f"Inhoudsversie: {content_version(bundle)}")
