"""Reads for the engine: the compiled catalogue of the content now in the database."""

from __future__ import annotations

import threading

from interventies.engine import Catalogue, compile_catalogue
from richtlijnen.content import content_bundle_from_db, content_stamp, content_version

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Catalogue]] = {}


def current_catalogue() -> Catalogue:
    """The catalogue compiled from the content in the database right now.

    One cheap query tells whether content changed since the last call (any save or delete
    in admin or by ``load_content``); only then is the content read and compiled again.
    So an admin's change is used by the very next suggestion.
    """
    stamp = content_stamp()
    cached = _cache.get("current")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        bundle = content_bundle_from_db()
        catalogue = compile_catalogue(bundle, content_version(bundle))
        _cache["current"] = (stamp, catalogue)
        return catalogue


def clear_catalogue_cache() -> None:
    _cache.clear()
