"""The review as a worklist: a decision per row (htmx or a plain post), progress per child,
"alle overige overnemen" with a confirmation, and "Beoordeling afronden"."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from beoordeling.models import ReviewCompletion, ReviewDecision
from beoordeling.services import (
    ReviewInvalid,
    review_accept_rest,
    review_complete,
    review_undecided,
)
from common.dates import format_date
from dossiers.models import Dossier, Status
from tests.factories import TeamFactory, UserFactory
from tests.helpers import submitted_dossier
from tests.test_review import confirm_and_set, decline_the_rest
from toegang.models import AccessLog, AppendOnlyError
from toegang.retention import dossier_delete_on_request

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def gw(noord):
    return UserFactory(gedragswetenschapper=True, teams=[noord])


@pytest.fixture
def submitted(noord):
    prof = UserFactory(professional=True, teams=[noord])
    return submitted_dossier(team=noord, submitter=prof, family_name="Bakker")


def codes(snapshot):
    return [s["code"] for s in snapshot.result["children"][0]["suggestions"]]


def post(client, dossier, htmx=False, **data):
    url = reverse("beoordeling:review", args=[dossier.pk])
    return client.post(url, {"child_index": 0, **data}, **(HTMX if htmx else {}))


def views_logged(dossier) -> int:
    return AccessLog.objects.filter(action="view", dossier_id=dossier.pk).count()


def test_each_suggestion_is_a_compact_row_with_declining_behind_a_disclosure(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    html = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    total = len(codes(snapshot))
    assert html.count('<li class="wl-row') == total
    assert html.count('<details class="wl-decline">') == total  # reasons only when declining
    assert f"0 van {total} beoordeeld" in html
    assert html.count('name="decision" value="accept"') == total
    assert 'hx-target="#rij-0-MST"' in html
    assert reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]) in html
    assert "Beoordeling afronden" in html
    assert 'class="add-form row-card" novalidate' in html  # adding stays on the same list


def test_accept_without_javascript_returns_to_the_same_row(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    response = post(client, dossier, code="MST", decision="accept")
    assert response.status_code == 302
    assert response.url == reverse("beoordeling:review", args=[dossier.pk]) + "#rij-0-MST"
    html = client.get(response.url).content.decode()
    assert f"1 van {len(codes(snapshot))} beoordeeld" in html


def test_accept_with_htmx_answers_the_row_and_the_progress(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    response = post(client, dossier, htmx=True, code="MST", decision="accept")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<li class="wl-row" id="rij-0-MST">')
    assert "<html" not in html
    assert "Overgenomen" in html
    assert 'id="ok-rij-0-MST"' in html  # the button keeps its id: htmx keeps the focus there
    assert 'id="voortgang-0" hx-swap-oob="true"' in html
    assert f"1 van {len(codes(snapshot))} beoordeeld" in html
    assert 'id="gekozen" hx-swap-oob="true"' in html
    assert AccessLog.objects.filter(action="review", dossier_id=dossier.pk).count() == 1


def test_declining_needs_a_reason_shown_next_to_its_row(client, gw, submitted):
    dossier, snapshot = submitted
    other = codes(snapshot)[1]
    client.force_login(gw)
    before = views_logged(dossier)

    plain = post(client, dossier, code=other, decision="decline", comment="Liever later.")
    html = plain.content.decode()
    assert plain.status_code == 400
    assert f'id="fout-rij-0-{other}">Kies een reden' in html
    assert f'aria-describedby="fout-rij-0-{other}"' in html
    assert "Liever later.</textarea>" in html  # what was typed stays
    assert 'role="alert"' not in html  # no banner far away: the message is at the row

    htmx = post(client, dossier, htmx=True, code=other, decision="decline")
    html = htmx.content.decode()
    assert htmx.status_code == 200  # htmx swaps the row with its message
    assert f'id="fout-rij-0-{other}">Kies een reden' in html
    assert '<details class="wl-decline" open>' in html
    assert not ReviewDecision.objects.filter(dossier=dossier).exists()
    assert views_logged(dossier) == before + 2  # each answer showed the family's data

    ok = post(client, dossier, htmx=True, code=other, decision="decline", reason="voorkeur_gezin")
    assert "Niet overgenomen" in ok.content.decode()
    assert ReviewDecision.objects.get(dossier=dossier).reason == "voorkeur_gezin"
    # Accepting needs no reason; a reason sent along is not kept.
    post(client, dossier, code="MST", decision="accept", reason="voorkeur_gezin")
    assert ReviewDecision.objects.get(dossier=dossier, intervention_code="MST").reason == ""


def test_a_new_decision_replaces_the_old_by_being_newer(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    post(client, dossier, code="MST", decision="accept")
    html = post(
        client, dossier, htmx=True, code="MST", decision="decline", reason="niet_beschikbaar"
    ).content.decode()
    assert "Eerdere beslissingen (1)" in html
    assert ReviewDecision.objects.filter(dossier=dossier).count() == 2


def test_accept_the_rest_confirms_first_and_leaves_decided_rows_alone(client, gw, submitted):
    dossier, snapshot = submitted
    all_codes = codes(snapshot)
    declined = all_codes[1]
    client.force_login(gw)
    post(client, dossier, code=declined, decision="decline", reason="voorkeur_gezin")
    url = reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0])
    before = views_logged(dossier)

    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert f"Ja, {len(all_codes) - 1} overnemen" in html
    assert views_logged(dossier) == before + 1
    assert ReviewDecision.objects.filter(dossier=dossier).count() == 1  # nothing yet

    done = client.post(url)
    assert done.status_code == 302 and done.url.endswith("#kind-0")
    again = client.post(url)  # a double click
    assert again.status_code == 302
    current = {}
    for d in ReviewDecision.objects.filter(dossier=dossier).order_by("decided_at", "id"):
        current[d.intervention_code] = d.decision
    assert current[declined] == "decline"
    assert {c for c, d in current.items() if d == "accept"} == set(all_codes) - {declined}
    assert ReviewDecision.objects.filter(dossier=dossier).count() == len(all_codes)
    assert AccessLog.objects.filter(action="review", dossier_id=dossier.pk).count() == 2
    assert "al beslist" in client.get(url).content.decode()
    assert (
        client.get(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 5])).status_code
        == 404
    )


def test_afronden_names_what_is_missing_next_to_it_then_leads_to_the_plan(client, gw, submitted):
    dossier, snapshot = submitted
    all_codes = codes(snapshot)
    client.force_login(gw)
    post(client, dossier, code="MST", decision="accept")
    url = reverse("beoordeling:review_finish", args=[dossier.pk])

    missing = client.post(url)
    html = missing.content.decode()
    assert missing.status_code == 400
    assert "De beoordeling is nog niet af" in html
    for code in all_codes[1:]:
        assert f'href="#rij-0-{code}"' in html
        assert f'id="fout-rij-0-{code}">Kies overnemen of niet overnemen.' in html
    assert 'id="fout-rij-0-MST"' not in html

    client.post(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]))
    assert review_undecided(snapshot) == []
    finished = client.post(url)
    assert finished.status_code == 302
    assert finished.url == reverse("beoordeling:plan", args=[dossier.pk])
    assert client.get(url).status_code == 405


def test_no_decision_or_bulk_accept_after_the_plan_is_set(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    post(client, dossier, code="MST", decision="accept")
    decline_the_rest(client, dossier)
    stale = Dossier.objects.get(pk=dossier.pk)
    confirm_and_set(client, dossier)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.VASTGESTELD
    request = RequestFactory().post("/")
    request.user = gw
    with pytest.raises(ReviewInvalid, match="plan is vastgesteld"):
        review_accept_rest(request=request, dossier=stale, snapshot=snapshot, child_index=0)
    count = ReviewDecision.objects.filter(dossier=dossier).count()
    url = reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0])
    assert client.post(url).status_code == 403
    assert post(client, dossier, htmx=True, code="MST", decision="accept").status_code == 403
    assert client.post(reverse("beoordeling:review_finish", args=[dossier.pk])).status_code == 403
    assert ReviewDecision.objects.filter(dossier=dossier).count() == count


# ---------------------------------------------------------------- "Beoordeling afronden" recorded


def completed_text(completion) -> str:
    who = completion.completed_by.get_full_name() or completion.completed_by.get_username()
    when = format_date(timezone.localtime(completion.completed_at).date())
    return escape(f"Beoordeling afgerond door {who} op {when}")  # as the page has it: "van 't"


def test_afronden_records_who_and_when_once_and_shows_it(client, gw, noord, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    url = reverse("beoordeling:review_finish", args=[dossier.pk])
    assert client.post(url).status_code == 400  # nothing decided yet: refused, nothing stored
    assert not ReviewCompletion.objects.exists()
    client.post(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]))

    colleague = Client()
    colleague.force_login(UserFactory(gedragswetenschapper=True, teams=[noord]))
    for who in (client, client, colleague):  # a double click, then a colleague at once
        response = who.post(url, follow=True)
        assert response.status_code == 200
        assert "De beoordeling is afgerond." in response.content.decode()
    completion = ReviewCompletion.objects.get()
    assert (completion.dossier_id, completion.snapshot_id) == (dossier.pk, snapshot.pk)
    assert completion.completed_by == gw
    assert completion.decisions_seen == len(codes(snapshot))
    assert AccessLog.objects.filter(action="review_done", dossier_id=dossier.pk).count() == 1

    shown = completed_text(completion)
    review_page = client.get(reverse("beoordeling:review", args=[dossier.pk]))
    assert shown in review_page.content.decode()
    assert shown in client.get(reverse("beoordeling:plan", args=[dossier.pk])).content.decode()
    assert review_page.context["review_state"].current


def test_a_decision_after_afronden_reopens_the_review(client, gw, submitted):
    """A changed (or added) decision after finishing: the completion stops counting and
    the pages say the review was reopened; finishing again adds a new record."""
    dossier, _snapshot = submitted
    client.force_login(gw)
    client.post(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]))
    client.post(reverse("beoordeling:review_finish", args=[dossier.pk]))
    first = ReviewCompletion.objects.get()

    changed = post(
        client, dossier, htmx=True, code="MST", decision="decline", reason="voorkeur_gezin"
    )
    assert changed.status_code == 200
    assert "De beoordeling is heropend" in changed.content.decode()  # swapped in place
    for page in ("beoordeling:review", "beoordeling:plan"):
        html = client.get(reverse(page, args=[dossier.pk])).content.decode()
        assert "De beoordeling is heropend" in html
        assert completed_text(first) not in html

    client.post(reverse("beoordeling:review_finish", args=[dossier.pk]))
    assert ReviewCompletion.objects.count() == 2
    latest = ReviewCompletion.objects.order_by("-completed_at").first()
    assert latest.decisions_seen == first.decisions_seen + 1
    html = client.get(reverse("beoordeling:plan", args=[dossier.pk])).content.decode()
    assert completed_text(latest) in html and "heropend" not in html
    assert AccessLog.objects.filter(action="review_done", dossier_id=dossier.pk).count() == 2


@pytest.mark.parametrize("status", [Status.VASTGESTELD, Status.AFGESLOTEN])
def test_no_afronden_after_the_plan_is_set_or_on_a_closed_dossier(client, gw, submitted, status):
    dossier, snapshot = submitted
    client.force_login(gw)
    client.post(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]))
    stale = Dossier.objects.get(pk=dossier.pk)  # read before the status changed
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    request = RequestFactory().post("/")
    request.user = gw
    message = "plan is vastgesteld" if status == Status.VASTGESTELD else "afgesloten"
    with pytest.raises(ReviewInvalid, match=message):
        review_complete(request=request, dossier=stale, snapshot=snapshot)
    assert client.post(reverse("beoordeling:review_finish", args=[dossier.pk])).status_code == 403
    assert not ReviewCompletion.objects.exists()
    assert not AccessLog.objects.filter(action="review_done").exists()


def test_the_plan_set_between_opening_and_afronden_gives_a_message_not_an_error(
    client, gw, submitted, monkeypatch
):
    """The view's permission check passed, then the plan was set: the service's check
    under the row lock refuses, and the user reads why on the plan page."""
    dossier, _snapshot = submitted
    client.force_login(gw)
    client.post(reverse("beoordeling:review_accept_rest", args=[dossier.pk, 0]))
    from beoordeling import views

    real = views.dossier_get

    def then_the_plan_is_set(**kwargs):
        found = real(**kwargs)
        Dossier.objects.filter(pk=found.pk).update(status=Status.VASTGESTELD)
        return found

    monkeypatch.setattr(views, "dossier_get", then_the_plan_is_set)
    response = client.post(reverse("beoordeling:review_finish", args=[dossier.pk]), follow=True)
    assert response.status_code == 200
    assert "Beslissingen veranderen niet meer" in response.content.decode()
    assert not ReviewCompletion.objects.exists()


def test_completions_are_append_only(gw, submitted):
    dossier, snapshot = submitted
    completion = ReviewCompletion.objects.create(
        dossier=dossier, snapshot=snapshot, decisions_seen=0, completed_by=gw
    )
    with pytest.raises(AppendOnlyError):
        completion.save()
    with pytest.raises(AppendOnlyError):
        ReviewCompletion.objects.all().delete()


def test_erasing_the_dossier_removes_its_completion(gw, submitted):
    dossier, snapshot = submitted
    ReviewCompletion.objects.create(
        dossier=dossier, snapshot=snapshot, decisions_seen=0, completed_by=gw
    )
    admin, second = UserFactory(is_superuser=True), UserFactory(is_superuser=True)
    dossier_delete_on_request(dossier_id=dossier.pk, operator=admin, second=second)
    assert not ReviewCompletion.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_finishing_at_the_same_moment_record_once(noord, gw):
    """Two threads, two connections, released together: one completion, one log row."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks and real concurrent connections: PostgreSQL")
    from richtlijnen.content import content_read_files
    from richtlijnen.versions import content_import

    # A transactional test starts from an empty database (another may have flushed it).
    content_import(bundle=content_read_files(), publish=True, user_name="tests")
    prof = UserFactory(professional=True, teams=[noord])
    other = UserFactory(gedragswetenschapper=True, teams=[noord])
    dossier, snapshot = submitted_dossier(team=noord, submitter=prof, family_name="Tegelijk")
    request = RequestFactory().post("/")
    request.user = gw
    review_accept_rest(request=request, dossier=dossier, snapshot=snapshot, child_index=0)

    start, results, errors = threading.Barrier(2), [], []

    def finish(user):
        request = RequestFactory().post("/")
        request.user = user
        try:
            start.wait()
            results.append(review_complete(request=request, dossier=dossier, snapshot=snapshot))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish, args=(u,)) for u in (gw, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.pk for r in results}) == 1
    assert ReviewCompletion.objects.count() == 1
    assert AccessLog.objects.filter(action="review_done", dossier_id=dossier.pk).count() == 1
