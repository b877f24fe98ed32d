"""Pages whose work does not grow with the tables, and sessions that are not rewritten
on every request. (Speed itself is shown by `scripts/benchmark --scale`, not here.)"""

import time

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from config.middleware import TOUCHED_KEY
from dossiers.models import Dossier
from dossiers.pagination import BoundedPaginator, LookaheadPaginator
from tests.factories import DossierFactory, JeugdigeFactory, TeamFactory, UserFactory
from toegang.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord():
    return TeamFactory(name="Noord", slug="noord")


@pytest.fixture
def professional(noord):
    return UserFactory(professional=True, teams=[noord])


@pytest.fixture
def client_noord(client, professional):
    client.force_login(professional)
    return client


# ---------------------------------------------------------------- dossier list


def test_the_list_counts_children_of_the_shown_dossiers(client_noord, noord, professional):
    dossiers = DossierFactory.create_batch(3, team=noord, created_by=professional, children=[])
    JeugdigeFactory.create_batch(2, dossier=dossiers[0])
    JeugdigeFactory(dossier=dossiers[2])
    page = client_noord.get(reverse("dossiers:list")).context["page"]
    counts = {d.pk: d.child_count for d in page.object_list}
    assert counts == {dossiers[0].pk: 2, dossiers[1].pk: 0, dossiers[2].pk: 1}
    html = client_noord.get(reverse("dossiers:list")).content.decode()
    assert "3 dossiers" in html


def test_the_list_query_count_does_not_depend_on_children(client_noord, noord, professional):
    DossierFactory.create_batch(5, team=noord, created_by=professional, children=[])
    client_noord.get(reverse("dossiers:list"))
    with CaptureQueriesContext(connection) as few:
        client_noord.get(reverse("dossiers:list"))
    for dossier in Dossier.objects.all():
        JeugdigeFactory.create_batch(3, dossier=dossier)
    with CaptureQueriesContext(connection) as many:
        client_noord.get(reverse("dossiers:list"))
    assert len(few) == len(many)
    # No query groups the team's dossiers any more: only the shown page's children are.
    grouped = [q["sql"] for q in many if "GROUP BY" in q["sql"]]
    assert grouped and all('FROM "dossiers_dossier"' not in sql for sql in grouped)


def test_the_bounded_paginator_stops_counting_at_its_cap(noord, professional):
    DossierFactory.create_batch(7, team=noord, created_by=professional, children=[])
    rows = Dossier.objects.order_by("-updated_at", "-id")
    capped = BoundedPaginator(rows, 2, cap=5)
    assert capped.count == 5 and capped.more and capped.num_pages == 3
    assert len(capped.get_page(99).object_list) == 1  # the last counted page, not row 7
    exact = BoundedPaginator(rows, 2, cap=7)
    assert exact.count == 7 and not exact.more


def test_a_capped_list_says_there_are_more(client_noord, noord, professional, monkeypatch):
    import dossiers.pagination

    monkeypatch.setattr(dossiers.pagination.BoundedPaginator.__init__, "__defaults__", (3,))
    DossierFactory.create_batch(5, team=noord, created_by=professional, children=[])
    html = client_noord.get(reverse("dossiers:list")).content.decode()
    assert "Meer dan 3 dossiers" in html


@given(
    rows=st.integers(0, 60),
    per_page=st.integers(1, 12),
    cap=st.integers(1, 70),
    number=st.one_of(st.integers(-3, 12), st.sampled_from(["", "x", "2.0", None, "1e9"])),
)
def test_lookahead_pages_read_every_row_once_in_order_up_to_the_cap(rows, per_page, cap, number):
    data = list(range(rows))
    reachable = data[: max(1, cap // per_page) * per_page]
    # Following "next" from page 1 reads each reachable row once, in order.
    seen, page_number = [], 1
    while True:
        paginator = LookaheadPaginator(data, per_page, cap=cap)
        page = paginator.get_page(page_number)
        assert page.number == page_number
        assert list(page) == reachable[(page_number - 1) * per_page :][:per_page]
        assert (page.start_index(), page.end_index()) == (
            (len(seen) + 1, len(seen) + len(page)) if len(page) else (0, 0)
        )
        seen += list(page)
        if not page.has_next():
            break
        page_number = page.next_page_number()
    assert seen == reachable
    with pytest.raises(EmptyPage):
        page.next_page_number()
    # At the end: the count is exact, or "more than" what came, when the cap stopped it.
    if paginator.more:
        assert paginator.count is None and paginator.more_than == len(seen) < rows
    else:
        assert paginator.count == rows == len(seen) and paginator.num_pages == page_number
    # Any page number, valid or not, gives a page within the cap that starts on a page.
    page = LookaheadPaginator(data, per_page, cap=cap).get_page(number)
    assert 1 <= page.number <= max(1, cap // per_page)
    assert list(page) == data[(page.number - 1) * per_page :][:per_page]
    assert page.object_list or page.number == 1


def test_a_search_reads_one_row_ahead_and_never_counts(client_noord, noord, professional):
    DossierFactory.create_batch(
        30, team=noord, created_by=professional, children=[], family_name="Bakker"
    )
    DossierFactory.create_batch(3, team=noord, created_by=professional, family_name="Kok")
    url = reverse("dossiers:list")
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first()
    with CaptureQueriesContext(connection) as queries:
        response = client_noord.post(url, {"q": "bakker"})
    page = response.context["page"]
    assert len(page.object_list) == 25 and page.has_next() and page.paginator.count is None
    assert not [q for q in queries if "COUNT(" in q["sql"] and "dossiers_dossier" in q["sql"]]
    html = response.content.decode()
    assert "Meer dan 25 dossiers gevonden. Typ meer van de naam" in html
    assert "Pagina 1</span>" in html and 'value="2"' in html
    # Only the families shown are logged, not the row read ahead.
    logged = AccessLog.objects.filter(id__gt=before).values_list("dossier_id", flat=True)
    assert sorted(logged) == sorted(d.pk for d in page.object_list)
    last = client_noord.post(url, {"q": "bakker", "pagina": "2"})
    assert len(last.context["page"].object_list) == 5 and not last.context["page"].has_next()
    html = last.content.decode()
    assert "30 dossiers" in html and "Pagina 2 van 2" in html and "Volgende pagina" not in html
    assert client_noord.post(url, {"q": "kok"}).context["page"].paginator.count == 3


def test_a_search_page_that_emptied_meanwhile_shows_the_first(client_noord, noord, professional):
    """A results page kept open while families were withdrawn: "volgende" lands on an
    empty page, and the search starts over instead of showing nothing."""
    DossierFactory.create_batch(
        26, team=noord, created_by=professional, children=[], family_name="Bakker"
    )
    url = reverse("dossiers:list")
    assert client_noord.post(url, {"q": "bakker"}).context["page"].has_next()
    Dossier.objects.filter(pk=Dossier.objects.order_by("updated_at", "id")[0].pk).update(
        status="ingetrokken"
    )
    page = client_noord.post(url, {"q": "bakker", "pagina": "2"}).context["page"]
    assert page.number == 1 and len(page.object_list) == 25 and not page.has_next()
    assert page.paginator.count == 25


def test_the_search_finds_part_of_a_name_in_any_case(client_noord, noord, professional):
    DossierFactory(team=noord, created_by=professional, family_name="van der Berg")
    DossierFactory(team=noord, created_by=professional, family_name="Jansen")
    page = client_noord.post(reverse("dossiers:list"), {"q": "DER B"}).context["page"]
    assert [d.family_name for d in page.object_list] == ["van der Berg"]
    wildcard = client_noord.post(reverse("dossiers:list"), {"q": "%"}).context["page"]
    assert wildcard.paginator.count == 0


def test_the_name_search_has_a_trigram_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_family_name_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "upper" in definition.lower()


# ---------------------------------------------------------------- sessions


def test_sessions_are_not_rewritten_on_every_request(client_noord, settings):
    settings.SESSION_IDLE_REFRESH_SECONDS = 60
    url = reverse("dossiers:list")
    first = client_noord.get(url)
    assert first.cookies.get(settings.SESSION_COOKIE_NAME)  # moved on: a fresh expiry
    second = client_noord.get(url)
    assert settings.SESSION_COOKIE_NAME not in second.cookies  # within the minute: no write


def test_an_active_session_is_moved_on_after_the_refresh_interval(client_noord, settings):
    from django.contrib.sessions.models import Session

    settings.SESSION_IDLE_REFRESH_SECONDS = 60
    url = reverse("dossiers:list")
    client_noord.get(url)
    session = client_noord.session
    session[TOUCHED_KEY] = int(time.time()) - 61
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    time.sleep(0.01)
    response = client_noord.get(url)
    assert response.cookies.get(settings.SESSION_COOKIE_NAME)
    after = Session.objects.get(session_key=session.session_key).expire_date
    assert after > before


def test_anonymous_requests_create_no_session(client):
    from django.contrib.sessions.models import Session

    client.get(reverse("login"))
    assert Session.objects.count() == 0


def test_production_settings_keep_connections_and_check_them():
    import config.settings as production

    assert production.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert production.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert production.SESSION_SAVE_EVERY_REQUEST is False
    assert production.SESSION_COOKIE_AGE == 30 * 60


# ---------------------------------------------------------------- the autosave partial


@pytest.fixture
def dossier(noord, professional):
    return DossierFactory(team=noord, created_by=professional, family_name="Bakker")


def _autosave(client, dossier):
    from tests.test_dossiers import intake_post

    response = client.post(reverse("dossiers:autosave", args=[dossier.pk]), intake_post(dossier))
    assert response.status_code == 200
    return response


def _autosave_rows(dossier) -> int:
    from toegang.models import AccessLog

    return AccessLog.objects.filter(dossier_id=dossier.pk, action="autosave").count()


def test_autosave_is_logged_once_per_editing_session(client_noord, dossier):
    from dossiers.models import IntakeDraft

    for _ in range(3):
        _autosave(client_noord, dossier)
    assert _autosave_rows(dossier) == 1
    assert IntakeDraft.objects.filter(dossier=dossier).count() == 1
    # Discarding the draft ends the editing session: the next autosave starts a new one.
    client_noord.post(reverse("dossiers:discard_draft", args=[dossier.pk]))
    _autosave(client_noord, dossier)
    _autosave(client_noord, dossier)
    assert _autosave_rows(dossier) == 2


def test_autosave_after_a_long_pause_is_a_new_editing_session(client_noord, dossier, settings):
    from toegang.audit import EDITING_SESSION_KEY

    _autosave(client_noord, dossier)
    session = client_noord.session
    session[EDITING_SESSION_KEY] = {str(dossier.pk): int(time.time()) - settings.SESSION_COOKIE_AGE}
    session.save()
    _autosave(client_noord, dossier)
    assert _autosave_rows(dossier) == 2


def test_another_login_session_is_another_editing_session(client, dossier, professional):
    from django.test import Client

    client.force_login(professional)
    _autosave(client, dossier)
    other = Client()
    other.force_login(professional)
    _autosave(other, dossier)
    assert _autosave_rows(dossier) == 2


def test_autosave_keeps_the_latest_draft_in_one_row(client_noord, dossier):
    from dossiers.models import IntakeDraft
    from tests.test_dossiers import intake_post

    url = reverse("dossiers:autosave", args=[dossier.pk])
    client_noord.post(url, intake_post(dossier, family_name="Eerste"))
    client_noord.post(url, intake_post(dossier, family_name="Tweede"))
    (draft,) = IntakeDraft.objects.filter(dossier=dossier)
    assert draft.data["family_name"] == ["Tweede"]


def test_autosave_reads_no_people_and_the_roles_once(client_noord, dossier):
    _autosave(client_noord, dossier)
    with CaptureQueriesContext(connection) as queries:
        _autosave(client_noord, dossier)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(table in q for q in sql for table in ("dossiers_ouder", "dossiers_netwerklid"))
    # The user with roles and teams, the dossier row with the content version in use, the
    # draft upsert (on PostgreSQL in the same statement as the row); nothing else, and no
    # transaction around the single write.
    assert sum("auth_user_groups" in q for q in sql) == 1
    assert sum("dossiers_team_members" in q for q in sql) == 1
    assert not any("toegang_accesslog" in q for q in sql)  # already logged this session
    assert not any(q.startswith(("SAVEPOINT", "BEGIN")) for q in sql), sql
    # (The session is read from the database here; from Redis in production. It is not
    # written: nothing in it changed.)
    statements = [q for q in sql if "django_session" not in q]
    assert len(statements) == (2 if connection.vendor == "postgresql" else 3), sql
    assert sum("richtlijnen_contentversion" in q for q in sql) == 1  # inside the dossier read
    assert sum("dossiers_intakedraft" in q for q in sql) == 1


def test_the_autosave_read_compiled_once_finds_what_the_orm_finds(noord):
    """``dossier_get_for_write`` runs a statement compiled once per number of teams: for
    users in zero to three teams it finds exactly the rows the ORM query finds, 404 for
    another team's, an unknown or an erased dossier, with the row's values converted as
    the ORM converts them."""
    import uuid

    from django.http import Http404

    from accounts.backends import CareUserBackend
    from dossiers.selectors import dossier_get_for_write, dossiers_for_user

    teams = [noord, TeamFactory(), TeamFactory(), TeamFactory()]
    dossiers = [DossierFactory(team=team) for team in teams]
    found = 0
    for n in range(4):
        user = UserFactory(professional=True, teams=teams[:n])
        if n % 2:  # as a request loads it: roles and teams read with the user
            user = CareUserBackend().get_user(user.pk)
        for dossier in dossiers:
            expected = dossiers_for_user(user).filter(pk=dossier.pk).first()
            if expected is None:
                with pytest.raises(Http404):
                    dossier_get_for_write(user=user, pk=dossier.pk)
                continue
            row, catalogue = dossier_get_for_write(user=user, pk=dossier.pk)
            assert (row.pk, row.team_id, row.status, row.version, row.updated_at) == (
                expected.pk,
                expected.team_id,
                expected.status,
                expected.version,
                expected.updated_at,
            )
            assert timezone.is_aware(row.updated_at)
            assert row.in_use_content_hash == catalogue.version
            found += 1
        with pytest.raises(Http404):
            dossier_get_for_write(user=user, pk=uuid.uuid4())
    assert found == 0 + 1 + 2 + 3
    erased = dossiers[0].pk
    Dossier.objects.filter(pk=erased).delete()
    with pytest.raises(Http404):
        dossier_get_for_write(user=UserFactory(professional=True, teams=[noord]), pk=erased)


def test_the_user_is_read_with_roles_and_teams_in_one_query(professional, noord):
    from django.contrib.auth.models import Group

    from accounts.backends import CareUserBackend
    from dossiers.rules import role_names, team_ids
    from richtlijnen.roles import GEDRAGSWETENSCHAPPER, PROFESSIONAL

    other = TeamFactory(name="Zuid", slug="zuid")
    other.members.add(professional)
    professional.groups.add(Group.objects.get_or_create(name=GEDRAGSWETENSCHAPPER)[0])
    backend = CareUserBackend()
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(professional.pk)
        assert role_names(user) == {PROFESSIONAL, GEDRAGSWETENSCHAPPER}
        assert team_ids(user) == {noord.pk, other.pk}
    assert len(queries) == 1
    assert user.last_login is None or timezone.is_aware(user.last_login)
    assert timezone.is_aware(user.date_joined) and user.date_joined == professional.date_joined

    # Taken away: counts from the next load (the next request) on.
    other.members.remove(professional)
    professional.groups.clear()
    user = backend.get_user(professional.pk)
    assert role_names(user) == frozenset() and team_ids(user) == {noord.pk}

    professional.is_active = False
    professional.save()
    assert backend.get_user(professional.pk) is None
    assert backend.get_user(10**9) is None


# ---------------------------------------------------------------- widget rendering


def test_fast_widgets_write_what_djangos_templates_write(dossier):
    """Every widget and option of the intake, rendered both ways, byte for byte."""
    from django.forms.renderers import DjangoTemplates

    from config.forms import WRITERS, FastWidgetRenderer
    from dossiers.forms import Intake
    from interventies.selectors import current_catalogue
    from tests.test_dossiers import intake_post

    fast, slow = FastWidgetRenderer(), DjangoTemplates()
    evil = "\"><script>x</script> & 'ok'"
    intake = Intake(
        catalogue=current_catalogue(),
        data=intake_post(dossier, family_name=evil, verklarende_analyse=evil + "\nregel 2"),
    )
    forms = [intake.form, *intake.children.forms, *intake.parents.forms, *intake.network.forms]
    compared = set()
    for form in forms:
        for field in form:
            widget = field.field.widget
            for sub in widget.subwidgets(field.html_name, field.value(), {"class": "a<b"}):
                for wrap in (True, False):
                    context = {"widget": {**sub, "wrap_label": wrap}}
                    name = sub["template_name"]
                    assert fast.render(name, context) == slow.render(name, context), name
                    compared.add(name)
            context = widget.get_context(field.html_name, field.value(), {"required": True})
            name = widget.template_name
            assert fast.render(name, context) == slow.render(name, context), name
            compared.add(name)
    assert compared & set(WRITERS) >= {
        "django/forms/widgets/text.html",
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/checkbox_option.html",
    }


def test_the_menu_asks_no_permission_tables(client_noord, dossier):
    client_noord.get(reverse("dossiers:list"))
    with CaptureQueriesContext(connection) as queries:
        html = client_noord.get(reverse("dossiers:list")).content.decode()
    assert not any("auth_permission" in q["sql"] for q in queries.captured_queries)
    assert "Nieuw gezin" in html  # a professional's menu: list and new, no queue
    assert reverse("beoordeling:queue") not in html


# ---------------------------------------------------------------- queue and evaluations


@pytest.fixture
def gw(noord):
    return UserFactory(gedragswetenschapper=True, teams=[noord])


def test_the_queue_is_paginated_longest_waiting_first(client, noord, professional, gw, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    import beoordeling.views

    monkeypatch.setattr(beoordeling.views, "PAGE_SIZE", 2)
    now = timezone.now()
    for days, name in [(1, "Een"), (3, "Drie"), (2, "Twee")]:
        DossierFactory(
            team=noord,
            created_by=professional,
            family_name=name,
            submitted=True,
            submitted_at=now - dt.timedelta(days=days),
        )
    client.force_login(gw)
    first = client.get(reverse("beoordeling:queue"))
    assert [d.family_name for d, _days in first.context["rows"]] == ["Drie", "Twee"]
    assert "Volgende pagina" in first.content.decode()
    second = client.get(reverse("beoordeling:queue"), {"pagina": 2})
    assert [d.family_name for d, _days in second.context["rows"]] == ["Een"]


def test_evaluations_are_paginated_per_section(client, noord, professional, gw, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    import beoordeling.views
    from tests.helpers import planned_dossier

    monkeypatch.setattr(beoordeling.views, "PAGE_SIZE", 1)
    today = timezone.localdate()
    for days in (-4, -2, 3):
        planned_dossier(
            team=noord, submitter=professional, reviewer=gw, due=today + dt.timedelta(days=days)
        )
    client.force_login(professional)
    url = reverse("beoordeling:evaluations")
    first = client.get(url)
    assert [r.days for r in first.context["overdue"]] == [4]
    assert [r.days for r in first.context["soon"]] == [3]
    assert "Te laat (2)" in first.content.decode()
    second = client.get(url, {"te_laat": 2, "binnenkort": 1})
    assert [r.days for r in second.context["overdue"]] == [2]
    assert "binnenkort=1" in second.content.decode()  # the other section's page is kept


def test_evaluations_send_no_list_of_dossier_ids(client, noord, professional, gw):
    from tests.helpers import planned_dossier

    planned_dossier(team=noord, submitter=professional, reviewer=gw)
    client.force_login(professional)
    client.get(reverse("beoordeling:evaluations"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("beoordeling:evaluations"))
    assert not any('"dossier_id" IN (' in q["sql"] for q in queries.captured_queries)


def test_due_evaluations_skip_recorded_moments_and_older_plans(noord, professional, gw):
    import datetime as dt

    from django.utils import timezone

    from beoordeling.models import EvaluationMoment, EvaluationRecord, Hulpverleningsplan
    from beoordeling.services import evaluations_due
    from tests.helpers import planned_dossier

    today = timezone.localdate()
    recorded_dossier, _plan, recorded = planned_dossier(
        team=noord, submitter=professional, reviewer=gw, due=today - dt.timedelta(days=1)
    )
    EvaluationRecord.objects.create(
        moment=recorded, result="bereikt", next_step="doorgaan", recorded_by=gw
    )
    dossier, _plan, old_moment = planned_dossier(
        team=noord, submitter=professional, reviewer=gw, due=today - dt.timedelta(days=2)
    )
    newer = Hulpverleningsplan.objects.create(
        dossier=dossier, version=2, created_by=gw, set_by=gw, set_at=timezone.now()
    )
    current = EvaluationMoment.for_plan(
        newer, who="Wie", what="Wat", due_date=today + dt.timedelta(days=1)
    )
    current.save()
    due = evaluations_due(team_ids=[noord.pk], today=today)
    assert [row.moment.pk for row in due] == [current.pk]
    assert old_moment.pk != current.pk and recorded_dossier.pk != dossier.pk


# ---------------------------------------------------------------- the session cache


def test_an_unreachable_redis_is_a_cache_miss_not_an_error():
    from config.cache import TolerantRedisCache

    cache = TolerantRedisCache(
        "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        {"OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}},
    )
    assert cache.get("k", "standaard") == "standaard"
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False
    assert cache.count_in_window("k", 60) is None  # not counted, so nobody is refused


def test_a_call_counter_in_redis_counts_per_window_in_one_round_trip():
    import redis

    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis here")
    from config.cache import TolerantRedisCache

    cache = TolerantRedisCache(url, {"KEY_PREFIX": "richtsnoer-test-count"})
    cache.delete("teller")
    assert [cache.count_in_window("teller", 60) for _ in range(3)] == [1, 2, 3]
    raw = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("teller")
    assert 0 < raw.ttl(key) <= 60  # the window started at the first call
    raw.expire(key, 1)
    assert cache.count_in_window("teller", 60) == 4  # a later call does not extend it
    assert raw.ttl(key) <= 1
    cache.delete("teller")


def test_sessions_live_in_redis_and_the_database_with_cached_db(settings, professional):
    """With REDIS_URL, a session is read from Redis and survives Redis being flushed."""
    import redis

    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis here")
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "richtsnoer-test",
        }
    }
    store = SessionStore()
    store["_auth_user_id"] = str(professional.pk)
    store.save()
    assert caches["default"].get(store.cache_key)["_auth_user_id"] == str(professional.pk)
    caches["default"].clear()  # Redis lost: the database still has the session
    assert SessionStore(store.session_key).get("_auth_user_id") == str(professional.pk)


# The template loops the live panel's filters replaced, kept here as the reference.
CAVEATS_LOOP = (
    '{% if warnings %}<div class="warning"><p class="utrecht-paragraph"><strong>Let op'
    '</strong></p>{% if warnings|length == 1 %}<p class="utrecht-paragraph">{{ warnings.0 }}'
    '</p>{% else %}<ul class="utrecht-unordered-list">{% for w in warnings %}<li class="'
    'utrecht-unordered-list__item">{{ w }}</li>{% endfor %}</ul>{% endif %}</div>{% endif %}'
)
PANEL_LOOPS = {
    "suggestion_items": (
        "{% for s in items %}"
        '<li class="utrecht-ordered-list__item suggestion"><p class="utrecht-paragraph">'
        '<strong><a class="utrecht-link utrecht-link--html-a" href="'
        "{% url 'interventies:detail' s.code %}\">{{ s.name }}</a></strong> "
        '<span class="utrecht-status-badge utrecht-status-badge--neutral tag">'
        "{{ s.classification }}</span></p>"
        '<ul class="utrecht-unordered-list reasons">{% for r in s.reasons %}<li class="'
        'utrecht-unordered-list__item">{{ r }}</li>{% endfor %}</ul>'
        "{% with warnings=s.warnings %}" + CAVEATS_LOOP + "{% endwith %}</li>{% endfor %}"
    ),
    "excluded_items": (
        '{% for e in items %}<li class="utrecht-unordered-list__item"><strong><a class="'
        'utrecht-link utrecht-link--html-a" href="{% url \'interventies:detail\' e.code %}">'
        '{{ e.name }}</a></strong>: {{ e.reasons|join:"; " }}.</li>{% endfor %}'
    ),
    "recommendation_items": (
        '{% for r in items %}<details class="recommendation"><summary>{{ r.title }}</summary>'
        '<blockquote class="utrecht-blockquote utrecht-blockquote--html-blockquote">'
        "{{ r.text|linebreaksbr }}</blockquote>"
        '<p class="utrecht-paragraph utrecht-paragraph--small rs-meta">Bron: {{ r.guideline }}'
        ', {{ r.section }} · <a class="utrecht-link utrecht-link--html-a" href="'
        '{{ url }}#aanbeveling-{{ r.id }}">in de richtlijnen</a></p></details>{% endfor %}'
    ),
}
HOSTILE = '<script>"o\'k"</script> & ü'


def _panel_samples():
    from django.utils.safestring import mark_safe

    suggestions = [
        {
            "code": "MST",
            "name": "Multi Systeem Therapie",
            "classification": "effectief volgens goede aanwijzingen",
            "reasons": ["leeftijd 15 valt binnen 12 t/m 17 jaar", "heeft <b> & 'x'"],
            "warnings": ["één waarschuwing"],
        },
        {
            "code": "A&B",
            "name": HOSTILE,
            "classification": HOSTILE,
            "reasons": [],
            "warnings": [HOSTILE, "tweede", mark_safe("<em>al veilig</em>")],
        },
        {"code": "NPT", "name": "Zonder", "classification": "", "reasons": [], "warnings": []},
    ]
    excluded = [
        {"code": "MST", "name": "Multi Systeem Therapie", "reasons": ["Leeftijd 12–17", "x"]},
        {"code": "A&B", "name": HOSTILE, "reasons": ["<b>", "a & b", mark_safe("<i>'</i>")]},
        {"code": "NPT", "name": "Zonder reden", "reasons": []},
    ]
    recommendations = [
        {
            "id": "UHP-NETWERK",
            "title": "Betrek het netwerk",
            "text": "Eerste regel.\nTweede regel.\r\nDerde & laatste <regel>.",
            "guideline": "Richtlijn Uithuisplaatsing",
            "section": "Informele steun",
        },
        {"id": "A&B", "title": HOSTILE, "text": HOSTILE, "guideline": HOSTILE, "section": ""},
    ]
    return {
        "suggestion_items": suggestions,
        "excluded_items": excluded,
        "recommendation_items": recommendations,
    }


@pytest.mark.parametrize("name", sorted(PANEL_LOOPS))
def test_each_panel_list_written_in_python_is_its_template_loop_exactly(name):
    """The live panel's lists are written by filters (a template loop per row cost most of
    the panel's render time): each gives the HTML of the loop it replaced, escaped the same
    way, for hostile names and reasons, text already marked safe, and an empty list."""
    from django.template import Context, Template

    loop = Template("{% load catalogue %}" + PANEL_LOOPS[name])
    argument = ":url" if name == "recommendation_items" else ""
    written = Template("{% load catalogue %}{{ items|" + name + argument + " }}")
    items = _panel_samples()[name]
    for shown in (items, items[:1], items[1:], []):
        context = {"items": shown, "url": "/richtlijnen/?a=1&b=2"}
        expected = loop.render(Context(context))
        assert written.render(Context(context)) == expected
        assert written.render(Context(context)) == expected  # and again, from the caches
    html = written.render(Context({"items": items, "url": "/r/"}))
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_the_caveat_box_is_the_template_it_replaced():
    """``caveats`` (intake panel and review page): no box without warnings, one paragraph
    for one warning, a list for more."""
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    loop = Template(CAVEATS_LOOP)
    written = Template("{% load catalogue %}{{ warnings|caveats }}")
    for warnings in ([], ["één"], [HOSTILE], [HOSTILE, mark_safe("<em>x</em>")]):
        context = Context({"warnings": warnings})
        assert written.render(context) == loop.render(context)
    assert (
        Template("{% load catalogue %}{{ warnings|caveats }}").render(Context({"warnings": []}))
        == ""
    )


def test_a_compiled_query_refuses_a_marker_it_cannot_place(noord):
    """``common.compiled``: a marker missing from (or twice among) the parameters is an
    error when compiling, never a query run with a value in the wrong place."""
    from common.compiled import compiled

    rows = Dossier.objects.filter(team_id=-1)
    assert compiled(rows, team=[-1]).first(Dossier.objects, team=[noord.pk]) is None
    with pytest.raises(RuntimeError):
        compiled(rows, team=[-2])
    with pytest.raises(RuntimeError):
        compiled(Dossier.objects.filter(team_id=-1, created_by_id=-1), team=[-1])


def test_a_dossiers_drafts_are_found_by_one_index_only():
    """The unique (dossier, user) index answers "this dossier's drafts" too: a second
    index on the dossier alone would only cost every autosave's write."""
    from dossiers.models import IntakeDraft

    table = IntakeDraft._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    leading = {
        name: spec
        for name, spec in constraints.items()
        if spec["index"] or spec["unique"]
        if spec["columns"] and spec["columns"][0] == "dossier_id"
    }
    assert len(leading) == 1, leading
    (spec,) = leading.values()
    assert spec["unique"] and spec["columns"] == ["dossier_id", "user_id"]
