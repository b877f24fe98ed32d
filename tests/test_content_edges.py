"""Rules at the edges: each checked against the seed's own words, with a worked case.

Every test first finds the words it rests on in the seed (shared/seeds), so a change of
the source text shows here; then it runs the engine on a case built from those words.
"""

import re
from datetime import date

import pytest

from interventies.engine import compile_catalogue, evaluate
from interventies.profile import parse_case_profile
from richtlijnen.content import content_version
from richtlijnen.schema import normalise_space
from tests.conftest import SHARED

REFERENCE = date(2026, 11, 23)


@pytest.fixture(scope="module")
def shipped(shipped_bundle):
    return compile_catalogue(shipped_bundle, content_version(shipped_bundle))


@pytest.fixture(scope="module")
def seed():
    texts = {
        path.name[:3]: normalise_space(path.read_text(encoding="utf-8"))
        for path in (SHARED / "seeds").glob("*.txt")
    }
    return lambda number: texts[number]


def run(catalogue, **case):
    case.setdefault("reference_date", REFERENCE)
    case.setdefault("family_problems", [])
    return evaluate(parse_case_profile(case, catalogue), catalogue)


def suggested(result, index=0) -> list[str]:
    return [s.code for s in result.children[index].suggestions]


def recommended(result) -> set[str]:
    return {r.spec.code for r in result.recommendations}


def spec(bundle, code):
    return next(i for i in bundle.interventions.interventions if i.code == code)


def test_omgangsregeling_is_set_when_a_placement_is_decided(shipped, seed):
    assert "Stel bij de beslissing tot een uithuisplaatsing direct een omgangsregeling vast" in (
        seed("003")
    )
    for placement in (
        "uithuisplaatsing_overwogen",
        "jeugdzorgplus_overwogen",
        "uit_huis_geplaatst",
    ):
        result = run(shipped, placement=placement, children=[{"age": 8}])
        assert "UHP-OMGANGSREGELING" in recommended(result), placement
        assert "UHP-HULPVERLENINGSPLAN" in recommended(result), placement
    assert "UHP-OMGANGSREGELING" not in recommended(
        run(shipped, placement="thuis", children=[{"age": 8}])
    )


def test_gezin_centraal_counts_the_childs_growing_up_problems(shipped, seed):
    assert "ernstige tot zeer ernstige opvoed- en opgroeiproblemen" in seed("004")
    # Growing-up problems of the child, no parenting problems in the family: GC fits.
    child = run(
        shipped, placement="thuis", children=[{"age": 9, "problems": ["emotionele_problemen"]}]
    )
    gc = next(s for s in child.children[0].suggestions if s.code == "GC")
    assert "heeft emotionele problemen" in gc.reasons
    # Parenting problems alone still count, as before.
    family = run(
        shipped, placement="thuis", family_problems=["opvoedingsproblemen"], children=[{"age": 3}]
    )
    assert "GC" in suggested(family)
    # Neither: not suggested, and the reason names all three.
    none = run(shipped, placement="thuis", children=[{"age": 9}])
    gc_out = next(e for e in none.children[0].excluded if e.code == "GC")
    assert gc_out.reasons == (
        "geen ernstige gedragsproblemen, emotionele problemen of opvoedingsproblemen",
    )


def test_mst_can_has_the_situations_of_mst(shipped, shipped_bundle, seed):
    assert "Een variant van MST is MST-CAN" in seed("004")
    assert spec(shipped_bundle, "MST-CAN").criteria.placements == (
        spec(shipped_bundle, "MST").criteria.placements
    )
    # Worked case: a maltreated 12-year-old, already placed out of home.
    result = run(
        shipped,
        placement="uit_huis_geplaatst",
        children=[{"age": 12, "problems": ["mishandeling_verwaarlozing"]}],
    )
    assert "MST-CAN" in suggested(result)


def test_relationele_gezinstherapie_is_family_help_after_leaving_care_like_mst_and_mdft(
    shipped, shipped_bundle, seed
):
    text = seed("000")
    start = text.index("systeeminterventies geschikt als gezinsgerichte hulp na vertrek")
    passage = text[start : start + 300]
    for name in ("Relationele gezinstherapie", "Multisysteem Therapie", "Multidimensionele"):
        assert name in passage
    for situation in ("terugplaatsing", "na_vertrek_naar_huis"):
        for code in ("RGT", "MST", "MDFT"):
            assert situation in spec(shipped_bundle, code).criteria.placements, (code, situation)
    result = run(
        shipped,
        placement="terugplaatsing",
        children=[{"age": 15, "problems": ["ernstige_gedragsproblemen"]}],
    )
    assert "RGT" in suggested(result)


def test_fast_also_when_a_placement_threatens_again(shipped, seed):
    assert "(opnieuw) dreigende uithuisplaatsing te voorkomen" in seed("004")
    problems = ["antisociaal_gedrag", "recidiverisico_matig_hoog"]
    for placement in ("terugplaatsing", "na_vertrek_naar_huis", "na_terugplaatsing"):
        result = run(shipped, placement=placement, children=[{"age": 15, "problems": problems}])
        assert "FAST" in suggested(result), placement


def test_thuisbest_only_where_a_closed_placement_is_considered(shipped, seed):
    assert "een kortdurende plaatsing binnen de JeugdzorgPlus (6-8 weken)" in seed("004")
    problems = ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"]
    open_ = run(
        shipped,
        placement="uithuisplaatsing_overwogen",
        children=[{"age": 15, "problems": problems}],
    )
    thuisbest = next(e for e in open_.children[0].excluded if e.code == "THUISBEST")
    assert thuisbest.reasons == (
        "alleen bedoeld bij: gesloten plaatsing (JeugdzorgPlus) overwogen",
    )
    closed = run(
        shipped, placement="jeugdzorgplus_overwogen", children=[{"age": 15, "problems": problems}]
    )
    assert "THUISBEST" in suggested(closed)
    assert suggested(closed).index("MST") < suggested(closed).index("THUISBEST")


def test_samenwerking_examples_are_not_a_closed_list(shipped, seed):
    assert "(zoals schulden, huisvestingsproblemen, relatieproblemen tussen de ouders" in seed(
        "004"
    )
    for problem in ("huiselijk_geweld", "lvb_ouder", "schulden"):
        result = run(shipped, placement="thuis", family_problems=[problem], children=[{"age": 8}])
        assert "VUP-SAMENWERKING-GEZINSPROBLEMEN" in recommended(result), problem


def test_referrals_are_there_when_nothing_fits(shipped, seed):
    assert "verwijzen we naar de daarvoor geldende richtlijnen voor jeugdhulp en jeugd-GGZ" in (
        seed("004")
    )
    assert "verwijzen we naar de richtlijn Problematische Gehechtheid" in seed("004")
    # A 5-year-old with emotional problems at home: no catalogue item fits ...
    lonely = run(
        shipped, placement="thuis", children=[{"age": 5, "problems": ["emotionele_problemen"]}]
    )
    assert "VUP-VERWIJZING-JEUGDHULP-GGZ" in recommended(lonely)
    attachment = run(
        shipped,
        placement="thuis",
        family_problems=["ouder_kind_relatie"],
        children=[{"age": 2}],
    )
    assert "VUP-VERWIJZING-GEHECHTHEID" in recommended(attachment)


def test_after_a_return_home_from_foster_care_has_its_own_situation(shipped, seed):
    assert "Blijf ouders en jeugdige na een terugplaatsing ondersteunen" in seed("003")
    result = run(shipped, placement="na_terugplaatsing", children=[{"age": 10}])
    assert "UHP-NA-TERUGPLAATSING" in recommended(result)
    assert "UHP-OMGANGSREGELING" not in recommended(result)


def test_mdft_up_to_24_also_when_living_independently(shipped, seed):
    assert "jongeren van 12 t/m 24 jaar die crimineel gedrag vertonen" in seed("004")
    result = run(
        shipped,
        placement="na_vertrek_zelfstandig",
        children=[{"age": 22, "problems": ["middelengebruik"]}],
    )
    assert "MDFT" in suggested(result)
    assert "MDFT" not in suggested(
        run(
            shipped,
            placement="na_vertrek_zelfstandig",
            children=[{"age": 25, "problems": ["middelengebruik"]}],
        )
    )


# ---------------------------------------------------------------- caveats from the content


def test_every_quote_in_a_caveat_is_verbatim_from_a_seed(shipped_bundle, seed):
    everything = " ".join(seed(n) for n in ("000", "001", "002", "003", "004"))
    quoted = 0
    for item in shipped_bundle.interventions.interventions:
        for caveat in item.caveats:
            for quote in re.findall(r"'([^']+)'", caveat):
                assert normalise_space(quote) in everything, (item.code, quote)
                quoted += 1
    assert quoted >= 5


def test_sources_that_disagree_reach_the_suggestion(shipped, seed):
    assert "Multisysteem Therapie (MST) (effectief volgens eerste aanwijzingen)" in seed("000")
    result = run(
        shipped,
        placement="uithuisplaatsing_overwogen",
        children=[
            {
                "age": 15,
                "problems": ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"],
            }
        ],
    )
    mst = next(s for s in result.children[0].suggestions if s.code == "MST")
    caveat = next(w for w in mst.warnings if w.startswith("bronnen verschillen"))
    assert "'effectief volgens goede aanwijzingen'" in caveat
    assert "'effectief volgens eerste aanwijzingen'" in caveat


def test_jim_not_in_the_databank_is_a_fact_not_a_task(shipped, seed):
    assert "JIM is niet opgenomen in de Databank Effectieve Jeugdinterventies" in seed("004")
    result = run(
        shipped,
        placement="thuis",
        children=[{"age": 15, "problems": ["problemen_meerdere_leefgebieden"]}],
    )
    jim = next(s for s in result.children[0].suggestions if s.code == "JIM")
    assert any("niet opgenomen in de Databank" in w for w in jim.warnings)
    assert not any("controleer de Databank" in w for w in jim.warnings)


def test_weak_evidence_and_ambiguous_ages_are_warned(shipped, seed):
    assert "van magere kwaliteit zijn" in seed("004")
    placed = run(
        shipped, placement="uithuisplaatsing_overwogen", crisis=True, children=[{"age": 17}]
    )
    by_code = {s.code: s for s in placed.children[0].suggestions}
    assert any("magere kwaliteit" in w for w in by_code["FNB"].warnings)
    assert "kinderen (0-18 jaar)" in seed("004")
    assert any("'0-18 jaar'" in w for w in by_code["ASH"].warnings)
