"""Scale benchmark: every page at 1,000 and at 1,000,000 dossiers, side by side.

Run: bash scripts/benchmark --scale [--dossiers N] [--log-rows N] [--base N] [--runs N]
                                    [--load-seconds S] [--rounds N] [--skip-load]
                                    [--workers 2,4]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
richtsnoer_scale; the database is dropped and made anew). Not part of the test run.

1. Builds the schema, loads the shipped content, makes 20 teams and one professional and
   one gedragswetenschapper in the first team.
2. Seeds ``--base`` dossiers (with children, every status, set plans with evaluation
   moments) and ten access-log rows per dossier, generated inside PostgreSQL
   (INSERT ... SELECT FROM generate_series: no rows travel over the wire), and measures
   each page in-process: query count, median time over ``--runs`` requests, response size.
3. Grows the same database to ``--dossiers`` dossiers and ``--log-rows`` log rows and
   measures again; prints both side by side with the ratio.
4. Starts gunicorn (loopback, port BENCH_PORT or 8107) with ``--workers`` sync workers
   (default: 2, as the issue measured, and 2 × cores, the README's production rule) and
   drives the live suggestion partial (autosave) and a trivial logged-in view (the home
   redirect) from 1 and from 4 client processes: requests/s, p50, p95, and the partial's
   share of the trivial view's throughput.

With REDIS_URL set, sessions are read from Redis (cached_db), as in production.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/richtsnoer_scale"
TEAMS = 20
SURNAMES = [
    "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "de Jong", "van Dijk", "Schouten", "van Beek", "Willems", "van Vliet",
    "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal",
    "Prins", "Blom", "Huisman", "Peeters", "de Kort", "Kuipers",
]  # fmt: skip
RARE_NAME = "Zwartkruis-Oudejans"


def configure(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("RICHTSNOER_LOG_LEVEL", "WARNING")


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- seeding (in PostgreSQL)


def table(app_label: str, model: str) -> str:
    from django.apps import apps

    return apps.get_model(app_label, model)._meta.db_table


def setup_world() -> dict:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from dossiers.models import Team
    from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL

    call_command("migrate", verbosity=0)
    call_command("load_content", publish=True, verbosity=0)
    teams = [Team.objects.create(name=f"Team {i:02d}", slug=f"team-{i:02d}") for i in range(TEAMS)]
    prof = User.objects.create_user("bench-prof", password="x", first_name="Pim")
    gw = User.objects.create_user("bench-gw", password="x", first_name="Gea")
    prof.groups.add(Group.objects.get_or_create(name=PROFESSIONAL)[0])
    gw.groups.add(Group.objects.get_or_create(name=GEDRAGSWETENSCHAPPER)[0])
    teams[0].members.add(prof, gw)
    return {"teams": [t.pk for t in teams], "prof": prof.pk, "gw": gw.pk}


def seed(world: dict, start: int, stop: int, log_start: int, log_stop: int) -> float:
    """Dossiers ``start..stop-1`` and log rows ``log_start..log_stop-1``; returns seconds."""
    from django.apps import apps
    from django.db import connection

    began = time.perf_counter()
    dossier, child = table("dossiers", "Dossier"), table("dossiers", "Jeugdige")
    plan, moment = (
        table("beoordeling", "Hulpverleningsplan"),
        table("beoordeling", "EvaluationMoment"),
    )
    log = table("toegang", "AccessLog")
    teams = "ARRAY[" + ",".join(str(t) for t in world["teams"]) + "]::bigint[]"
    names = "ARRAY[" + ",".join("'" + n.replace("'", "''") + "'" for n in SURNAMES) + "]"
    prof, gw = world["prof"], world["gw"]
    # Dossier i: team (i / 10) % 20; status by i % 10 (4 concept, 1 ter beoordeling, 3 vastgesteld,
    # 2 afgesloten); last activity spread over a year.
    status = (
        "CASE WHEN i % 10 < 4 THEN 'concept' WHEN i % 10 = 4 THEN 'ter_beoordeling' "
        "WHEN i % 10 < 8 THEN 'vastgesteld' ELSE 'afgesloten' END"
    )
    steps = [
        f"""
        INSERT INTO {dossier} (id, team_id, family_name, status, crisis, placement,
            family_problems, verklarende_analyse, version, created_at, updated_at,
            submitted_at, closed_at, created_by_id, submitted_by_id, updated_by_id)
        SELECT md5('d' || i)::uuid, ({teams})[(1 + (i / 10) % {TEAMS})::int],
            ({names})[(1 + (i * 7919) % {len(SURNAMES)})::int] || ' ' || (i % 9973), {status},
            false, 'thuis', '[]', '', 1,
            now() - interval '2 years', now() - ((i * 104729) % 525600) * interval '1 minute',
            CASE WHEN i % 10 >= 4 THEN now() - ((i * 31) % 90) * interval '1 day' END,
            CASE WHEN i % 10 >= 8 THEN now() - interval '10 days' END,
            {prof}, CASE WHEN i % 10 >= 4 THEN {prof} END, {prof}
        FROM generate_series({start}::bigint, {stop - 1}) AS i
        """,
        f"""
        INSERT INTO {child} (first_name, birth_date, problems, position, dossier_id)
        SELECT 'Kind', date '2010-01-01' + (i % 5000)::int, '[]', k, md5('d' || i)::uuid
        FROM generate_series({start}::bigint, {stop - 1}) AS i, generate_series(0, i % 3) AS k
        """,
        f"""
        INSERT INTO {plan} (id, version, problem_picture, goals_short_term, goals_long_term,
            omgangsregeling, interventions, created_at, set_at, created_by_id, dossier_id,
            set_by_id, revision)
        SELECT md5('p' || i)::uuid, 1, '', '', '', '', '[]', now() - interval '60 days',
            now() - interval '59 days', {gw}, md5('d' || i)::uuid, {gw}, 1
        FROM generate_series({start}::bigint, {stop - 1}) AS i WHERE i % 10 BETWEEN 5 AND 9
        """,
        f"""
        INSERT INTO {moment} (id, who, what, due_date, position, plan_id, team_id, is_open)
        SELECT md5('m' || i)::uuid, 'Wijkteam', 'Evaluatie van het plan',
            current_date + ((i * 13) % 120 - 60)::int, 0, md5('p' || i)::uuid,
            ({teams})[(1 + (i / 10) % {TEAMS})::int], i % 10 < 8
        -- (i % 10 of 8 and 9: closed dossiers, whose agreements are no longer open)
        FROM generate_series({start}::bigint, {stop - 1}) AS i WHERE i % 10 BETWEEN 5 AND 9
        """,
    ]
    # The access log's hash chain (toegang): filled, not chained (the benchmark never
    # verifies it; the app's own rows chain on from whatever the head is).
    columns = {f.column for f in apps.get_model("toegang", "AccessLog")._meta.concrete_fields}
    chained = {"prev_hash", "hash"} <= columns
    hash_columns = ", prev_hash, hash" if chained else ""
    hash_values = ", repeat('0', 64), md5(g::text) || md5(g::text)" if chained else ""
    if log_stop > log_start:
        steps.append(
            f"""
            INSERT INTO {log} (at, roles, action, dossier_id, client_address, outcome,
                user_id, team_id {hash_columns})
            SELECT now() - ((g * 7) % 525600) * interval '1 minute', 'professional', 'view',
                md5('d' || ((g * 7919) % {stop}))::uuid, '10.0.0.1', 'ok', {prof},
                ({teams})[(1 + (((g * 7919) % {stop}) / 10) % {TEAMS})::int] {hash_values}
            FROM generate_series({log_start}::bigint, {log_stop - 1}) AS g
            """
        )
    with connection.cursor() as cursor, secondary_indexes_dropped([dossier, child, log]):
        # The log's own triggers (append-only, and the chain head check, which would refuse
        # these unchained rows) are off while seeding; the benchmark runs as the table owner.
        cursor.execute(f"ALTER TABLE {log} DISABLE TRIGGER USER")
        try:
            for sql in steps:
                cursor.execute(sql)
        finally:
            cursor.execute(f"ALTER TABLE {log} ENABLE TRIGGER USER")
        if start == 0:
            cursor.execute(
                f"UPDATE {dossier} SET family_name = %s, status = 'concept' "
                "WHERE id = md5('d0')::uuid",
                [RARE_NAME],
            )
    # As a database in use would be: statistics current, the visibility map and hint bits
    # set, dirty pages written. Otherwise autovacuum and the first reads of the new rows
    # do that work during the measurements, and every page seems slower at the larger size.
    with connection.cursor() as cursor:
        if connection.in_atomic_block:  # a test's transaction: VACUUM cannot run there
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
    return time.perf_counter() - began


class secondary_indexes_dropped:
    """Bulk loads are faster into bare tables: drop the secondary indexes (not primary keys
    or unique constraints) and build them again afterwards, each in one pass."""

    def __init__(self, tables: list[str]) -> None:
        self.tables = tables
        self.definitions: list[tuple[str, str]] = []

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "WHERE i.tablename = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
                [self.tables],
            )
            self.definitions = cursor.fetchall()
            for name, _definition in self.definitions:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc_info):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in self.definitions:
                cursor.execute(definition)
        return False


# ---------------------------------------------------------------- pages, in process


def page_requests(world: dict) -> list[tuple[str, str, str, dict, str]]:
    """(label, user, method, data, url name/args) for every page measured."""
    import uuid

    from django.urls import reverse
    from django.utils import timezone

    target = uuid.UUID(__import__("hashlib").md5(b"d0").hexdigest())
    tot = timezone.localdate().isoformat()
    autosave_url = reverse("dossiers:autosave", args=[target])
    pages = [
        ("dossierlijst", "prof", "GET", {}, reverse("dossiers:list")),
        ("lijst, pagina 40", "prof", "POST", {"pagina": "40"}, reverse("dossiers:list")),
        ("lijst, status", "prof", "POST", {"status": "ter_beoordeling"}, reverse("dossiers:list")),
        ("zoeken, één gezin", "prof", "POST", {"q": "zwartkruis"}, reverse("dossiers:list")),
        ("zoeken, veel treffers", "prof", "POST", {"q": "jansen"}, reverse("dossiers:list")),
        # the autosave first: at both sizes the intake then shows the same kept draft
        ("autosave (partial)", "prof", "POST", "autosave", autosave_url),
        ("intake", "prof", "GET", {}, reverse("dossiers:intake", args=[target])),
        ("wachtrij beoordelen", "gw", "GET", {}, reverse("beoordeling:queue")),
        ("evaluaties", "gw", "GET", {}, reverse("beoordeling:evaluations")),
    ]  # fmt: skip
    try:
        log_url = reverse("toegang:access_log", args=[target])
    except Exception:  # the access-log page moved or was renamed
        log_url = None
    if log_url:
        pages += [
            ("toegangslog dossier", "gw", "GET", {}, log_url),
            ("toegangslog, tot vandaag", "gw", "GET", {"tot": tot}, log_url),
        ]
    return pages


def autosave_data(version: int = 1) -> dict:
    return {
        "version": str(version),
        "family_name": RARE_NAME,
        "placement": "uithuisplaatsing_overwogen",
        "verklarende_analyse": "Eerder geprobeerd: opvoedondersteuning.",
        "kind-TOTAL_FORMS": "1",
        "kind-INITIAL_FORMS": "0",
        "kind-0-first_name": "Daan",
        "kind-0-birth_date": "2011-01-01",
        "kind-0-problems": ["ernstige_gedragsproblemen", "problemen_meerdere_leefgebieden"],
        "ouder-TOTAL_FORMS": "1",
        "ouder-INITIAL_FORMS": "0",
        "ouder-0-name": "Anja",
        "ouder-0-relation": "moeder",
        "netwerk-TOTAL_FORMS": "0",
        "netwerk-INITIAL_FORMS": "0",
    }


class QueryCounter(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def logged_in(client, user) -> None:
    """A session that passed both login steps (as after password and authenticator code)."""
    from tests.helpers import session_passed_both_steps

    client.force_login(user)
    session_passed_both_steps(client.session, user, at=time.time())


def measure_pages(world: dict, runs: int) -> dict[str, tuple[int, float, int, int, int]]:
    """label -> (queries, median ms, bytes, status, families shown).

    Families shown: the access-log rows the request wrote about a dossier (one per family
    a page shows). A page not yet full at the small size shows fewer, and renders and
    logs less: read a ratio next to it."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from toegang.models import AccessLog

    clients = {}
    for role in ("prof", "gw"):
        client = Client()
        logged_in(client, User.objects.get(pk=world[role]))
        clients[role] = client
    calls = {}
    results = {}
    for label, role, method, data, url in page_requests(world):
        client = clients[role]
        payload = autosave_data() if data == "autosave" else data

        def call(client=client, method=method, url=url, payload=payload):
            if method == "GET":
                return client.get(url, payload)
            return client.post(url, payload)

        call()
        call()
        queries = QueryCounter()
        last_log = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with connection.execute_wrapper(queries):
            response = call()
        shown = AccessLog.objects.filter(id__gt=last_log, dossier_id__isnull=False).count()
        calls[label] = call
        results[label] = (len(queries), len(response.content), response.status_code, shown)
    # Timed in rounds of every page in turn: a few slow seconds of the host (autovacuum,
    # a checkpoint) then cost each page one sample, not one page all of its samples.
    times = {label: [] for label in calls}
    for _ in range(runs):
        for label, call in calls.items():
            began = time.perf_counter()
            call()
            times[label].append((time.perf_counter() - began) * 1000)
    return {
        label: (queries, statistics.median(times[label]), size, status, shown)
        for label, (queries, size, status, shown) in results.items()
    }


# ---------------------------------------------------------------- load under gunicorn


def _worker(args) -> list[float]:
    import http.client

    port, path, method, body, headers, seconds = args
    latencies = []
    deadline = time.perf_counter() + seconds
    statuses = {}
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        latencies.append(time.perf_counter() - began)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    return latencies, statuses


def load(
    port, path, method, body, headers, seconds, concurrency
) -> tuple[float, float, float, dict]:
    with multiprocessing.get_context("spawn").Pool(concurrency) as pool:
        parts = pool.map(_worker, [(port, path, method, body, headers, seconds)] * concurrency)
    latencies = sorted(x for part, _ in parts for x in part)
    statuses: dict = {}
    for _, part in parts:
        for code, n in part.items():
            statuses[code] = statuses.get(code, 0) + n
    rps = len(latencies) / seconds
    p50 = latencies[len(latencies) // 2] * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    return rps, p50, p95, statuses


def measure_load(world: dict, seconds: float, workers: int, round_count: int) -> list[tuple]:
    from urllib.parse import urlencode

    from django.contrib.auth.models import User
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse

    port = int(os.environ.get("BENCH_PORT", "8107"))
    client = Client()
    logged_in(client, User.objects.get(pk=world["prof"]))
    session = client.cookies["sessionid"].value
    csrf = _get_new_csrf_string()
    cookie = f"sessionid={session}; csrftoken={csrf}"
    import hashlib
    import uuid

    target = uuid.UUID(hashlib.md5(b"d0").hexdigest())  # the seeded dossier 0
    partial = (
        "POST",
        reverse("dossiers:autosave", args=[target]),
        urlencode(autosave_data(), doseq=True),
        {
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    # The same post from a browser that already shows these suggestions (typing in a free
    # text field): only the save state is sent back.
    shown = client.post(partial[1], autosave_data(), HTTP_HX_REQUEST="true")
    partial_shown = (
        *partial[:3],
        {**partial[3], "X-Shown-Suggestions": shown["X-Shown-Suggestions"]},
    )
    trivial = ("GET", reverse("home"), None, {"Cookie": cookie})
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    rows = []
    try:
        _wait_for(port)
        # Warm both workers (the catalogue is compiled once per process).
        load(port, *_request(partial), 2, 4)
        load(port, *_request(trivial), 1, 4)
        specs = {"trivial": trivial, "new panel": partial, "panel shown": partial_shown}
        for concurrency in (1, 4):
            # Rounds of trivial, new panel, panel shown, one after the other: a shared
            # host's noise moves all three of a round alike, so each round's share is
            # taken within the round and the median of the rounds is reported.
            rounds = [
                {
                    label: load(port, *_request(spec), seconds / round_count, concurrency)
                    for label, spec in specs.items()
                }
                for _ in range(round_count)
            ]
            trivial_result = _median_of(r["trivial"] for r in rounds)
            for label in ("new panel", "panel shown"):
                share = statistics.median(r[label][0] / r["trivial"][0] for r in rounds)
                partial_result = _median_of(r[label] for r in rounds)
                rows.append((concurrency, label, partial_result, trivial_result, share))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def _median_of(results) -> tuple[float, float, float, dict]:
    """Median r/s, p50 and p95 over rounds; the statuses added up."""
    results = list(results)
    statuses: dict = {}
    for *_, part in results:
        for code, n in part.items():
            statuses[code] = statuses.get(code, 0) + n
    return (
        *(statistics.median(r[i] for r in results) for i in range(3)),
        statuses,
    )


def _request(spec: tuple) -> tuple:
    method, path, body, headers = spec
    return path, method, body, headers


def _wait_for(port: int) -> None:
    import socket

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn kwam niet op")


# ---------------------------------------------------------------- report


def report(small_n, large_n, small, large) -> None:
    print(
        f"\nPer page: queries, median ms, size, families shown (fam), at {small_n:,} and at "
        f"{large_n:,} dossiers"
    )
    side = f"{'q':>3} {'ms':>8} {'KB':>7} {'fam':>4}"
    head = f"{'page':28} {side} │ {side} │ {'ratio':>6}"
    print(head)
    print("─" * len(head))
    for label, (q1, t1, b1, s1, f1) in small.items():
        q2, t2, b2, s2, f2 = large.get(label, (0, float("nan"), 0, 0, 0))
        flag = "" if s1 == s2 == 200 else f"  (status {s1}/{s2})"
        print(
            f"{label:28} {q1:>3} {t1:>8.1f} {b1 / 1024:>7.1f} {f1:>4} │ {q2:>3} {t2:>8.1f} "
            f"{b2 / 1024:>7.1f} {f2:>4} │ {t2 / t1:>5.2f}×{flag}"
        )
    print(
        "(fam: families the page showed, one access-log row each; where it differs, the page\n"
        " was not full at the small size and the ratio includes rendering and logging more)"
    )


def report_load(rows, workers: int, rounds: int) -> None:
    print(
        f"\nUnder gunicorn ({workers} sync workers, loopback, {os.cpu_count()} cores): live "
        "suggestions (autosave) vs a trivial view"
    )
    print("(new panel: the suggestions are rendered and sent; panel shown: the browser already")
    print(" shows them, as while typing in a free-text field, and only the save state is sent;")
    print(f" medians of {rounds} rounds, each round's share taken within the round)")
    head = f"{'clients':>7} {'partial':>11} │ {'r/s':>7} {'p50':>7} {'p95':>7} │ {'trivial r/s':>11} {'p50':>7} {'p95':>7} │ {'share':>6}"  # noqa: E501
    print(head)
    print("─" * len(head))
    for concurrency, label, (prps, p50, p95, pst), (trps, t50, t95, tst), share in rows:
        print(
            f"{concurrency:>7} {label:>11} │ {prps:>7.1f} {p50:>6.1f}ms {p95:>5.1f}ms │ "
            f"{trps:>11.1f} {t50:>6.1f}ms {t95:>5.1f}ms │ {share:>5.0%}"
        )
        if set(pst) != {200} or set(tst) - {302}:
            print(f"{'':>7}   statuses: partial {pst}, trivial {tst}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--log-rows", type=int, default=10_000_000)
    parser.add_argument("--base", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="load rounds per client count; the share is the median of the rounds' shares",
    )
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=sorted({2, 2 * (os.cpu_count() or 1)}),
        help="gunicorn worker counts to measure, comma separated (default: 2 and 2 × cores)",
    )
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("De schaalbenchmark heeft PostgreSQL nodig (BENCH_DATABASE_URL).")
    configure(url)
    recreate_database(url)
    import django

    django.setup()
    world = setup_world()
    per_dossier = options.log_rows / options.dossiers
    base_log = int(options.base * per_dossier)
    took = seed(world, 0, options.base, 0, base_log)
    print(f"Seeded {options.base:,} dossiers and {base_log:,} log rows in {took:.1f} s")
    small = measure_pages(world, options.runs)
    took = seed(world, options.base, options.dossiers, base_log, options.log_rows)
    print(
        f"Seeded up to {options.dossiers:,} dossiers and {options.log_rows:,} log rows "
        f"in {took:.1f} s"
    )
    large = measure_pages(world, options.runs)
    report(options.base, options.dossiers, small, large)
    if not options.skip_load:
        for workers in options.workers:
            rows = measure_load(world, options.load_seconds, workers, options.rounds)
            report_load(rows, workers, options.rounds)


if __name__ == "__main__":
    main()
