"""Checks made when the production server starts (config.wsgi), before any request."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_collected_static() -> None:
    """Without ``collectstatic`` the manifest storage answers 500 on every page: refuse to
    start instead, saying what to do."""
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" not in backend:
        return
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        raise ImproperlyConfigured(
            f"De statische bestanden zijn niet verzameld ({manifest} ontbreekt). "
            "Voer eerst 'python manage.py collectstatic --noinput' uit en start dan opnieuw."
        )
