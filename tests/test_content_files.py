"""The shipped YAML content: valid, complete, and faithful to the source texts."""

import re

import pytest

from richtlijnen.schema import normalise_space
from tests.conftest import SHARED

CONTRACT_CODES = [
    "MST",
    "MST-CAN",
    "MDFT",
    "FF",
    "IAG",
    "ASH",
    "FAST",
    "RGT",
    "GC",
    "S2C",
    "THUISBEST",
    "KINGS",
    "JIM",
    "FNB",
    "PCIT",
    "IY",
    "VIB",
    "PMTO",
    "TRIPLEP",
    "ROLDIF",
    "NPT",
    "NPT-LVB",
]
CONTRACT_PROBLEMS = {
    "jeugdige": [
        "ernstige_gedragsproblemen",
        "problemen_meerdere_leefgebieden",
        "antisociaal_gedrag",
        "recidiverisico_matig_hoog",
        "delinquentie",
        "middelengebruik",
        "psychische_problemen",
        "emotionele_problemen",
        "mishandeling_verwaarlozing",
        "schooluitval",
        "lvb",
    ],
    "gezin": [
        "opvoedingsproblemen",
        "ouder_kind_relatie",
        "meervoudige_problematiek",
        "moeilijk_bereikbaar",
        "huiselijk_geweld",
        "schulden",
        "huisvesting",
        "relatieproblemen_ouders",
        "verslaving_ouder",
        "psychische_problemen_ouder",
        "lvb_ouder",
        "beperkt_netwerk",
    ],
}
CONTRACT_PLACEMENTS = [
    "thuis",
    "uithuisplaatsing_overwogen",
    "jeugdzorgplus_overwogen",
    "uit_huis_geplaatst",
    "terugplaatsing",
    "na_vertrek_naar_huis",
    "na_vertrek_zelfstandig",
]
# Named in the seeds beyond the contract's fixed codes (seeds/README.md).
OTHER_NAMED = {
    "Steungezin": "STEUNGEZIN",
    "Krachtgezin": "KRACHTGEZIN",
    "Regionaal expertise team": "RET",
    "Coalitie naar Thuis": "CNT",
    "Kleinschalig verblijf": "KLEINSCHALIG",
    "Gezinshuis-Plus": "GHPLUS",
}


@pytest.fixture(scope="module")
def seeds():
    return {
        path.name: normalise_space(path.read_text(encoding="utf-8"))
        for path in (SHARED / "seeds").glob("*.txt")
    }


@pytest.fixture(scope="module")
def section_files(shipped_bundle):
    return {
        (g.code, s.code): s.source_file
        for g in shipped_bundle.guidelines.guidelines
        for s in g.sections
    }


def test_vocabulary_has_every_contract_code_at_its_level(shipped_bundle):
    levels = {p.code: p.level for p in shipped_bundle.vocabulary.problem_areas}
    for level, codes in CONTRACT_PROBLEMS.items():
        for code in codes:
            assert levels.get(code) == level, code
    placements = [p.code for p in shipped_bundle.vocabulary.placements]
    assert set(CONTRACT_PLACEMENTS) <= set(placements)
    jzp = next(
        p for p in shipped_bundle.vocabulary.placements if p.code == "jeugdzorgplus_overwogen"
    )
    assert "uithuisplaatsing_overwogen" in jzp.implies


def test_every_contract_intervention_is_in_the_catalogue_with_a_source(shipped_bundle):
    items = {i.code: i for i in shipped_bundle.interventions.interventions}
    for code in CONTRACT_CODES:
        assert code in items, code
        assert items[code].sources, code
    for name, code in OTHER_NAMED.items():
        assert code in items and name.lower() in items[code].name.lower(), name


def test_every_seed_file_is_a_source(shipped_bundle, section_files, seeds):
    used = set()
    for rec in shipped_bundle.recommendations.recommendations:
        used.add(section_files[(rec.source.guideline, rec.source.section)])
    for item in shipped_bundle.interventions.interventions:
        used |= {section_files[(s.guideline, s.section)] for s in item.sources}
    assert used == set(seeds)


def _assert_verbatim(label, text, files, seeds):
    for fragment in normalise_space(text).split(" … "):
        assert any(fragment in seeds[f] for f in files), f"{label} is not verbatim: {fragment[:80]}"


def test_intervention_quotes_are_verbatim_from_their_sources(shipped_bundle, section_files, seeds):
    for item in shipped_bundle.interventions.interventions:
        files = {section_files[(s.guideline, s.section)] for s in item.sources}
        for field in ("doelgroep", "goal", "research"):
            if getattr(item, field):
                _assert_verbatim(f"{item.code}.{field}", getattr(item, field), files, seeds)
        if item.age.wording:
            _assert_verbatim(f"{item.code}.age.wording", item.age.wording, files, seeds)


ENGLISH_WORDS = re.compile(
    r"\b(Therapy|Child|Abuse|Neglect|Families|First|Parent|Management|Training|Years)\b"
)
CLAIMS = re.compile(r"effectie|onderzo|bewezen|erkend", re.IGNORECASE)


def test_every_item_has_a_plain_dutch_description_for_the_family(shipped_bundle):
    """B1: short sentences, no claims about evidence, and an English name gets explained."""
    for item in shipped_bundle.interventions.interventions:
        text = item.description_b1
        assert text, f"{item.code} has no description for the family"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        assert len(sentences) <= 4, item.code
        assert all(len(s.split()) <= 30 for s in sentences), f"{item.code}: sentence too long"
        assert not CLAIMS.search(text), f"{item.code}: the description makes a claim"
        if ENGLISH_WORDS.search(item.name) and item.code not in {"IY", "TRIPLEP"}:
            assert "betekent" in text, f"{item.code}: the English name is not explained"


def test_recommendation_texts_are_verbatim_from_their_section(shipped_bundle, section_files, seeds):
    for rec in shipped_bundle.recommendations.recommendations:
        file = section_files[(rec.source.guideline, rec.source.section)]
        _assert_verbatim(rec.code, rec.text, {file}, seeds)


@pytest.mark.parametrize(
    ("needle", "placement"),
    [
        ("hulpverleningsplan op waarin", "uit_huis_geplaatst"),
        ("omgangsregeling", "uit_huis_geplaatst"),
        ("sociale netwerk aan te spreken", "uithuisplaatsing_overwogen"),
        ("Roldifferentiatie", "uit_huis_geplaatst"),
        ("na een terugplaatsing ondersteunen", "terugplaatsing"),
        ("prognose van de einddatum", "uit_huis_geplaatst"),
        ("praktische ondersteuning en begeleiding", "na_vertrek_zelfstandig"),
        ("gedeelde verklarende analyse", "jeugdzorgplus_overwogen"),
    ],
)
def test_key_recommendations_exist_for_their_situation(shipped_bundle, needle, placement):
    matching = [
        r
        for r in shipped_bundle.recommendations.recommendations
        if needle in r.text
        and (not r.applies_to.placements or placement in r.applies_to.placements)
    ]
    assert matching, needle


def test_the_four_spearheads_are_principles(shipped_bundle):
    spearheads = [
        r
        for r in shipped_bundle.recommendations.recommendations
        if r.source.guideline == "speerpunten"
    ]
    assert sorted(r.source.section for r in spearheads) == [f"speerpunt_{n}" for n in range(1, 5)]
    assert {r.kind for r in spearheads} == {"principe"}


# ---------------------------------------------------------------- age wording

NUMBER_WORDS = {
    "nul": 0,
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
}


def read_dutch_age(wording: str) -> tuple[int | None, int | None]:
    """An independent reading of Dutch age wording: (lowest, highest whole age included)."""
    text = wording.lower()

    def n(word: str) -> int:
        return int(word) if word.isdigit() else NUMBER_WORDS[word]

    patterns = [
        (r"(\w+) (?:t/m|tot en met) (\w+)", lambda a, b: (n(a), n(b))),
        (r"tussen de (\w+) en (\w+)", lambda a, b: (n(a), n(b))),
        (r"(\w+) tot (\w+)", lambda a, b: (n(a), n(b) - 1)),
        (r"^tot (\w+)", lambda b: (0, n(b) - 1)),
        # "0-18 jaar": ambiguous in Dutch; the content reads it as "tot 18" (see its note).
        (r"(\d+)-(\d+)", lambda a, b: (n(a), n(b) - 1)),
    ]
    for pattern, meaning in patterns:
        match = re.search(pattern, text)
        if match:
            return meaning(*match.groups())
    raise AssertionError(f"unread age wording: {wording}")


def test_structured_ages_mean_what_the_dutch_wording_says(shipped_bundle):
    checked = 0
    for item in shipped_bundle.interventions.interventions:
        if not item.age.wording:
            assert item.age.min is None and item.age.max is None, item.code
            continue
        assert (item.age.min, item.age.upper) == read_dutch_age(item.age.wording), item.code
        assert item.age.wording in item.doelgroep or "0-18" in item.age.wording, item.code
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("10 t/m 18 jaar", (10, 18)),
        ("12 tot en met 18 jaar", (12, 18)),
        ("tot 18 jaar", (0, 17)),
        ("12 tot 18 jaar", (12, 17)),
        ("tussen de zes en zeventien jaar", (6, 17)),
    ],
)
def test_the_age_reader_follows_the_seed_readme(wording, expected):
    assert read_dutch_age(wording) == expected
