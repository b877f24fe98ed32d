"""The matching engine: which interventions fit a case, and why; which do not, and why not.

Plain Python, no ORM. :func:`compile_catalogue` turns validated content (a
:class:`~richtlijnen.schema.ContentBundle`) into a :class:`Catalogue` once per content
version; :func:`evaluate` takes a validated :class:`~interventies.profile.CaseProfile` and
returns, per child, every catalogue item in exactly one of ``suggestions`` and
``excluded``, each with at least one reason in Dutch.

Rules come from the content, not from this code: an item fits a child when

- the child's age (whole years on the reference date) lies in the item's age range, read
  with the Dutch wording's own meaning ("t/m 18" includes 18, "tot 18" does not);
- the crisis rule holds (only in a crisis, never in a crisis, or either);
- the case's placement situation, or a situation it implies, is one the item is meant for;
- the child has every problem area in ``problems_all`` and at least one of ``problems_any``.
  The family's problem areas count for every child.

Ranking (:data:`RANKING_RULE` says it in Dutch for the screen): in a crisis, items meant
for a crisis come first; then items that address more of the child's and family's problem
areas; then stronger recognised evidence; then the order of the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from operator import itemgetter
from typing import NamedTuple

from richtlijnen.schema import (
    ContentBundle,
    CrisisRule,
    EvidenceLevel,
    InterventionKind,
    InterventionSpec,
    ProblemLevel,
    Recognition,
    RecommendationSpec,
)

RANKING_RULE = (
    "Volgorde: bij een acute crisis eerst de hulp die voor een crisis bedoeld is. Daarna de "
    "interventies die de meeste problemen van de jeugdige en het gezin aanpakken. Daarna de "
    "sterkste erkenning (effectief volgens sterke, goede of eerste aanwijzingen, dan goed "
    "onderbouwd). Bij gelijke stand de volgorde van de richtlijn."
)

NO_UPPER_AGE = 10_000

EVIDENCE_RANK = {
    EvidenceLevel.EFFECTIEF_STERKE: 4,
    EvidenceLevel.EFFECTIEF_GOEDE: 3,
    EvidenceLevel.EFFECTIEF_EERSTE: 2,
    EvidenceLevel.GOED_ONDERBOUWD: 1,
}
LEVEL_LABEL = {
    EvidenceLevel.EFFECTIEF_STERKE: "effectief volgens sterke aanwijzingen",
    EvidenceLevel.EFFECTIEF_GOEDE: "effectief volgens goede aanwijzingen",
    EvidenceLevel.EFFECTIEF_EERSTE: "effectief volgens eerste aanwijzingen",
    EvidenceLevel.GOED_ONDERBOUWD: "goed onderbouwd",
}
KIND_LABEL = {
    InterventionKind.INTERVENTIE: "interventie",
    InterventionKind.VERBLIJFSVORM: "verblijfsvorm",
    InterventionKind.OVERLEGVORM: "overlegvorm of organisatie",
    InterventionKind.INFORMELE_STEUN: "informele steun",
}


def classification_label(recognition: Recognition, level: EvidenceLevel | None) -> str:
    if recognition is Recognition.ERKEND and level:
        return LEVEL_LABEL[level]
    if recognition is Recognition.IN_HERBEOORDELING and level:
        return f"{LEVEL_LABEL[level]} (wordt opnieuw beoordeeld)"
    if recognition is Recognition.VERLOPEN and level:
        return f"erkenning als '{LEVEL_LABEL[level]}' verlopen"
    if recognition is Recognition.NIET_ERKEND:
        return "niet erkend"
    return "erkenning niet vermeld in de richtlijn"


def age_range_text(lo: int | None, hi: int | None) -> str:
    """The whole ages ``lo`` up to and including ``hi``, in plain Dutch."""
    if lo is not None and hi is not None:
        return f"{lo} t/m {hi} jaar"
    if hi is not None:
        return f"0 t/m {hi} jaar"
    if lo is not None:
        return f"{lo} jaar en ouder"
    return "elke leeftijd"


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def _or(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " of " + labels[-1]


# ---------------------------------------------------------------- the compiled catalogue


@dataclass(frozen=True, slots=True)
class Vocabulary:
    problem_level: dict[str, ProblemLevel]
    problem_label: dict[str, str]
    problem_order: dict[str, int]
    placement_label: dict[str, str]
    placement_closure: dict[str, frozenset[str]]  # a situation and all it implies
    # Bit masks for the hot loop: one bit per problem area and per situation.
    problem_bit: dict[str, int]
    placement_bit: dict[str, int]

    def problem_mask(self, codes) -> int:
        mask = 0
        for code in codes:
            mask |= self.problem_bit[code]
        return mask

    def placement_mask(self, codes) -> int:
        mask = 0
        for code in codes:
            mask |= self.placement_bit[code]
        return mask

    def labels(self, codes) -> list[str]:
        return [self.problem_label[c] for c in sorted(codes, key=self.problem_order.__getitem__)]


@dataclass(frozen=True, slots=True)
class Item:
    """One catalogue item, with every text it can say prepared in advance."""

    position: int
    code: str
    name: str
    kind: str
    classification: str
    evidence: int
    age_lo: int | None
    age_hi: int | None
    age_from: int  # age_lo, or -1: one comparison chain in the hot loop
    age_to: int  # age_hi, or a number above every age
    age_text: str  # from the numbers, so it always says what the engine checks
    crisis: CrisisRule
    placements: frozenset[str]
    all_codes: tuple[str, ...]
    any_codes: tuple[str, ...]
    addresses_mask: int
    static_warnings: tuple[str, ...]
    reason_crisis_ok: str | None
    crisis_fails_when: bool | None  # the value of "crisis" that rules this item out
    reason_crisis_fail: str
    reason_placement_ok: dict[str, str]
    reason_placement_fail: str
    reason_all_ok: str | None
    reason_missing: dict[int, str]  # for every set (bit mask) of missing problem areas
    placements_mask: int
    all_mask: int
    any_mask: int
    reason_any_fail: str | None
    # Exclusions already explained, by which criteria failed (a small, bounded set: the
    # failure bits, the age when it is the age that fails, and the missing problem areas).
    # Immutable answers, shared between evaluations, so the hot loop allocates nothing
    # for an item that does not fit.
    exclusions: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AppliesRule:
    placements: frozenset[str]
    problems_any: frozenset[str]
    spec: RecommendationSpec
    guideline: str
    section: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    vocabulary: Vocabulary
    items: tuple[Item, ...]
    recommendations: tuple[AppliesRule, ...]
    # The fields the hot loop reads, per item in one small tuple: fewer memory lines
    # touched per item, which is what keeps large catalogues linear.
    rules: tuple[tuple, ...] = ()

    def __post_init__(self) -> None:
        rules = tuple(
            (
                it.age_from,
                it.age_to,
                it.crisis_fails_when,
                it.placements_mask,
                it.any_mask,
                it.all_mask,
                it.exclusions,
                it,
            )
            for it in self.items
        )
        object.__setattr__(self, "rules", rules)


class _Shared(dict):
    """Equal values compiled for different items become one object: a smaller, cache-friendly
    catalogue (a synthetic 10,000-item catalogue shrinks to a few hundred distinct texts)."""

    def __call__(self, value, key=None):
        return self.setdefault(value if key is None else key, value)


def _compile_item(
    position: int, spec: InterventionSpec, vocab: Vocabulary, share: _Shared | None = None
) -> Item:
    share = share if share is not None else _Shared()
    age = spec.age
    cls = spec.classification
    warnings: list[str] = []
    if cls.recognition is Recognition.VERLOPEN:
        warnings.append("erkenning verlopen: niet meer als effectief erkend")
    elif cls.recognition is Recognition.NIET_ERKEND:
        warnings.append("niet erkend: de werkzaamheid is niet vastgesteld")
    elif cls.recognition is Recognition.IN_HERBEOORDELING:
        warnings.append("erkenning wordt opnieuw beoordeeld")
    elif cls.recognition is Recognition.NIET_VERMELD:
        warnings.append("de richtlijn noemt geen erkenning; controleer de Databank")
    if age.min is None and age.max is None:
        warnings.append(
            "de richtlijn noemt geen leeftijd voor de doelgroep; controleer of die past"
        )

    placements = frozenset(spec.criteria.placements)
    placement_names = [vocab.placement_label[c] for c in spec.criteria.placements]
    ok_by_situation: dict[str, str] = {}
    for situation, closure in vocab.placement_closure.items():
        matched = [c for c in spec.criteria.placements if c in closure]
        if not matched:
            continue
        via = matched[0]
        text = f"bedoeld bij de situatie '{vocab.placement_label[via].lower()}'"
        if via != situation:
            text += f" (geldt ook bij '{vocab.placement_label[situation].lower()}')"
        ok_by_situation[situation] = share(text)

    crisis = spec.criteria.crisis
    all_codes = tuple(spec.criteria.problems_all)
    any_codes = tuple(spec.criteria.problems_any)
    return Item(
        position=position,
        code=spec.code,
        name=spec.name,
        kind=KIND_LABEL[spec.kind],
        classification=classification_label(cls.recognition, cls.level),
        evidence=EVIDENCE_RANK.get(cls.level, 0)
        if cls.recognition in (Recognition.ERKEND, Recognition.IN_HERBEOORDELING)
        else 0,
        age_lo=age.min,
        age_hi=age.upper,
        age_from=-1 if age.min is None else age.min,
        age_to=NO_UPPER_AGE if age.upper is None else age.upper,
        age_text=share(age_range_text(age.min, age.upper)),
        crisis=crisis,
        placements=share(placements),
        all_codes=share(all_codes),
        any_codes=share(any_codes),
        addresses_mask=share(vocab.problem_mask(all_codes) | vocab.problem_mask(any_codes)),
        static_warnings=share(tuple(warnings)),
        reason_crisis_ok={
            CrisisRule.REQUIRED: "bedoeld bij een acute crisis, en die is er",
            CrisisRule.EXCLUDED: "bedoeld als er geen acute crisis is",
            CrisisRule.ANY: None,
        }[crisis],
        crisis_fails_when={
            CrisisRule.REQUIRED: False,
            CrisisRule.EXCLUDED: True,
            CrisisRule.ANY: None,
        }[crisis],
        reason_crisis_fail={
            CrisisRule.REQUIRED: "alleen bij een acute crisis, en die is er niet",
            CrisisRule.EXCLUDED: "niet bedoeld bij een acute crisis",
            CrisisRule.ANY: "",
        }[crisis],
        reason_placement_ok=share(ok_by_situation, key=("ok", tuple(ok_by_situation.items()))),
        reason_placement_fail=share(
            "alleen bedoeld bij: " + _or([n.lower() for n in placement_names])
        ),
        reason_all_ok=(
            share("heeft " + _join([vocab.problem_label[c].lower() for c in all_codes]))
            if all_codes
            else None
        ),
        placements_mask=share(vocab.placement_mask(placements)),
        all_mask=share(vocab.problem_mask(all_codes)),
        any_mask=share(vocab.problem_mask(any_codes)),
        reason_missing=share(
            {
                vocab.problem_mask(missing): "ontbreekt: "
                + _join([vocab.problem_label[c].lower() for c in missing])
                for size in range(1, len(all_codes) + 1)
                for missing in combinations(all_codes, size)
            },
            key=("missing", all_codes),
        ),
        reason_any_fail=(
            share("geen " + _or([vocab.problem_label[c].lower() for c in any_codes]))
            if any_codes
            else None
        ),
    )


def compile_catalogue(bundle: ContentBundle, version: str) -> Catalogue:
    vocab_spec = bundle.vocabulary
    implies = {p.code: set(p.implies) for p in vocab_spec.placements}

    def closure(code: str) -> frozenset[str]:
        seen, todo = {code}, [code]
        while todo:
            for nxt in implies.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return frozenset(seen)

    vocab = Vocabulary(
        problem_level={p.code: p.level for p in vocab_spec.problem_areas},
        problem_label={p.code: p.label for p in vocab_spec.problem_areas},
        problem_order={p.code: i for i, p in enumerate(vocab_spec.problem_areas)},
        placement_label={p.code: p.label for p in vocab_spec.placements},
        placement_closure={p.code: closure(p.code) for p in vocab_spec.placements},
        problem_bit={p.code: 1 << i for i, p in enumerate(vocab_spec.problem_areas)},
        placement_bit={p.code: 1 << i for i, p in enumerate(vocab_spec.placements)},
    )
    titles = {g.code: g.title for g in bundle.guidelines.guidelines}
    section_titles = {
        (g.code, s.code): s.title for g in bundle.guidelines.guidelines for s in g.sections
    }
    return Catalogue(
        version=version,
        vocabulary=vocab,
        items=tuple(
            _compile_item(i, spec, vocab)
            for i, spec in enumerate(bundle.interventions.interventions)
        ),
        recommendations=tuple(
            AppliesRule(
                placements=frozenset(r.applies_to.placements),
                problems_any=frozenset(r.applies_to.problems_any),
                spec=r,
                guideline=titles[r.source.guideline],
                section=section_titles[(r.source.guideline, r.source.section)],
            )
            for r in bundle.recommendations.recommendations
        ),
    )


# ---------------------------------------------------------------- results


class Suggestion(NamedTuple):
    code: str
    name: str
    kind: str
    classification: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


class Exclusion(NamedTuple):
    code: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChildResult:
    label: str | None
    age: int
    suggestions: list[Suggestion]
    excluded: list[Exclusion]


@dataclass(frozen=True, slots=True)
class CaseResult:
    content_version: str
    reference_date: date
    children: list[ChildResult]
    recommendations: list[AppliesRule] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The JSON shape fixed by the contract (shared/contract/README.md)."""
        return {
            "content_version": self.content_version,
            "reference_date": self.reference_date.isoformat(),
            "ranking": RANKING_RULE,
            "children": [
                {
                    "label": child.label,
                    "age": child.age,
                    "suggestions": [
                        {
                            "code": s.code,
                            "name": s.name,
                            "kind": s.kind,
                            "classification": s.classification,
                            "reasons": list(s.reasons),
                            "warnings": list(s.warnings),
                        }
                        for s in child.suggestions
                    ],
                    "excluded": [
                        {"code": e.code, "name": e.name, "reasons": list(e.reasons)}
                        for e in child.excluded
                    ],
                }
                for child in self.children
            ],
            "recommendations": [
                {
                    "id": r.spec.code,
                    "title": r.spec.title,
                    "kind": r.spec.kind.value,
                    "guideline": r.guideline,
                    "section": r.section,
                    "text": r.spec.text,
                }
                for r in self.recommendations
            ],
        }


# ---------------------------------------------------------------- evaluation


def age_on(birth_date: date, reference: date) -> int:
    """Whole years on ``reference``. Born on 29 February: a year older on 1 March."""
    before_birthday = (reference.month, reference.day) < (birth_date.month, birth_date.day)
    return reference.year - birth_date.year - before_birthday


FAIL_AGE, FAIL_CRISIS, FAIL_PLACEMENT, FAIL_ANY = 1, 2, 4, 8
AGE_SHIFT = 4  # the age (at most 120) takes bits 4 to 10 of the key
MISSING_SHIFT = 12  # the missing problem areas' mask starts at bit 12


def _exclusion(it: Item, age: int, failed: int, missing: int) -> Exclusion:
    """Why ``it`` does not fit; the same failures give the same (cached, immutable) answer."""
    reasons = []
    if failed & FAIL_AGE:
        reasons.append(f"leeftijd {age} valt buiten {it.age_text}")
    if failed & FAIL_CRISIS:
        reasons.append(it.reason_crisis_fail)
    if failed & FAIL_PLACEMENT:
        reasons.append(it.reason_placement_fail)
    if missing:
        reasons.append(it.reason_missing[missing])
    if failed & FAIL_ANY:
        reasons.append(it.reason_any_fail)
    return Exclusion(it.code, it.name, tuple(reasons))


def _suggestion(it: Item, age: int, situation: str, present: int, vocab: Vocabulary) -> Suggestion:
    """Why ``it`` fits; the same circumstances give the same (cached, immutable) answer."""
    reasons: list[str] = []
    warnings = list(it.static_warnings)
    lo, hi = it.age_lo, it.age_hi
    if lo is None and hi is None:
        reasons.append("geen leeftijdsgrens in de richtlijn")
    else:
        reasons.append(f"leeftijd {age} valt binnen {it.age_text}")
        if age == lo and lo > 0:
            warnings.append(f"leeftijd {age} is de ondergrens van {it.age_text}")
        if age == hi:
            warnings.append(f"leeftijd {age} is de bovengrens van {it.age_text}")
    if it.reason_crisis_ok:
        reasons.append(it.reason_crisis_ok)
    reasons.append(it.reason_placement_ok[situation])
    if it.reason_all_ok:
        reasons.append(it.reason_all_ok)
    if it.any_codes:
        codes = [c for c in it.any_codes if vocab.problem_bit[c] & present]
        reasons.append("heeft " + _join([vocab.problem_label[c].lower() for c in codes]))
    return Suggestion(it.code, it.name, it.kind, it.classification, tuple(reasons), tuple(warnings))


def _evaluate_child(
    catalogue: Catalogue,
    age: int,
    problems: frozenset[str],
    crisis: bool,
    situation: str,
    situations: frozenset[str],
) -> tuple[list[Suggestion], list[Exclusion]]:
    """The hot loop: every text it appends was prepared by :func:`compile_catalogue`."""
    vocab = catalogue.vocabulary
    ranked: list[tuple[tuple, Suggestion]] = []
    excluded: list[Exclusion] = []
    add_excluded = excluded.append
    vocab_problems = vocab.problem_mask(problems)
    vocab_situations = vocab.placement_mask(situations)
    situation_index = vocab.placement_bit[situation].bit_length()
    for (
        age_from,
        age_to,
        crisis_fails_when,
        placements,
        any_mask,
        all_mask,
        known,
        it,
    ) in catalogue.rules:
        # Which criteria fail, as bits of one int; the age is part of it when it fails,
        # and so are the missing problem areas.
        failed = 0
        if not age_from <= age <= age_to:
            failed = FAIL_AGE | (age << AGE_SHIFT)
        if crisis_fails_when is crisis:
            failed |= FAIL_CRISIS
        if not placements & vocab_situations:
            failed |= FAIL_PLACEMENT
        if any_mask and not any_mask & vocab_problems:
            failed |= FAIL_ANY
        missing = all_mask & ~vocab_problems
        if failed or missing:
            key = failed | (missing << MISSING_SHIFT)
            exclusion = known.get(key)
            if exclusion is None:
                exclusion = known[key] = _exclusion(it, age, failed, missing)
            add_excluded(exclusion)
            continue

        # It fits. What it says depends only on the age, the situation and which of its
        # "one of" problem areas are present: the same answer is cached like exclusions.
        present = any_mask & vocab_problems
        key = -1 - (age | (situation_index << 8) | (present << 16))
        suggestion = known.get(key)
        if suggestion is None:
            suggestion = known[key] = _suggestion(it, age, situation, present, vocab)
        addressed = (it.addresses_mask & vocab_problems).bit_count()
        # The ranking rule as one integer: crisis help first (in a crisis), then more
        # problem areas addressed, then stronger evidence, then catalogue order.
        rank = (
            (0 if crisis and crisis_fails_when is False else 1) << 60
            | (63 - addressed) << 50
            | (7 - it.evidence) << 45
            | it.position
        )
        ranked.append((rank, suggestion))
    ranked.sort(key=itemgetter(0))
    return [s for _rank, s in ranked], excluded


def evaluate(profile, catalogue: Catalogue) -> CaseResult:
    """Suggestions per child for a validated :class:`~interventies.profile.CaseProfile`."""
    reference = profile.reference_date
    situations = catalogue.vocabulary.placement_closure[profile.placement]
    family = frozenset(profile.family_problems)
    children = []
    all_problems = set(family)
    for child in profile.children:
        age = child.age if child.birth_date is None else age_on(child.birth_date, reference)
        problems = family | frozenset(child.problems)
        all_problems |= problems
        suggestions, excluded = _evaluate_child(
            catalogue, age, problems, profile.crisis, profile.placement, situations
        )
        children.append(ChildResult(child.label, age, suggestions, excluded))
    recommendations = [
        rule
        for rule in catalogue.recommendations
        if (not rule.placements or not rule.placements.isdisjoint(situations))
        and (not rule.problems_any or not rule.problems_any.isdisjoint(all_problems))
    ]
    return CaseResult(catalogue.version, reference, children, recommendations)
