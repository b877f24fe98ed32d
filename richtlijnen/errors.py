"""Validation errors in plain Dutch, each tied to the place it is about."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from richtlijnen.yamlio import Path, format_path

_MESSAGES = {
    "missing": "ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "string_too_short": "mag niet leeg zijn",
    "string_too_long": "is te lang (hooguit {max_length} tekens)",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than_equal": "mag hooguit {le} zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een groep velden zijn",
    "model_type": "moet een groep velden zijn",
    "model_attributes_type": "moet een groep velden zijn",
    "too_short": "moet minstens {min_length} element(en) hebben",
    "too_long": "mag hooguit {max_length} element(en) hebben",
    "enum": "moet een van deze zijn: {expected}",
    "literal_error": "moet een van deze zijn: {expected}",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zonder tijd zijn",
    "frozen_instance": "kan niet worden gewijzigd",
    "none_required": "moet leeg zijn",
}


@dataclass(frozen=True)
class FieldProblem:
    path: Path
    message: str

    def __str__(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message


def dutch_message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in {"value_error", "assertion_error"}:
        message = error["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message
    template = _MESSAGES.get(kind)
    if template is None:
        return "ongeldige waarde"
    ctx = error.get("ctx") or {}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(":")[0]


def problems_from(exc: ValidationError, prefix: Path = ()) -> list[FieldProblem]:
    """One Dutch message per problem, with the path where pydantic found it.

    Paths through tagged unions or wrapped validators (non-field segments such as
    ``function-after[...]``) are left out, so the path names only real fields.
    """
    out: list[FieldProblem] = []
    for error in exc.errors(include_url=False):
        path = tuple(
            part for part in error["loc"] if isinstance(part, int) or not _is_internal(part)
        )
        out.append(FieldProblem((*prefix, *path), dutch_message(error)))
    return out


def _is_internal(part: str) -> bool:
    return "[" in part or part.startswith("function-")
