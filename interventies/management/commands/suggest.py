import json
import sys
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from interventies.engine import evaluate
from interventies.profile import ProfileInvalid, parse_case_profile
from interventies.report import format_text
from interventies.selectors import NoPublishedContent, current_catalogue


class Command(BaseCommand):
    help = (
        "Geeft de passende en niet-passende interventies voor een casusprofiel (YAML of JSON). "
        "PATH mag '-' zijn voor standaardinvoer. Exit-status 2 bij ongeldige invoer."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="PATH", help="casusprofiel, of - voor standaardinvoer")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, path: str, format: str, **options) -> None:
        text = self._read(path)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" op regel {mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or "onleesbaar"
            self._reject([f"invoer{where}: geen geldige YAML of JSON ({problem})"])
        try:
            catalogue = current_catalogue()
        except NoPublishedContent as exc:
            raise CommandError(str(exc), returncode=1) from None
        try:
            profile = parse_case_profile(data, catalogue)
        except ProfileInvalid as exc:
            self._reject([str(p) for p in exc.problems])
        result = evaluate(profile, catalogue)
        if format == "text":
            self.stdout.write(format_text(result, profile, catalogue), ending="")
        else:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))

    def _read(self, path: str) -> str:
        if path == "-":
            return sys.stdin.read()
        try:
            return Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            self._reject([f"{path}: bestand niet gevonden"])
        except UnicodeDecodeError:
            self._reject([f"{path}: geen tekstbestand (UTF-8)"])
        except OSError as exc:
            self._reject([f"{path}: niet te lezen ({exc.strerror})"])
        raise AssertionError("unreachable")

    def _reject(self, problems: list[str]):
        for problem in problems:
            self.stderr.write(problem)
        count = "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        raise CommandError(
            f"Invoer afgewezen ({count}); er is niets berekend.",
            returncode=2,
        )
