"""Review by the gedragswetenschapper, the hulpverleningsplan, printing and evaluation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import EvaluationRecord, Hulpverleningsplan, ReviewDecision
from dossiers.models import Dossier, Status
from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL
from tests.factories import TeamFactory, UserFactory
from tests.helpers import planned_dossier, submitted_dossier
from toegang.models import AccessLog, AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def prof(noord):
    return UserFactory(professional=True, teams=[noord], first_name="Pim", last_name="Prof")


@pytest.fixture
def gw(noord):
    return UserFactory(gedragswetenschapper=True, teams=[noord], first_name="Gea", last_name="Wet")


@pytest.fixture
def submitted(noord, prof):
    return submitted_dossier(team=noord, submitter=prof, family_name="Bakker")


def decide(client, dossier, **data):
    return client.post(reverse("beoordeling:review", args=[dossier.pk]), {"child_index": 0, **data})


# ---------------------------------------------------------------- the queue


def test_queue_shows_the_teams_submitted_dossiers_longest_waiting_first(client, noord, prof, gw):
    old, _ = submitted_dossier(team=noord, submitter=prof, family_name="Oud")
    Dossier.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=3))
    submitted_dossier(team=noord, submitter=prof, family_name="Nieuw")
    submitted_dossier(
        team=TeamFactory(name="Zuid", slug="zuid"), submitter=prof, family_name="Elders"
    )
    client.force_login(gw)
    html = client.get(reverse("beoordeling:queue")).content.decode()
    assert html.index("Oud") < html.index("Nieuw")
    assert "3 dagen" in html and "sinds vandaag" in html
    assert "Elders" not in html


# ---------------------------------------------------------------- decisions


def test_accept_decline_with_reason_and_add_with_rationale(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    suggested = [s["code"] for s in snapshot.result["children"][0]["suggestions"]]
    assert suggested[:1] == ["MST"]
    other = suggested[1]

    assert decide(client, dossier, code="MST", decision="accept").status_code == 302
    missing_reason = decide(client, dossier, code=other, decision="decline")
    assert missing_reason.status_code == 400
    assert "Kies een reden" in missing_reason.content.decode()
    assert (
        decide(
            client,
            dossier,
            code=other,
            decision="decline",
            reason="voorkeur_gezin",
            comment="Het gezin wil dit niet.",
        ).status_code
        == 302
    )
    no_rationale = decide(client, dossier, code="MDFT", decision="add")
    assert "Schrijf op waarom" in no_rationale.content.decode()
    assert (
        decide(
            client, dossier, code="MDFT", decision="add", comment="Er is ook blowen."
        ).status_code
        == 302
    )
    # Only excluded items can be added, only suggested ones accepted.
    assert decide(client, dossier, code="MST", decision="add", comment="x").status_code == 400
    assert decide(client, dossier, code="MDFT", decision="accept").status_code == 400

    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert "Overgenomen" in page and "het gezin wil het niet" in page
    # The engine's reasons why MDFT was not suggested stay visible next to it.
    assert "geen crimineel gedrag of problematisch middelengebruik" in page
    decisions = ReviewDecision.objects.filter(dossier=dossier)
    assert {(d.intervention_code, d.decision) for d in decisions} == {
        ("MST", "accept"),
        (other, "decline"),
        ("MDFT", "add"),
    }
    assert all(d.decided_by == gw for d in decisions)
    assert AccessLog.objects.filter(action="review", dossier_id=dossier.pk).count() == 3


def test_one_add_form_per_child_keeps_what_was_typed_and_says_what_is_missing(
    client, gw, submitted
):
    dossier, _ = submitted
    client.force_login(gw)
    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert page.count('class="add-form row-card"') == 1
    assert '<option value="MDFT">' in page
    assert '<option value="MST">' not in page  # suggested, so it is decided above instead

    no_choice = decide(client, dossier, decision="add", code="", comment="Er is ook blowen.")
    html = no_choice.content.decode()
    assert no_choice.status_code == 400
    assert 'id="add-0-code-error">Kies welke interventie u wilt toevoegen.</p>' in html
    assert 'aria-describedby="add-0-help add-0-code-error" aria-invalid="true"' in html
    assert ">Er is ook blowen.</textarea>" in html  # what was typed stays

    no_reason = decide(client, dossier, decision="add", code="MDFT", comment="  ")
    html = no_reason.content.decode()
    assert no_reason.status_code == 400
    assert 'id="add-0-comment-error">Schrijf op waarom u deze interventie toch kiest.</p>' in html
    assert '<option value="MDFT" selected>' in html
    assert not ReviewDecision.objects.filter(dossier=dossier).exists()

    added = decide(client, dossier, decision="add", code="MDFT", comment="Blowen.")
    assert added.status_code == 302
    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert "(al toegevoegd)" in page


def test_a_changed_decision_adds_a_record_and_keeps_the_old_one(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    decide(client, dossier, code="MST", decision="accept")
    decide(
        client,
        dossier,
        code="MST",
        decision="decline",
        reason="niet_beschikbaar",
        comment="Wachtlijst van een half jaar.",
    )
    history = list(ReviewDecision.objects.filter(dossier=dossier).order_by("decided_at", "id"))
    assert [d.decision for d in history] == ["accept", "decline"]
    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert "Eerdere beslissingen (1)" in page
    with pytest.raises(AppendOnlyError):
        history[0].decision = "decline"
        history[0].save()
    with pytest.raises(AppendOnlyError):
        ReviewDecision.objects.filter(dossier=dossier).delete()


def test_four_eyes_the_submitter_cannot_review(client, noord):
    both = UserFactory(role_names=(PROFESSIONAL, GEDRAGSWETENSCHAPPER), teams=[noord])
    dossier, _ = submitted_dossier(team=noord, submitter=both)
    client.force_login(both)
    page = client.get(reverse("beoordeling:review", args=[dossier.pk])).content.decode()
    assert "U heeft aan deze intake gewerkt of haar ingediend" in page
    assert decide(client, dossier, code="MST", decision="accept").status_code == 403
    assert client.post(reverse("beoordeling:plan", args=[dossier.pk]), {}).status_code == 403
    assert not ReviewDecision.objects.filter(dossier=dossier).exists()


def test_professionals_see_but_do_not_decide(client, prof, submitted):
    dossier, _ = submitted
    client.force_login(prof)
    assert client.get(reverse("beoordeling:review", args=[dossier.pk])).status_code == 200
    assert decide(client, dossier, code="MST", decision="accept").status_code == 403


# ---------------------------------------------------------------- the plan


def plan_post(**fields):
    data = {
        "action": "save",
        "problem_picture": "Daan loopt vast thuis en op school.",
        "goals_short_term": "Minder ruzie thuis.",
        "goals_long_term": "Daan gaat weer naar school.",
        "end_date_prognosis": "",
        "omgangsregeling": "",
        "evaluatie-TOTAL_FORMS": "1",
        "evaluatie-INITIAL_FORMS": "0",
        "evaluatie-0-who": "Gedragswetenschapper en ouders",
        "evaluatie-0-what": "Samen de doelen bespreken",
        "evaluatie-0-due_date": (timezone.localdate() + dt.timedelta(days=42)).isoformat(),
    }
    data.update(fields)
    return data


def test_plan_is_made_set_and_then_only_changes_by_a_new_version(client, gw, prof, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])

    assert client.post(url, plan_post()).status_code == 302
    refused = client.post(url, {"action": "set"}, follow=True).content.decode()
    assert "Neem minstens één interventie over" in refused
    assert Hulpverleningsplan.objects.get(dossier=dossier).set_at is None

    decide(client, dossier, code="MST", decision="accept")
    client.post(url, {"action": "set"})
    plan = Hulpverleningsplan.objects.get(dossier=dossier)
    assert plan.is_set and plan.set_by == gw
    assert plan.interventions == [
        {"child": "Daan", "code": "MST", "name": "Multi Systeem Therapie"}
    ]
    dossier.refresh_from_db()
    assert dossier.status == Status.VASTGESTELD

    # Saving again starts version 2; version 1 stays as it was, and readable.
    client.post(url, plan_post(goals_short_term="Nieuwe doelen."))
    assert list(dossier.plans.order_by("version").values_list("version", "goals_short_term")) == [
        (1, "Minder ruzie thuis."),
        (2, "Nieuwe doelen."),
    ]
    old = client.get(reverse("beoordeling:plan_version", args=[dossier.pk, 1])).content.decode()
    assert "Minder ruzie thuis." in old and "Vastgesteld" in old
    client.post(url, {"action": "set"})
    assert dossier.plans.get(version=2).is_set


def test_a_placed_child_needs_an_end_date_and_an_omgangsregeling(client, gw, noord, prof):
    dossier, _ = submitted_dossier(team=noord, submitter=prof, placement="uit_huis_geplaatst")
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    decide(client, dossier, code="MST", decision="accept")
    client.post(url, plan_post())
    page = client.post(url, {"action": "set"}, follow=True).content.decode()
    assert "Geef een verwachte einddatum" in page
    assert "Beschrijf de omgangsregeling" in page
    client.post(
        url,
        plan_post(
            end_date_prognosis="2027-09-01",
            omgangsregeling="Elke zaterdag bij oma, onder begeleiding.",
        ),
    )
    client.post(url, {"action": "set"})
    assert dossier.plans.get().is_set


def test_plan_form_errors_are_shown_next_to_the_field(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    response = client.post(
        reverse("beoordeling:plan", args=[dossier.pk]),
        plan_post(**{"evaluatie-0-due_date": "morgen", "end_date_prognosis": "31-02-2027"}),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vul een geldige datum in, bijvoorbeeld 2027-03-01." in html
    assert "Vul een geldige datum in, bijvoorbeeld 2027-06-30." in html
    assert not dossier.plans.exists()


# ---------------------------------------------------------------- printing


def test_the_printed_plan_is_plain_dutch_without_codes_or_reviewer_notes(client, noord, prof, gw):
    dossier, plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    ReviewDecision.objects.create(
        dossier=dossier,
        snapshot=dossier.snapshots.first(),
        child_index=0,
        intervention_code="RGT",
        intervention_name="Relationele Gezinstherapie",
        decision="decline",
        reason="niet_beschikbaar",
        comment="GEHEIME-NOTITIE",
        decided_by=gw,
    )
    client.force_login(prof)
    response = client.get(reverse("beoordeling:plan_print", args=[dossier.pk, plan.version]))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in [
        "Wat speelt er?",
        "Wat willen we bereiken?",
        "Welke hulp krijgt u?",
        "Wanneer kijken we hoe het gaat?",
    ]:
        assert heading in html
    assert "Multi Systeem Therapie" in html
    for internal in [
        "MST",
        "GEHEIME-NOTITIE",
        "Relationele",
        "inhoudsversie",
        "effectief volgens",
        "erkenning",
        "niet_beschikbaar",
    ]:
        assert internal not in html, internal
    assert 'href="/static/css/print.css"' in html
    assert AccessLog.objects.filter(action="print", dossier_id=dossier.pk, user=prof).exists()


def test_a_concept_plan_cannot_be_printed(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    client.post(reverse("beoordeling:plan", args=[dossier.pk]), plan_post())
    assert client.get(reverse("beoordeling:plan_print", args=[dossier.pk, 1])).status_code == 403


# ---------------------------------------------------------------- evaluation


def test_due_and_overdue_evaluations_per_team(client, noord, prof, gw):
    today = timezone.localdate()
    late, _, _ = planned_dossier(
        team=noord, submitter=prof, reviewer=gw, due=today - dt.timedelta(days=5)
    )
    soon, _, _ = planned_dossier(
        team=noord, submitter=prof, reviewer=gw, due=today + dt.timedelta(days=3)
    )
    far, _, _ = planned_dossier(
        team=noord, submitter=prof, reviewer=gw, due=today + dt.timedelta(days=90)
    )
    zuid = TeamFactory(name="Zuid", slug="zuid")
    elsewhere, _, _ = planned_dossier(
        team=zuid, submitter=prof, reviewer=gw, due=today - dt.timedelta(days=1)
    )
    for d, name in [(late, "Laat"), (soon, "Straks"), (far, "Ver"), (elsewhere, "Elders")]:
        Dossier.objects.filter(pk=d.pk).update(family_name=name)
    client.force_login(prof)
    response = client.get(reverse("beoordeling:evaluations"))
    overdue = [row.moment.plan.dossier.family_name for row in response.context["overdue"]]
    due_soon = [row.moment.plan.dossier.family_name for row in response.context["soon"]]
    assert (overdue, due_soon) == (["Laat"], ["Straks"])
    assert "5 dagen te laat" in response.content.decode()


def test_recording_an_evaluation_and_closing(client, noord, prof, gw):
    dossier, _plan, moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    client.force_login(prof)
    url = reverse("beoordeling:evaluation", args=[dossier.pk, moment.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Dit veld is verplicht." in empty.content.decode()
    response = client.post(
        url, {"result": "bereikt", "summary": "Het gaat goed.", "next_step": "afsluiten"}
    )
    assert response.status_code == 302
    record = EvaluationRecord.objects.get(moment=moment)
    assert record.recorded_by == prof and record.result == "bereikt"
    dossier.refresh_from_db()
    assert dossier.status == Status.AFGESLOTEN and dossier.closed_at is not None
    assert AccessLog.objects.filter(action="evaluate", dossier_id=dossier.pk).exists()
    # Closed: nothing more to evaluate.
    assert client.get(url).status_code == 403
