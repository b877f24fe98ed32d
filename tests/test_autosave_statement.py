"""The autosave's read and write in one statement (PostgreSQL, once the editing session is
logged): it keeps a draft exactly when the "dossiers.edit" rule lets the user edit, reads
the same row as the read alone, and writes nothing for a post that is refused."""

import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.backends import CareUserBackend
from dossiers.models import Dossier, IntakeDraft, Status
from dossiers.rules import can
from dossiers.selectors import dossier_get_for_write
from dossiers.services import draft_autosave
from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL
from tests.factories import DossierFactory, TeamFactory, UserFactory
from tests.test_dossiers import intake_post
from toegang.audit import EDITING_SESSION_KEY

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
ROLES = {
    "professional": (PROFESSIONAL,),
    "gedragswetenschapper": (GEDRAGSWETENSCHAPPER,),
    "both": (PROFESSIONAL, GEDRAGSWETENSCHAPPER),
    "none": (),
}


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


def logged_editing(user, *dossiers):
    """A request of ``user`` whose editing session of these dossiers is already logged:
    the path where the statement writes."""
    request = RequestFactory().post("/")
    request.user = CareUserBackend().get_user(user.pk)  # roles and teams, as a request
    request.session = SessionStore()
    request.session[EDITING_SESSION_KEY] = {str(d.pk): int(time.time()) for d in dossiers}
    return request


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("own_team", [True, False])
def test_the_statement_keeps_a_draft_exactly_when_the_rule_lets_edit(noord, status, role, own_team):
    user = UserFactory(teams=[noord], role_names=ROLES[role])
    dossier = DossierFactory(team=noord if own_team else TeamFactory(), status=status)
    request = logged_editing(user, dossier)
    raw = {"family_name": ["Bewaard"]}
    if not own_team:
        with pytest.raises(Http404):
            draft_autosave(request=request, pk=dossier.pk, raw=raw)
        assert not IntakeDraft.objects.exists()
        return
    row, _, kept = draft_autosave(request=request, pk=dossier.pk, raw=raw)
    may_edit = can(request.user, "dossiers.edit", row)
    assert may_edit == (status == Status.CONCEPT and role in {"professional", "both"})
    # Never a draft the rule refuses; on PostgreSQL always one it allows.
    assert kept == (ON_POSTGRESQL and may_edit)
    drafts = IntakeDraft.objects.filter(dossier=dossier, user=user)
    assert drafts.exists() == kept
    if kept:
        (draft,) = drafts
        assert draft.data == raw
        assert draft.base_version == dossier.version
        assert abs((timezone.now() - draft.saved_at).total_seconds()) < 60


def test_the_row_read_with_the_draft_is_the_row_read_alone(noord):
    prof = UserFactory(professional=True, teams=[noord, TeamFactory()])
    dossier = DossierFactory(team=noord, version=3)
    request = logged_editing(prof, dossier)
    alone, alone_catalogue = dossier_get_for_write(user=request.user, pk=dossier.pk)
    row, catalogue, _ = draft_autosave(request=request, pk=dossier.pk, raw={})
    fields = ("pk", "team_id", "status", "version", "updated_at", "in_use_content_hash")
    assert [getattr(row, f) for f in fields] == [getattr(alone, f) for f in fields]
    assert timezone.is_aware(row.updated_at)
    assert catalogue is alone_catalogue


def test_an_editing_session_not_yet_logged_takes_the_logged_path(noord):
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord)
    request = logged_editing(prof)  # nothing logged yet
    _, _, kept = draft_autosave(request=request, pk=dossier.pk, raw={})
    assert kept is False  # the caller keeps it with the log row, in one transaction
    assert not IntakeDraft.objects.exists()


def test_an_account_switched_off_meanwhile_keeps_nothing_in_the_statement(noord):
    """Deactivated while a request was under way (its user already read): the statement
    does not write; the caller's rule check then refuses."""
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord)
    request = logged_editing(prof, dossier)
    request.user.is_active = False
    row, _, kept = draft_autosave(request=request, pk=dossier.pk, raw={"family_name": ["X"]})
    assert kept is False
    assert not IntakeDraft.objects.exists()
    assert not can(request.user, "dossiers.edit", row)


# ---------------------------------------------------------------- through the view


@pytest.fixture
def prof(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.fixture
def dossier(noord, prof):
    return DossierFactory(team=noord, created_by=prof, family_name="Bakker")


def autosave(client, dossier, **fields):
    return client.post(
        reverse("dossiers:autosave", args=[dossier.pk]), intake_post(dossier, **fields)
    )


def kept_name(dossier) -> list[str]:
    return IntakeDraft.objects.get(dossier=dossier).data["family_name"]


@pytest.mark.parametrize("status", [s for s in Status if s != Status.CONCEPT])
def test_an_autosave_after_the_dossier_moved_on_keeps_the_earlier_draft(
    client, prof, dossier, status
):
    client.force_login(prof)
    assert autosave(client, dossier, family_name="Eerste").status_code == 200
    Dossier.objects.filter(pk=dossier.pk).update(status=status)  # someone else, meanwhile
    assert autosave(client, dossier, family_name="Tweede").status_code == 403
    assert kept_name(dossier) == ["Eerste"]


def test_a_malformed_autosave_writes_nothing_once_the_session_is_logged(client, prof, dossier):
    client.force_login(prof)
    autosave(client, dossier, family_name="Eerste")
    for bad in ("abc", "100000"):
        refused = autosave(client, dossier, family_name="Tweede", **{"kind-TOTAL_FORMS": bad})
        assert refused.status_code == 400
        assert "Het formulier kwam niet goed aan" in refused.content.decode()
    assert kept_name(dossier) == ["Eerste"]


def test_an_autosave_after_erasure_is_a_404_and_keeps_nothing(client, prof, dossier):
    client.force_login(prof)
    autosave(client, dossier, family_name="Eerste")
    Dossier.objects.filter(pk=dossier.pk).delete()
    assert autosave(client, dossier, family_name="Tweede").status_code == 404
    assert not IntakeDraft.objects.exists()


def test_another_teams_dossier_is_a_404_once_the_session_is_logged(client, prof, dossier):
    other = DossierFactory(team=TeamFactory())
    client.force_login(prof)
    autosave(client, dossier)
    session = client.session
    session[EDITING_SESSION_KEY] = {**session[EDITING_SESSION_KEY], str(other.pk): 0}
    session.save()
    assert autosave(client, other).status_code == 404
    assert not IntakeDraft.objects.filter(dossier=other).exists()


@pytest.mark.django_db(transaction=True)
def test_two_autosaves_at_the_same_moment_leave_one_draft(noord):
    """A double click, or two tabs: two connections, released together."""
    if not ON_POSTGRESQL:
        pytest.skip("real concurrent connections: PostgreSQL")
    from richtlijnen.content import content_read_files
    from richtlijnen.versions import content_import

    # A transactional test starts from an empty database (another may have flushed it).
    content_import(bundle=content_read_files(), publish=True, user_name="tests")
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord)
    start, results, errors = threading.Barrier(2), [], []

    def save(name: str) -> None:
        try:
            request = logged_editing(prof, dossier)
            start.wait()
            results.append(
                draft_autosave(request=request, pk=dossier.pk, raw={"family_name": [name]})[2]
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Links", "Rechts")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [True, True]
    (draft,) = IntakeDraft.objects.filter(dossier=dossier)
    assert draft.data["family_name"] in (["Links"], ["Rechts"])


@pytest.mark.parametrize(
    "bad",
    [
        {"kind-TOTAL_FORMS": "abc"},
        {"ouder-TOTAL_FORMS": "100000"},
        {"netwerk-INITIAL_FORMS": "-1"},
        {"ouder-INITIAL_FORMS": "1", "ouder-TOTAL_FORMS": "0"},  # more initial rows than rows
    ],
)
@pytest.mark.parametrize("where", ["own concept", "own submitted", "other team"])
def test_a_malformed_autosave_is_refused_after_the_same_checks_and_logged(
    client, noord, prof, bad, where
):
    from toegang.models import AccessLog

    dossier = DossierFactory(
        team=TeamFactory() if where == "other team" else noord,
        created_by=prof,
        status=Status.TER_BEOORDELING if where == "own submitted" else Status.CONCEPT,
    )
    client.force_login(prof)
    response = autosave(client, dossier, **bad)
    assert response.status_code == {"own concept": 400, "own submitted": 403}.get(where, 404)
    assert not IntakeDraft.objects.exists()
    refused = AccessLog.objects.filter(dossier_id=dossier.pk, outcome=AccessLog.Outcome.DENIED)
    assert refused.count() == (0 if where == "own concept" else 1)


def test_the_rule_the_statement_applies_is_the_edit_rule():
    """The statement keeps a draft for an active professional of the dossier's team while
    it is a concept. If the "dossiers.edit" rule changes, change
    ``dossiers.services.draft_autosave`` with it (and this test)."""
    import rules

    edit = rules.permissions.permissions["dossiers.edit"]
    assert edit.name == f"((is_group_member:{PROFESSIONAL} & is_team_member) & is_concept)"


def test_without_content_in_use_the_statement_keeps_nothing(noord):
    from interventies.selectors import NoPublishedContent
    from richtlijnen.models import ContentVersion

    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord)
    ContentVersion.objects.update(in_use=False)
    with pytest.raises(NoPublishedContent):
        draft_autosave(request=logged_editing(prof, dossier), pk=dossier.pk, raw={})
    assert not IntakeDraft.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("session_logged", [False, True])
def test_a_draft_kept_while_its_dossier_is_erased_is_a_404(noord, session_logged):
    """The dossier was read, then erased before the draft's write committed: the foreign
    key refuses the draft, and the answer is "not found" rather than an error page."""
    from dossiers.services import draft_save
    from richtlijnen.content import content_read_files
    from richtlijnen.versions import content_import

    content_import(bundle=content_read_files(), publish=True, user_name="tests")
    prof = UserFactory(professional=True, teams=[noord])
    dossier = DossierFactory(team=noord)
    read = Dossier.objects.get(pk=dossier.pk)
    Dossier.objects.filter(pk=dossier.pk).delete()
    request = logged_editing(prof, *([dossier] if session_logged else []))
    with pytest.raises(Http404):
        draft_save(request=request, dossier=read, raw={}, base_version=read.version)
    assert not IntakeDraft.objects.exists()
