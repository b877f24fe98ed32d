from django.apps import AppConfig


class InzichtConfig(AppConfig):
    name = "inzicht"
    verbose_name = "Inzicht voor richtlijnauteurs"
