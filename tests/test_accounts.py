"""Accounts: the real client address behind a proxy, throttling per address across names,
and the absolute session lifetime."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.middleware import STARTED
from accounts.network import client_address
from tests.factories import PASSWORD, TeamFactory, UserFactory
from toegang.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),  # forged: not from a proxy
        ("203.0.113.9", "198.51.100.1", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.2", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.7", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "zomaar, 198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, zomaar", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("::1", "2001:db8::5", ["::1"], "2001:db8::5"),
        ("", "198.51.100.1", [], None),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    settings, remote, forwarded, trusted, expected
):
    settings.RICHTSNOER_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_access_log_has_the_real_client_behind_a_trusted_proxy(client, settings):
    settings.RICHTSNOER_TRUSTED_PROXIES = ["10.0.0.0/8"]
    team = TeamFactory()
    client.force_login(UserFactory(professional=True, teams=[team]))
    client.get(
        reverse("dossiers:list"), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    client.get(reverse("dossiers:list"), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    first, second = AccessLog.objects.filter(action="list").order_by("at", "pk")
    assert (first.client_address, second.client_address) == ("198.51.100.1", "203.0.113.9")


def login(client, username, password="fout", **extra):  # noqa: S107
    return client.post(reverse("login"), {"login": username, "password": password}, **extra)


def test_many_names_from_one_address_lock_that_address(client, settings):
    settings.RICHTSNOER_ADDRESS_FAILURE_LIMIT = 30
    real = UserFactory(professional=True)
    for n in range(12):
        for _ in range(4):  # under the per-name limit of 5
            response = login(client, f"naam-{n}")
            assert response.status_code in {200, 429}
    locked = login(client, real.username, PASSWORD)
    assert locked.status_code == 429
    assert "Inloggen is even geblokkeerd" in locked.content.decode()
    # A forged X-Forwarded-For from outside a trusted proxy changes nothing.
    assert login(client, real.username, PASSWORD, HTTP_X_FORWARDED_FOR="5.6.7.8").status_code == 429
    # Another address is not locked.
    elsewhere = login(client, real.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert elsewhere.status_code == 302


def test_behind_a_trusted_proxy_the_lockout_is_per_real_client(client, settings):
    settings.RICHTSNOER_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RICHTSNOER_ADDRESS_FAILURE_LIMIT = 10
    real = UserFactory(professional=True)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(10):
        login(client, f"naam-{n}", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    attacker = login(client, real.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert attacker.status_code == 429
    colleague = login(client, real.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert colleague.status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_however_busy(client, settings):
    team = TeamFactory()
    client.force_login(UserFactory(professional=True, teams=[team]))
    assert client.get(reverse("dossiers:list")).status_code == 200
    session = client.session
    started = session[STARTED]
    session[STARTED] = started - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("dossiers:list")).status_code == 200  # a minute to go
    session = client.session
    session[STARTED] = started - settings.SESSION_ABSOLUTE_SECONDS
    session.save()
    ended = client.get(reverse("dossiers:list"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))
    again = client.get(reverse("dossiers:list"))
    assert again.status_code == 302  # logged out, not just redirected once
    assert "_auth_user_id" not in client.session


def test_the_absolute_lifetime_is_ten_hours_by_default():
    import config.settings as production

    assert production.SESSION_ABSOLUTE_SECONDS == 10 * 3600
    assert production.SESSION_COOKIE_AGE == 30 * 60
