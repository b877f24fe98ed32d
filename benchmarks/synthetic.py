"""Synthetic catalogues of any size, for the benchmark and for tests of large catalogues.

Random but repeatable (seeded) criteria over the real vocabulary: ages, problem areas
(all of / one of), crisis rules and placement situations in the shapes the real content
uses. The interventions are made up; they are never shown to anyone.
"""

from __future__ import annotations

import random

from richtlijnen.schema import (
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
