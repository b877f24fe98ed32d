"""From the engine's answer to CDS Hooks cards (pure: no database, no request)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from beoordeling.models import DeclineReason
from cdshooks.spec import (
    DECLINE_REASON_SYSTEM,
    EXTENSION_CHILD,
    EXTENSION_CONTENT_VERSION,
    EXTENSION_INTERVENTION,
)
from interventies.engine import CaseResult, ChildResult, Suggestion

SUMMARY_MAX = 140
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def markdown_text(text: str) -> str:
    """Content text as literal Markdown: its special characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def shorten(text: str, limit: int = SUMMARY_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def override_reasons() -> list[dict]:
    return [
        {"code": reason.value, "system": DECLINE_REASON_SYSTEM, "display": str(reason.label)}
        for reason in DeclineReason
    ]


@dataclass(frozen=True, slots=True)
class IssuedCard:
    """What is kept of a card: ids and codes only."""

    uuid: uuid.UUID
    suggestion_uuid: uuid.UUID | None
    kind: str
    intervention_code: str
    child_index: int


def _who(child: ChildResult, index: int) -> str:
    return f"{child.label or f'Kind {index + 1}'} ({child.age} jaar)"


def _detail(s: Suggestion) -> str:
    lines = ["**Waarom deze hulp past**", ""]
    lines += [f"- {markdown_text(r)}" for r in s.reasons]
    if s.warnings:
        lines += ["", "**Let op**", ""]
        lines += [f"- {markdown_text(w)}" for w in s.warnings]
    lines += ["", f"Erkenning: {markdown_text(s.classification)}"]
    return "\n".join(lines)


def suggestion_card(
    s: Suggestion, child: ChildResult, index: int, *, version: str, base_url: str, source: str
) -> tuple[dict, IssuedCard]:
    card_id, suggestion_id = uuid.uuid4(), uuid.uuid4()
    card = {
        "uuid": str(card_id),
        "summary": shorten(f"{_who(child, index)}: {s.name} past"),
        "indicator": "warning" if s.warnings else "info",
        "detail": _detail(s),
        "source": {
            "label": source or "Richtsnoer",
            "url": f"{base_url}/interventies/{s.code}/",
        },
        "suggestions": [
            {
                "label": shorten(f"{s.name} opnemen in het hulpverleningsplan"),
                "uuid": str(suggestion_id),
                "isRecommended": True,
            }
        ],
        "selectionBehavior": "at-most-one",
        "overrideReasons": override_reasons(),
        "extension": {
            EXTENSION_CONTENT_VERSION: version,
            EXTENSION_INTERVENTION: s.code,
            EXTENSION_CHILD: index,
        },
    }
    return card, IssuedCard(card_id, suggestion_id, "suggestion", s.code, index)


def exclusions_card(
    child: ChildResult, index: int, *, version: str, base_url: str
) -> tuple[dict, IssuedCard]:
    """One card for everything that does not fit this child, pointing to 'waarom niet'."""
    card_id = uuid.uuid4()
    count = len(child.excluded)
    lines = [
        f"{count} interventies uit de catalogus passen niet bij deze jeugdige. "
        "Per interventie de eerste reden; de catalogus legt bij elke interventie uit "
        "wanneer Richtsnoer haar voorstelt.",
        "",
    ]
    lines += [
        f"- [{markdown_text(e.name)}]({base_url}/interventies/{e.code}/#wanneer): "
        f"{markdown_text(e.reasons[0])}"
        for e in child.excluded
    ]
    card = {
        "uuid": str(card_id),
        "summary": shorten(f"{_who(child, index)}: {count} interventies passen niet (waarom niet)"),
        "indicator": "info",
        "detail": "\n".join(lines),
        "source": {"label": "Richtsnoer: interventiecatalogus", "url": f"{base_url}/interventies/"},
        "links": [
            {
                "label": "Waarom niet: de regels per interventie",
                "url": f"{base_url}/interventies/",
                "type": "absolute",
            }
        ],
        "extension": {EXTENSION_CONTENT_VERSION: version, EXTENSION_CHILD: index},
    }
    return card, IssuedCard(card_id, None, "exclusions", "", index)


def cards_for(
    result: CaseResult, *, base_url: str, sources: dict[str, str]
) -> tuple[list[dict], list[IssuedCard]]:
    cards, issued = [], []
    version = result.content_version
    for index, child in enumerate(result.children):
        for s in child.suggestions:
            card, kept = suggestion_card(
                s, child, index, version=version, base_url=base_url, source=sources.get(s.code, "")
            )
            cards.append(card)
            issued.append(kept)
        if len(child.excluded):
            card, kept = exclusions_card(child, index, version=version, base_url=base_url)
            cards.append(card)
            issued.append(kept)
    return cards, issued
