from django.apps import AppConfig


class ToegangConfig(AppConfig):
    """Who saw what (the append-only access log), and how long anything is kept."""

    name = "toegang"
    verbose_name = "Toegang en bewaren"

    def ready(self) -> None:
        from toegang import signals

        signals.connect()
