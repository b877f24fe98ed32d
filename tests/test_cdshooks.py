"""The CDS Hooks service, end to end from a spec-shaped client (tests/cds_client.py)."""

import json
import re
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from beoordeling.models import DeclineReason
from cdshooks.auth import clear_jwks_cache
from cdshooks.models import CdsCard, CdsClient, CdsFeedback, UsedToken
from cdshooks.spec import DECLINE_REASON_SYSTEM, HOOK, SERVICE_ID
from cdshooks.tokens import new_private_key_pem, public_key_pem
from tests.cds_client import (
    AcceptedSuggestion,
    CdsError,
    CdsHooksClient,
    Coding,
    Feedback,
    OverrideReason,
    django_transport,
)
from tests.test_suggest_command import MST_CASE, rejected, suggest

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
ISSUER = "https://zaaksysteem.test.invalid"


@pytest.fixture(scope="module")
def private_pem():
    return new_private_key_pem()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    clear_jwks_cache()


@pytest.fixture
def registered(private_pem):
    return CdsClient.objects.create(
        name="zaaksysteem",
        issuer=ISSUER,
        public_key=public_key_pem(private_pem),
        allowed_origins="https://zaak.gemeente.test",
    )


@pytest.fixture
def cds(client, registered, private_pem):
    return CdsHooksClient(
        base_url=BASE,
        issuer=ISSUER,
        private_pem=private_pem,
        transport=django_transport(client, BASE),
    )


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


# ---------------------------------------------------------------- the happy path


def test_discovery_lists_the_hook(cds):
    discovery = cds.discover()
    [service] = discovery.services
    assert (service.id, service.hook) == (SERVICE_ID, HOOK)
    assert "casusprofiel" in service.description


def test_cards_match_suggest_for_the_same_profile(cds, tmp_path):
    case = MST_CASE | {
        "children": [*MST_CASE["children"], {"label": "J2", "age": 5, "problems": []}]
    }
    out, _err = suggest(tmp_path, case)
    expected = json.loads(out)
    response = cds.call(SERVICE_ID, case)
    for index, child in enumerate(expected["children"]):
        cards = [c for c in response.cards if c.extension["nl.richtsnoer.child-index"] == index]
        suggestion_cards = [c for c in cards if c.suggestions]
        assert [c.extension["nl.richtsnoer.intervention"] for c in suggestion_cards] == [
            s["code"] for s in child["suggestions"]
        ]
        for card, s in zip(suggestion_cards, child["suggestions"], strict=True):
            assert card.extension["nl.richtsnoer.content-version"] == expected["content_version"]
            assert card.indicator == ("warning" if s["warnings"] else "info")
            detail = unescape(card.detail)
            assert all(reason in detail for reason in s["reasons"] + s["warnings"])
            assert s["name"] in card.summary and child["label"] in card.summary
            assert str(card.source.url) == f"{BASE}/interventies/{s['code']}/"
            assert card.source.label  # the guideline section
            assert [r.code for r in card.overrideReasons] == [r.value for r in DeclineReason]
            assert {r.system for r in card.overrideReasons} == {DECLINE_REASON_SYSTEM}
        [why_not] = [c for c in cards if not c.suggestions]
        assert str(len(child["excluded"])) in why_not.summary
        assert "waarom niet" in why_not.summary
        assert str(why_not.links[0].url).startswith(f"{BASE}/interventies/")
        assert all(e["code"] in unescape(why_not.detail) for e in child["excluded"])
    assert CdsCard.objects.count() == len(response.cards)


def test_a_warning_makes_a_warning_card(cds, tmp_path):
    out, _ = suggest(tmp_path, MST_CASE)
    warned = {s["code"] for s in json.loads(out)["children"][0]["suggestions"] if s["warnings"]}
    response = cds.call(SERVICE_ID, MST_CASE)
    by_code = {c.extension.get("nl.richtsnoer.intervention"): c for c in response.cards}
    assert warned, "the MST case has at least one suggestion with a warning"
    assert {code for code, c in by_code.items() if c.indicator == "warning"} == warned


def test_nothing_personal_is_stored(cds):
    case = MST_CASE | {
        "children": [{"label": "Geheimvoornaam", "birth_date": "2011-05-01", "problems": []}]
    }
    cds.call(SERVICE_ID, case)
    card = CdsCard.objects.filter(kind="suggestion").first()
    cds.feedback(
        SERVICE_ID,
        [
            Feedback(
                card=card.uuid,
                outcome="overridden",
                overrideReason=OverrideReason(
                    reason=Coding(code="voorkeur_gezin", system=DECLINE_REASON_SYSTEM),
                    userComment="Moeder Geheimvoornaam wil dit niet",
                ),
                outcomeTimestamp=datetime.now(tz=UTC),
            )
        ],
    )
    with connection.cursor() as cursor:
        for table in ("cdshooks_cdscard", "cdshooks_cdsfeedback", "cdshooks_usedtoken"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            text = repr(cursor.fetchall())
            assert "Geheimvoornaam" not in text and "2011-05-01" not in text, table


def test_feedback_is_stored_per_version_intervention_and_client(cds, registered):
    response = cds.call(SERVICE_ID, MST_CASE)
    first, second = [c for c in response.cards if c.suggestions][:2]
    now = datetime.now(tz=UTC)
    entries = [
        Feedback(
            card=first.uuid,
            outcome="accepted",
            acceptedSuggestions=[AcceptedSuggestion(id=first.suggestions[0].uuid)],
            outcomeTimestamp=now,
        ),
        Feedback(
            card=second.uuid,
            outcome="overridden",
            overrideReason=OverrideReason(
                reason=Coding(code="niet_beschikbaar", system=DECLINE_REASON_SYSTEM)
            ),
            outcomeTimestamp=now,
        ),
    ]
    assert cds.feedback(SERVICE_ID, entries) == {"stored": 2, "alreadyKnown": 0}
    rows = {f.intervention_code: f for f in CdsFeedback.objects.all()}
    accepted = rows[first.extension["nl.richtsnoer.intervention"]]
    declined = rows[second.extension["nl.richtsnoer.intervention"]]
    assert (accepted.outcome, accepted.reason, accepted.client) == ("accepted", "", registered)
    assert (declined.outcome, declined.reason) == ("overridden", "niet_beschikbaar")
    assert accepted.content_version == first.extension["nl.richtsnoer.content-version"]
    # The same report twice (a retry) is stored once.
    assert cds.feedback(SERVICE_ID, entries) == {"stored": 0, "alreadyKnown": 2}
    assert CdsFeedback.objects.count() == 2


def test_feedback_on_unknown_or_foreign_cards_is_refused(cds, private_pem):
    response = cds.call(SERVICE_ID, MST_CASE)
    card = response.cards[0]
    other_pem = new_private_key_pem()
    CdsClient.objects.create(
        name="ander", issuer="https://ander", public_key=public_key_pem(other_pem)
    )
    other = CdsHooksClient(
        base_url=BASE, issuer="https://ander", private_pem=other_pem, transport=cds.transport
    )
    entry = Feedback(card=card.uuid, outcome="accepted", outcomeTimestamp=datetime.now(tz=UTC))
    with pytest.raises(CdsError) as caught:
        other.feedback(SERVICE_ID, [entry])
    assert caught.value.status == 400
    assert caught.value.messages == ["feedback[0].card: onbekende kaart voor deze client"]
    bad_reason = entry.model_copy(
        update={
            "outcome": "overridden",
            "overrideReason": OverrideReason(reason=Coding(code="zomaar")),
        }
    )
    with pytest.raises(CdsError) as caught:
        cds.feedback(SERVICE_ID, [entry, bad_reason])
    assert caught.value.messages == [
        "feedback[1].overrideReason.reason: onbekende reden; kies een van de overrideReasons "
        "van de kaart"
    ]
    assert not CdsFeedback.objects.exists()  # all or nothing


# ---------------------------------------------------------------- 401


def expect_status(status, call):
    with pytest.raises(CdsError) as caught:
        call()
    assert caught.value.status == status, caught.value.messages
    return caught.value


def test_no_token_is_401(cds):
    url = cds.service_url(SERVICE_ID)
    error = expect_status(401, lambda: cds.post_raw(url, {}, token=None))
    assert error.headers["WWW-Authenticate"].startswith("Bearer")
    expect_status(401, lambda: cds.post_raw(url, {}, token="not-a-jwt"))


def test_expired_token_is_401(cds):
    past = int(time.time()) - 3600
    error = expect_status(401, lambda: cds.discover(exp=past, iat=past - 60))
    assert error.messages == ["Het token is verlopen (exp)."]


def test_token_more_than_five_minutes_ahead_is_401(cds):
    error = expect_status(401, lambda: cds.discover(exp=int(time.time()) + 3600))
    assert "vijf minuten" in error.messages[0]


def test_wrong_audience_is_401(cds):
    url = cds.discovery_url()
    token = cds.token(url)  # a discovery token used for the service
    error = expect_status(401, lambda: cds.post_raw(cds.service_url(SERVICE_ID), {}, token=token))
    assert "aud" in error.messages[0]
    expect_status(401, lambda: cds.discover(aud="https://elders.test/cds-services"))


def test_replayed_jti_is_401(cds):
    url = cds.discovery_url()
    token = cds.token(url)
    cds._call("GET", url, token=token)
    error = expect_status(401, lambda: cds._call("GET", url, token=token))
    assert error.messages == ["Dit token is al gebruikt (jti)."]
    assert UsedToken.objects.count() == 1


def test_unknown_key_or_issuer_is_401(cds, registered):
    stranger = CdsHooksClient(
        base_url=BASE, issuer=ISSUER, private_pem=new_private_key_pem(), transport=cds.transport
    )
    error = expect_status(401, stranger.discover)
    assert "handtekening" in error.messages[0]
    stranger.issuer = "https://onbekend.test"
    assert expect_status(401, stranger.discover).messages == ["Onbekende client (iss)."]
    registered.is_active = False
    registered.save()
    expect_status(401, cds.discover)


def test_other_algorithms_and_missing_claims_are_401(cds):
    url = cds.discovery_url()
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": url, "exp": now + 60, "iat": now, "jti": "x"}
    hs = jwt.encode(claims, "shared-secret-" * 4, algorithm="HS256")
    none = jwt.encode(claims, None, algorithm="none")
    for token in (hs, none):
        error = expect_status(401, lambda token=token: cds._call("GET", url, token=token))
        assert "ES384 of RS384" in error.messages[0]
    no_jti = jwt.encode({k: v for k, v in claims.items() if k != "jti"}, cds.private_pem, "ES384")
    assert expect_status(401, lambda: cds._call("GET", url, token=no_jti)).messages == [
        "Het token mist 'jti'."
    ]


def test_rs384_client_works(client):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    from cryptography.hazmat.primitives import serialization

    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    CdsClient.objects.create(name="rsa", issuer="https://rsa", public_key=public_key_pem(pem))
    rsa_client = CdsHooksClient(
        base_url=BASE,
        issuer="https://rsa",
        private_pem=pem,
        algorithm="RS384",
        transport=django_transport(client, BASE),
    )
    assert rsa_client.call(SERVICE_ID, MST_CASE).cards


# ---------------------------------------------------------------- JWKS (local stub only)


@pytest.fixture
def jwks_stub(private_pem):
    key = jwt.algorithms.ECAlgorithm.to_jwk(
        jwt.algorithms.ECAlgorithm(jwt.algorithms.ECAlgorithm.SHA384)
        .prepare_key(private_pem)
        .public_key(),
        as_dict=True,
    )
    body = json.dumps({"keys": [key | {"kid": "sleutel-1", "use": "sig", "alg": "ES384"}]})
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json", hits
    server.shutdown()
    server.server_close()


def test_a_client_with_a_jwks_url(client, private_pem, jwks_stub):
    url, hits = jwks_stub
    CdsClient.objects.create(name="jwks", issuer="https://jwks", jwks_url=url)
    via_jwks = CdsHooksClient(
        base_url=BASE,
        issuer="https://jwks",
        private_pem=private_pem,
        kid="sleutel-1",
        transport=django_transport(client, BASE),
    )
    assert via_jwks.discover().services
    assert via_jwks.discover().services
    assert hits == ["/jwks.json"]  # fetched once, then cached
    via_jwks.kid = "onbekend"
    assert expect_status(401, via_jwks.discover).messages == [
        "Onbekende sleutel (kid) voor deze client."
    ]
    via_jwks.kid = None
    assert "kid" in expect_status(401, via_jwks.discover).messages[0]


# ---------------------------------------------------------------- 400


def test_bad_context_gives_the_same_messages_as_suggest(cds, tmp_path):
    case = {
        "placement": "ergens",
        "family_problems": ["ernstige_gedragsproblemen"],
        "children": [{"birth_date": "2999-01-01"}, {"age": 4, "problems": ["foo"]}],
        "reference_date": "2026-11-23",
    }
    expected = rejected(tmp_path, case)
    error = expect_status(400, lambda: cds.call(SERVICE_ID, case))
    assert error.messages == [f"context.{line}" for line in expected]
    assert {p.field for p in error.body.errors} >= {
        "context.placement",
        "context.children[0].birth_date",
        "context.children[1].problems",
    }
    assert not CdsCard.objects.exists()


def test_malformed_requests_are_400(cds):
    url = cds.service_url(SERVICE_ID)

    def post(body):
        return expect_status(400, lambda: cds.post_raw(url, body, token=cds.token(url)))

    assert post(b"{niet json").messages == ["verwacht een JSON-object"]
    assert post([1, 2]).messages == ["verwacht een JSON-object"]
    assert post({"hook": HOOK, "context": {}}).messages == ["hookInstance: ontbreekt"]
    wrong_hook = {"hook": "patient-view", "hookInstance": "9e1c", "context": {}}
    assert "hookInstance" in post(wrong_hook).messages[0]
    wrong_hook["hookInstance"] = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"
    assert post(wrong_hook).messages == [f"hook: moet '{HOOK}' zijn"]
    assert post({"feedback": []} | {"hook": HOOK}).messages[0].startswith("hookInstance")


def test_unknown_service_is_404_and_get_is_405(cds):
    url = cds.service_url("iets-anders")
    expect_status(404, lambda: cds.post_raw(url, {}, token=cds.token(url)))
    url = cds.service_url(SERVICE_ID)
    expect_status(405, lambda: cds._call("GET", url, token=cds.token(url)))


# ---------------------------------------------------------------- rate limits and CORS


def test_rate_limit_per_client(cds, registered):
    registered.rate_limit_per_minute = 2
    registered.save()
    cds.discover()
    cds.discover()
    error = expect_status(429, cds.discover)
    assert int(error.headers["Retry-After"]) >= 1


def test_cors_only_for_registered_origins(client, cds):
    url = "/cds-services/" + SERVICE_ID
    ok = client.options(
        url,
        headers={"Origin": "https://zaak.gemeente.test", "Access-Control-Request-Method": "POST"},
    )
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == "https://zaak.gemeente.test"
    assert "Authorization" in ok["Access-Control-Allow-Headers"]
    refused = client.options(url, headers={"Origin": "https://kwaad.test"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused
    token = cds.token(BASE + url)
    call = client.post(
        url,
        data=json.dumps(
            {
                "hook": HOOK,
                "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                "context": MST_CASE,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Origin": "https://zaak.gemeente.test"},
    )
    assert call.status_code == 200
    assert call["Access-Control-Allow-Origin"] == "https://zaak.gemeente.test"
    token = cds.token(BASE + url)
    foreign = client.post(
        url,
        data="{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Origin": "https://kwaad.test"},
    )
    assert foreign.status_code == 403 and "Access-Control-Allow-Origin" not in foreign


# ---------------------------------------------------------------- registration and token command


def test_registration_needs_exactly_one_good_key(private_pem):
    client = CdsClient(name="x", issuer="https://x")
    with pytest.raises(ValidationError, match="precies één"):
        client.full_clean()
    client.jwks_url = "https://x/jwks"
    client.public_key = public_key_pem(private_pem)
    with pytest.raises(ValidationError, match="precies één"):
        client.full_clean()
    client.jwks_url = ""
    p256 = ec.generate_private_key(ec.SECP256R1())
    from cryptography.hazmat.primitives import serialization

    client.public_key = (
        p256.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with pytest.raises(ValidationError, match="P-384"):
        client.full_clean()
    client.public_key = "geen sleutel"
    with pytest.raises(ValidationError, match="PEM"):
        client.full_clean()
    client.public_key = public_key_pem(private_pem)
    client.allowed_origins = "https://ok.test\nhttps://niet-ok.test/pad"
    with pytest.raises(ValidationError, match="origin"):
        client.full_clean()


def test_cds_token_command_makes_an_accepted_token(client, registered, private_pem, tmp_path):
    key = tmp_path / "client.pem"
    key.write_text(private_pem)
    out = StringIO()
    call_command(
        "cds_token",
        "--client",
        registered.name,
        "--key",
        str(key),
        "--base-url",
        BASE,
        stdout=out,
    )
    response = client.post(
        f"/cds-services/{SERVICE_ID}",
        data=json.dumps(
            {
                "hook": HOOK,
                "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                "context": MST_CASE,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {out.getvalue().strip()}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["cards"]


def test_demo_client_and_feedback_for_the_insight_page(client, settings, tmp_path):
    from cdshooks.demo import DEMO_CLIENT, cds_demo_seed

    settings.CDS_DEMO_KEY_FILE = tmp_path / "demo.pem"
    demo = cds_demo_seed()
    cards, feedback = CdsCard.objects.count(), CdsFeedback.objects.count()
    assert cards > 100 and feedback > 20
    assert cds_demo_seed() == demo and CdsCard.objects.count() == cards  # once only
    out = StringIO()
    call_command(
        "cds_token", "--client", DEMO_CLIENT, "--discovery", "--base-url", BASE, stdout=out
    )
    response = client.get(
        "/cds-services", headers={"Authorization": f"Bearer {out.getvalue().strip()}"}
    )
    assert response.status_code == 200


def test_cds_token_refuses_bad_arguments(registered, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="geen client"):
        call_command("cds_token", "--client", "onbekend")
    with pytest.raises(CommandError, match="niet te lezen"):
        call_command("cds_token", "--client", registered.name, "--key", str(tmp_path / "x"))
    (tmp_path / "x").write_text("geen sleutel")
    with pytest.raises(CommandError, match="geen private"):
        call_command("cds_token", "--client", registered.name, "--key", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="lifetime"):
        call_command(
            "cds_token",
            "--client",
            registered.name,
            "--key",
            str(tmp_path / "x"),
            "--lifetime",
            "3600",
        )


def test_expired_token_ids_are_purged_and_fresh_ones_kept(cds):
    from datetime import timedelta

    from django.utils import timezone

    from cdshooks.auth import purge_used_tokens

    cds.discover()
    UsedToken.objects.create(
        client=CdsClient.objects.get(), jti="oud", expires_at=timezone.now() - timedelta(hours=1)
    )
    assert purge_used_tokens() == 1
    assert list(UsedToken.objects.values_list("jti", flat=True)) != ["oud"]
    assert UsedToken.objects.count() == 1


def test_rate_limit_lets_calls_through_when_the_cache_is_unreachable(cds, registered, monkeypatch):
    from cdshooks import ratelimit

    registered.rate_limit_per_minute = 1
    registered.save()
    monkeypatch.setattr(ratelimit.cache, "add", lambda *a, **k: False)
    monkeypatch.setattr(ratelimit.cache, "incr", lambda *a, **k: None)  # TolerantRedisCache
    assert cds.discover().services and cds.discover().services
