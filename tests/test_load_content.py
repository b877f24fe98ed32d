"""load_content and dump_content: all or nothing, idempotent, and a faithful round trip."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interventies.models import Interventie
from richtlijnen.content import (
    CONTENT_MODELS,
    content_bundle_from_db,
    content_load,
    content_stamp,
    content_version,
)
from richtlijnen.models import Recommendation
from richtlijnen.schema import FILES
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

INTERVENTIONS = FILES["interventions"][0]
VOCABULARY = FILES["vocabulary"][0]


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    for relative, _model in FILES.values():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, target)
    return tmp_path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [
        n for n, line in enumerate(lines, start=1) if needle.rstrip("\n") == line or needle in line
    ]
    assert len(found) >= occurrence, needle
    return found[occurrence - 1]


def snapshot() -> tuple:
    return (content_version(content_bundle_from_db()), content_stamp())


def run_load(source_dir: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_content", source_dir=source_dir, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_shipped_item_is_in_the_database_with_its_source(shipped_bundle):
    for spec in shipped_bundle.interventions.interventions:
        item = Interventie.objects.get(code=spec.code)
        assert item.name == spec.name
        assert item.sources.count() == len(spec.sources) >= 1
        assert {s.guideline.code for s in item.sources.all()} == {s.guideline for s in spec.sources}
    assert Recommendation.objects.count() == len(shipped_bundle.recommendations.recommendations)
    for rec in Recommendation.objects.select_related("section"):
        assert rec.section.source_file.endswith(".txt")


def test_database_content_equals_the_shipped_files(shipped_bundle):
    assert content_bundle_from_db() == shipped_bundle
    assert content_version(content_bundle_from_db()) == content_version(shipped_bundle)


def test_second_load_changes_nothing(shipped_bundle):
    before = snapshot()
    history = Interventie.history.count()
    report = content_load(bundle=shipped_bundle)
    assert not report.changed
    assert snapshot() == before
    assert Interventie.history.count() == history


def test_a_first_load_reports_everything_as_new(shipped_bundle):
    from richtlijnen.models import Guideline, PlacementSituation, ProblemArea

    Interventie.objects.all().delete()
    Recommendation.objects.all().delete()
    for model in (PlacementSituation, ProblemArea, Guideline):
        model.objects.all().delete()
    report = content_load(bundle=shipped_bundle)
    assert report.updated == [] and report.deleted == []
    assert len(report.created) == sum(
        [
            len(shipped_bundle.vocabulary.problem_areas),
            len(shipped_bundle.vocabulary.placements),
            len(shipped_bundle.guidelines.guidelines),
            sum(len(g.sections) for g in shipped_bundle.guidelines.guidelines),
            len(shipped_bundle.recommendations.recommendations),
            len(shipped_bundle.interventions.interventions),
        ]
    )


def test_command_reports_when_nothing_changed():
    out, _err = run_load(ROOT)
    assert "niets gewijzigd" in out
    assert "Inhoudsversie:" in out


def test_load_then_dump_reproduces_the_shipped_files(tmp_path):
    call_command("dump_content", output=tmp_path, stdout=StringIO())
    for relative, _model in FILES.values():
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), relative


def test_a_changed_file_updates_adds_and_deletes(content_dir):
    path = content_dir / INTERVENTIONS
    replace_in(path, "name: Multi Systeem Therapie\n", "name: Multisysteem Therapie\n")
    text = path.read_text(encoding="utf-8")
    start = text.index("  - code: GHPLUS")
    path.write_text(text[:start], encoding="utf-8")  # GHPLUS was last: drop it

    out, _err = run_load(content_dir)
    assert "1 gewijzigd, 1 verwijderd" in out
    assert Interventie.objects.get(code="MST").name == "Multisysteem Therapie"
    assert not Interventie.objects.filter(code="GHPLUS").exists()
    # The history says what changed.
    assert Interventie.history.filter(code="MST", history_type="~").exists()


BAD_CONTENT = [
    pytest.param(
        INTERVENTIONS,
        ("    kind: interventie\n", "    kind: interventie\n    kleur: rood\n"),
        "kleur",
        "interventions[0] (MST).kleur: onbekend veld",
        id="unknown-field",
    ),
    pytest.param(
        INTERVENTIONS,
        (
            "      placements: [uithuisplaatsing_overwogen, uit_huis",
            "      placements: [ergens, uit_huis",
        ),
        "placements: [ergens",
        "interventions[0] (MST).criteria.placements[0]: onbekende situatie 'ergens'",
        id="unknown-code",
    ),
    pytest.param(
        INTERVENTIONS,
        ("      min: 10\n", "      min: 19\n"),
        "    age:",
        "interventions[0] (MST).age: leeftijd: ondergrens 19 ligt boven de bovengrens",
        id="min-above-max",
    ),
    pytest.param(
        INTERVENTIONS,
        ("  - code: MST-CAN\n", "  - code: MST\n"),
        ("  - code: MST\n", 2),  # the message names the second item with that code
        "interventie 'MST' staat dubbel",
        id="duplicate-code",
    ),
    pytest.param(
        INTERVENTIONS,
        ("    kind: interventie\n", "    kind: [interventie\n"),
        None,
        "ongeldige YAML",
        id="malformed-yaml",
    ),
    pytest.param(
        INTERVENTIONS,
        ("    kind: interventie\n", "    kind: interventie\n    kind: verblijfsvorm\n"),
        "kind: verblijfsvorm",
        "sleutel 'kind' staat twee keer",
        id="duplicate-key",
    ),
    pytest.param(
        VOCABULARY,
        ("  - code: lvb\n    level: jeugdige\n", "  - code: lvb\n    level: buurt\n"),
        "level: buurt",
        "problem_areas[10] (lvb).level: moet een van deze zijn",
        id="bad-enum",
    ),
]


@pytest.mark.parametrize(("relative", "edit", "line_needle", "message"), BAD_CONTENT)
def test_invalid_content_is_rejected_with_file_and_line_and_nothing_written(
    content_dir, relative, edit, line_needle, message
):
    path = content_dir / relative
    # Another, valid change in the same load must not be written either.
    replace_in(content_dir / INTERVENTIONS, "name: Gezin Centraal", "name: Gezin Centraal NIEUW")
    replace_in(path, *edit)
    before = snapshot()

    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_content", source_dir=content_dir, stdout=StringIO(), stderr=err)

    assert caught.value.returncode == 2
    assert "niet gewijzigd" in str(caught.value)
    output = err.getvalue()
    assert message in output
    assert relative in output
    if line_needle:
        needle, occurrence = line_needle if isinstance(line_needle, tuple) else (line_needle, 1)
        assert f"{relative}:{line_of(path, needle, occurrence)}:" in output
    else:
        assert f"{relative}:" in output
    assert snapshot() == before
    assert not Interventie.objects.filter(name__endswith="NIEUW").exists()


def test_content_stamp_changes_on_every_kind_of_change():
    stamps = {content_stamp()}
    item = Interventie.objects.get(code="MST")
    item.age_min = 11
    item.save()
    stamps.add(content_stamp())
    Interventie.objects.get(code="GHPLUS").delete()
    stamps.add(content_stamp())
    Recommendation.objects.first().delete()
    stamps.add(content_stamp())
    assert len(stamps) == 4
    assert {m._meta.db_table for m in CONTENT_MODELS} == {table for table, *_ in content_stamp()}


def test_same_content_same_version_and_a_change_gives_another(shipped_bundle):
    assert content_version(shipped_bundle) == content_version(content_bundle_from_db())
    Interventie.objects.filter(code="MST").update(age_min=11)
    assert content_version(content_bundle_from_db()) != content_version(shipped_bundle)
