"""Operability: the health endpoint, Prometheus metrics, structured logs without personal
data."""

import json
import logging

import pytest
from django.db import DatabaseError
from django.urls import reverse

from ops.logs import JsonFormatter
from tests.factories import DossierFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_content_version(client, catalogue):
    response = client.get(reverse("ops:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["content_version"] == catalogue.version
    assert body["task_worker"] in {"absent", "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_unreachable(client, monkeypatch):
    import ops.health

    def broken(*args, **kwargs):
        raise DatabaseError("weg")

    monkeypatch.setattr(ops.health.connection, "cursor", broken)
    response = client.get(reverse("ops:health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "content_version": None,
        "task_worker": "unknown",
    }


def test_metrics_count_requests_by_route_not_by_path(client):
    team = TeamFactory()
    user = UserFactory(professional=True, teams=[team])
    dossier = DossierFactory(team=team, family_name="Geheimnaam")
    client.force_login(user)
    client.get(reverse("dossiers:intake", args=[dossier.pk]))
    text = client.get(reverse("ops:metrics")).content.decode()
    assert 'richtsnoer_http_requests_total{method="GET",status="2xx",view="dossiers:intake"}' in (
        text
    )
    assert "richtsnoer_http_request_duration_seconds_bucket" in text
    assert str(dossier.pk) not in text and "Geheimnaam" not in text


def test_metrics_are_closed_to_other_networks(client, settings):
    assert client.get(reverse("ops:metrics"), REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.METRICS_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert client.get(reverse("ops:metrics"), REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get(reverse("ops:metrics")).status_code == 404  # loopback no longer listed


def test_log_lines_are_json_with_ids_and_no_exception_message():
    record = logging.LogRecord("richtsnoer.x", logging.ERROR, __file__, 1, "saved", (), None)
    record.view = "dossiers:intake"
    record.status = 500
    try:
        raise ValueError("Key (family_name)=(Jansen) already exists")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "saved" and line["view"] == "dossiers:intake"
    assert line["status"] == 500 and line["exception"] == "ValueError"
    assert "Jansen" not in json.dumps(line)


def test_every_request_is_logged_as_one_line_without_its_path(client, caplog):
    team = TeamFactory()
    user = UserFactory(professional=True, teams=[team])
    dossier = DossierFactory(team=team, family_name="Geheimnaam")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="richtsnoer.request"):
        client.get(reverse("dossiers:intake", args=[dossier.pk]))
    (record,) = [r for r in caplog.records if r.name == "richtsnoer.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["view"] == "dossiers:intake" and line["status"] == 200
    assert str(dossier.pk) not in json.dumps(line) and "Geheimnaam" not in json.dumps(line)
