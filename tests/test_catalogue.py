"""The catalogue pages: filters, search, pages, detail, guidelines, and links to them."""

import re

import pytest
from django.urls import reverse

from interventies.catalogue import Filters, catalogue_filter, catalogue_view
from interventies.selectors import current_catalogue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/interventies/"


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(professional=True))
    return client


def listed(client, **params) -> list[str]:
    """The codes on every page of the list for these filters."""
    codes, page = [], 1
    while True:
        response = client.get(LIST, {**params, "pagina": page})
        assert response.status_code == 200
        html = response.content.decode()
        codes += re.findall(r'href="/interventies/([A-Z0-9-]+)/"', html)
        if "Volgende pagina" not in html:
            return codes
        page += 1


def test_the_list_shows_every_item_over_its_pages(reader, catalogue):
    first = reader.get(LIST)
    assert first.status_code == 200
    assert "pagina 1 van 2" in first.content.decode()
    assert listed(reader) == [item.code for item in catalogue.items]


@pytest.mark.parametrize(
    ("params", "inside", "outside"),
    [
        # "10 t/m 18 jaar" includes 18; "12 tot 18 jaar" does not; no age given: every age.
        ({"leeftijd": "18"}, {"MST", "FAST", "FF", "NPT"}, {"RGT", "S2C", "MST-CAN", "IAG"}),
        ({"leeftijd": "11"}, {"MST", "MST-CAN", "GC"}, {"MDFT", "FAST"}),
        ({"probleem": "delinquentie"}, {"MDFT"}, {"MST", "FF"}),
        ({"probleem": "schooluitval"}, {"S2C"}, {"MDFT"}),
        ({"situatie": "na_vertrek_zelfstandig"}, {"NPT", "NPT-LVB"}, {"MST", "FF"}),
        # JeugdzorgPlus considered implies a placement considered: MST counts too.
        ({"situatie": "jeugdzorgplus_overwogen"}, {"RET", "MST", "FF"}, {"NPT", "PCIT"}),
        ({"crisis": "alleen"}, {"FF", "ASH"}, {"MST"}),
        ({"crisis": "nee"}, {"MST"}, {"FF", "ASH"}),
        ({"crisis": "ja"}, {"FF", "ASH", "MST"}, set()),
        ({"soort": "verblijfsvorm"}, {"KLEINSCHALIG", "GHPLUS"}, {"MST", "RET"}),
        ({"soort": "informele_steun"}, {"JIM", "STEUNGEZIN"}, {"MST"}),
        ({"erkenning": "goede"}, {"MST", "MDFT"}, {"FF", "RGT"}),
        ({"erkenning": "eerste"}, {"FF", "IAG", "FAST"}, {"MST"}),
        ({"erkenning": "onderbouwd"}, {"RGT", "GC", "S2C"}, {"NPT", "MST"}),
        ({"erkenning": "herbeoordeling"}, {"FF"}, {"MST"}),
        ({"erkenning": "verlopen"}, {"NPT", "NPT-LVB"}, {"RGT"}),
        ({"erkenning": "niet_erkend"}, {"ASH", "THUISBEST", "KINGS"}, {"MST"}),
        ({"erkenning": "niet_in_databank"}, {"JIM", "NPT", "NPT-LVB"}, {"MST", "ASH"}),
        ({"erkenning": "niet_vermeld"}, {"PCIT", "JIM", "FNB"}, {"MST"}),
        ({"q": "mentor"}, {"JIM"}, {"MST"}),
        ({"q": "MULTI systeem"}, {"MST", "MST-CAN"}, {"MDFT"}),
        ({"q": "leeftijdgenoten"}, {"KLEINSCHALIG"}, {"MST"}),
    ],
)
def test_each_filter(reader, params, inside, outside):
    codes = set(listed(reader, **params))
    assert inside <= codes, inside - codes
    assert not outside & codes, outside & codes


def test_filters_combine(reader):
    codes = listed(reader, leeftijd="15", probleem="ernstige_gedragsproblemen", erkenning="goede")
    assert codes == ["MST"]


def test_each_filter_matches_the_engine_on_age_and_situation(catalogue):
    """The age and situation filters say what the engine checks, for every item."""
    view = catalogue_view(catalogue)
    for age in (0, 5, 12, 17, 18, 24, 25):
        shown = {e.code for e in catalogue_filter(view, Filters(age=age))}
        expected = {
            i.code
            for i in catalogue.items
            if (i.age_lo is None or i.age_lo <= age) and (i.age_hi is None or age <= i.age_hi)
        }
        assert shown == expected, age
    for situation, closure in catalogue.vocabulary.placement_closure.items():
        shown = {e.code for e in catalogue_filter(view, Filters(situation=situation))}
        assert shown == {i.code for i in catalogue.items if i.placements & closure}, situation


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"leeftijd": "abc"}, "geheel getal"),
        ({"leeftijd": "-1"}, "0"),
        ({"leeftijd": "31"}, "30"),
        ({"probleem": "bestaat_niet"}, "Selecteer een geldige keuze"),
        ({"erkenning": "<script>"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_filter_values_say_why_and_are_left_out(reader, catalogue, params, message):
    response = reader.get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Niet gefilterd op" in html
    assert "<script>" not in html
    assert listed(reader, **params) == [item.code for item in catalogue.items]


def test_htmx_gets_only_the_results(reader):
    response = reader.get(LIST, {"leeftijd": "18"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="resultaten"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    full = reader.get(LIST, {"leeftijd": "18"}).content.decode()
    assert "<html" in full and 'value="18"' in full


def test_a_bad_page_number_shows_a_page(reader):
    assert reader.get(LIST, {"pagina": "999"}).status_code == 200
    assert reader.get(LIST, {"pagina": "x"}).status_code == 200


def test_detail_shows_everything_the_content_holds(reader, shipped_bundle):
    for spec in shipped_bundle.interventions.interventions:
        response = reader.get(reverse("interventies:detail", args=[spec.code]))
        assert response.status_code == 200, spec.code
        html = response.content.decode()
        for text in (
            spec.name,
            spec.description_b1,
            spec.doelgroep,
            spec.goal,
            spec.duration,
            spec.research,
            spec.note,
            *spec.caveats,
        ):
            if text:
                assert _escaped(text) in html, (spec.code, text[:40])
        if spec.age.wording:
            assert _escaped(spec.age.wording) in html
        assert "Wanneer stelt Richtsnoer dit voor?" in html


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def test_when_it_is_suggested_says_what_the_engine_checks(reader):
    html = reader.get(reverse("interventies:detail", args=["MST"])).content.decode()
    assert "Als de jeugdige 10 t/m 18 jaar oud is" in html
    assert "Met of zonder acute crisis." in html
    assert "ernstige gedragsproblemen en problemen op meerdere leefgebieden" in html
    # JeugdzorgPlus considered implies a placement considered.
    assert "gesloten plaatsing (JeugdzorgPlus) overwogen" in html
    ff = reader.get(reverse("interventies:detail", args=["FF"])).content.decode()
    assert "Alleen als er een acute crisis is." in ff
    assert "de richtlijn noemt geen leeftijdsgrens" in ff
    rgt = reader.get(reverse("interventies:detail", args=["RGT"])).content.decode()
    assert "12 t/m 17 jaar" in rgt and "‘12 tot 18 jaar’" in rgt


def test_unknown_code_is_a_404(reader):
    assert reader.get("/interventies/BESTAATNIET/").status_code == 404
    assert reader.get("/interventies/mst/").status_code == 404


def test_guidelines_page_has_every_recommendation_with_when(reader, shipped_bundle):
    html = reader.get(reverse("richtlijnen")).content.decode()
    for g in shipped_bundle.guidelines.guidelines:
        assert f'id="richtlijn-{g.code}"' in html
    for rec in shipped_bundle.recommendations.recommendations:
        assert f'id="aanbeveling-{rec.code}"' in html
    assert "Geldt bij de situatie" in html
    assert "als de jeugdige of het gezin psychische problemen heeft" in html


def test_navigation_links_to_the_catalogue(reader):
    html = reader.get(reverse("richtlijnen")).content.decode()
    assert 'href="/interventies/"' in html and 'href="/richtlijnen/"' in html


def test_current_catalogue_is_the_source(catalogue):
    assert current_catalogue().bundle is not None


# ---------------------------------------------------------------- the source, quoted and dated


def _words(text: str) -> str:
    """Whitespace as one space (line breaks and no-break spaces differ, the words not)."""
    return " ".join(text.split())


def test_every_item_quotes_its_first_source_verbatim_from_the_seed(shipped_bundle):
    from tests.conftest import SHARED

    files = {
        (g.code, s.code): s.source_file
        for g in shipped_bundle.guidelines.guidelines
        for s in g.sections
    }
    for spec in shipped_bundle.interventions.interventions:
        first = spec.sources[0]
        seed = _words((SHARED / "seeds" / files[first.guideline, first.section]).read_text())
        assert spec.source_quote.strip(), spec.code
        fragments = [f for f in re.split(r"\n…\n", spec.source_quote) if f.strip()]
        for fragment in fragments:
            assert _words(fragment) in seed, (spec.code, fragment[:60])
        assert len(_words(" ".join(fragments))) >= 60, spec.code  # a passage, not a word


def test_the_item_page_quotes_the_source_with_its_seed(reader, shipped_bundle):
    from django.utils.html import escape

    for spec in shipped_bundle.interventions.interventions:
        html = reader.get(reverse("interventies:detail", args=[spec.code])).content.decode()
        quote = re.search(r'<blockquote[^>]*id="citaat">(.*?)</blockquote>', html, re.S)
        assert quote, spec.code
        shown = _words(re.sub(r"<[^>]+>", " ", quote.group(1)))
        for line in spec.source_quote.splitlines():
            assert _words(escape(line)) in shown, (spec.code, line[:40])
        caption = html[quote.end() : html.index("</figcaption>", quote.end())]
        assert re.search(r"brontekst \d{3}_[0-9a-f]{16}\.txt", caption), spec.code


def test_classification_dates_are_unknown_unless_the_content_gives_one(reader, shipped_bundle):
    import datetime as dt

    from interventies.models import Interventie
    from tests.helpers import publish_draft

    # The seeds give no date for any classification: the shipped content invents none.
    assert all(
        s.classification.source_date is None for s in shipped_bundle.interventions.interventions
    )
    html = reader.get(reverse("interventies:detail", args=["MST"])).content.decode()
    assert "datum van de bron onbekend" in html

    Interventie.objects.filter(code="MST").update(classification_date=dt.date(2024, 3, 15))
    publish_draft()
    html = reader.get(reverse("interventies:detail", args=["MST"])).content.decode()
    assert "15 mrt. 2024" in html and "datum van de bron onbekend" not in html
    other = reader.get(reverse("interventies:detail", args=["MDFT"])).content.decode()
    assert "datum van de bron onbekend" in other


def test_item_url_is_the_catalogue_page_of_every_item(catalogue):
    """The memoised link of the live panel is exactly Django's own URL for the item page."""
    from django.urls import get_script_prefix, reverse

    from interventies.templatetags.catalogue import _item_url

    codes = [item.code for item in catalogue.items]
    assert codes
    for code in codes:
        assert _item_url(code, get_script_prefix()) == reverse("interventies:detail", args=[code])
