"""The team copied onto each evaluation moment: set on every creation path, and the
evaluations overview that filters on it shows exactly what the join through plan and
dossier showed before."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import EvaluationMoment, EvaluationRecord, Hulpverleningsplan
from beoordeling.services import (
    DUE_SOON_DAYS,
    PlanData,
    evaluation_moments_due,
    evaluation_moments_open,
    plan_save,
)
from dossiers.models import Dossier, Status
from tests.factories import TeamFactory, UserFactory
from tests.helpers import planned_dossier, submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def zuid():
    return TeamFactory(name="Zuid", slug="zuid")


@pytest.fixture
def prof(noord, zuid):
    return UserFactory(professional=True, teams=[noord, zuid])


@pytest.fixture
def gw(noord, zuid):
    return UserFactory(gedragswetenschapper=True, teams=[noord, zuid])


def assert_every_moment_has_its_dossiers_team():
    assert EvaluationMoment.objects.exists()
    wrong = EvaluationMoment.objects.exclude(team=OuterRef("plan__dossier__team"))
    assert not EvaluationMoment.objects.filter(Exists(wrong.filter(pk=OuterRef("pk")))).exists()


def test_the_plan_service_sets_the_team_on_new_and_replaced_moments(zuid, prof, gw):
    dossier, _snapshot = submitted_dossier(team=zuid, submitter=prof)
    request = RequestFactory().post("/")
    request.user = gw
    soon = timezone.localdate() + timedelta(days=5)
    data = PlanData("Beeld", "Doel", "", None, "", [("Gezin", "Bespreken", soon)])
    plan = plan_save(request=request, dossier=dossier, data=data, expected_revision=0)
    data = PlanData("Beeld", "Doel", "", None, "", [("A", "B", soon), ("C", "D", soon)])
    plan_save(request=request, dossier=dossier, data=data, expected_revision=plan.revision)
    assert list(plan.evaluation_moments.values_list("team_id", flat=True)) == [zuid.pk] * 2
    assert_every_moment_has_its_dossiers_team()


def test_the_test_helper_sets_the_team(zuid, prof, gw):
    _dossier, _plan, moment = planned_dossier(team=zuid, submitter=prof, reviewer=gw)
    assert moment.team_id == zuid.pk
    assert_every_moment_has_its_dossiers_team()


def test_demo_data_sets_the_team(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    assert EvaluationMoment.objects.values("team").distinct().count() >= 1
    assert_every_moment_has_its_dossiers_team()
    # and exact open flags (the overview counts from them)
    moments = EvaluationMoment.objects.select_related("plan__dossier")
    assert {m.is_open for m in moments} == {True, False}
    assert all(m.is_open == _due_by_hand(m) for m in moments)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="generate_series: PostgreSQL")
def test_the_scale_benchmarks_generated_rows_set_the_team(prof, gw):
    from benchmarks import scale

    teams = [TeamFactory(name=f"Team {i}", slug=f"team-{i}").pk for i in range(scale.TEAMS)]
    with connection.cursor() as cursor:  # the test's transaction: no pending FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # while seed() rebuilds indexes
    scale.seed({"teams": teams, "prof": prof.pk, "gw": gw.pk}, 0, 200, 0, 0)
    assert EvaluationMoment.objects.values("team").distinct().count() == scale.TEAMS
    assert_every_moment_has_its_dossiers_team()
    moments = EvaluationMoment.objects.select_related("plan__dossier")
    assert all(m.is_open == _due_by_hand(m) for m in moments)


def through_the_dossier(*, team_ids, today, horizon_days=DUE_SOON_DAYS):
    """The overview's query as it was before the team was copied (the reference)."""
    newer_set_plan = Hulpverleningsplan.objects.filter(
        dossier_id=OuterRef("plan__dossier_id"),
        set_at__isnull=False,
        version__gt=OuterRef("plan__version"),
    )
    return (
        EvaluationMoment.objects.filter(
            plan__dossier__team_id__in=team_ids,
            plan__dossier__status=Status.VASTGESTELD,
            plan__set_at__isnull=False,
            due_date__lte=today + timedelta(days=horizon_days),
        )
        .exclude(Exists(EvaluationRecord.objects.filter(moment_id=OuterRef("pk"))))
        .exclude(Exists(newer_set_plan))
        .order_by("due_date", "position", "id")
    )


def mixed_dataset(noord, zuid, prof, gw, today):
    """Both teams: overdue, due soon, due later, recorded, replaced by a newer set plan,
    with a newer concept, closed; plus a third team nobody here is in."""
    elsewhere = TeamFactory(name="West", slug="west")
    for team in (noord, zuid, elsewhere):
        for days in (-20, -1, 0, 3, 14, 15, 40):
            planned_dossier(team=team, submitter=prof, reviewer=gw, due=today + timedelta(days))
        _d, _p, recorded = planned_dossier(team=team, submitter=prof, reviewer=gw, due=today)
        EvaluationRecord.objects.create(
            moment=recorded, result="deels", next_step="doorgaan", recorded_by=gw
        )
        dossier, _p, _old = planned_dossier(team=team, submitter=prof, reviewer=gw, due=today)
        newer = Hulpverleningsplan.objects.create(
            dossier=dossier, version=2, created_by=gw, set_by=gw, set_at=timezone.now()
        )
        EvaluationMoment.for_plan(newer, who="W", what="V2", due_date=today, position=1).save()
        EvaluationMoment.for_plan(newer, who="W", what="V2", due_date=today, position=0).save()
        dossier, _p, _m = planned_dossier(team=team, submitter=prof, reviewer=gw, due=today)
        concept = Hulpverleningsplan.objects.create(dossier=dossier, version=2, created_by=gw)
        EvaluationMoment.for_plan(concept, who="W", what="Concept", due_date=today).save()
        closed, _p, _m = planned_dossier(team=team, submitter=prof, reviewer=gw, due=today)
        Dossier.objects.filter(pk=closed.pk).update(status=Status.AFGESLOTEN)


def test_the_overview_shows_exactly_the_rows_it_showed_before(client, noord, zuid, prof, gw):
    today = timezone.localdate()
    mixed_dataset(noord, zuid, prof, gw, today)
    assert_every_moment_has_its_dossiers_team()
    for team_ids in ([noord.pk], [zuid.pk], [noord.pk, zuid.pk], []):
        for horizon in (0, DUE_SOON_DAYS, 60):
            now = list(evaluation_moments_due(team_ids=team_ids, today=today, horizon_days=horizon))
            before = list(through_the_dossier(team_ids=team_ids, today=today, horizon_days=horizon))
            assert now == before
    both = list(through_the_dossier(team_ids=[noord.pk, zuid.pk], today=today))
    assert len(both) == 2 * 8  # per team: 5 by the horizon, 2 of the newer plan, 1 beside a concept

    client.force_login(gw)
    response = client.get(reverse("beoordeling:evaluations"))
    assert response.status_code == 200
    shown = [row.moment for row in response.context["overdue"] + response.context["soon"]]
    assert shown == both


def _migration(name: str):
    import importlib

    return importlib.import_module(f"beoordeling.migrations.{name}")


def _due_by_hand(moment: EvaluationMoment) -> bool:
    """Waiting for its evaluation, decided row by row: the plan in force of a dossier whose
    plan is set, and no record."""
    evaluated = EvaluationRecord.objects.filter(moment=moment).exists()
    replaced = moment.plan.dossier.plans.filter(
        set_at__isnull=False, version__gt=moment.plan.version
    ).exists()
    return (
        moment.plan.is_set
        and moment.plan.dossier.status == Status.VASTGESTELD
        and not (evaluated or replaced)
    )


def test_the_migrations_make_the_open_flag_exact_and_the_overview_stays(
    client, noord, zuid, prof, gw
):
    """0008 closed the moments evaluated, in a closed dossier, or replaced by a newer set
    plan; 0010 also closes the moments of concept plans (and opens any due moment left
    closed): afterwards ``is_open`` is exactly "due", which the overview counts on."""
    from django.apps import apps

    today = timezone.localdate()
    mixed_dataset(noord, zuid, prof, gw, today)  # made by hand: flags as the rows were made
    EvaluationMoment.objects.update(is_open=True)  # as before 0008, concepts included
    _migration("0008_evaluation_moment_is_open").close_ended_moments(apps, None)
    assert EvaluationMoment.objects.filter(is_open=False).count() == 3 * 3  # per team
    due = EvaluationMoment.objects.filter(plan__dossier__team=noord, plan__version=1).first()
    EvaluationMoment.objects.filter(pk=due.pk).update(is_open=False)  # a due one left closed
    _migration("0010_evaluation_moment_is_open_exact").open_exactly_the_due_moments(apps, None)
    for moment in EvaluationMoment.objects.select_related("plan__dossier"):
        assert moment.is_open == _due_by_hand(moment), moment
    assert EvaluationMoment.objects.filter(is_open=False).count() == 4 * 3  # per team
    for team_ids in ([noord.pk], [zuid.pk], [noord.pk, zuid.pk]):
        now = list(evaluation_moments_due(team_ids=team_ids, today=today, horizon_days=60))
        assert now == list(through_the_dossier(team_ids=team_ids, today=today, horizon_days=60))


def test_the_overview_counts_from_the_open_flag_what_it_shows(client, noord, zuid, prof, gw):
    """With exact flags, the index-only count equals the rows the full check finds, for
    every team set and horizon; the page's counts are the rows it shows."""
    from django.apps import apps

    today = timezone.localdate()
    mixed_dataset(noord, zuid, prof, gw, today)
    _migration("0010_evaluation_moment_is_open_exact").open_exactly_the_due_moments(apps, None)
    for team_ids in ([noord.pk], [zuid.pk], [noord.pk, zuid.pk], []):
        for horizon in (0, DUE_SOON_DAYS, 60):
            due = evaluation_moments_due(team_ids=team_ids, today=today, horizon_days=horizon)
            flagged = evaluation_moments_open(team_ids=team_ids, today=today, horizon_days=horizon)
            flagged_ids = set(flagged.values_list("pk", flat=True))
            assert flagged_ids == set(due.values_list("pk", flat=True))
    client.force_login(gw)
    response = client.get(reverse("beoordeling:evaluations"))
    late, soon = response.context["late_page"], response.context["soon_page"]
    assert late.paginator.count == len(response.context["overdue"]) == 2 * 2  # -20, -1 days
    assert soon.paginator.count == len(response.context["soon"]) == 2 * 6
    assert not late.paginator.more and not soon.paginator.more


def test_a_concepts_agreements_are_not_open(client, noord, prof, gw):
    """A concept's agreements are not open, beside the plan in force's (setting a plan
    through the views: test_review's test_plan_is_made_set_and_then_only_changes...)."""
    dossier, _plan, first = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    concept = Hulpverleningsplan.objects.create(dossier=dossier, version=2, created_by=gw)
    draft = EvaluationMoment.for_plan(concept, who="W", what="Nieuw", due_date=timezone.localdate())
    draft.save()
    draft.refresh_from_db()
    first.refresh_from_db()
    assert (draft.is_open, first.is_open) == (False, True)
    today = timezone.localdate()
    counted = evaluation_moments_open(team_ids=[noord.pk], today=today, horizon_days=60)
    assert list(counted.values_list("pk", flat=True)) == [first.pk]


def test_an_evaluation_closes_its_own_moment_only_when_the_help_goes_on(client, noord, prof, gw):
    dossier, plan, first = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    later = EvaluationMoment.for_plan(
        plan, who="W", what="Later", due_date=timezone.localdate() + timedelta(days=90)
    )
    later.save()
    client.force_login(gw)
    url = reverse("beoordeling:evaluation", args=[dossier.pk, first.pk])
    client.post(url, {"result": "deels", "summary": "", "next_step": "doorgaan"})
    assert dict(plan.evaluation_moments.values_list("what", "is_open")) == {
        first.what: False,
        "Later": True,
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN is PostgreSQL's")
def test_the_overview_reads_the_partial_index_of_open_moments(noord, prof, gw):
    planned_dossier(team=noord, submitter=prof, reviewer=gw)
    due = evaluation_moments_due(team_ids=[noord.pk], today=timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = due[:25].query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        assert "evaluation_open_team_due" in plan, plan
        # The page's count: from the partial index alone, no plan or dossier read.
        counted = evaluation_moments_open(team_ids=[noord.pk], today=timezone.localdate())
        sql, params = counted.order_by().values("pk")[:251].query.sql_with_params()
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS page", params)  # noqa: S608
        count_plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "evaluation_open_team_due" in count_plan, count_plan
    for joined in (Hulpverleningsplan, Dossier, EvaluationRecord):
        assert joined._meta.db_table not in count_plan, count_plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="CONCURRENTLY is PostgreSQL's")
def test_indexes_built_without_locking_are_valid():
    """CREATE INDEX CONCURRENTLY leaves an invalid index behind when it fails: none here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = "
            "i.indexrelid WHERE c.relname IN ('evaluation_open_team_due', "
            "'accesslog_action_recent', 'accesslog_outcome_recent', 'evaluation_team_due')"
        )
        assert dict(cursor.fetchall()) == {
            "evaluation_open_team_due": True,
            "accesslog_action_recent": True,
            "accesslog_outcome_recent": True,
        }


def test_a_moment_without_a_team_is_refused(noord, prof, gw):
    from django.db import IntegrityError, transaction

    _dossier, plan, _moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationMoment.objects.create(plan=plan, who="W", what="W", due_date=timezone.localdate())


def test_recompute_open_agreements_repairs_what_an_old_server_left(noord, prof, gw):
    """A plan set by a server still on the old release (its agreements left closed) and a
    concept's agreement left open: the command puts both right, and a second run changes
    nothing."""
    from io import StringIO

    from django.core.management import call_command

    _dossier, _plan, set_moment = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    EvaluationMoment.objects.filter(pk=set_moment.pk).update(is_open=False)
    dossier, _plan, _m = planned_dossier(team=noord, submitter=prof, reviewer=gw)
    concept = Hulpverleningsplan.objects.create(dossier=dossier, version=2, created_by=gw)
    draft = EvaluationMoment.for_plan(concept, who="W", what="C", due_date=timezone.localdate())
    draft.is_open = True  # as the old release made it
    draft.save()
    out = StringIO()
    call_command("recompute_open_agreements", stdout=out)
    assert out.getvalue().strip() == "Afspraken over evaluatie nagerekend: 1 gesloten, 1 geopend."
    moments = EvaluationMoment.objects.select_related("plan__dossier")
    assert all(m.is_open == _due_by_hand(m) for m in moments)
    again = StringIO()
    call_command("recompute_open_agreements", stdout=again)
    assert "0 gesloten, 0 geopend" in again.getvalue()
