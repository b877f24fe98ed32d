from django.apps import AppConfig


class BeoordelingConfig(AppConfig):
    """Review by the gedragswetenschapper, the hulpverleningsplan and its evaluation."""

    name = "beoordeling"
    verbose_name = "Beoordeling en plan"
