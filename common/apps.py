from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every page shares: Dutch dates (display and input) and the error pages."""

    name = "common"
    verbose_name = "Algemeen"
