"""Makes every evaluation agreement's open flag exact again (``EvaluationMoment.is_open``).

The services keep it exact. Run this once after upgrading from a release before migration
``beoordeling/0010``, when every server runs the new release: a server still on the old
release while 0010 ran may have set a plan without opening its agreements. The overview
would then miss them. It only writes rows whose flag changes, so running it again is safe.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

MIGRATION = "beoordeling.migrations.0010_evaluation_moment_is_open_exact"


class Command(BaseCommand):
    help = (
        "Rekent na welke afspraken over evaluatie openstaan (na een upgrade van een versie "
        "vóór migratie beoordeling 0010, als alle servers de nieuwe versie draaien)."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():  # the same rule as migration 0010, applied to live rows
            closed, opened = import_module(MIGRATION).open_exactly_the_due_moments(apps, None)
        self.stdout.write(
            f"Afspraken over evaluatie nagerekend: {closed} gesloten, {opened} geopend."
        )
