from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from richtlijnen.content import content_version, content_write_files
from richtlijnen.models import ContentVersion
from richtlijnen.versions import draft_bundle, files_remember, version_bundle


class Command(BaseCommand):
    help = (
        "Schrijft de versie in gebruik (of --draft, of --version N) naar YAML, in hetzelfde "
        "formaat als de bestanden in de repository, zodat wijzigingen als diff te beoordelen zijn."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # '--version N' is ours: it replaces Django's own --version (which prints Django's).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Map om in te schrijven (standaard: de projectmap zelf, over de bestanden heen).",
        )
        parser.add_argument("--draft", action="store_true", help="Schrijf het concept.")
        parser.add_argument(
            "--version", dest="number", type=int, default=None, help="Schrijf versie N."
        )

    def handle(self, *args, output: Path | None, draft: bool, number: int | None, **options):
        if draft and number is not None:
            raise CommandError("Kies --draft of --version, niet allebei.", returncode=2)
        if draft:
            bundle = draft_bundle()
            if bundle is None:
                raise CommandError("Er is nog geen concept.", returncode=2)
            what = "het concept"
        else:
            versions = ContentVersion.objects.all()
            version = (
                versions.filter(number=number).first()
                if number is not None
                else versions.filter(in_use=True).first()
            )
            if version is None:
                raise CommandError(
                    f"Versie {number} bestaat niet."
                    if number is not None
                    else "Er is nog geen versie gepubliceerd.",
                    returncode=2,
                )
            bundle = version_bundle(version)
            what = f"versie {version.number}" + (" (in gebruik)" if version.in_use else "")
        base = output or Path(settings.BASE_DIR)
        for path in content_write_files(bundle, base):
            self.stdout.write(f"Geschreven: {path}")
        files_remember(content_version(bundle))
        self.stdout.write(f"Dit is {what}. Inhoudsversie: {content_version(bundle)}")
