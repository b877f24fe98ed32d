"""Shared builders for tests that need a submitted or planned dossier."""

import datetime as dt

from django.utils import timezone

from beoordeling.models import EvaluationMoment, Hulpverleningsplan, ReviewDecision
from dossiers.factories import DossierFactory, JeugdigeFactory
from dossiers.models import Dossier, Status
from dossiers.services import snapshot_create
from interventies.selectors import current_catalogue

MST_PROBLEMS = ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"]


def submitted_dossier(*, team, submitter, placement="uithuisplaatsing_overwogen", **fields):
    """A dossier with a 15-year-old (MST problems), submitted with its suggestions stored."""
    dossier = DossierFactory(
        team=team, created_by=submitter, placement=placement, children=[], **fields
    )
    today = timezone.localdate()
    JeugdigeFactory(
        dossier=dossier,
        first_name="Daan",
        birth_date=dt.date(today.year - 15, 1, 1),
        problems=MST_PROBLEMS,
    )
    snapshot = snapshot_create(dossier=dossier, catalogue=current_catalogue(), user=submitter)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.TER_BEOORDELING, submitted_by=submitter, submitted_at=timezone.now()
    )
    dossier.refresh_from_db()
    return dossier, snapshot


def planned_dossier(*, team, submitter, reviewer, due=None):
    """A submitted dossier whose plan (version 1, MST accepted) is set, with one evaluation."""
    dossier, snapshot = submitted_dossier(team=team, submitter=submitter)
    ReviewDecision.objects.create(
        dossier=dossier,
        snapshot=snapshot,
        child_index=0,
        intervention_code="MST",
        intervention_name="Multi Systeem Therapie",
        decision="accept",
        decided_by=reviewer,
    )
    plan = Hulpverleningsplan.objects.create(
        dossier=dossier,
        version=1,
        problem_picture="Beeld",
        goals_short_term="Doel",
        interventions=[{"child": "Daan", "code": "MST", "name": "Multi Systeem Therapie"}],
        created_by=reviewer,
        set_by=reviewer,
        set_at=timezone.now(),
    )
    moment = EvaluationMoment.for_plan(
        plan,
        who="Gedragswetenschapper",
        what="Doelen bespreken",
        due_date=due or timezone.localdate() + dt.timedelta(days=30),
    )
    moment.save()
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.VASTGESTELD)
    dossier.refresh_from_db()
    return dossier, plan, moment


def publish_draft(note: str = "Test: het concept gepubliceerd"):
    """Publish the draft as it is now (the four-eyes checks are tested on their own)."""
    from richtlijnen.models import ContentVersion
    from richtlijnen.versions import draft_bundle, version_publish

    return version_publish(
        bundle=draft_bundle(), source=ContentVersion.Source.REVIEW, release_note=note
    )


def session_passed_both_steps(session, user, *, at: float = 0) -> None:
    """Mark a login session as after password and authenticator code (django-allauth's own
    record of the steps taken), and save it."""
    session["account_authentication_methods"] = [
        {"method": "password", "at": at, "username": user.get_username()},
        {"method": "mfa", "at": at, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
