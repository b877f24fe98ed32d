"""Reads for the CDS Hooks service."""

from __future__ import annotations

import threading

from interventies.engine import Catalogue
from richtlijnen.content import content_bundle_from_db

_lock = threading.Lock()
_labels: dict[str, dict[str, str]] = {}


def source_labels(catalogue: Catalogue) -> dict[str, str]:
    """Per intervention code the guideline section it comes from ("Richtlijn, sectie").

    Taken from the content the catalogue was compiled from (the version in use, never
    the draft), once per content version, then kept.
    """
    labels = _labels.get(catalogue.version)
    if labels is not None:
        return labels
    with _lock:
        bundle = catalogue.bundle if catalogue.bundle is not None else content_bundle_from_db()
        sections = {
            (g.code, s.code): f"{g.title}, {s.title}"
            for g in bundle.guidelines.guidelines
            for s in g.sections
        }
        labels = {
            spec.code: "; ".join(sections[(r.guideline, r.section)] for r in spec.sources)
            for spec in bundle.interventions.interventions
        }
        _labels.clear()
        _labels[catalogue.version] = labels
        return labels
