"""The matching engine: which interventions fit a case, and why; which do not, and why not.

Plain Python, no ORM. :func:`compile_catalogue` turns validated content (a
:class:`~richtlijnen.schema.ContentBundle`) into a :class:`Catalogue` once per content
version; :func:`evaluate` takes a validated :class:`~interventies.profile.CaseProfile` and
returns, per child, every catalogue item in exactly one of ``suggestions`` and
``excluded``, each with at least one reason in Dutch.

How to read it:

- A **criterion** is one small class below (:class:`AgeRange`, :class:`OnlyInCrisis`,
  :class:`Situations`, :class:`AllProblems`, :class:`AnyProblem`, :class:`NoProblem`...).
  ``judge(child)`` says whether it holds for a child and why, in Dutch, both ways;
  ``describe()`` says when it holds, for the catalogue page. To add a kind of criterion,
  write one such class and create it in :func:`criteria_of`.
- An **item** fits a child when every one of its criteria holds. The family's problem
  areas count for every child.
- :func:`evaluate` is a plain loop over items and their criteria; :func:`rank` is the
  ranking rule (:data:`RANKING_RULE` says it in Dutch for the screen).

Criteria that are equal are one object, shared by the items that have them, and each is
judged once per child: that keeps the loop fast (``bash scripts/benchmark``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
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

MEMORY_LIMIT = 512  # fact values whose verdicts a catalogue remembers; then it starts afresh

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


def join_and(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]


def join_or(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " of " + labels[-1]


# ---------------------------------------------------------------- a child, as criteria see it


@dataclass(frozen=True, slots=True)
class Child:
    age: int  # whole years on the reference date
    problems: frozenset[str]  # the child's own and the family's problem areas
    crisis: bool
    situation: str
    situations: frozenset[str]  # the situation and every situation it implies


class Verdict(NamedTuple):
    holds: bool
    reason: str | None  # why it holds (None: nothing worth saying), or why not
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------- the criteria
# Each compares by identity: compile_catalogue makes equal criteria one shared object.


class Criterion:
    __slots__ = ()
    fact: str  # the one fact about the child (an attribute of Child) its verdict depends on

    def judge(self, child: Child) -> Verdict:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True, eq=False)
class AgeRange(Criterion):
    """The age lies in the target group's range, read with the Dutch wording's own meaning
    ("t/m 18" includes 18, "tot 18" does not: ``hi`` is the oldest age that belongs)."""

    fact = "age"

    lo: int | None
    hi: int | None
    text: str

    def judge(self, child: Child) -> Verdict:
        age, lo, hi, text = child.age, self.lo, self.hi, self.text
        if lo is None and hi is None:
            return Verdict(True, "geen leeftijdsgrens in de richtlijn")
        if (lo is not None and age < lo) or (hi is not None and age > hi):
            return Verdict(False, f"leeftijd {age} valt buiten {text}")
        warnings = []
        if age == lo and lo > 0:
            warnings.append(f"leeftijd {age} is de ondergrens van {text}")
        if age == hi:
            warnings.append(f"leeftijd {age} is de bovengrens van {text}")
        return Verdict(True, f"leeftijd {age} valt binnen {text}", tuple(warnings))

    def describe(self) -> str:
        if self.lo is None and self.hi is None:
            return "Bij elke leeftijd: de richtlijn noemt geen leeftijdsgrens."
        return f"Als de jeugdige {self.text} oud is (hele jaren op de peildatum)."


@dataclass(frozen=True, slots=True, eq=False)
class OnlyInCrisis(Criterion):
    fact = "crisis"

    def judge(self, child: Child) -> Verdict:
        if child.crisis:
            return Verdict(True, "bedoeld bij een acute crisis, en die is er")
        return Verdict(False, "alleen bij een acute crisis, en die is er niet")

    def describe(self) -> str:
        return "Alleen als er een acute crisis is."


@dataclass(frozen=True, slots=True, eq=False)
class NotInCrisis(Criterion):
    fact = "crisis"

    def judge(self, child: Child) -> Verdict:
        if child.crisis:
            return Verdict(False, "niet bedoeld bij een acute crisis")
        return Verdict(True, "bedoeld als er geen acute crisis is")

    def describe(self) -> str:
        return "Alleen als er geen acute crisis is."


@dataclass(frozen=True, slots=True, eq=False)
class Situations(Criterion):
    """The case's situation, or one it implies, is one the item is meant for."""

    fact = "situation"

    codes: tuple[str, ...]  # in the content's order
    implied_by: tuple[str, ...]  # other situations that imply one of ``codes``
    labels: Mapping[str, str] = field(repr=False)  # every situation's words in a sentence

    def judge(self, child: Child) -> Verdict:
        via = next((c for c in self.codes if c in child.situations), None)
        if via is None:
            return Verdict(False, "alleen bedoeld bij: " + join_or(self._names(self.codes)))
        reason = f"bedoeld bij de situatie '{self.labels[via]}'"
        if via != child.situation:
            reason += f" (geldt ook bij '{self.labels[child.situation]}')"
        return Verdict(True, reason)

    def describe(self) -> str:
        text = "Als de situatie is: " + join_or(self._names(self.codes))
        if self.implied_by:
            text += " (en dus ook bij: " + join_or(self._names(self.implied_by)) + ")"
        return text + "."

    def _names(self, codes) -> list[str]:
        return [self.labels[c] for c in codes]


@dataclass(frozen=True, slots=True, eq=False)
class AllProblems(Criterion):
    """The child (or the family) has every one of these problem areas."""

    fact = "problems"

    codes: tuple[str, ...]  # in the vocabulary's order
    labels: Mapping[str, str] = field(repr=False)

    def judge(self, child: Child) -> Verdict:
        missing = [self.labels[c] for c in self.codes if c not in child.problems]
        if missing:
            return Verdict(False, "ontbreekt: " + join_and(missing))
        return Verdict(True, "heeft " + join_and([self.labels[c] for c in self.codes]))

    def describe(self) -> str:
        names = join_and([self.labels[c] for c in self.codes])
        return f"Als de jeugdige of het gezin dit allemaal heeft: {names}."


@dataclass(frozen=True, slots=True, eq=False)
class AnyProblem(Criterion):
    """The child (or the family) has at least one of these problem areas."""

    fact = "problems"

    codes: tuple[str, ...]  # in the content's order
    labels: Mapping[str, str] = field(repr=False)

    def judge(self, child: Child) -> Verdict:
        present = [self.labels[c] for c in self.codes if c in child.problems]
        if present:
            return Verdict(True, "heeft " + join_and(present))
        return Verdict(False, "geen " + join_or([self.labels[c] for c in self.codes]))

    def describe(self) -> str:
        names = join_or([self.labels[c] for c in self.codes])
        return f"Als de jeugdige of het gezin minstens één hiervan heeft: {names}."


@dataclass(frozen=True, slots=True, eq=False)
class NoProblem(Criterion):
    """A contra-indication: not when the child (or the family) has any of these."""

    fact = "problems"

    codes: tuple[str, ...]  # in the content's order
    labels: Mapping[str, str] = field(repr=False)

    def judge(self, child: Child) -> Verdict:
        present = [self.labels[c] for c in self.codes if c in child.problems]
        if present:
            return Verdict(False, "niet bedoeld bij " + join_and(present))
        names = join_or([self.labels[c] for c in self.codes])
        return Verdict(True, f"geen {names} (daarbij is het niet bedoeld)")

    def describe(self) -> str:
        names = join_or([self.labels[c] for c in self.codes])
        return f"Niet als de jeugdige of het gezin dit heeft: {names}."


# ---------------------------------------------------------------- the compiled catalogue


@dataclass(frozen=True, slots=True)
class Vocabulary:
    problem_level: dict[str, ProblemLevel]
    problem_label: dict[str, str]
    problem_order: dict[str, int]
    placement_label: dict[str, str]
    placement_closure: dict[str, frozenset[str]]  # a situation and all it implies
    # The labels as they read inside a sentence (see in_sentence).
    problem_words: dict[str, str]
    placement_words: dict[str, str]

    def labels(self, codes) -> list[str]:
        return [self.problem_label[c] for c in sorted(codes, key=self.problem_order.__getitem__)]


@dataclass(frozen=True, slots=True)
class Item:
    """One catalogue item: what it is, and its criteria in the order reasons are given."""

    position: int
    code: str
    name: str
    kind: str
    classification: str
    evidence: int  # 0 (none) to 4 (effectief volgens sterke aanwijzingen)
    age_lo: int | None
    age_hi: int | None  # the oldest age that belongs to the target group
    age_text: str  # from the numbers, so it always says what the engine checks
    crisis: CrisisRule
    placements: frozenset[str]
    all_codes: tuple[str, ...]
    any_codes: tuple[str, ...]
    addresses: frozenset[str]  # problem areas it is for (ranking counts these)
    static_warnings: tuple[str, ...]
    criteria: tuple[Criterion, ...]


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
    # Every distinct criterion, by the fact of the child it reads (see verdicts_for).
    criteria_by_fact: dict[str, tuple[Criterion, ...]] = field(default_factory=dict)
    # The validated content this catalogue was compiled from (the catalogue pages read it).
    bundle: ContentBundle | None = field(default=None, compare=False, repr=False)
    remembered: dict = field(default_factory=dict, compare=False, repr=False)


def static_warnings(spec: InterventionSpec) -> tuple[str, ...]:
    """What a reviewer must know about an item whatever the child: its recognition, and
    the caveats the content gives (sources that disagree, weak evidence, ambiguous ages)."""
    cls = spec.classification
    warnings = {
        Recognition.VERLOPEN: ["erkenning verlopen: niet meer als effectief erkend"],
        Recognition.NIET_ERKEND: ["niet erkend: de werkzaamheid is niet vastgesteld"],
        Recognition.IN_HERBEOORDELING: ["erkenning wordt opnieuw beoordeeld"],
        Recognition.NIET_VERMELD: [
            "niet opgenomen in de Databank Effectieve Jeugdinterventies (volgens de bron)"
            if cls.in_databank is False
            else "de richtlijn noemt geen erkenning; controleer de Databank"
        ],
        Recognition.ERKEND: [],
    }[cls.recognition]
    if spec.age.min is None and spec.age.max is None:
        warnings.append(
            "de richtlijn noemt geen leeftijd voor de doelgroep; controleer of die past"
        )
    return (*warnings, *spec.caveats)


def criteria_of(spec: InterventionSpec, vocab: Vocabulary, shared: dict) -> tuple[Criterion, ...]:
    """An item's criteria, in the order their reasons are given; equal ones shared."""

    def one(kind, *args, labels=None) -> Criterion:
        key = (kind, *args)  # the labels are the same for every criterion of a catalogue
        if key not in shared:
            shared[key] = kind(*args) if labels is None else kind(*args, labels=labels)
        return shared[key]

    rules = spec.criteria
    labels = vocab.problem_words
    found = [
        one(AgeRange, spec.age.min, spec.age.upper, age_range_text(spec.age.min, spec.age.upper))
    ]
    if rules.crisis is CrisisRule.REQUIRED:
        found.append(one(OnlyInCrisis))
    elif rules.crisis is CrisisRule.EXCLUDED:
        found.append(one(NotInCrisis))
    codes = tuple(rules.placements)
    implied_by = tuple(
        s
        for s, closure in vocab.placement_closure.items()
        if s not in codes and closure & set(codes)
    )
    found.append(one(Situations, codes, implied_by, labels=vocab.placement_words))
    if rules.problems_all:
        found.append(
            one(
                AllProblems,
                tuple(sorted(rules.problems_all, key=vocab.problem_order.get)),
                labels=labels,
            )
        )
    if rules.problems_any:
        found.append(one(AnyProblem, tuple(rules.problems_any), labels=labels))
    if rules.problems_none:
        found.append(one(NoProblem, tuple(rules.problems_none), labels=labels))
    return tuple(found)


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
        problem_words={p.code: in_sentence(p.label) for p in vocab_spec.problem_areas},
        placement_words={p.code: in_sentence(p.label) for p in vocab_spec.placements},
    )
    shared: dict = {}
    items = []
    for position, spec in enumerate(bundle.interventions.interventions):
        cls, rules = spec.classification, spec.criteria
        criteria = criteria_of(spec, vocab, shared)
        items.append(
            Item(
                position=position,
                code=spec.code,
                name=spec.name,
                kind=KIND_LABEL[spec.kind],
                classification=classification_label(cls.recognition, cls.level),
                evidence=EVIDENCE_RANK.get(cls.level, 0)
                if cls.recognition in (Recognition.ERKEND, Recognition.IN_HERBEOORDELING)
                else 0,
                age_lo=spec.age.min,
                age_hi=spec.age.upper,
                age_text=criteria[0].text,
                crisis=rules.crisis,
                placements=frozenset(rules.placements),
                all_codes=tuple(sorted(rules.problems_all, key=vocab.problem_order.get)),
                any_codes=tuple(rules.problems_any),
                addresses=frozenset(rules.problems_all) | frozenset(rules.problems_any),
                static_warnings=static_warnings(spec),
                criteria=criteria,
            )
        )
    titles = {g.code: g.title for g in bundle.guidelines.guidelines}
    sections = {(g.code, s.code): s.title for g in bundle.guidelines.guidelines for s in g.sections}
    by_fact: dict[str, list[Criterion]] = {}
    for criterion in shared.values():
        by_fact.setdefault(criterion.fact, []).append(criterion)
    return Catalogue(
        version=version,
        bundle=bundle,
        criteria_by_fact={fact: tuple(criteria) for fact, criteria in by_fact.items()},
        vocabulary=vocab,
        items=tuple(items),
        recommendations=tuple(
            AppliesRule(
                placements=frozenset(r.applies_to.placements),
                problems_any=frozenset(r.applies_to.problems_any),
                spec=r,
                guideline=titles[r.source.guideline],
                section=sections[(r.source.guideline, r.source.section)],
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


def rank(item: Item, child: Child) -> tuple[bool, int, int, int]:
    """The ranking rule (lowest first): in a crisis, crisis help first; then more of the
    child's problem areas addressed; then stronger evidence; then the catalogue's order."""
    crisis_help_first = not (child.crisis and item.crisis is CrisisRule.REQUIRED)
    addressed = len(item.addresses & child.problems)
    return (crisis_help_first, -addressed, -item.evidence, item.position)


def verdicts_for(catalogue: Catalogue, child: Child) -> dict[Criterion, Verdict]:
    """Every distinct criterion's verdict for ``child``.

    A verdict depends only on the criterion and one fact of the child (``Criterion.fact``),
    so the catalogue remembers, per value of each fact, the verdicts of all criteria that
    read it: a child of the same age as one before costs one look-up for all age ranges.
    """
    verdicts: dict[Criterion, Verdict] = {}
    remembered = catalogue.remembered
    for fact, criteria in catalogue.criteria_by_fact.items():
        key = (fact, getattr(child, fact))
        known = remembered.get(key)
        if known is None:
            if len(remembered) >= MEMORY_LIMIT:
                remembered.clear()
            known = remembered[key] = {criterion: criterion.judge(child) for criterion in criteria}
        verdicts.update(known)
    return verdicts


def judge_child(catalogue: Catalogue, child: Child) -> tuple[list[Suggestion], list[Exclusion]]:
    """Every item, fitting or not, with why: a plain loop over items and their criteria."""
    verdicts = verdicts_for(catalogue, child)
    fitting: list[tuple[tuple, Suggestion]] = []
    excluded: list[Exclusion] = []
    for item in catalogue.items:
        results = [verdicts[criterion] for criterion in item.criteria]
        why_not = [v.reason for v in results if not v.holds]
        if why_not:
            excluded.append(Exclusion(item.code, item.name, tuple(why_not)))
            continue
        reasons = tuple([v.reason for v in results if v.reason])
        warnings = item.static_warnings + tuple([w for v in results for w in v.warnings])
        suggestion = Suggestion(
            item.code, item.name, item.kind, item.classification, reasons, warnings
        )
        fitting.append((rank(item, child), suggestion))
    fitting.sort(key=lambda pair: pair[0])
    return [suggestion for _rank, suggestion in fitting], excluded


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
        facts = Child(age, problems, profile.crisis, profile.placement, situations)
        suggestions, excluded = judge_child(catalogue, facts)
        children.append(ChildResult(child.label, age, suggestions, excluded))
    recommendations = [
        rule
        for rule in catalogue.recommendations
        if (not rule.placements or not rule.placements.isdisjoint(situations))
        and (not rule.problems_any or not rule.problems_any.isdisjoint(all_problems))
    ]
    return CaseResult(catalogue.version, reference, children, recommendations)
