"""Short fingerprints of JSON-able data: the same data always gives the same digest."""

from __future__ import annotations

import hashlib
import json


def json_digest(value, *, length: int = 16) -> str:
    """The first ``length`` hex digits of the SHA-256 of ``value`` as canonical JSON (keys
    sorted, text as written; anything JSON lacks, such as a lazy translation, as its
    text)."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:length]
