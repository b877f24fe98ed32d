from django.apps import AppConfig


class InterventiesConfig(AppConfig):
    name = "interventies"
    verbose_name = "Interventies"
