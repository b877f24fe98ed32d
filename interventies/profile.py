"""The case profile: the engine's input, validated against the content's vocabulary.

The codes a profile may use live in the content (YAML / database), so validation needs
the compiled catalogue: :func:`parse_case_profile` passes it as pydantic context. Every
problem comes back as a :class:`~richtlijnen.errors.FieldProblem` naming its field
(``children[0].birth_date: ligt in de toekomst``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from interventies.engine import Catalogue
from richtlijnen.errors import FieldProblem, problems_from
from richtlijnen.schema import ProblemLevel

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_CHILDREN = 20
OLDEST_AGE = 30  # the oldest target group (MDFT) ends at 24; beyond 30 is a typing error


def today() -> date:
    return datetime.now(tz=AMSTERDAM).date()


class ProfileInvalid(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _catalogue(info: ValidationInfo) -> Catalogue:
    catalogue = (info.context or {}).get("catalogue")
    if catalogue is None:
        raise RuntimeError("parse_case_profile needs the catalogue as validation context")
    return catalogue


def _check_codes(codes: list[str], info: ValidationInfo, level: ProblemLevel) -> list[str]:
    vocab = _catalogue(info).vocabulary
    unknown = [c for c in codes if c not in vocab.problem_level]
    wrong = [c for c in codes if c in vocab.problem_level and vocab.problem_level[c] is not level]
    messages = []
    if unknown:
        messages.append(
            ("onbekende code " if len(unknown) == 1 else "onbekende codes ")
            + ", ".join(f"'{c}'" for c in unknown)
        )
    if wrong:
        belongs, where = (
            ("de jeugdige", "problems van een kind")
            if level is ProblemLevel.GEZIN
            else ("het gezin", "family_problems")
        )
        messages.append(
            ", ".join(f"'{c}'" for c in wrong)
            + (" is een probleem van " if len(wrong) == 1 else " zijn problemen van ")
            + f"{belongs}; zet {'het' if len(wrong) == 1 else 'ze'} bij {where}"
        )
    if messages:
        raise ValueError("; ".join(messages))
    return list(dict.fromkeys(codes))  # keep order, drop doubles


class ChildProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    birth_date: date | None = None
    age: int | None = Field(default=None, ge=0, le=OLDEST_AGE)
    problems: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("problems")
    @classmethod
    def _known_child_codes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _check_codes(value, info, ProblemLevel.JEUGDIGE)

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth_date(cls, value: date | None, info: ValidationInfo) -> date | None:
        reference = (info.context or {}).get("reference_date") or today()
        if value is None:
            return value
        if value > reference:
            raise ValueError(f"ligt in de toekomst (na de peildatum {reference.isoformat()})")
        if reference.year - value.year > OLDEST_AGE + 1:
            raise ValueError(f"geeft een leeftijd boven {OLDEST_AGE} jaar; klopt het jaartal?")
        return value

    @model_validator(mode="after")
    def _one_way_to_say_age(self) -> Self:
        if self.birth_date is None and self.age is None:
            raise ValueError("geef birth_date of age")
        if self.birth_date is not None and self.age is not None:
            raise ValueError("geef birth_date of age, niet allebei")
        return self


class CaseProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reference_date: date = Field(default_factory=today)
    crisis: bool = False
    placement: str
    family_problems: list[str] = Field(default_factory=list, max_length=50)
    children: list[ChildProfile] = Field(min_length=1, max_length=MAX_CHILDREN)

    @field_validator("placement")
    @classmethod
    def _known_placement(cls, value: str, info: ValidationInfo) -> str:
        labels = _catalogue(info).vocabulary.placement_label
        if value not in labels:
            raise ValueError(f"onbekende code '{value}'; kies uit: {', '.join(labels)}")
        return value

    @field_validator("family_problems")
    @classmethod
    def _known_family_codes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _check_codes(value, info, ProblemLevel.GEZIN)


def parse_case_profile(data: Any, catalogue: Catalogue) -> CaseProfile:
    """Validate raw input (from YAML, JSON or a form). Raises :class:`ProfileInvalid`."""
    if not isinstance(data, dict):
        raise ProfileInvalid([FieldProblem((), "verwacht een groep velden (YAML of JSON object)")])
    # Birth dates are checked against the profile's own reference date; if that one is
    # malformed, pydantic reports it and birth dates are checked against today.
    try:
        reference = TypeAdapter(date).validate_python(data.get("reference_date") or today())
    except ValidationError:
        reference = None
    try:
        return CaseProfile.model_validate(
            data, context={"catalogue": catalogue, "reference_date": reference}
        )
    except ValidationError as exc:
        raise ProfileInvalid(problems_from(exc)) from None
