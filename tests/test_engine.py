"""The matching engine: worked cases, age edges, the partition property, ranking, warnings."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic_bundle
from interventies.engine import age_on, age_range_text, compile_catalogue, evaluate
from interventies.profile import parse_case_profile
from richtlijnen.content import content_version
from richtlijnen.schema import CrisisRule, ProblemLevel

REFERENCE = date(2026, 11, 23)


@pytest.fixture(scope="module")
def shipped(shipped_bundle):
    """The engine needs no database: compile straight from the shipped files."""
    return compile_catalogue(shipped_bundle, content_version(shipped_bundle))


def run(catalogue, **case):
    case.setdefault("reference_date", REFERENCE)
    case.setdefault("placement", "uithuisplaatsing_overwogen")
    return evaluate(parse_case_profile(case, catalogue), catalogue)


def codes(items):
    return [i.code for i in items]


# ---------------------------------------------------------------- worked cases


def test_every_worked_case(shipped, vignettes):
    assert len(vignettes) >= 7
    for case in vignettes:
        result = evaluate(parse_case_profile(case["case"], shipped), shipped)
        by_label = {child.label: child for child in result.children}
        for label, expected in case["expect"].items():
            child = by_label[label]
            for code in expected.get("include", []):
                assert code in codes(child.suggestions), (case["name"], label, code)
            for code in expected.get("exclude", []):
                assert code in codes(child.excluded), (case["name"], label, code)


# ---------------------------------------------------------------- age edges


def profile_fitting(item, vocab, age):
    """A profile that meets every criterion of ``item`` except, perhaps, the age."""
    child = [c for c in item.all_codes if vocab.problem_level[c] is ProblemLevel.JEUGDIGE]
    family = [c for c in item.all_codes if vocab.problem_level[c] is ProblemLevel.GEZIN]
    if item.any_codes:
        first = item.any_codes[0]
        (child if vocab.problem_level[first] is ProblemLevel.JEUGDIGE else family).append(first)
    return {
        "reference_date": REFERENCE,
        "placement": sorted(item.placements)[0],
        "crisis": item.crisis is CrisisRule.REQUIRED,
        "family_problems": family,
        "children": [{"age": age, "problems": child}],
    }


@given(age=st.integers(min_value=0, max_value=30), data=st.data())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_each_item_fits_exactly_the_ages_of_its_target_group(shipped, age, data):
    item = data.draw(st.sampled_from(shipped.items))
    result = evaluate(
        parse_case_profile(profile_fitting(item, shipped.vocabulary, age), shipped), shipped
    )
    in_range = (item.age_lo is None or age >= item.age_lo) and (
        item.age_hi is None or age <= item.age_hi
    )
    assert (item.code in codes(result.children[0].suggestions)) is in_range


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("MST", 10, 18),  # "10 t/m 18 jaar"
        ("MST-CAN", 6, 17),  # "tussen de zes en zeventien jaar"
        ("MDFT", 12, 24),  # "12 t/m 24 jaar"
        ("FAST", 12, 18),  # "12 tot en met 18 jaar"
        ("RGT", 12, 17),  # "12 tot 18 jaar"
        ("S2C", 12, 17),  # "12 t/m 17 jaar"
        ("IAG", 0, 17),  # "tot 18 jaar"
    ],
)
def test_age_wording_edges(shipped, code, first, last):
    item = next(i for i in shipped.items if i.code == code)
    fits = [
        age
        for age in range(0, 31)
        if code
        in codes(
            evaluate(
                parse_case_profile(profile_fitting(item, shipped.vocabulary, age), shipped), shipped
            )
            .children[0]
            .suggestions
        )
    ]
    assert fits == list(range(first, last + 1))


def test_mst_edges_carry_a_warning_and_outside_ages_say_why(shipped):
    problems = ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"]
    for age, edge in [(10, "ondergrens"), (18, "bovengrens")]:
        child = run(shipped, children=[{"age": age, "problems": problems}]).children[0]
        mst = next(s for s in child.suggestions if s.code == "MST")
        assert f"leeftijd {age} is de {edge} van 10 t/m 18 jaar" in mst.warnings
        assert f"leeftijd {age} valt binnen 10 t/m 18 jaar" in mst.reasons
    child = run(shipped, children=[{"age": 19, "problems": problems}]).children[0]
    mst = next(e for e in child.excluded if e.code == "MST")
    assert mst.reasons == ("leeftijd 19 valt buiten 10 t/m 18 jaar",)


def test_age_from_birth_date_counts_whole_years():
    assert age_on(date(2016, 11, 23), date(2026, 11, 23)) == 10
    assert age_on(date(2016, 11, 24), date(2026, 11, 23)) == 9
    assert age_on(date(2012, 2, 29), date(2026, 2, 28)) == 13
    assert age_on(date(2012, 2, 29), date(2026, 3, 1)) == 14


# ---------------------------------------------------------------- partition property


@st.composite
def profiles(draw, catalogue):
    vocab = catalogue.vocabulary
    child_codes = [c for c, lvl in vocab.problem_level.items() if lvl is ProblemLevel.JEUGDIGE]
    family_codes = [c for c, lvl in vocab.problem_level.items() if lvl is ProblemLevel.GEZIN]
    children = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "age": st.integers(0, 30),
                    "problems": st.lists(st.sampled_from(child_codes), unique=True),
                }
            ),
            min_size=1,
            max_size=5,
        )
    )
    return {
        "reference_date": REFERENCE,
        "crisis": draw(st.booleans()),
        "placement": draw(st.sampled_from(sorted(vocab.placement_label))),
        "family_problems": draw(st.lists(st.sampled_from(family_codes), unique=True)),
        "children": children,
    }


@given(data=st.data())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_item_stands_in_exactly_one_list_with_a_reason(shipped, data):
    result = evaluate(parse_case_profile(data.draw(profiles(shipped)), shipped), shipped)
    everything = sorted(i.code for i in shipped.items)
    for child in result.children:
        listed = codes(child.suggestions) + codes(child.excluded)
        assert sorted(listed) == everything
        for entry in [*child.suggestions, *child.excluded]:
            assert entry.reasons and all(r.strip() for r in entry.reasons)


# ---------------------------------------------------------------- every reason, checked


def _and(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _or(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def why_not(spec, vocabulary, age, problems, crisis, placement):
    """An independent reading of the content: why ``spec`` does not fit, [] if it does."""

    def in_sentence(text):  # first letter lowered, acronyms and JeugdzorgPlus kept
        return text if text[1:2].isupper() else text[:1].lower() + text[1:]

    label = {p.code: in_sentence(p.label) for p in vocabulary.problem_areas}
    situation = {p.code: in_sentence(p.label) for p in vocabulary.placements}
    implies = {p.code: p.implies for p in vocabulary.placements}
    situations, todo = {placement}, [placement]
    while todo:
        for more in implies[todo.pop()]:
            if more not in situations:
                situations.add(more)
                todo.append(more)
    criteria, lo, hi = spec.criteria, spec.age.min, spec.age.upper
    reasons = []
    if (lo is not None and age < lo) or (hi is not None and age > hi):
        reasons.append(f"leeftijd {age} valt buiten {age_range_text(lo, hi)}")
    if criteria.crisis is CrisisRule.REQUIRED and not crisis:
        reasons.append("alleen bij een acute crisis, en die is er niet")
    if criteria.crisis is CrisisRule.EXCLUDED and crisis:
        reasons.append("niet bedoeld bij een acute crisis")
    if not situations & set(criteria.placements):
        reasons.append("alleen bedoeld bij: " + _or([situation[c] for c in criteria.placements]))
    missing = [c for c in label if c in criteria.problems_all and c not in problems]
    if missing:
        reasons.append("ontbreekt: " + _and([label[c] for c in missing]))
    if criteria.problems_any and not problems & set(criteria.problems_any):
        reasons.append("geen " + _or([label[c] for c in criteria.problems_any]))
    present = [label[c] for c in criteria.problems_none if c in problems]
    if present:
        reasons.append("niet bedoeld bij " + _and(present))
    return reasons


@pytest.fixture(scope="module")
def large(shipped_bundle):
    """1,500 made-up items: many more criteria (and shared criteria) than the shipped 28."""
    bundle = synthetic_bundle(shipped_bundle, 1500)
    return bundle, compile_catalogue(bundle, "synthetic-1500")


def check_every_reason(bundle, catalogue, raw):
    profile = parse_case_profile(raw, catalogue)
    result = evaluate(profile, catalogue)
    specs = {spec.code: spec for spec in bundle.interventions.interventions}
    for child, raw_child in zip(result.children, raw["children"], strict=True):
        problems = set(raw["family_problems"]) | set(raw_child["problems"])
        expected = {
            code: why_not(
                spec, bundle.vocabulary, child.age, problems, raw["crisis"], raw["placement"]
            )
            for code, spec in specs.items()
        }
        assert {s.code for s in child.suggestions} == {c for c, r in expected.items() if not r}
        for exclusion in child.excluded:
            assert list(exclusion.reasons) == expected[exclusion.code], exclusion.code
        dicts = result.as_dict()["children"][result.children.index(child)]["excluded"]
        assert dicts == [
            {"code": e.code, "name": e.name, "reasons": list(e.reasons)} for e in child.excluded
        ]


@given(data=st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_reason_says_exactly_which_criteria_fail(shipped, shipped_bundle, data):
    check_every_reason(shipped_bundle, shipped, data.draw(profiles(shipped)))


@given(data=st.data())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_reason_is_right_in_a_large_catalogue(large, data):
    bundle, catalogue = large
    check_every_reason(bundle, catalogue, data.draw(profiles(catalogue)))


@pytest.fixture(scope="module")
def with_contra_indications(shipped_bundle):
    """The shipped items, every third with a contra-indication ("niet bij ...") on one or
    two problem areas it does not already need: the shipped content has none yet."""
    codes = [p.code for p in shipped_bundle.vocabulary.problem_areas]
    items = []
    for n, item in enumerate(shipped_bundle.interventions.interventions):
        needed = set(item.criteria.problems_all) | set(item.criteria.problems_any)
        free = [c for c in codes if c not in needed]
        none = free[n % len(free) :][: 1 + n % 2] if n % 3 == 0 else []
        items.append(
            item.model_copy(
                update={"criteria": item.criteria.model_copy(update={"problems_none": none})}
            )
        )
    bundle = shipped_bundle.model_copy(
        update={
            "interventions": shipped_bundle.interventions.model_copy(
                update={"interventions": items}
            )
        }
    )
    assert sum(bool(i.criteria.problems_none) for i in items) >= 5
    return bundle, compile_catalogue(bundle, "contra")


@given(data=st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_contra_indication_reason_is_right(with_contra_indications, data):
    bundle, catalogue = with_contra_indications
    check_every_reason(bundle, catalogue, data.draw(profiles(catalogue)))


def test_a_contra_indication_excludes_and_says_so(with_contra_indications):
    bundle, catalogue = with_contra_indications
    spec = next(i for i in bundle.interventions.interventions if i.criteria.problems_none)
    label = {p.code: p.label for p in bundle.vocabulary.problem_areas}
    contra = spec.criteria.problems_none[0]
    raw = {
        "reference_date": REFERENCE,
        "crisis": False,
        "placement": "thuis",
        "family_problems": [],
        "children": [{"age": 12, "problems": [contra]}],
    }
    child = evaluate(parse_case_profile(raw, catalogue), catalogue).children[0]
    excluded = {e.code: e for e in child.excluded}
    assert spec.code in excluded
    reason = next(r for r in excluded[spec.code].reasons if r.startswith("niet bedoeld bij "))
    assert label[contra].lower()[:12] in reason.lower()


def test_a_one_item_catalogue_works(shipped_bundle):
    """Even content cut down to one item (here: never in a crisis) compiles and answers."""
    only = shipped_bundle.interventions.interventions[0].model_copy(
        update={
            "criteria": shipped_bundle.interventions.interventions[0].criteria.model_copy(
                update={"crisis": CrisisRule.EXCLUDED}
            )
        }
    )
    bundle = shipped_bundle.model_copy(
        update={
            "interventions": shipped_bundle.interventions.model_copy(
                update={"interventions": [only]}
            )
        }
    )
    catalogue = compile_catalogue(bundle, "one")
    raw = {
        "reference_date": REFERENCE,
        "crisis": True,
        "placement": "thuis",
        "family_problems": [],
        "children": [{"age": 9, "problems": []}],
    }
    check_every_reason(bundle, catalogue, raw)
    child = evaluate(parse_case_profile(raw, catalogue), catalogue).children[0]
    assert len(child.excluded) == 1
    assert "niet bedoeld bij een acute crisis" in child.excluded[0].reasons


def test_exclusions_read_like_a_list(shipped):
    child = run(shipped, children=[{"age": 15, "problems": ["delinquentie"]}]).children[0]
    listed = list(child.excluded)
    assert len(child.excluded) == len(listed) == len(shipped.items) - len(child.suggestions)
    assert child.excluded[0] == listed[0]
    assert child.excluded[-1] == listed[-1]
    assert child.excluded[1:3] == listed[1:3]
    assert child.excluded == listed
    assert [e.code for e in listed] == [
        i.code for i in shipped.items if i.code not in codes(child.suggestions)
    ]


@given(data=st.data())
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_each_child_is_judged_with_the_family_problems_as_if_alone(shipped, data):
    raw = data.draw(profiles(shipped))
    together = evaluate(parse_case_profile(raw, shipped), shipped)
    for index, child in enumerate(raw["children"]):
        alone = evaluate(parse_case_profile({**raw, "children": [child]}, shipped), shipped)
        assert together.children[index] == alone.children[0]


def test_family_problems_count_for_every_child(shipped):
    result = run(
        shipped,
        placement="thuis",
        family_problems=["opvoedingsproblemen"],
        children=[{"age": 3}, {"age": 9, "problems": ["schooluitval"]}],
    )
    for child in result.children:
        gc = next(s for s in child.suggestions if s.code == "GC")
        assert "heeft opvoedingsproblemen" in gc.reasons


# ---------------------------------------------------------------- situations


def test_jeugdzorgplus_considered_implies_placement_considered(shipped):
    problems = ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"]
    jzp = run(
        shipped, placement="jeugdzorgplus_overwogen", children=[{"age": 15, "problems": problems}]
    )
    plain = run(shipped, children=[{"age": 15, "problems": problems}])
    jzp_codes = codes(jzp.children[0].suggestions)
    assert set(codes(plain.children[0].suggestions)) < set(jzp_codes)
    assert {"RET", "CNT", "KLEINSCHALIG", "GHPLUS"} <= set(jzp_codes)
    mst = next(s for s in jzp.children[0].suggestions if s.code == "MST")
    assert "geldt ook bij 'gesloten plaatsing (JeugdzorgPlus) overwogen'" in " ".join(mst.reasons)
    assert {r.spec.code for r in plain.recommendations} < {r.spec.code for r in jzp.recommendations}


def test_after_leaving_care_to_live_alone_brings_npt(shipped):
    result = run(
        shipped, placement="na_vertrek_zelfstandig", children=[{"age": 18, "problems": ["lvb"]}]
    )
    assert {"NPT", "NPT-LVB"} <= set(codes(result.children[0].suggestions))
    npt = next(s for s in result.children[0].suggestions if s.code == "NPT")
    assert any("verlopen" in w for w in npt.warnings)


def test_recommendations_follow_situation_and_problems(shipped):
    at_home = run(shipped, placement="thuis", children=[{"age": 8}])
    assert "UHP-OMGANGSREGELING" not in {r.spec.code for r in at_home.recommendations}
    placed = run(shipped, placement="uit_huis_geplaatst", children=[{"age": 8}])
    assert "UHP-OMGANGSREGELING" in {r.spec.code for r in placed.recommendations}
    with_debts = run(
        shipped, placement="thuis", family_problems=["schulden"], children=[{"age": 8}]
    )
    assert "VUP-SAMENWERKING-GEZINSPROBLEMEN" in {r.spec.code for r in with_debts.recommendations}
    assert "VUP-SAMENWERKING-GEZINSPROBLEMEN" not in {r.spec.code for r in at_home.recommendations}


# ---------------------------------------------------------------- ranking and warnings


def test_in_a_crisis_crisis_help_comes_first(shipped):
    result = run(
        shipped,
        crisis=True,
        family_problems=["opvoedingsproblemen", "meervoudige_problematiek", "moeilijk_bereikbaar"],
        children=[{"age": 6}],
    )
    ranked = codes(result.children[0].suggestions)
    assert ranked[:2] == ["FF", "ASH"]  # both for a crisis; FF has recognised evidence
    assert ranked.index("IAG") < ranked.index("GC")  # IAG addresses two problems, GC one


def test_more_problems_addressed_ranks_higher_then_evidence(shipped):
    result = run(
        shipped,
        children=[
            {
                "age": 15,
                "problems": ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"],
            }
        ],
    )
    ranked = codes(result.children[0].suggestions)
    assert ranked.index("MST") < ranked.index("RGT")  # two problems against one
    assert ranked[-1] == "FNB"  # addresses none of the problems


def test_recognition_warnings(shipped):
    crisis = run(shipped, crisis=True, children=[{"age": 6}]).children[0]
    by_code = {s.code: s for s in crisis.suggestions}
    assert "erkenning wordt opnieuw beoordeeld" in by_code["FF"].warnings
    assert any("niet erkend" in w for w in by_code["ASH"].warnings)
    assert by_code["FF"].classification.startswith("effectief volgens eerste aanwijzingen")
