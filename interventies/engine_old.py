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

Speed: :func:`compile_catalogue` numbers the distinct criteria (age ranges, placement
lists, sets of problem areas). :func:`evaluate` decides each distinct criterion once per
child; per item it only combines five looked-up parts into an exclusion key (0 when the
item fits). An item that does not fit keeps just that key: its Dutch reasons are written
once per key, shared, and paired with the item when read (:class:`Exclusions`). So the
cost per item stays the same as the catalogue grows (``bash scripts/benchmark``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
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


def in_sentence(label: str) -> str:
    """A label inside a sentence: only its first letter lowered, and not in an acronym
    ("Gesloten plaatsing (JeugdzorgPlus) overwogen" -> "gesloten plaatsing (JeugdzorgPlus)
    overwogen"; "ADHD" stays), so each term keeps one spelling."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


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
    age_text: str  # from the numbers, so it always says what the engine checks
    crisis: CrisisRule
    placements: frozenset[str]
    all_codes: tuple[str, ...]
    any_codes: tuple[str, ...]
    addresses_mask: int
    static_warnings: tuple[str, ...]
    reason_crisis_ok: str | None
    reason_placement_ok: dict[str, str]
    reason_all_ok: str | None
    any_mask: int
    # Which of the catalogue's distinct criteria this item has (see Catalogue.parts).
    parts: tuple[int, int, int, int, int]
    # Suggestions already explained, by age, situation and the "one of" areas present:
    # immutable answers, shared between evaluations.
    suggested: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AppliesRule:
    placements: frozenset[str]
    problems_any: frozenset[str]
    spec: RecommendationSpec
    guideline: str
    section: str


# Why an item does not fit, as one small int: the exclusion key (0 when it fits). The
# failed criteria are its lowest bits, the missing "all of" problem areas the bits above:
FAIL_AGE, FAIL_CRISIS_ABSENT, FAIL_CRISIS_PRESENT, FAIL_PLACEMENT, FAIL_ANY = 1, 2, 4, 8, 16
MISSING_SHIFT = 5
KEY_BITS = 64  # keys are kept in an array of unsigned 64-bit numbers
# To explain a key, the reasons cache adds what the item and child say about the failed
# criteria: the age, and which age range, placement text and "one of" text (see Parts).
MAX_AGE = 0xFF  # the profile allows far less (OLDEST_AGE)
REASONS_CACHE_LIMIT = 100_000  # distinct reasons kept; beyond this the cache starts afresh

CRISIS_PARTS = (CrisisRule.ANY, CrisisRule.REQUIRED, CrisisRule.EXCLUDED)


@dataclass(frozen=True, slots=True)
class Parts:
    """The distinct criteria in the catalogue, numbered; items refer to them by number.

    Many items share an age range, a list of placement situations or a set of problem
    areas. The engine decides each distinct criterion once per child, then per item only
    looks up its five numbers: the cost per item stays small and the same, however large
    the catalogue grows.
    """

    age_ranges: tuple[tuple[int, int], ...]  # (from, to), both inclusive
    age_texts: tuple[str, ...]
    placement_masks: tuple[int, ...]
    placement_fail_texts: tuple[str, ...]
    all_masks: tuple[int, ...]
    any_masks: tuple[int, ...]
    any_fail_texts: tuple[str, ...]
    # Where the age and the numbers of the age range, the placement text and the "one of"
    # text sit in a reasons key (an exclusion key with these added).
    problems: int  # the mask of every problem-area bit
    age_shift: int
    age_id_shift: int
    placement_id_shift: int
    any_id_shift: int
    id_mask: int


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    vocabulary: Vocabulary
    items: tuple[Item, ...]
    recommendations: tuple[AppliesRule, ...]
    parts: Parts
    # Per item the numbers of its age range, crisis rule, placements, "all of" and "one of"
    # problem areas: one list each, in catalogue order.
    columns: tuple[list[int], ...] = ()
    # Explained exclusions by key (shared by every item with the same texts and failures).
    reasons: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    # Each age range's and each placement list's part of the key, per age and per
    # situation: few of either, so each is worked out once.
    _age_fails: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)
    _placement_fails: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)
    # The validated content this catalogue was compiled from (the catalogue pages read it).
    bundle: ContentBundle | None = field(default=None, compare=False, repr=False)

    def age_fails(self, age: int) -> list[int]:
        """Per age range: 0 if ``age`` lies in it, else FAIL_AGE."""
        fails = self._age_fails.get(age)
        if fails is None:
            if not 0 <= age <= MAX_AGE:
                raise ValueError(f"age {age} is outside 0 to {MAX_AGE}")
            fails = self._age_fails[age] = [
                0 if lo <= age <= hi else FAIL_AGE for lo, hi in self.parts.age_ranges
            ]
        return fails

    def placement_fails(self, situation: str) -> list[int]:
        """Per placement list: 0 if it covers ``situation``, else FAIL_PLACEMENT."""
        fails = self._placement_fails.get(situation)
        if fails is None:
            situation_mask = self.vocabulary.placement_mask(
                self.vocabulary.placement_closure[situation]
            )
            fails = self._placement_fails[situation] = [
                0 if mask & situation_mask else FAIL_PLACEMENT
                for mask in self.parts.placement_masks
            ]
        return fails

    def __post_init__(self) -> None:
        columns = tuple([it.parts[part] for it in self.items] for part in range(5))
        object.__setattr__(self, "columns", columns)


class _Shared(dict):
    """Equal values compiled for different items become one object: a smaller catalogue."""

    def __call__(self, value, key=None):
        return self.setdefault(value if key is None else key, value)


class _Numbered(dict):
    """Numbers distinct values in order of appearance: value -> number."""

    def __call__(self, value) -> int:
        return self.setdefault(value, len(self))


@dataclass
class _Compiling:
    vocab: Vocabulary
    share: _Shared = field(default_factory=_Shared)
    ages: _Numbered = field(default_factory=_Numbered)  # (from, to, text)
    placements: _Numbered = field(default_factory=_Numbered)  # (mask, fail text)
    alls: _Numbered = field(default_factory=_Numbered)  # mask
    anys: _Numbered = field(default_factory=_Numbered)  # (mask, fail text)


def _compile_item(position: int, spec: InterventionSpec, ctx: _Compiling) -> Item:
    vocab, share = ctx.vocab, ctx.share
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
        text = f"bedoeld bij de situatie '{in_sentence(vocab.placement_label[via])}'"
        if via != situation:
            text += f" (geldt ook bij '{in_sentence(vocab.placement_label[situation])}')"
        ok_by_situation[situation] = share(text)

    crisis = spec.criteria.crisis
    # In the vocabulary's order, as "ontbreekt: ..." lists them too.
    all_codes = tuple(sorted(spec.criteria.problems_all, key=vocab.problem_order.__getitem__))
    any_codes = tuple(spec.criteria.problems_any)
    all_mask = share(vocab.problem_mask(all_codes))
    any_mask = share(vocab.problem_mask(any_codes))
    age_text = share(age_range_text(age.min, age.upper))
    placement_fail = "alleen bedoeld bij: " + _or([in_sentence(n) for n in placement_names])
    any_fail = "geen " + _or([in_sentence(vocab.problem_label[c]) for c in any_codes])
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
        age_text=age_text,
        crisis=crisis,
        placements=share(placements),
        all_codes=share(all_codes),
        any_codes=share(any_codes),
        addresses_mask=share(all_mask | any_mask),
        static_warnings=share(tuple(warnings)),
        reason_crisis_ok={
            CrisisRule.REQUIRED: "bedoeld bij een acute crisis, en die is er",
            CrisisRule.EXCLUDED: "bedoeld als er geen acute crisis is",
            CrisisRule.ANY: None,
        }[crisis],
        reason_placement_ok=share(ok_by_situation, key=("ok", tuple(ok_by_situation.items()))),
        reason_all_ok=(
            share("heeft " + _join([in_sentence(vocab.problem_label[c]) for c in all_codes]))
            if all_codes
            else None
        ),
        any_mask=any_mask,
        parts=(
            ctx.ages(
                (
                    -1 if age.min is None else age.min,
                    NO_UPPER_AGE if age.upper is None else age.upper,
                    age_text,
                )
            ),
            CRISIS_PARTS.index(crisis),
            ctx.placements((vocab.placement_mask(placements), placement_fail)),
            ctx.alls(all_mask),
            ctx.anys((any_mask, any_fail if any_codes else "")),
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
    specs = bundle.interventions.interventions
    ctx = _Compiling(vocab)
    items = tuple(_compile_item(i, spec, ctx) for i, spec in enumerate(specs))
    if MISSING_SHIFT + len(vocab.problem_bit) > KEY_BITS:
        raise ValueError(f"at most {KEY_BITS - MISSING_SHIFT} problem areas fit an exclusion key")
    id_bits = max(1, len(specs).bit_length())  # part numbers are below len(specs)
    age_shift = MISSING_SHIFT + len(vocab.problem_bit)
    age_id_shift = age_shift + MAX_AGE.bit_length()
    return Catalogue(
        version=version,
        bundle=bundle,
        vocabulary=vocab,
        items=items,
        parts=Parts(
            age_ranges=tuple((lo, hi) for lo, hi, _text in ctx.ages),
            age_texts=tuple(text for _lo, _hi, text in ctx.ages),
            placement_masks=tuple(mask for mask, _text in ctx.placements),
            placement_fail_texts=tuple(text for _mask, text in ctx.placements),
            all_masks=tuple(ctx.alls),
            any_masks=tuple(mask for mask, _text in ctx.anys),
            any_fail_texts=tuple(text for _mask, text in ctx.anys),
            problems=(1 << len(vocab.problem_bit)) - 1,
            age_shift=age_shift,
            age_id_shift=age_id_shift,
            placement_id_shift=age_id_shift + id_bits,
            any_id_shift=age_id_shift + 2 * id_bits,
            id_mask=(1 << id_bits) - 1,
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


class Exclusions(Sequence[Exclusion]):
    """The items that do not fit a child, each with why, in catalogue order.

    Held as one compact column over the whole catalogue: per item its exclusion key (0
    where it fits), which says exactly which criteria failed. The Dutch sentences are
    looked up (written once per distinct reason, then shared) when an
    :class:`Exclusion` is read. A slice gives a plain list of :class:`Exclusion`; an
    Exclusions equals another, or a list, with the same entries.
    """

    __slots__ = ("_age", "_catalogue", "_count", "_keys", "_positions")

    def __init__(self, catalogue: Catalogue, age: int, keys: array) -> None:
        self._catalogue = catalogue
        self._age = age
        self._keys = keys
        self._count = len(keys) - keys.count(0)
        self._positions: list[int] | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if self._positions is None:
            self._positions = [i for i, key in enumerate(self._keys) if key]
        if isinstance(index, slice):
            return [self._exclusion(i) for i in self._positions[index]]
        return self._exclusion(self._positions[index])

    def _exclusion(self, position: int) -> Exclusion:
        it = self._catalogue.items[position]
        reasons = explain(self._catalogue, it, self._keys[position], self._age)
        return Exclusion(it.code, it.name, reasons)

    def pairs(self) -> Iterator[tuple[Item, tuple[str, ...]]]:
        """Each item that does not fit, with its reasons."""
        catalogue = self._catalogue
        parts, known = catalogue.parts, catalogue.reasons.get
        age_bits = self._age << parts.age_shift
        for it, key in zip(catalogue.items, self._keys, strict=True):
            if key:
                key = _reasons_key(parts, it, key, age_bits)
                yield it, known(key) or _explain(catalogue, key)

    def __iter__(self) -> Iterator[Exclusion]:
        for it, reasons in self.pairs():
            yield Exclusion(it.code, it.name, reasons)

    def as_dicts(self) -> list[dict]:
        """The contract's JSON shape."""
        return [
            {"code": it.code, "name": it.name, "reasons": list(reasons)}
            for it, reasons in self.pairs()
        ]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Exclusions | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Exclusions({list(self)!r})"


@dataclass(frozen=True, slots=True)
class ChildResult:
    label: str | None
    age: int
    suggestions: list[Suggestion]
    excluded: Exclusions


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
                    "excluded": child.excluded.as_dicts(),
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


def _reasons_key(parts: Parts, it: Item, key: int, age_bits: int) -> int:
    """An exclusion key with what the item and the child add to its reasons: the age
    (``age_bits``, already shifted) and which age range, placement and "one of" text."""
    if key & FAIL_AGE:
        key |= age_bits | it.parts[0] << parts.age_id_shift
    if key & FAIL_PLACEMENT:
        key |= it.parts[2] << parts.placement_id_shift
    if key & FAIL_ANY:
        key |= it.parts[4] << parts.any_id_shift
    return key


def explain(catalogue: Catalogue, it: Item, key: int, age: int) -> tuple[str, ...]:
    """Why ``it`` does not fit a child of ``age``, in Dutch, from its exclusion key."""
    parts = catalogue.parts
    key = _reasons_key(parts, it, key, age << parts.age_shift)
    return catalogue.reasons.get(key) or _explain(catalogue, key)


def _explain(catalogue: Catalogue, key: int) -> tuple[str, ...]:
    """The reasons a reasons key stands for; cached by key."""
    layout = catalogue.parts
    reasons = []
    if key & FAIL_AGE:
        age_text = layout.age_texts[key >> layout.age_id_shift & layout.id_mask]
        reasons.append(f"leeftijd {key >> layout.age_shift & MAX_AGE} valt buiten {age_text}")
    if key & FAIL_CRISIS_ABSENT:
        reasons.append("alleen bij een acute crisis, en die is er niet")
    if key & FAIL_CRISIS_PRESENT:
        reasons.append("niet bedoeld bij een acute crisis")
    if key & FAIL_PLACEMENT:
        text_id = key >> layout.placement_id_shift & layout.id_mask
        reasons.append(layout.placement_fail_texts[text_id])
    missing = key >> MISSING_SHIFT & layout.problems
    if missing:
        vocab = catalogue.vocabulary
        labels = [
            in_sentence(vocab.problem_label[code])
            for code, bit in vocab.problem_bit.items()
            if bit & missing
        ]
        reasons.append("ontbreekt: " + _join(labels))
    if key & FAIL_ANY:
        reasons.append(layout.any_fail_texts[key >> layout.any_id_shift & layout.id_mask])
    answer = tuple(reasons)
    if len(catalogue.reasons) >= REASONS_CACHE_LIMIT:
        catalogue.reasons.clear()
    catalogue.reasons[key] = answer
    return answer


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
        reasons.append("heeft " + _join([in_sentence(vocab.problem_label[c]) for c in codes]))
    return Suggestion(it.code, it.name, it.kind, it.classification, tuple(reasons), tuple(warnings))


def _evaluate_child(
    catalogue: Catalogue,
    age: int,
    problems: frozenset[str],
    crisis: bool,
    situation: str,
) -> tuple[list[Suggestion], Exclusions]:
    """The hot loop: every text it uses was prepared by :func:`compile_catalogue`."""
    vocab = catalogue.vocabulary
    items, parts = catalogue.items, catalogue.parts
    ranked: list[tuple[int, Suggestion]] = []
    present_mask = vocab.problem_mask(problems)
    situation_index = vocab.placement_bit[situation].bit_length()

    # First each distinct criterion, once: its part of the exclusion key (0 if it holds).
    age_fails = catalogue.age_fails(age)
    crisis_fails = (0, 0, FAIL_CRISIS_PRESENT) if crisis else (0, FAIL_CRISIS_ABSENT, 0)
    placement_fails = catalogue.placement_fails(situation)
    absent = parts.problems & ~present_mask
    missing = [(mask & absent) << MISSING_SHIFT for mask in parts.all_masks]
    any_fails = [FAIL_ANY if mask and not mask & present_mask else 0 for mask in parts.any_masks]

    # Then per item: five look-ups make its key, which is all that is kept of an item
    # that does not fit. The loop reads no item's own memory unless the item fits.
    keys = array("Q")
    add = keys.append
    for age_part, crisis_part, placement_part, all_part, any_part in zip(
        *catalogue.columns, strict=True
    ):
        key = (
            age_fails[age_part]
            | crisis_fails[crisis_part]
            | placement_fails[placement_part]
            | missing[all_part]
            | any_fails[any_part]
        )
        add(key)
        if key:
            continue

        it = items[len(keys) - 1]
        # It fits. What it says depends only on the age, the situation and which of its
        # "one of" problem areas are present: the same answer is cached per item.
        present = it.any_mask & present_mask
        key = age | (situation_index << 8) | (present << 16)
        suggestion = it.suggested.get(key)
        if suggestion is None:
            suggestion = it.suggested[key] = _suggestion(it, age, situation, present, vocab)
        addressed = (it.addresses_mask & present_mask).bit_count()
        # The ranking rule as one integer: crisis help first (in a crisis), then more
        # problem areas addressed, then stronger evidence, then catalogue order.
        rank = (
            (0 if crisis and it.crisis is CrisisRule.REQUIRED else 1) << 60
            | (63 - addressed) << 50
            | (7 - it.evidence) << 45
            | it.position
        )
        ranked.append((rank, suggestion))
    ranked.sort(key=itemgetter(0))
    excluded = Exclusions(catalogue, age, keys)
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
            catalogue, age, problems, profile.crisis, profile.placement
        )
        children.append(ChildResult(child.label, age, suggestions, excluded))
    recommendations = [
        rule
        for rule in catalogue.recommendations
        if (not rule.placements or not rule.placements.isdisjoint(situations))
        and (not rule.problems_any or not rule.problems_any.isdisjoint(all_problems))
    ]
    return CaseResult(catalogue.version, reference, children, recommendations)
