"""Demo data for trying Richtsnoer locally. Never for production (the command refuses).

Teams Noord and Zuid, one user per role, and about twenty fictitious families built with
the factory-boy factories, spread over the statuses and situations.
"""

from __future__ import annotations

import random
from datetime import timedelta

import factory.random
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.mfa import user_has_authenticator_app
from accounts.services import DEMO_TOTP_SECRET, authenticator_app_set
from dossiers.factories import DossierFactory, JeugdigeFactory, NetwerklidFactory, OuderFactory
from dossiers.models import Dossier, Status, Team
from dossiers.services import snapshot_create
from interventies.selectors import current_catalogue
from richtlijnen.roles import (
    CONTENT_ADMIN,
    GEDRAGSWETENSCHAPPER,
    PRIVACY_OFFICER,
    PROFESSIONAL,
    sync_role_groups,
)

DEMO_PASSWORD = "richtsnoer-demo"  # noqa: S105 - demo only; seed_demo refuses without DEBUG

TEAMS = [("Noord", "noord"), ("Zuid", "zuid")]

DEMO_USERS = [
    # username, first name, last name, roles, teams, staff
    ("demo-wijkteam-noord", "Noor", "de Vries", [PROFESSIONAL], ["noord"], False),
    ("demo-wijkteam-zuid", "Sam", "Jansen", [PROFESSIONAL], ["zuid"], False),
    ("demo-gw-noord", "Gert", "Wouters", [GEDRAGSWETENSCHAPPER], ["noord"], False),
    ("demo-beheer", "Bea", "Heer", [CONTENT_ADMIN], [], True),
    # A second content admin: publishing needs four eyes (one edits, the other publishes).
    ("demo-beheer-2", "Bart", "Bakker", [CONTENT_ADMIN], [], True),
    # The privacy officer: the organisation-wide access log, no dossier contents.
    ("demo-privacy", "Petra", "Vos", [PRIVACY_OFFICER], [], False),
]

# (situation, crisis, family problems, [(age band trait, child problems)], status)
SCENARIOS = [
    (
        "uithuisplaatsing_overwogen",
        False,
        [],
        [("teenager", ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"])],
        Status.CONCEPT,
    ),
    (
        "uithuisplaatsing_overwogen",
        True,
        ["opvoedingsproblemen"],
        [("young_child", [])],
        Status.TER_BEOORDELING,
    ),
    ("uithuisplaatsing_overwogen", False, [], [("teenager", ["middelengebruik"])], Status.CONCEPT),
    (
        "uithuisplaatsing_overwogen",
        False,
        [],
        [(None, ["mishandeling_verwaarlozing"])],
        Status.TER_BEOORDELING,
    ),
    (
        "thuis",
        False,
        ["meervoudige_problematiek"],
        [("teenager", ["schooluitval"])],
        Status.CONCEPT,
    ),
    (
        "uithuisplaatsing_overwogen",
        False,
        ["schulden", "opvoedingsproblemen"],
        [("teenager", ["antisociaal_gedrag", "recidiverisico_matig_hoog"]), ("young_child", [])],
        Status.VASTGESTELD,
    ),
    (
        "thuis",
        False,
        ["opvoedingsproblemen", "beperkt_netwerk"],
        [("young_child", []), (None, ["emotionele_problemen"])],
        Status.CONCEPT,
    ),
    (
        "uit_huis_geplaatst",
        False,
        ["ouder_kind_relatie"],
        [("young_child", [])],
        Status.TER_BEOORDELING,
    ),
    (
        "terugplaatsing",
        False,
        ["opvoedingsproblemen"],
        [(None, ["ernstige_gedragsproblemen"])],
        Status.VASTGESTELD,
    ),
    (
        "na_vertrek_naar_huis",
        False,
        [],
        [("teenager", ["ernstige_gedragsproblemen"])],
        Status.CONCEPT,
    ),
    ("na_vertrek_zelfstandig", False, [], [("teenager", ["lvb"])], Status.AFGESLOTEN),
    (
        "jeugdzorgplus_overwogen",
        False,
        ["meervoudige_problematiek", "moeilijk_bereikbaar"],
        [
            (
                "teenager",
                ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden", "delinquentie"],
            )
        ],
        Status.TER_BEOORDELING,
    ),
    (
        "thuis",
        True,
        ["huiselijk_geweld"],
        [("young_child", []), ("young_child", [])],
        Status.CONCEPT,
    ),
    (
        "uithuisplaatsing_overwogen",
        False,
        ["meervoudige_problematiek", "moeilijk_bereikbaar"],
        [(None, []), ("teenager", ["schooluitval"])],
        Status.CONCEPT,
    ),
    (
        "thuis",
        False,
        ["psychische_problemen_ouder", "schulden"],
        [(None, ["psychische_problemen"])],
        Status.AFGESLOTEN,
    ),
    (
        "uithuisplaatsing_overwogen",
        False,
        ["verslaving_ouder"],
        [("young_child", [])],
        Status.CONCEPT,
    ),
    (
        "uit_huis_geplaatst",
        False,
        ["opvoedingsproblemen"],
        [(None, ["emotionele_problemen"])],
        Status.VASTGESTELD,
    ),
    ("thuis", False, [], [("teenager", ["delinquentie"])], Status.TER_BEOORDELING),
    (
        "uithuisplaatsing_overwogen",
        False,
        ["lvb_ouder", "opvoedingsproblemen"],
        [("young_child", []), (None, [])],
        Status.CONCEPT,
    ),
    ("terugplaatsing", False, ["ouder_kind_relatie"], [(None, [])], Status.CONCEPT),
    ("thuis", False, [], [(None, [])], Status.INGETROKKEN),  # created by mistake
]


def _users() -> tuple[list[str], dict[str, object]]:
    user_model = get_user_model()
    created, by_name = [], {}
    teams = {t.slug: t for t in Team.objects.all()}
    for username, first, last, roles, team_slugs, staff in DEMO_USERS:
        user, was_created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "is_staff": staff}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(username)
        user.groups.set(Group.objects.filter(name__in=roles))
        user.teams.set([teams[s] for s in team_slugs])
        if not user_has_authenticator_app(user):
            authenticator_app_set(user=user, secret=DEMO_TOTP_SECRET)
        by_name[username] = user
    return created, by_name


@transaction.atomic
def demo_seed(families: bool = True) -> list[str]:
    """Create the demo teams, users and (once) families. Returns the usernames created."""
    sync_role_groups()
    for name, slug in TEAMS:
        Team.objects.get_or_create(slug=slug, defaults={"name": name})
    created, users = _users()
    if families and not Dossier.objects.filter(team__slug__in=[s for _n, s in TEAMS]).exists():
        _families(users)
    return created


def _families(users) -> None:
    factory.random.reseed_random("richtsnoer-demo")  # the same families every time
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    catalogue = current_catalogue()
    teams = {t.slug: t for t in Team.objects.all()}
    for number, (placement, crisis, family_problems, children, status) in enumerate(SCENARIOS):
        slug = "noord" if number % 3 != 2 else "zuid"
        author = users["demo-wijkteam-noord" if slug == "noord" else "demo-wijkteam-zuid"]
        dossier = DossierFactory(
            team=teams[slug],
            created_by=author,
            placement=placement,
            crisis=crisis,
            family_problems=family_problems,
            verklarende_analyse=(
                "Fictief demogezin. Eerdere hulp: opvoedondersteuning via het wijkteam; "
                "dat hielp niet genoeg."
            ),
            children=[],
        )
        for position, (band, problems) in enumerate(children):
            JeugdigeFactory(
                dossier=dossier,
                problems=problems,
                position=position,
                **({band: True} if band else {}),
            )
        OuderFactory.create_batch(rng.randint(1, 2), dossier=dossier)
        NetwerklidFactory.create_batch(rng.randint(0, 2), dossier=dossier)
        if status == Status.INGETROKKEN:
            Dossier.objects.filter(pk=dossier.pk).update(status=status)
        elif status != Status.CONCEPT:
            snapshot = snapshot_create(dossier=dossier, catalogue=catalogue, user=author)
            Dossier.objects.filter(pk=dossier.pk).update(
                status=status,
                submitted_at=timezone.now(),
                submitted_by=author,
                closed_at=timezone.now() if status == Status.AFGESLOTEN else None,
            )
            _work_through(dossier, snapshot, status, number, users["demo-gw-noord"])


def _work_through(dossier, snapshot, status, number: int, reviewer) -> None:
    """Bring a submitted demo family to its stage: partly reviewed, plan set, evaluated,
    closed; so the queue, the plan, the evaluations overview and erasure have real data."""
    from beoordeling.models import (
        EvaluationMoment,
        EvaluationRecord,
        Hulpverleningsplan,
        ReviewDecision,
    )

    suggestions = [
        (index, item)
        for index, child in enumerate(snapshot.result["children"])
        for item in child["suggestions"]
    ]
    if status == Status.TER_BEOORDELING:
        suggestions = suggestions[: number % 2]  # every other one is half reviewed
    chosen = []
    for index, item in suggestions:
        ReviewDecision.objects.create(
            dossier=dossier,
            snapshot=snapshot,
            child_index=index,
            intervention_code=item["code"],
            intervention_name=item["name"],
            decision=ReviewDecision.Decision.ACCEPT,
            decided_by=reviewer,
        )
        label = snapshot.result["children"][index]["label"] or f"Kind {index + 1}"
        chosen.append({"child": label, "code": item["code"], "name": item["name"]})
    if status not in (Status.VASTGESTELD, Status.AFGESLOTEN):
        return
    today = timezone.localdate()
    plan = Hulpverleningsplan.objects.create(
        dossier=dossier,
        version=1,
        problem_picture="Fictief demogezin: de zorgen hangen samen met spanningen thuis.",
        goals_short_term="Rust in huis en een vast dagritme.",
        goals_long_term="Het gezin kan zelf verder met steun uit het netwerk.",
        end_date_prognosis=today + timedelta(days=180),
        interventions=chosen,
        created_by=reviewer,
        set_by=reviewer,
        set_at=timezone.now(),
    )
    # one evaluation overdue, one soon, one later: the overview shows every kind
    due = today + timedelta(days=(-7, 10, 60)[number % 3])
    moment = EvaluationMoment.for_plan(
        plan, who="Gedragswetenschapper en gezin", what="Doelen bespreken", due_date=due
    )
    moment.save()
    if status == Status.AFGESLOTEN or number % 2:
        EvaluationRecord.objects.create(
            moment=moment,
            result=EvaluationRecord.Result.REACHED
            if status == Status.AFGESLOTEN
            else EvaluationRecord.Result.PARTLY,
            summary="Fictief: besproken met het gezin.",
            next_step=EvaluationRecord.NextStep.CLOSE
            if status == Status.AFGESLOTEN
            else EvaluationRecord.NextStep.CONTINUE,
            recorded_by=reviewer,
        )
        EvaluationMoment.objects.filter(pk=moment.pk).update(is_open=False)  # evaluated
        if status == Status.VASTGESTELD:
            EvaluationMoment.for_plan(
                plan,
                who="Gedragswetenschapper en gezin",
                what="Volgende evaluatie",
                due_date=today + timedelta(days=90),
                position=1,
            ).save()
