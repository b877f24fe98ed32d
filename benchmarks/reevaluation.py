"""Benchmark: re-evaluating every open dossier after a content publication.

Run (PostgreSQL, as production):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rs_bench bash scripts/benchmark --reevaluation

Creates a throwaway database (``test_<name>``) with N open dossiers (default 100,000;
``RICHTSNOER_BENCH_DOSSIERS``) of one to three children each, publishes a content change
and prints:
- how long the publish itself takes (target: under 1 s whatever the number of dossiers;
  the re-evaluation is only queued, for the worker);
- the worker time of the re-evaluation of all open dossiers, the throughput in dossiers
  per second, and the ratio to the target (all of them within 60 s).
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from dossiers.models import Dossier, Jeugdige, Status, Team  # noqa: E402
from impact.models import ImpactRun  # noqa: E402
from impact.services import impact_run_execute  # noqa: E402
from interventies.models import Interventie  # noqa: E402
from richtlijnen.content import content_read_files, content_version  # noqa: E402
from richtlijnen.versions import content_import, draft_bundle, draft_publish  # noqa: E402

TARGET_SECONDS = 60.0
PUBLISH_TARGET_SECONDS = 1.0
DOSSIERS = int(os.environ.get("RICHTSNOER_BENCH_DOSSIERS", "100000"))
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def make_dossiers(n: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    bundle = draft_bundle()
    child_codes = [p.code for p in bundle.vocabulary.problem_areas if p.level == "jeugdige"]
    family_codes = [p.code for p in bundle.vocabulary.problem_areas if p.level == "gezin"]
    placements = [p.code for p in bundle.vocabulary.placements]
    user = get_user_model().objects.create(username="bench")
    teams = [Team.objects.create(name=f"Team {i}", slug=f"team-{i}") for i in range(20)]
    today = timezone.localdate()
    statuses = [Status.CONCEPT, Status.TER_BEOORDELING, Status.VASTGESTELD]
    batch = 5000
    for start in range(0, n, batch):
        dossiers = [
            Dossier(
                team=rng.choice(teams),
                family_name="Bench",
                status=rng.choice(statuses),
                crisis=rng.random() < 0.1,
                placement=rng.choice(placements),
                family_problems=rng.sample(family_codes, rng.randint(0, 2)),
                created_by=user,
                updated_by=user,
            )
            for _ in range(min(batch, n - start))
        ]
        Dossier.objects.bulk_create(dossiers)
        children = [
            Jeugdige(
                dossier=d,
                first_name="Kind",
                position=p,
                birth_date=date(today.year - rng.randint(1, 20), rng.randint(1, 12), 1),
                problems=rng.sample(child_codes, rng.randint(0, 3)),
            )
            for d in dossiers
            for p in range(rng.randint(1, 3))
        ]
        Jeugdige.objects.bulk_create(children)
        print(f"  {start + len(dossiers):>7} dossiers aangemaakt", end="\r", flush=True)
    print()


def profiled(function, *args, **kwargs):
    """With RICHTSNOER_BENCH_PROFILE=1: where the time goes (top 12 by own time)."""
    if os.environ.get("RICHTSNOER_BENCH_PROFILE") != "1":
        return function(*args, **kwargs)
    import cProfile
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(function, *args, **kwargs)
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    return result


def main() -> None:
    if connection.vendor != "postgresql":
        print("Let op: dit is SQLite; de doelen gelden voor PostgreSQL (zet DATABASE_URL).")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"Database: {name} ({connection.vendor})")
        content_import(bundle=content_read_files(ROOT), publish=True, user_name="benchmark")
        started = time.perf_counter()
        make_dossiers(DOSSIERS)
        print(f"Opbouw: {time.perf_counter() - started:.1f} s")
        open_count = Dossier.objects.exclude(status=Status.AFGESLOTEN).count()

        mst = Interventie.objects.get(code="MST")
        mst.age_max = 14  # fewer children
        mst.save()
        reviewer = get_user_model().objects.create(username="bench-reviewer")
        gc.collect()
        with override_settings(TASKS=DB_TASKS):
            started = time.perf_counter()
            version = profiled(  # the publish request's work: checks, version, queued task
                draft_publish,
                user=reviewer,
                draft_hash=content_version(draft_bundle()),
                release_note="benchmark",
            )
            publish_seconds = time.perf_counter() - started
        run = ImpactRun.objects.get(new_version=version)
        assert run.state == ImpactRun.State.WAITING, "the publish must only queue the work"
        assert content_version(draft_bundle()) == version.content_hash

        started = time.perf_counter()
        profiled(impact_run_execute, run.pk)  # what the worker runs
        worker_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.state == ImpactRun.State.DONE and run.done == open_count

        rate = open_count / worker_seconds
        print(
            f"Publiceren (de request): {publish_seconds * 1000:.0f} ms "
            f"(doel < {PUBLISH_TARGET_SECONDS:.0f} s; "
            f"ratio {publish_seconds / PUBLISH_TARGET_SECONDS:.2f})"
        )
        print(
            f"Herbeoordeling: {open_count} open dossiers in {worker_seconds:.1f} s werkertijd "
            f"= {rate:,.0f} dossiers/s"
        )
        print(
            f"  {run.dossiers_changed} dossiers ({run.children_changed} kinderen) met een melding"
        )
        print(
            f"  ratio tot het doel ({TARGET_SECONDS:.0f} s): {worker_seconds / TARGET_SECONDS:.2f} "
            f"({'binnen' if worker_seconds <= TARGET_SECONDS else 'BUITEN'} het doel)"
        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
