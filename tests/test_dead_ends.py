"""No dead ends: withdrawing a concept created by mistake, and clearing the drafts people
left on a dossier that was submitted since."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, IntakeDraft, Status
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.helpers import submitted_dossier
from toegang.models import AccessLog
from toegang.retention import dossiers_purge_expired, expired_dossiers

pytestmark = pytest.mark.django_db

CONFIRM = {"bevestigen": "ja"}


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def professional(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.fixture
def dossier(noord, professional):
    return DossierFactory(team=noord, created_by=professional, family_name="Vergissing")


def withdraw_url(dossier):
    return reverse("dossiers:withdraw", kwargs={"pk": dossier.pk})


def leftover_url(dossier):
    return reverse("dossiers:discard_leftover_drafts", kwargs={"pk": dossier.pk})


def intake_url(dossier):
    return reverse("dossiers:intake", kwargs={"pk": dossier.pk})


def withdrawals(dossier) -> int:
    return AccessLog.objects.filter(action="withdraw", dossier_id=dossier.pk).count()


# ---------------------------------------------------------------- withdrawing a concept


def test_withdrawing_asks_first_then_withdraws_logs_and_leaves_the_list(
    client, professional, dossier, noord
):
    other = DossierFactory(team=noord, family_name="Vergissingsvrij")
    colleague = UserFactory(professional=True, teams=[noord])
    IntakeDraft.objects.create(dossier=dossier, user=colleague, data={}, base_version=1)
    client.force_login(professional)
    assert "Dossier intrekken" in client.get(intake_url(dossier)).content.decode()

    asked = client.post(withdraw_url(dossier))
    assert asked.status_code == 200
    assert "Ja, dossier intrekken" in asked.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.CONCEPT and withdrawals(dossier) == 0

    done = client.post(withdraw_url(dossier), CONFIRM, follow=True)
    assert done.redirect_chain[-1][0] == reverse("dossiers:list")
    html = done.content.decode()
    assert "is ingetrokken" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.INGETROKKEN and dossier.updated_by == professional
    assert withdrawals(dossier) == 1
    assert not IntakeDraft.objects.filter(dossier=dossier).exists()
    # out of the list, the search, the status filter and the duplicate hint
    assert reverse("dossiers:intake", kwargs={"pk": other.pk}) in html
    assert intake_url(dossier) not in html
    searched = client.post(reverse("dossiers:list"), {"q": "Vergissing"}).content.decode()
    assert intake_url(dossier) not in searched and "Vergissingsvrij" in searched
    filtered = client.get(reverse("dossiers:list"), {"status": "ingetrokken"}).content.decode()
    assert intake_url(dossier) not in filtered
    new = client.post(reverse("dossiers:new"), {"team": noord.pk, "family_name": "Vergissing"})
    assert new.status_code == 302  # no duplicate warning about the withdrawn one


def test_a_withdrawn_dossier_says_so_and_cannot_be_edited(client, professional, dossier):
    client.force_login(professional)
    client.post(withdraw_url(dossier), CONFIRM)
    page = client.get(intake_url(dossier))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dit dossier is ingetrokken" in html and 'name="action"' not in html
    stale_tab = client.post(intake_url(dossier), {"action": "save", "family_name": "Nieuw"})
    assert stale_tab.status_code == 200
    assert "Uw wijzigingen zijn niet opgeslagen" in stale_tab.content.decode()
    assert (
        client.post(reverse("dossiers:autosave", kwargs={"pk": dossier.pk}), {}).status_code == 403
    )
    submit = client.post(intake_url(dossier), {"action": "submit"})
    assert submit.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.INGETROKKEN and dossier.family_name == "Vergissing"


def test_a_double_post_withdraws_once_without_an_error(client, professional, dossier):
    client.force_login(professional)
    first = client.post(withdraw_url(dossier), CONFIRM)
    second = client.post(withdraw_url(dossier), CONFIRM, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "Dit dossier is al ingetrokken." in second.content.decode()
    assert withdrawals(dossier) == 1


def test_a_submitted_dossier_cannot_be_withdrawn(client, professional, noord):
    submitted, _ = submitted_dossier(team=noord, submitter=professional)
    client.force_login(professional)
    response = client.post(withdraw_url(submitted), CONFIRM, follow=True)
    assert response.status_code == 200
    assert "Alleen een concept kan worden ingetrokken" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.TER_BEOORDELING and withdrawals(submitted) == 0


def test_submitted_meanwhile_by_a_colleague_is_refused_in_the_transaction(
    rf, professional, dossier
):
    from django.contrib.sessions.backends.base import SessionBase

    from dossiers.services import NotReady, dossier_withdraw

    stale = Dossier.objects.get(pk=dossier.pk)  # read before the colleague submitted
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.TER_BEOORDELING)
    request = rf.post("/")
    request.user, request.session = professional, SessionBase()
    with pytest.raises(NotReady):
        dossier_withdraw(dossier=stale, user=professional, request=request)
    assert withdrawals(dossier) == 0


def test_only_the_teams_professionals_may_withdraw(client, dossier, noord):
    other_team = UserFactory(professional=True, teams=[TeamFactory()])
    reviewer = UserFactory(gedragswetenschapper=True, teams=[noord])
    client.force_login(other_team)
    assert client.post(withdraw_url(dossier), CONFIRM).status_code == 404
    client.force_login(reviewer)
    assert client.post(withdraw_url(dossier), CONFIRM).status_code == 403
    assert "Dossier intrekken" not in client.get(intake_url(dossier)).content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.CONCEPT and withdrawals(dossier) == 0


def test_a_withdrawn_dossier_gets_the_short_concept_term(client, professional, dossier, noord):
    client.force_login(professional)
    client.post(withdraw_url(dossier), CONFIRM)
    submitted, _ = submitted_dossier(team=noord, submitter=professional)
    now = timezone.now()
    assert dossier.pk not in set(expired_dossiers(now).values_list("pk", flat=True))
    Dossier.objects.filter(pk__in=[dossier.pk, submitted.pk]).update(
        updated_at=now - timedelta(days=100)
    )
    result = dossiers_purge_expired(now=now)
    assert [r.dossier_id for r in result.removed] == [str(dossier.pk)]
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert Dossier.objects.filter(pk=submitted.pk).exists()  # years, not days


# ---------------------------------------------------------------- leftover drafts


@pytest.fixture
def leftover(noord, professional):
    submitted, _ = submitted_dossier(team=noord, submitter=professional)
    colleague = UserFactory(professional=True, teams=[noord], first_name="Fleur", last_name="Kok")
    IntakeDraft.objects.create(
        dossier=submitted, user=colleague, data={"family_name": ["Geheim getypt"]}, base_version=1
    )
    return submitted


def test_leftover_drafts_are_shown_with_who_and_when_but_not_what(client, noord, leftover):
    reviewer = UserFactory(gedragswetenschapper=True, teams=[noord])
    client.force_login(reviewer)
    html = client.get(intake_url(leftover)).content.decode()
    assert "Fleur Kok, bewaard om" in html
    assert "Geheim getypt" not in html
    assert "Concepten weggooien" in html


def test_a_team_member_discards_leftover_drafts_after_confirming_once(client, noord, leftover):
    reviewer = UserFactory(gedragswetenschapper=True, teams=[noord])
    client.force_login(reviewer)
    asked = client.post(leftover_url(leftover))
    assert asked.status_code == 200 and "Ja, concepten weggooien" in asked.content.decode()
    assert IntakeDraft.objects.filter(dossier=leftover).count() == 1

    first = client.post(leftover_url(leftover), CONFIRM, follow=True)
    second = client.post(leftover_url(leftover), CONFIRM, follow=True)
    assert "zijn weggegooid" in first.content.decode()
    assert second.status_code == 200
    assert "geen achtergebleven concepten meer" in second.content.decode()
    assert not IntakeDraft.objects.filter(dossier=leftover).exists()
    assert AccessLog.objects.filter(action="discard", dossier_id=leftover.pk).count() == 1
    assert "Concepten weggooien" not in client.get(intake_url(leftover)).content.decode()


def test_leftover_drafts_only_on_submitted_dossiers_and_only_for_the_team(
    client, professional, dossier, leftover
):
    colleague_draft = IntakeDraft.objects.create(
        dossier=dossier, user=UserFactory(), data={}, base_version=1
    )
    client.force_login(professional)
    assert client.post(leftover_url(dossier), CONFIRM).status_code == 403  # a live concept
    assert IntakeDraft.objects.filter(pk=colleague_draft.pk).exists()
    client.force_login(UserFactory(gedragswetenschapper=True, teams=[TeamFactory()]))
    assert client.post(leftover_url(leftover), CONFIRM).status_code == 404
    assert IntakeDraft.objects.filter(dossier=leftover).count() == 1
