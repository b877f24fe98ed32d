"""manage.py suggest: the contract's outside face."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from interventies.models import Interventie
from richtlijnen.content import content_bundle_from_db, content_version

pytestmark = pytest.mark.django_db

MST_CASE = {
    "reference_date": "2026-11-23",
    "crisis": False,
    "placement": "uithuisplaatsing_overwogen",
    "family_problems": [],
    "children": [
        {
            "label": "J1",
            "age": 14,
            "problems": ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"],
        }
    ],
}


def suggest(tmp_path, case, *args, as_text=None):
    path = tmp_path / "casus.yaml"
    path.write_text(as_text if as_text is not None else yaml.safe_dump(case), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("suggest", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected(tmp_path, case=None, as_text=None, path=None):
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        if path is not None:
            call_command("suggest", path, stdout=StringIO(), stderr=err)
        else:
            suggest_path = tmp_path / "casus.yaml"
            suggest_path.write_text(
                as_text if as_text is not None else yaml.safe_dump(case), encoding="utf-8"
            )
            call_command("suggest", str(suggest_path), stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 2
    return err.getvalue().splitlines()


def test_json_output_follows_the_contract(tmp_path):
    out, err = suggest(tmp_path, MST_CASE)
    assert err == ""
    answer = json.loads(out)
    assert answer["content_version"] == content_version(content_bundle_from_db())
    [child] = answer["children"]
    assert (child["label"], child["age"]) == ("J1", 14)
    first = child["suggestions"][0]
    assert first["code"] == "MST" and first["name"] == "Multi Systeem Therapie"
    assert first["classification"] == "effectief volgens goede aanwijzingen"
    assert "leeftijd 14 valt binnen 10 t/m 18 jaar" in first["reasons"]
    assert isinstance(first["warnings"], list)
    mdft = next(e for e in child["excluded"] if e["code"] == "MDFT")
    assert mdft["reasons"] == ["geen crimineel gedrag of problematisch middelengebruik"]
    every = {s["code"] for s in child["suggestions"]} | {e["code"] for e in child["excluded"]}
    assert every == set(Interventie.objects.values_list("code", flat=True))
    rec = answer["recommendations"][0]
    assert {"id", "guideline", "text"} <= set(rec)
    assert "UHP-HULPVERLENINGSPLAN" in {r["id"] for r in answer["recommendations"]}


def test_json_input_and_standard_input(tmp_path, monkeypatch):
    out, _err = suggest(tmp_path, None, as_text=json.dumps(MST_CASE))
    from_file = json.loads(out)
    monkeypatch.setattr("sys.stdin", StringIO(json.dumps(MST_CASE)))
    stdout = StringIO()
    call_command("suggest", "-", stdout=stdout)
    assert json.loads(stdout.getvalue()) == from_file


def test_text_format_is_a_dutch_summary(tmp_path):
    out, _err = suggest(tmp_path, MST_CASE, "--format", "text")
    assert "J1 (14 jaar)" in out
    assert "1. Multi Systeem Therapie (MST) — effectief volgens goede aanwijzingen" in out
    assert "Waarom: leeftijd 14 valt binnen 10 t/m 18 jaar" in out
    assert "Past niet:" in out and "Multidimensionele Familietherapie (MDFT): geen crimineel" in out
    assert "Volgorde:" in out
    assert "Inhoudsversie:" in out
    # Every suggestion, exclusion and recommendation points to its page.
    assert "Meer: /interventies/MST/" in out
    assert "(/interventies/MDFT/)" in out
    assert "Meer: /richtlijnen/#aanbeveling-" in out
    assert "{" not in out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"children": [{"birth_date": "2030-01-01"}]},
            "children[0].birth_date: ligt in de toekomst",
        ),
        (
            {"children": [{"age": 3, "problems": ["foo"]}]},
            "children[0].problems: onbekende code 'foo'",
        ),
        (
            {"children": [{"age": 3}, {"age": 4, "problems": ["schulden"]}]},
            "children[1].problems: 'schulden' is een probleem van het gezin",
        ),
        ({"family_problems": ["lvb"]}, "family_problems: 'lvb' is een probleem van de jeugdige"),
        ({"placement": "nergens"}, "placement: onbekende code 'nergens'"),
        ({"placement": None}, "placement: moet tekst zijn"),
        ({"crisis": "misschien"}, "crisis: moet true of false zijn"),
        ({"children": []}, "children: moet minstens 1 element(en) hebben"),
        ({"children": [{"label": "x"}]}, "children[0]: geef birth_date of age"),
        (
            {"children": [{"age": 3, "birth_date": "2020-01-01"}]},
            "children[0]: geef birth_date of age, niet allebei",
        ),
        ({"children": [{"age": -1}]}, "children[0].age: moet minstens 0 zijn"),
        ({"children": [{"age": "tien"}]}, "children[0].age: moet een geheel getal zijn"),
        ({"reference_date": "23-11-2026"}, "reference_date: is geen geldige datum (JJJJ-MM-DD)"),
        ({"kleur": "rood"}, "kleur: onbekend veld"),
    ],
)
def test_each_bad_input_gets_one_clear_message_naming_the_field(tmp_path, change, expected):
    lines = rejected(tmp_path, {**MST_CASE, **change})
    assert any(line.startswith(expected) for line in lines), lines
    assert not any("Traceback" in line for line in lines)


def test_several_problems_give_one_message_each(tmp_path):
    lines = rejected(
        tmp_path, {**MST_CASE, "crisis": "x", "placement": "y", "children": [{"age": 200}]}
    )
    assert len(lines) == 3


def test_unreadable_input_is_rejected_cleanly(tmp_path):
    assert rejected(tmp_path, as_text="placement: [thuis\n")[0].startswith(
        "invoer op regel 2: geen geldige YAML"
    )
    assert rejected(tmp_path, as_text="- een lijst\n")[0].startswith("verwacht een groep velden")
    assert rejected(tmp_path, path=str(tmp_path / "bestaat-niet.yaml"))[0].endswith(
        "bestand niet gevonden"
    )


def test_an_admin_edit_is_invisible_until_a_second_admin_publishes_it(tmp_path, client):
    from richtlijnen.versions import draft_bundle, draft_publish
    from tests.factories import UserFactory
    from tests.test_admin import change_url, post_data

    before = json.loads(suggest(tmp_path, MST_CASE)[0])
    assert "MST" in {s["code"] for s in before["children"][0]["suggestions"]}

    author = UserFactory(content_admin=True)
    client.force_login(author)
    url = change_url("MST")
    assert client.post(url, post_data(client.get(url), age_min="15")).status_code == 302

    draft_only = json.loads(suggest(tmp_path, MST_CASE)[0])
    assert draft_only == before  # the draft is not what professionals get

    draft_publish(
        user=UserFactory(content_admin=True),
        draft_hash=content_version(draft_bundle()),
        release_note="MST vanaf 15 jaar",
    )
    after = json.loads(suggest(tmp_path, MST_CASE)[0])
    mst = next(e for e in after["children"][0]["excluded"] if e["code"] == "MST")
    assert mst["reasons"] == ["leeftijd 14 valt buiten 15 t/m 18 jaar"]
    assert after["content_version"] != before["content_version"]
