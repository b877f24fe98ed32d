"""The rewritten engine answers exactly as the old one did, on the shipped content and on
a large synthetic catalogue: same suggestions, reasons, warnings, order and exclusions.

Remove this file together with interventies/engine_old.py once the old engine goes.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic_bundle
from interventies import engine, engine_old
from interventies.profile import parse_case_profile
from tests.test_engine import profiles

# CI runs a few hundred profiles (each up to five children); for a deeper comparison run
# with RICHTSNOER_COMPARE_EXAMPLES=5000.
EXAMPLES = int(os.environ.get("RICHTSNOER_COMPARE_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def as_the_old_engine_knew(bundle):
    """The content without what only the new engine reads: caveats, and whether an item
    without a recognition is in the Databank (the old one said 'controleer de Databank')."""
    items = [
        item.model_copy(
            update={
                "caveats": [],
                "classification": item.classification.model_copy(
                    update={"in_databank": None}
                    if item.classification.recognition == "niet_vermeld"
                    else {}
                ),
            }
        )
        for item in bundle.interventions.interventions
    ]
    return bundle.model_copy(
        update={"interventions": bundle.interventions.model_copy(update={"interventions": items})}
    )


@pytest.fixture(scope="module")
def both(shipped_bundle):
    bundle = as_the_old_engine_knew(shipped_bundle)
    return engine.compile_catalogue(bundle, "v"), engine_old.compile_catalogue(bundle, "v")


@pytest.fixture(scope="module")
def both_large(shipped_bundle):
    bundle = synthetic_bundle(as_the_old_engine_knew(shipped_bundle), 300)
    return engine.compile_catalogue(bundle, "s"), engine_old.compile_catalogue(bundle, "s")


def same_answer(new, old, raw):
    new_result = engine.evaluate(parse_case_profile(raw, new), new).as_dict()
    old_result = engine_old.evaluate(parse_case_profile(raw, old), old).as_dict()
    assert new_result == old_result


@given(data=st.data())
@SETTINGS
def test_old_and_new_agree_on_the_shipped_content(both, data):
    new, old = both
    same_answer(new, old, data.draw(profiles(new)))


@given(data=st.data())
@settings(SETTINGS, max_examples=max(20, EXAMPLES // 6))
def test_old_and_new_agree_on_a_large_catalogue(both_large, data):
    new, old = both_large
    same_answer(new, old, data.draw(profiles(new)))


def test_old_and_new_agree_on_every_worked_case(both, vignettes):
    new, old = both
    for case in vignettes:
        same_answer(new, old, case["case"])
