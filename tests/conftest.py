from pathlib import Path

import pytest
import yaml

from richtlijnen.content import content_read_files

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shipped_bundle():
    return content_read_files(ROOT)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, shipped_bundle):
    """Every database test starts with the shipped content published (rolled back after each)."""
    from richtlijnen.versions import content_import

    with django_db_blocker.unblock():
        content_import(bundle=shipped_bundle, publish=True, user_name="tests")


@pytest.fixture(scope="session")
def vignettes():
    return yaml.safe_load((SHARED / "vignettes" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(db):
    from interventies.selectors import current_catalogue

    return current_catalogue()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
