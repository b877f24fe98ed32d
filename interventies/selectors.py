"""Reads for the engine: the compiled catalogue of a published content version.

``current_catalogue()`` is the entry point for everything that suggests help: it compiles
the version *in gebruik*, never the draft that content admins are editing. A published
version never changes, so its compiled catalogue is cached by version id; one small query
per call tells which version is in use.
"""

from __future__ import annotations

import threading

from django.db.models import Subquery

from interventies.engine import Catalogue, compile_catalogue
from richtlijnen.content import content_bundle_from_db, content_stamp, content_version
from richtlijnen.models import ContentVersion
from richtlijnen.schema import ContentBundle

_lock = threading.Lock()
_by_version: dict[tuple[int, str], Catalogue] = {}
_draft: dict[str, tuple[tuple, Catalogue]] = {}
KEEP_VERSIONS = 4


class NoPublishedContent(Exception):
    def __init__(self) -> None:
        super().__init__(
            "Er is nog geen inhoud gepubliceerd. Voer 'python manage.py load_content --publish' "
            "uit (of bash scripts/start)."
        )


def current_catalogue() -> Catalogue:
    """The catalogue of the content version in use (what professionals see)."""
    row = ContentVersion.objects.filter(in_use=True).values_list("pk", "content_hash").first()
    if row is None:
        raise NoPublishedContent
    return _catalogue_for(*row)


def in_use_annotations() -> dict[str, Subquery]:
    """Which version is in use, as annotations for a read that goes to the database
    anyway (the autosave's dossier row): ``catalogue_in_use`` then needs no round trip of
    its own. Two probes of the one-in-use unique index."""
    in_use = ContentVersion.objects.filter(in_use=True)
    return {
        "in_use_version_id": Subquery(in_use.values("pk")[:1]),
        "in_use_content_hash": Subquery(in_use.values("content_hash")[:1]),
    }


def catalogue_in_use(row) -> Catalogue:
    """The catalogue named by ``in_use_annotations`` on ``row``: current_catalogue() as
    read in the same statement as the row."""
    if row.in_use_version_id is None:
        raise NoPublishedContent
    return _catalogue_for(row.in_use_version_id, row.in_use_content_hash)


def catalogue_for_version(version: ContentVersion) -> Catalogue:
    """The catalogue of any published version (in use or earlier)."""
    return _catalogue_for(version.pk, version.content_hash)


def _catalogue_for(version_id: int, content_hash: str) -> Catalogue:
    # Keyed by id and hash: an id alone may come back with other content after a rollback
    # of a transaction (tests); a hash names the content itself.
    key = (version_id, content_hash)
    cached = _by_version.get(key)
    if cached is not None:
        return cached
    with _lock:
        if key in _by_version:
            return _by_version[key]
        bundle = ContentVersion.objects.values_list("bundle", flat=True).get(pk=version_id)
        catalogue = compile_catalogue(ContentBundle.model_validate(bundle), content_hash)
        while len(_by_version) >= KEEP_VERSIONS:
            _by_version.pop(next(iter(_by_version)))
        _by_version[key] = catalogue
        return catalogue


def draft_catalogue() -> Catalogue:
    """The catalogue of the draft, for the impact preview only (recompiled after a change)."""
    stamp = content_stamp()
    cached = _draft.get("draft")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        bundle = content_bundle_from_db()
        catalogue = compile_catalogue(bundle, content_version(bundle))
        _draft["draft"] = (stamp, catalogue)
        return catalogue


def clear_catalogue_cache() -> None:
    _by_version.clear()
    _draft.clear()
