"""The tests use the application's factories (dossiers.factories)."""

from dossiers.factories import (  # noqa: F401
    PASSWORD,
    DossierFactory,
    JeugdigeFactory,
    NetwerklidFactory,
    OuderFactory,
    TeamFactory,
    UserFactory,
)
