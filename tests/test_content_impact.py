"""The impact of a content change on open dossiers: preview, re-evaluation and notices."""

import random
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Status
from dossiers.services import dossier_profile_data, suggestions_for
from impact.models import DossierImpact, ImpactRun
from impact.services import OPEN_STATUSES, preview_start
from interventies.models import Interventie
from interventies.selectors import catalogue_for_version, draft_catalogue
from richtlijnen.content import content_version
from richtlijnen.versions import draft_bundle, draft_publish, version_in_use
from tests.factories import DossierFactory, JeugdigeFactory, TeamFactory, UserFactory
from tests.helpers import MST_PROBLEMS, submitted_dossier

pytestmark = pytest.mark.django_db


def years_ago(age: int, rng: random.Random) -> date:
    today = timezone.localdate()
    return date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))


def generated_dossiers(catalogue, teams, n=60, seed=11):
    """Families with random ages, problems, placements and statuses (some closed)."""
    rng = random.Random(seed)
    vocab = catalogue.vocabulary
    child_codes = [c for c, lvl in vocab.problem_level.items() if lvl == "jeugdige"]
    family_codes = [c for c, lvl in vocab.problem_level.items() if lvl == "gezin"]
    placements = list(vocab.placement_label)
    dossiers = []
    for _ in range(n):
        dossier = DossierFactory(
            team=rng.choice(teams),
            status=rng.choice([*OPEN_STATUSES, Status.AFGESLOTEN]),
            crisis=rng.random() < 0.2,
            placement=rng.choice([*placements, "uithuisplaatsing_overwogen"]),
            family_problems=rng.sample(family_codes, rng.randint(0, 2)),
            children=[],
        )
        for position in range(rng.randint(0, 3)):
            JeugdigeFactory(
                dossier=dossier,
                position=position,
                birth_date=years_ago(rng.randint(0, 20), rng),
                problems=sorted(
                    set(rng.sample(child_codes, rng.randint(0, 2)))
                    | (set(MST_PROBLEMS) if rng.random() < 0.5 else set())
                ),
            )
        dossiers.append(dossier)
    return dossiers


def brute_force(old, new):
    """Per intervention: children that gain it and lose it, via the dossier's own path."""
    added, removed = Counter(), Counter()
    from dossiers.models import Dossier

    for dossier in Dossier.objects.filter(status__in=OPEN_STATUSES):
        profile = dossier_profile_data(dossier)
        if not profile["children"]:
            continue
        before = suggestions_for(profile, old).children
        after = suggestions_for(profile, new).children
        for b, a in zip(before, after, strict=True):
            old_codes = {s.code for s in b.suggestions}
            new_codes = {s.code for s in a.suggestions}
            added.update(new_codes - old_codes)
            removed.update(old_codes - new_codes)
    return added, removed


def change_the_draft():
    mst = Interventie.objects.get(code="MST")
    mst.age_min = 12  # fewer children
    mst.save()
    widened = Interventie.objects.exclude(code="MST").filter(age_max__isnull=False).first()
    widened.age_max = 24  # more children
    widened.save()


def test_preview_counts_equal_a_brute_force_recomputation(catalogue):
    teams = [TeamFactory(name="Noord", slug="noord"), TeamFactory(name="Zuid", slug="zuid")]
    generated_dossiers(catalogue, teams)
    change_the_draft()
    old, new = catalogue_for_version(version_in_use()), draft_catalogue()

    run = preview_start(user=UserFactory(content_admin=True))
    run.refresh_from_db()
    assert run.state == ImpactRun.State.DONE
    assert run.done == run.total > 0

    added, removed = brute_force(old, new)
    assert added or removed  # the generated set does show a change
    assert {c: v["added"] for c, v in run.counts.items() if v["added"]} == dict(added)
    assert {c: v["removed"] for c, v in run.counts.items() if v["removed"]} == dict(removed)


def test_a_double_click_joins_the_running_preview():
    change_the_draft()
    first = ImpactRun.objects.create(
        kind=ImpactRun.Kind.PREVIEW,
        old_hash=version_in_use().content_hash,
        new_hash=content_version(draft_bundle()),
        old_version=version_in_use(),
    )
    assert preview_start(user=UserFactory(content_admin=True)) == first


def test_publishing_leaves_a_notice_on_the_dossier_for_that_child(client):
    noord = TeamFactory(name="Noord", slug="noord")
    professional = UserFactory(professional=True, teams=[noord])
    dossier, _snapshot = submitted_dossier(team=noord, submitter=professional)
    child = dossier.children.get()
    child.first_name = "Sem"
    child.save()
    change_the_draft()  # MST from 12: Sem (15) keeps it
    mst = Interventie.objects.get(code="MST")
    mst.age_max = 14  # now Sem (15) is too old
    mst.save()
    draft_publish(
        user=UserFactory(content_admin=True),
        draft_hash=content_version(draft_bundle()),
        release_note="MST 12 t/m 14",
    )
    run = ImpactRun.objects.get(kind=ImpactRun.Kind.REEVALUATION)
    assert run.state == ImpactRun.State.DONE
    notice = DossierImpact.objects.get(run=run, dossier=dossier)
    assert notice.changes == [{"child": child.pk, "added": [], "removed": ["MST"]}]
    assert "Sem" not in str(notice.changes)  # ids and codes only

    client.force_login(professional)
    page = client.get(reverse("dossiers:intake", args=[dossier.pk])).content.decode()
    assert "Sinds het indienen is de inhoud gewijzigd" in page
    assert "Multi Systeem Therapie (MST) past niet meer bij Sem" in page

    other = UserFactory(professional=True, teams=[TeamFactory(name="Zuid", slug="zuid")])
    client.force_login(other)
    assert client.get(reverse("dossiers:intake", args=[dossier.pk])).status_code == 404


def test_the_preview_page_links_only_dossiers_of_the_users_teams(client):
    noord, zuid = TeamFactory(name="Noord", slug="noord"), TeamFactory(name="Zuid", slug="zuid")
    submitter = UserFactory(professional=True, teams=[noord, zuid])
    own, _s = submitted_dossier(team=noord, submitter=submitter, family_name="Eigennaam")
    theirs, _s = submitted_dossier(team=zuid, submitter=submitter, family_name="Anderennaam")
    mst = Interventie.objects.get(code="MST")
    mst.age_max = 14
    mst.save()
    admin = UserFactory(content_admin=True, teams=[noord])
    client.force_login(admin)
    response = client.post(reverse("inhoud:review"), {"action": "preview"})
    assert response.status_code == 302
    run = ImpactRun.objects.get(kind=ImpactRun.Kind.PREVIEW)
    page = client.get(reverse("inhoud:review")).content.decode()
    assert "MST</strong> (Multi Systeem Therapie): 0 kinderen erbij, 2 eruit" in page
    assert reverse("dossiers:intake", args=[own.pk]) in page
    assert reverse("dossiers:intake", args=[theirs.pk]) not in page
    assert "Eigennaam" not in page and "Anderennaam" not in page and "Daan" not in page
    partial = client.get(reverse("inhoud:impact", args=[run.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="impact"')
