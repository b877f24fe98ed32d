"""Published versions are the one source of truth; the draft, four eyes, files, rollback."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interventies.models import Interventie
from interventies.selectors import current_catalogue
from richtlijnen.content import content_read_files, content_version
from richtlijnen.models import ContentReview, ContentVersion
from richtlijnen.schema import FILES
from richtlijnen.versions import (
    PublishRefused,
    bundle_diff,
    bundle_json,
    draft_authors,
    draft_bundle,
    draft_publish,
    draft_restore,
    draft_send_back,
    version_bundle,
    version_in_use,
)
from tests.conftest import ROOT
from tests.factories import UserFactory
from tests.helpers import publish_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    for relative, _model in FILES.values():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, target)
    return tmp_path


def load(source_dir: Path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_content", *args, source_dir=source_dir, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_load(source_dir: Path, *args) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_content", *args, source_dir=source_dir, stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 2
    return err.getvalue() + str(caught.value)


def edit_draft(code="MST", **fields) -> Interventie:
    item = Interventie.objects.get(code=code)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


def draft_hash() -> str:
    return content_version(draft_bundle())


def test_the_shipped_content_is_version_one_in_use(shipped_bundle):
    version = version_in_use()
    assert version.number == 1
    assert version.content_hash == content_version(shipped_bundle) == current_catalogue().version
    assert ContentVersion.objects.filter(in_use=True).count() == 1


def test_a_versions_hash_is_stable(shipped_bundle):
    version = version_in_use()
    assert content_version(version_bundle(version)) == version.content_hash
    shuffled = json.loads(json.dumps(version.bundle, sort_keys=True))  # other key order
    assert content_version(type(shipped_bundle).model_validate(shuffled)) == version.content_hash
    assert content_version(content_read_files(ROOT)) == version.content_hash


def test_a_draft_edit_is_invisible_until_published():
    before = current_catalogue()
    edit_draft(age_min=11)
    assert current_catalogue() is before
    assert next(i for i in current_catalogue().items if i.code == "MST") is not None
    version = publish_draft()
    assert version.number == 2 and version.in_use
    assert current_catalogue().version == version.content_hash != before.version
    assert ContentVersion.objects.get(number=1).in_use is False


def test_the_author_of_a_change_cannot_publish_it(client):
    from tests.test_admin import change_url, post_data

    author, reviewer = UserFactory(content_admin=True), UserFactory(content_admin=True)
    client.force_login(author)
    url = change_url("MST")
    assert client.post(url, post_data(client.get(url), age_min="11")).status_code == 302
    assert draft_authors() == {author.pk}

    with pytest.raises(PublishRefused, match="vier ogen"):
        draft_publish(user=author, draft_hash=draft_hash(), release_note="MST vanaf 11")
    with pytest.raises(PublishRefused, match="vier ogen"):
        draft_send_back(user=author, draft_hash=draft_hash(), remark="zelf goed")
    with pytest.raises(PublishRefused, match="toelichting"):
        draft_publish(user=reviewer, draft_hash=draft_hash(), release_note="  ")
    with pytest.raises(PublishRefused, match="intussen gewijzigd"):
        draft_publish(user=reviewer, draft_hash="0" * 16, release_note="MST vanaf 11")
    assert version_in_use().number == 1

    sent_back = draft_send_back(user=reviewer, draft_hash=draft_hash(), remark="Bron erbij?")
    assert sent_back.decision == ContentReview.Decision.SENT_BACK
    version = draft_publish(user=reviewer, draft_hash=draft_hash(), release_note="MST vanaf 11")
    assert (version.number, version.published_by, version.release_note) == (
        2,
        reviewer,
        "MST vanaf 11",
    )
    assert version.review.decision == ContentReview.Decision.PUBLISHED
    assert draft_authors() == set()  # a fresh draft has no authors yet


def test_the_diff_names_every_item_and_field():
    old = version_in_use().bundle
    edit_draft(age_min=11, name="Multisysteemtherapie")
    Interventie.objects.get(code="GHPLUS").delete()
    changes = {(c.what, c.code, c.change): c for c in bundle_diff(old, bundle_json(draft_bundle()))}
    mst = changes[("interventie", "MST", "gewijzigd")]
    assert {str(f) for f in mst.fields} == {
        "leeftijd vanaf: 10 → 11",
        "naam: Multi Systeem Therapie → Multisysteemtherapie",
    }
    assert ("interventie", "GHPLUS", "verwijderd") in changes
    assert len(changes) == 2


def test_load_after_an_admin_edit_exits_2_and_writes_nothing(content_dir):
    edit_draft(age_min=11)
    before = (draft_hash(), list(ContentVersion.objects.values_list("pk", flat=True)))
    message = refused_load(content_dir)
    assert "interventie MST: gewijzigd" in message
    assert "leeftijd vanaf: 10 → 11" in message
    assert "--discard-draft" in message and "dump_content" in message
    assert (draft_hash(), list(ContentVersion.objects.values_list("pk", flat=True))) == before
    # Also when the edit was published but never exported.
    publish_draft()
    assert "versie 2 (in gebruik)" in refused_load(content_dir, "--publish")
    assert Interventie.objects.get(code="MST").age_min == 11

    load(content_dir, "--discard-draft")
    assert Interventie.objects.get(code="MST").age_min == 10
    assert version_in_use().number == 2  # without --publish the version in use stays


def test_dump_then_load_round_trips(tmp_path):
    edit_draft(age_min=11)
    call_command("dump_content", "--draft", output=tmp_path, stdout=StringIO())
    out, _err = load(tmp_path)
    assert "niets gewijzigd" in out
    out, _err = load(tmp_path, "--publish")
    assert "Gepubliceerd als versie 2" in out
    assert version_in_use().source == ContentVersion.Source.FILES
    assert version_in_use().published_by_name
    assert "age_min" not in out and Interventie.objects.get(code="MST").age_min == 11

    written = tmp_path / "v1"
    call_command("dump_content", "--version", "1", output=written, stdout=StringIO())
    for relative, _model in FILES.values():
        assert (written / relative).read_bytes() == (ROOT / relative).read_bytes(), relative


def test_loading_the_same_files_twice_changes_nothing(content_dir):
    for _ in range(2):
        out, err = load(content_dir, "--publish")
        assert "niets gewijzigd" in out and err == ""
    assert ContentVersion.objects.count() == 1


def test_new_files_replace_a_draft_that_came_from_files(content_dir):
    path = content_dir / FILES["interventions"][0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Multi Systeem Therapie\n", "name: MST\n"), "utf-8")
    load(content_dir)  # files changed in git: the draft follows
    assert Interventie.objects.get(code="MST").name == "MST"
    load(content_dir, "--publish")
    assert version_in_use().number == 2
    load(ROOT)  # the older files were exchanged before: nothing is lost by loading them
    assert Interventie.objects.get(code="MST").name == "Multi Systeem Therapie"


def test_rollback_is_a_publish_of_an_earlier_version():
    first = version_in_use()
    edit_draft(age_min=11)
    second = publish_draft()
    with pytest.raises(PublishRefused, match="al de inhoud"):
        draft_restore(version=second)
    edit_draft(age_max=17)
    with pytest.raises(PublishRefused, match="nog niet gepubliceerd"):
        draft_restore(version=first)
    edit_draft(age_max=18)  # back to the version in use

    draft_restore(version=first)
    assert current_catalogue().version == second.content_hash  # only the draft moved
    third = draft_publish(
        user=UserFactory(content_admin=True), draft_hash=draft_hash(), release_note="terug"
    )
    assert (third.number, third.restores, third.content_hash) == (3, first, first.content_hash)
    assert current_catalogue().version == first.content_hash


def test_admin_says_it_edits_the_draft_and_how_much_differs(client):
    from django.urls import reverse

    client.force_login(UserFactory(content_admin=True))
    url = reverse("admin:interventies_interventie_changelist")
    page = client.get(url).content.decode()
    assert "U bewerkt het <strong>concept</strong>" in page
    assert "Het concept is nu gelijk aan die versie." in page
    edit_draft(age_min=11)
    assert "Het concept verschilt op 1 onderdeel." in client.get(url).content.decode()


def test_review_page_publish_and_send_back(client):
    from django.urls import reverse

    edit_draft(age_min=11)
    client.force_login(UserFactory(content_admin=True))
    url = reverse("inhoud:review")
    page = client.get(url)
    assert "leeftijd vanaf" in page.content.decode()
    seen = page.context["draft_hash"]
    empty = client.post(url, {"action": "publish", "draft_hash": seen, "text": ""})
    assert empty.status_code == 400
    assert "Een toelichting bij de publicatie is verplicht." in empty.content.decode()
    no_remark = client.post(url, {"action": "send_back", "draft_hash": seen, "text": ""})
    assert no_remark.status_code == 400
    sent = client.post(url, {"action": "send_back", "draft_hash": seen, "text": "Bron?"})
    assert sent.status_code == 302 and version_in_use().number == 1
    done = client.post(url, {"action": "publish", "draft_hash": seen, "text": "MST vanaf 11"})
    assert done.status_code == 302 and done["Location"] == reverse("inhoud:version", args=[2])
    again = client.post(url, {"action": "publish", "draft_hash": seen, "text": "nog eens"})
    assert again.status_code == 400  # a double click publishes once
    assert ContentVersion.objects.count() == 2
    detail = client.get(reverse("inhoud:version", args=[2])).content.decode()
    assert "MST vanaf 11" in detail and "leeftijd vanaf" in detail
    restore = client.post(reverse("inhoud:restore", args=[1]))
    assert restore.status_code == 302 and Interventie.objects.get(code="MST").age_min == 10


def test_the_autosave_read_names_the_version_in_use_after_each_publish():
    """The live path reads the version in use in the dossier's own statement
    (``dossier_get_for_write``): it follows a publish and a rollback at once, as
    ``current_catalogue()`` does, and says plainly when nothing is published."""
    from django.http import Http404

    from dossiers.selectors import dossier_get_for_write
    from interventies.selectors import NoPublishedContent
    from tests.factories import DossierFactory, TeamFactory

    team = TeamFactory()
    user = UserFactory(professional=True, teams=[team])
    dossier = DossierFactory(team=team)

    def read():
        row, catalogue = dossier_get_for_write(user=user, pk=dossier.pk)
        assert row.pk == dossier.pk
        return catalogue.version

    first = version_in_use()
    assert read() == first.content_hash == current_catalogue().version
    edit_draft(age_min=11)
    second = publish_draft()
    assert read() == second.content_hash != first.content_hash
    draft_restore(version=first)  # a rollback: the first version's content again
    publish_draft("terug")
    assert read() == first.content_hash
    with pytest.raises(Http404):  # another team's dossier: not found, whatever the content
        dossier_get_for_write(user=user, pk=DossierFactory().pk)
    ContentVersion.objects.update(in_use=False)
    with pytest.raises(NoPublishedContent):
        read()
