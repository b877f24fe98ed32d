from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Gevolgen van inhoudswijzigingen voor open dossiers"
