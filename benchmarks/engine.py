"""Benchmark of the matching engine. Run: bash scripts/benchmark

Prints, in one run:
- microseconds per case on the real catalogue (the worked cases in shared/vignettes);
- the same for synthetic catalogues of 100, 1,000 and 10,000 interventions, with the
  growth ratio between sizes;
- the same rules evaluated by the generic expression engine ``rule-engine`` as a
  reference, and the ratio. The reference only decides fit or no fit; Richtsnoer's engine
  also writes every reason and warning, ranks, and picks the recommendations.

No database: the catalogue is compiled straight from the YAML content files.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

import rule_engine  # noqa: E402
import yaml  # noqa: E402

from interventies.engine import Catalogue, age_on, compile_catalogue, evaluate  # noqa: E402
from interventies.profile import CaseProfile, parse_case_profile  # noqa: E402
from richtlijnen.content import content_read_files, content_version  # noqa: E402
from richtlijnen.schema import (  # noqa: E402
    AgeRange,
    Classification,
    ContentBundle,
    CrisisRule,
    Criteria,
    EvidenceLevel,
    InterventionKind,
    InterventionsFile,
    InterventionSpec,
    Recognition,
    SourceRef,
)

SHARED = Path(os.environ.get("RICHTSNOER_SHARED", ROOT.parent / "shared"))
TARGET_REAL_US = 50
TARGET_1000_US = 2000
TARGET_SPEEDUP = 10


def best_per_call(function, calls: int, repeats: int = 5) -> float:
    """Seconds per call: the best of ``repeats`` runs of ``calls`` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def synthetic_bundle(real: ContentBundle, size: int, seed: int = 2026) -> ContentBundle:
    rng = random.Random(seed)
    vocab = real.vocabulary
    problems = [p.code for p in vocab.problem_areas]
    placements = [p.code for p in vocab.placements]
    source = real.interventions.interventions[0].sources[0]
    items = []
    for n in range(size):
        lo = rng.choice([None, 0, 4, 6, 10, 12])
        hi = rng.choice([None, 12, 17, 18, 24]) if lo is None or lo < 12 else rng.choice([18, 24])
        chosen = rng.sample(problems, rng.randint(0, 4))
        split = rng.randint(0, len(chosen))
        items.append(
            InterventionSpec(
                code=f"SYN{n:05d}",
                name=f"Synthetische interventie {n}",
                kind=InterventionKind.INTERVENTIE,
                doelgroep="synthetisch",
                age=AgeRange(
                    min=lo,
                    max=hi,
                    max_inclusive=True,
                    wording="" if lo is None and hi is None else "synthetisch",
                ),
                criteria=Criteria(
                    problems_all=chosen[:split],
                    problems_any=chosen[split:],
                    crisis=rng.choice([CrisisRule.ANY] * 4 + [CrisisRule.REQUIRED]),
                    placements=rng.sample(placements, rng.randint(1, 3)),
                ),
                classification=Classification(
                    recognition=Recognition.ERKEND, level=rng.choice(list(EvidenceLevel))
                ),
                sources=[SourceRef(guideline=source.guideline, section=source.section)],
            )
        )
    return real.model_copy(update={"interventions": InterventionsFile(interventions=items)})


def reference_rules(catalogue: Catalogue) -> list[rule_engine.Rule]:
    """The catalogue's fit rules as rule-engine expressions."""
    context = rule_engine.Context(default_value=None)
    rules = []
    for item in catalogue.items:
        parts = ["true"]
        if item.age_lo is not None:
            parts.append(f"age >= {item.age_lo}")
        if item.age_hi is not None:
            parts.append(f"age <= {item.age_hi}")
        if item.crisis is CrisisRule.REQUIRED:
            parts.append("crisis")
        elif item.crisis is CrisisRule.EXCLUDED:
            parts.append("not crisis")
        quoted = ", ".join(f'"{p}"' for p in sorted(item.placements))
        parts.append(f"situations & {{{quoted}}}")
        parts.extend(f'"{code}" in problems' for code in item.all_codes)
        if item.any_codes:
            quoted = ", ".join(f'"{c}"' for c in item.any_codes)
            parts.append(f"problems & {{{quoted}}}")
        rules.append(rule_engine.Rule(" and ".join(parts), context=context))
    return rules


def reference_evaluate(rules, catalogue: Catalogue, profile: CaseProfile) -> list[list[bool]]:
    situations = set(catalogue.vocabulary.placement_closure[profile.placement])
    family = set(profile.family_problems)
    out = []
    for child in profile.children:
        age = (
            child.age
            if child.birth_date is None
            else age_on(child.birth_date, profile.reference_date)
        )
        facts = {
            "age": age,
            "crisis": profile.crisis,
            "situations": situations,
            "problems": family | set(child.problems),
        }
        out.append([rule.matches(facts) for rule in rules])
    return out


def main() -> int:
    real = content_read_files(ROOT)
    catalogue = compile_catalogue(real, content_version(real))
    cases = yaml.safe_load((SHARED / "vignettes" / "cases.yaml").read_text(encoding="utf-8"))
    profiles = [parse_case_profile(case["case"], catalogue) for case in cases]
    children = sum(len(p.children) for p in profiles)

    def per_case(cat: Catalogue, calls: int) -> float:
        def all_cases() -> None:
            for profile in profiles:  # one case at a time, as a server handles them
                evaluate(profile, cat)

        return best_per_call(all_cases, calls) / len(profiles)

    # The reference must agree with the engine before its speed means anything.
    rules = reference_rules(catalogue)
    for profile in profiles:
        fits = reference_evaluate(rules, catalogue, profile)
        result = evaluate(profile, catalogue)
        for child_fits, child in zip(fits, result.children, strict=True):
            suggested = {s.code for s in child.suggestions}
            assert {
                i.code for i, ok in zip(catalogue.items, child_fits, strict=True) if ok
            } == suggested

    print(f"Richtsnoer engine benchmark ({len(profiles)} worked cases, {children} children)")
    print(f"Python {sys.version.split()[0]}; best of 5 runs; times per case\n")
    real_us = per_case(catalogue, 2000) * 1e6
    print(f"{'catalogue':<28}{'items':>8}{'µs/case':>12}{'µs/item':>10}{'growth':>9}")
    print(
        f"{'real (shipped content)':<28}{len(catalogue.items):>8}{real_us:>12.1f}"
        f"{real_us / len(catalogue.items):>10.3f}"
    )

    sizes = {}
    previous = None
    for size, calls in [(100, 300), (1000, 40), (10000, 4)]:
        synthetic = synthetic_bundle(real, size)
        cat = compile_catalogue(synthetic, f"synthetic-{size}")
        us = per_case(cat, calls) * 1e6
        sizes[size] = us
        growth = f"{us / previous:.1f}x" if previous else ""
        print(f"{'synthetic':<28}{size:>8}{us:>12.1f}{us / size:>10.3f}{growth:>9}")
        previous = us

    ref_us = (
        best_per_call(
            lambda: [reference_evaluate(rules, catalogue, p) for p in profiles], 20, repeats=3
        )
        / len(profiles)
        * 1e6
    )
    speedup = ref_us / real_us
    print(
        f"\n{'rule-engine (reference)':<28}{len(rules):>8}{ref_us:>12.1f}"
        f"{ref_us / len(rules):>10.3f}"
    )
    print(f"Richtsnoer engine is {speedup:.0f}x faster than rule-engine on the real catalogue.")

    growth_ok = sizes[10000] / sizes[100] <= 100 * 1.25  # 100x items: at most ~100x time
    checks = [
        (
            f"real catalogue <= {TARGET_REAL_US} µs/case",
            real_us <= TARGET_REAL_US,
            f"{real_us:.1f} µs",
        ),
        (
            f"1,000 items <= {TARGET_1000_US} µs/case",
            sizes[1000] <= TARGET_1000_US,
            f"{sizes[1000]:.0f} µs",
        ),
        (
            "growth no worse than linear (100 -> 10,000 items)",
            growth_ok,
            f"{sizes[10000] / sizes[100]:.0f}x time for 100x items",
        ),
        (
            f">= {TARGET_SPEEDUP}x faster than rule-engine",
            speedup >= TARGET_SPEEDUP,
            f"{speedup:.0f}x",
        ),
    ]
    print()
    for label, ok, value in checks:
        print(f"{'OK  ' if ok else 'MISS'} {label}: {value}")
    return 0 if all(ok for _label, ok, _value in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
