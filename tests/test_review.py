"""Review by the gedragswetenschapper, the hulpverleningsplan, printing and evaluation."""

import datetime as dt

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import (
    EvaluationMoment,
    EvaluationRecord,
    Hulpverleningsplan,
    ReviewDecision,
)
from beoordeling.services import (
    ReviewInvalid,
    chosen_digest,
    chosen_interventions,
    evaluation_record,
    plan_set,
    review_decide,
    review_undecided,
)
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


def decline_the_rest(client, dossier) -> int:
    """Every suggestion still without a decision declined on the page, as a reviewer who
    chose only some does before setting the plan. Returns how many."""
    undecided = review_undecided(dossier.snapshots.first())
    for child_index, code in undecided:
        response = decide(
            client, dossier, child_index=child_index, code=code, decision="decline",
            reason="voorkeur_gezin",
        )  # fmt: skip
        assert response.status_code == 302, response.status_code
    return len(undecided)


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


def test_a_gedragswetenschapper_starts_at_the_queue_and_a_professional_at_the_dossiers(
    client, gw, prof
):
    client.force_login(gw)
    assert client.get(reverse("home")).url == reverse("beoordeling:queue")
    client.force_login(prof)
    assert client.get(reverse("home")).url == reverse("dossiers:list")


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


def plan_post(dossier, **fields):
    """The plan form as a browser posts it, opened on the concept as it is now."""
    latest = dossier.plans.order_by("-version").first()
    data = {
        "action": "save",
        "revision": latest.revision if latest and not latest.is_set else 0,
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


def confirm_and_set(client, dossier, **fields):
    """Vaststellen as a user does it: confirm what is on screen, then say yes."""
    url = reverse("beoordeling:plan", args=[dossier.pk])
    confirm = client.post(url, plan_post(dossier, action="confirm", **fields))
    assert confirm.status_code == 200, confirm.status_code
    form = {"action": "set", "revision": "", "chosen": ""}
    html = confirm.content.decode()
    for name in ("revision", "chosen"):
        marker = f'name="{name}" value="'
        if marker in html:
            form[name] = html.split(marker, 1)[1].split('"', 1)[0]
    return confirm, client.post(url, form, follow=True)


def test_plan_is_made_set_and_then_only_changes_by_a_new_version(client, gw, prof, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])

    assert client.post(url, plan_post(dossier)).status_code == 302
    confirm, _ = confirm_and_set(client, dossier)
    assert "Neem minstens één interventie over" in confirm.content.decode()
    assert "Ja, plan vaststellen" not in confirm.content.decode()
    assert Hulpverleningsplan.objects.get(dossier=dossier).set_at is None
    # A concept's agreements are not waiting for an evaluation yet.
    assert not EvaluationMoment.objects.filter(plan__dossier=dossier, is_open=True).exists()

    decide(client, dossier, code="MST", decision="accept")
    assert decline_the_rest(client, dossier) >= 1
    confirm_and_set(client, dossier)
    plan = Hulpverleningsplan.objects.get(dossier=dossier)
    assert plan.is_set and plan.set_by == gw
    assert plan.interventions == [
        {"child": "Daan", "code": "MST", "name": "Multi Systeem Therapie"}
    ]
    dossier.refresh_from_db()
    assert dossier.status == Status.VASTGESTELD
    assert AccessLog.objects.filter(action="plan", dossier_id=dossier.pk).count() == 1
    assert AccessLog.objects.filter(action="plan_concept", dossier_id=dossier.pk).count() == 3

    # Saving again starts version 2; version 1 stays as it was, and readable.
    client.post(url, plan_post(dossier, goals_short_term="Nieuwe doelen."))
    assert list(dossier.plans.order_by("version").values_list("version", "goals_short_term")) == [
        (1, "Minder ruzie thuis."),
        (2, "Nieuwe doelen."),
    ]
    old = client.get(reverse("beoordeling:plan_version", args=[dossier.pk, 1])).content.decode()
    assert "Minder ruzie thuis." in old and "Vastgesteld" in old
    # Its agreements are open, version 2's (a concept) not; setting version 2 closes
    # version 1's (no longer due) and opens its own.
    open_by_version = dict(
        EvaluationMoment.objects.filter(plan__dossier=dossier).values_list(
            "plan__version", "is_open"
        )
    )
    assert open_by_version == {1: True, 2: False}
    confirm_and_set(client, dossier, goals_short_term="Nieuwe doelen.")
    assert dossier.plans.get(version=2).is_set
    open_by_version = dict(
        EvaluationMoment.objects.filter(plan__dossier=dossier).values_list(
            "plan__version", "is_open"
        )
    )
    assert open_by_version == {1: False, 2: True}


def test_the_first_plan_waits_until_every_suggestion_has_a_decision(client, gw, submitted):
    dossier, snapshot = submitted
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    decide(client, dossier, code="MST", decision="accept")
    open_ = len(review_undecided(snapshot))
    assert open_ >= 1
    message = f"Beoordeel eerst alle voorgestelde interventies: bij {open_} "
    assert client.post(url, plan_post(dossier)).status_code == 302  # a concept
    assert message in client.get(url).content.decode()  # in the plan page's "missing" list
    confirm, done = confirm_and_set(client, dossier)
    assert message in confirm.content.decode()
    assert "Ja, plan vaststellen" not in confirm.content.decode()
    # Posting "set" anyway (a form kept from before, a forged post) sets nothing.
    chosen = chosen_digest(chosen_interventions(snapshot))
    revision = dossier.plans.get().revision
    page = client.post(
        url, {"action": "set", "revision": revision, "chosen": chosen}, follow=True
    ).content.decode()
    assert message in page
    assert not dossier.plans.get().is_set
    dossier.refresh_from_db()
    assert dossier.status == Status.TER_BEOORDELING
    assert not AccessLog.objects.filter(action="plan", dossier_id=dossier.pk).exists()
    # One left: the message says so, in the singular.
    left = review_undecided(snapshot)
    for child_index, code in left[1:]:
        decide(client, dossier, child_index=child_index, code=code, decision="accept")
    if left:
        assert "bij 1 staat nog geen besluit" in client.get(url).content.decode()
    decline_the_rest(client, dossier)
    confirm, done = confirm_and_set(client, dossier)
    assert "Beoordeel eerst" not in confirm.content.decode()
    assert dossier.plans.get().is_set
    assert "Het hulpverleningsplan is vastgesteld." in done.content.decode()


def test_a_newer_plan_does_not_wait_for_decisions_that_can_no_longer_be_made(
    client, gw, noord, prof
):
    """A plan set with suggestions left open (before this rule): once set, no decision can
    be made any more, so a newer version must not wait for one."""
    dossier, _, _ = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    assert review_undecided(dossier.snapshots.first())
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    assert client.post(url, plan_post(dossier, goals_short_term="Nieuw.")).status_code == 302
    confirm, _ = confirm_and_set(client, dossier, goals_short_term="Nieuw.")
    assert "Beoordeel eerst" not in confirm.content.decode()
    assert dossier.plans.get(version=2).is_set


def test_vaststellen_sets_exactly_what_was_on_screen_after_a_confirmation(client, gw, submitted):
    """The lost edit: typed after "Concept opslaan", then straight to Vaststellen."""
    dossier, _ = submitted
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    decide(client, dossier, code="MST", decision="accept")
    decline_the_rest(client, dossier)
    client.post(url, plan_post(dossier))
    confirm, done = confirm_and_set(client, dossier, goals_short_term="Bewerkt na opslaan.")
    assert "Bewerkt na opslaan." in confirm.content.decode()
    assert "Ja, plan vaststellen" in confirm.content.decode()
    plan = dossier.plans.get()
    assert plan.is_set and plan.goals_short_term == "Bewerkt na opslaan."
    assert "Het hulpverleningsplan is vastgesteld." in done.content.decode()


def test_a_confirmation_that_went_stale_sets_nothing(client, gw, noord, prof, submitted):
    dossier, _ = submitted
    other = UserFactory(gedragswetenschapper=True, teams=[noord])
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    decide(client, dossier, code="MST", decision="accept")
    decline_the_rest(client, dossier)
    confirm = client.post(url, plan_post(dossier, action="confirm")).content.decode()
    revision = confirm.split('name="revision" value="', 1)[1].split('"', 1)[0]
    chosen = confirm.split('name="chosen" value="', 1)[1].split('"', 1)[0]

    # A colleague changes the concept between the confirmation and the yes.
    colleague = Client()
    colleague.force_login(other)
    colleague.post(url, plan_post(dossier, goals_short_term="Van de collega."))
    page = client.post(
        url, {"action": "set", "revision": revision, "chosen": chosen}, follow=True
    ).content.decode()
    assert "Het plan is niet vastgesteld" in page
    assert not dossier.plans.get().is_set

    # A decision changes the chosen help: the old confirmation no longer matches either.
    confirm = client.post(url, plan_post(dossier, action="confirm")).content.decode()
    revision = confirm.split('name="revision" value="', 1)[1].split('"', 1)[0]
    decide(client, dossier, code="MST", decision="decline", reason="voorkeur_gezin")
    client.post(url, {"action": "set", "revision": revision, "chosen": chosen})
    assert not dossier.plans.get().is_set


def test_two_reviewers_saving_the_concept_get_a_conflict_not_a_lost_update(
    client, gw, noord, submitted
):
    dossier, _ = submitted
    other = UserFactory(gedragswetenschapper=True, teams=[noord], first_name="Olga")
    url = reverse("beoordeling:plan", args=[dossier.pk])
    client.force_login(gw)
    client.post(url, plan_post(dossier))
    opened = plan_post(dossier)  # both open the same concept

    colleague = Client()
    colleague.force_login(other)
    assert colleague.post(url, {**opened, "goals_short_term": "Olga's doel."}).status_code == 302
    response = client.post(url, {**opened, "goals_short_term": "Gea's doel."})
    html = response.content.decode()
    assert response.status_code == 409
    assert "iemand anders heeft het plan intussen veranderd" in html
    assert "Gea&#x27;s doel." in html  # the input is kept
    assert dossier.plans.get().goals_short_term == "Olga's doel."
    assert AccessLog.objects.filter(
        action="plan_concept", outcome="conflict", dossier_id=dossier.pk, user=gw
    ).exists()

    # Saving the kept input again replaces the colleague's concept on purpose.
    again = {
        **opened,
        "goals_short_term": "Gea's doel.",
        "revision": response.context["form"]["revision"].value(),
    }
    assert client.post(url, again).status_code == 302
    assert dossier.plans.get().goals_short_term == "Gea's doel."


def test_no_decision_lands_after_the_plan_is_set(client, gw, noord, submitted):
    """The status is checked again inside the decision's transaction (a stale view)."""
    dossier, snapshot = submitted
    client.force_login(gw)
    decide(client, dossier, code="MST", decision="accept")
    decided = 1 + decline_the_rest(client, dossier)
    stale = Dossier.objects.get(pk=dossier.pk)  # read before the plan was set
    confirm_and_set(client, dossier)
    request = RequestFactory().post("/")
    request.user = gw
    with pytest.raises(ReviewInvalid, match="plan is vastgesteld"):
        review_decide(
            request=request,
            dossier=stale,
            snapshot=snapshot,
            child_index=0,
            code="MST",
            decision="decline",
            reason="voorkeur_gezin",
        )
    assert ReviewDecision.objects.filter(dossier=dossier).count() == decided
    # And through the page: refused, with a message, no server error.
    response = decide(client, dossier, code="MST", decision="decline", reason="voorkeur_gezin")
    assert response.status_code == 403
    assert ReviewDecision.objects.filter(dossier=dossier).count() == decided


def test_a_placed_child_needs_an_end_date_and_an_omgangsregeling(client, gw, noord, prof):
    dossier, _ = submitted_dossier(team=noord, submitter=prof, placement="uit_huis_geplaatst")
    client.force_login(gw)
    decide(client, dossier, code="MST", decision="accept")
    decline_the_rest(client, dossier)
    confirm, _ = confirm_and_set(client, dossier)
    page = confirm.content.decode()
    assert "Geef een verwachte einddatum" in page
    assert "Beschrijf de omgangsregeling" in page
    end = (timezone.localdate() + dt.timedelta(days=300)).strftime("%d-%m-%Y")
    confirm_and_set(
        client,
        dossier,
        end_date_prognosis=end,
        omgangsregeling="Elke zaterdag bij oma, onder begeleiding.",
    )
    assert dossier.plans.get().is_set


def test_plan_dates_have_dutch_messages_and_bounds(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    url = reverse("beoordeling:plan", args=[dossier.pk])
    today = timezone.localdate()
    cases = [
        ({"evaluatie-0-due_date": "morgen"}, "bijvoorbeeld"),
        ({"end_date_prognosis": "31-02-2027"}, "bestaat niet"),
        ({"evaluatie-0-due_date": (today - dt.timedelta(days=1)).isoformat()}, "ligt vóór"),
        ({"evaluatie-0-due_date": "01-01-9999"}, "ligt na"),
        ({"end_date_prognosis": "01-01-0001"}, "ligt vóór"),
    ]
    for fields, message in cases:
        response = client.post(url, plan_post(dossier, **fields))
        assert response.status_code == 400, fields
        assert message in response.content.decode(), fields
    assert not dossier.plans.exists()


def test_an_agreement_that_passed_while_in_concept_blocks_setting(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    decide(client, dossier, code="MST", decision="accept")
    client.post(reverse("beoordeling:plan", args=[dossier.pk]), plan_post(dossier))
    dossier.plans.get().evaluation_moments.update(due_date=timezone.localdate() - dt.timedelta(1))
    request = RequestFactory().post("/")
    request.user = gw
    plan = dossier.plans.get()
    with pytest.raises(ReviewInvalid, match="in het verleden"):
        plan_set(
            request=request,
            dossier=dossier,
            snapshot=dossier.snapshots.first(),
            expected_revision=plan.revision,
            expected_chosen=chosen_digest(chosen_interventions(dossier.snapshots.first())),
        )
    assert not dossier.plans.get().is_set


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
    # Per child, what the help is in plain Dutch; who to call; where to sign.
    assert "Voor Daan" in html
    assert "Het doel: het ernstige probleemgedrag van de jongere wordt minder" in html
    assert prof.get_full_name() in html and "Wijkteam Noord" in html
    assert "Handtekening" in html and "data-print" in html
    assert AccessLog.objects.filter(action="print", dossier_id=dossier.pk, user=prof).exists()


def test_the_plan_as_pdf_holds_the_letter_and_is_logged_like_printing(client, noord, prof, gw):
    import io

    from pypdf import PdfReader

    dossier, plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    client.force_login(prof)
    response = client.get(reverse("beoordeling:plan_pdf", args=[dossier.pk, plan.version]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert dossier.family_name not in response["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in ["Voor Daan", "Multi Systeem Therapie", "Pim Prof", "Handtekening"]:
        assert expected in text, expected
    assert "Downloaden als pdf" not in text
    assert AccessLog.objects.filter(action="pdf", dossier_id=dossier.pk, user=prof).exists()


def test_a_concept_plan_cannot_be_printed(client, gw, submitted):
    dossier, _ = submitted
    client.force_login(gw)
    client.post(reverse("beoordeling:plan", args=[dossier.pk]), plan_post(dossier))
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
    # Evaluated, and the dossier closed: none of its agreements is open any more.
    assert not EvaluationMoment.objects.filter(plan__dossier=dossier, is_open=True).exists()
    assert AccessLog.objects.filter(action="evaluate", dossier_id=dossier.pk).exists()
    # Closed: nothing more to evaluate.
    assert client.get(url).status_code == 403


def test_a_double_evaluation_save_stores_one_record_and_tells_the_second_person(
    client, noord, prof, gw
):
    """A double click is one record and no error; a second person who saved the same
    moment a moment later is told their input was not saved (never a silent loss)."""
    dossier, _plan, moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    url = reverse("beoordeling:evaluation", args=[dossier.pk, moment.pk])
    data = {"result": "deels", "summary": "Eerste.", "next_step": "doorgaan"}
    client.force_login(prof)
    other = Client()
    other.force_login(gw)
    first = client.post(url, data, follow=True)
    again = client.post(url, data, follow=True)  # a double click
    second = other.post(url, {**data, "summary": "Tweede."}, follow=True)
    for response in (first, again):
        assert response.status_code == 200
        assert "De evaluatie is vastgelegd." in response.content.decode()
    text = second.content.decode()
    assert second.status_code == 200 and "De evaluatie is vastgelegd." not in text
    assert "al vastgelegd door" in text and "niet opgeslagen" in text
    assert EvaluationRecord.objects.filter(moment=moment).get().summary == "Eerste."
    rows = AccessLog.objects.filter(action="evaluate", dossier_id=dossier.pk)
    assert rows.filter(outcome="ok").count() == 1
    assert rows.filter(outcome="conflict", user=gw).count() == 1


def test_no_evaluation_on_an_agreement_of_an_unset_concept(client, noord, prof, gw):
    dossier, _plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    concept = Hulpverleningsplan.objects.create(dossier=dossier, version=2, created_by=gw)
    later = concept.evaluation_moments.create(
        team=noord,
        who="Ouders",
        what="Bespreken",
        due_date=timezone.localdate() + dt.timedelta(days=9),
    )
    client.force_login(prof)
    url = reverse("beoordeling:evaluation", args=[dossier.pk, later.pk])
    data = {"result": "bereikt", "summary": "", "next_step": "afsluiten"}
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    request = RequestFactory().post("/")
    request.user = prof
    with pytest.raises(ReviewInvalid, match="hoort niet bij het plan dat nu geldt"):
        evaluation_record(request=request, dossier=dossier, moment=later, **data)
    dossier.refresh_from_db()
    assert dossier.status == Status.VASTGESTELD and not EvaluationRecord.objects.exists()
