"""Who is calling: the JWT a CDS client sends, checked as CDS Hooks 2.0 prescribes.

Each call carries ``Authorization: Bearer <JWT>``, signed with the client's private key
(ES384 or RS384). The service checks the signature against the key the administrator
registered (a PEM public key, or a JWKS URL), and the claims: ``iss`` names a registered
client, ``aud`` is this service's URL, ``exp`` lies in the future but at most five
minutes ahead, ``iat`` is not in the future, and ``jti`` was never accepted before.
Any failure raises :class:`AuthFailed`; the view answers 401.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.db import connection
from django.utils import timezone

from cdshooks.models import CdsClient, UsedToken

ALGORITHMS = ["ES384", "RS384"]
MAX_LIFETIME_SECONDS = 300  # the spec: exp SHALL NOT be more than five minutes ahead
LEEWAY_SECONDS = 30  # clock skew between the client and us
MIN_RSA_BITS = 2048
JWKS_TIMEOUT_SECONDS = 5
JWKS_CACHE_SECONDS = 300


class AuthFailed(Exception):
    """The call is not authenticated. The message says why, in Dutch, without secrets."""


class KeyProblem(Exception):
    pass


def load_public_key(pem: str):
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except (ValueError, TypeError):
        raise KeyProblem("Dit is geen publieke sleutel in PEM-formaat.") from None
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP384R1):
            raise KeyProblem("Een EC-sleutel moet de curve P-384 hebben (ES384).")
    elif isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyProblem(f"Een RSA-sleutel moet minstens {MIN_RSA_BITS} bits hebben.")
    else:
        raise KeyProblem("Alleen EC P-384 (ES384) of RSA (RS384) sleutels.")
    return key


_jwks_clients: dict[str, jwt.PyJWKClient] = {}
_jwks_lock = threading.Lock()


def _jwks_key(url: str, kid: str | None):
    if not kid:
        raise AuthFailed("De JWT-header mist 'kid'; die is nodig bij een JWKS.")
    with _jwks_lock:
        client = _jwks_clients.get(url)
        if client is None:
            client = _jwks_clients[url] = jwt.PyJWKClient(
                url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS, timeout=JWKS_TIMEOUT_SECONDS
            )
    try:
        return client.get_signing_key(kid).key
    except jwt.PyJWKClientConnectionError:
        raise AuthFailed("De sleutels van deze client zijn niet op te halen.") from None
    except jwt.PyJWKClientError:
        raise AuthFailed("Onbekende sleutel (kid) voor deze client.") from None


def clear_jwks_cache() -> None:
    with _jwks_lock:
        _jwks_clients.clear()


def _client_key(client: CdsClient, header: dict):
    if client.public_key.strip():
        try:
            return load_public_key(client.public_key)
        except KeyProblem:
            raise AuthFailed("De geregistreerde sleutel van deze client is ongeldig.") from None
    return _jwks_key(client.jwks_url, header.get("kid"))


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthFailed("Geen token: stuur 'Authorization: Bearer <JWT>'.")
    return token.strip()


def authenticate(authorization: str, *, audience: str) -> CdsClient:
    """The registered client that signed this call. Records its ``jti`` as used."""
    token = bearer_token(authorization)
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AuthFailed("Het token is geen geldige JWT.") from None
    if header.get("alg") not in ALGORITHMS:
        raise AuthFailed("Het token moet ondertekend zijn met ES384 of RS384.")
    issuer = unverified.get("iss")
    client = (
        CdsClient.objects.filter(issuer=issuer, is_active=True).first()
        if isinstance(issuer, str)
        else None
    )
    if client is None:
        raise AuthFailed("Onbekende client (iss).")
    key = _client_key(client, header)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=client.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthFailed("Het token is verlopen (exp).") from None
    except jwt.InvalidAudienceError:
        raise AuthFailed(
            f"Het token is niet voor deze service (aud moet {audience} zijn)."
        ) from None
    except jwt.ImmatureSignatureError:
        raise AuthFailed("Het token is nog niet geldig (iat ligt in de toekomst).") from None
    except jwt.MissingRequiredClaimError as exc:
        raise AuthFailed(f"Het token mist '{exc.claim}'.") from None
    except jwt.InvalidSignatureError:
        raise AuthFailed("De handtekening klopt niet met de sleutel van deze client.") from None
    except jwt.PyJWTError:
        raise AuthFailed("Het token is ongeldig.") from None
    now = timezone.now().timestamp()
    exp, iat, jti = claims["exp"], claims["iat"], claims["jti"]
    if not isinstance(exp, int | float) or exp > now + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS:
        raise AuthFailed("exp ligt meer dan vijf minuten in de toekomst.")
    if not isinstance(iat, int | float) or iat > now + LEEWAY_SECONDS:
        raise AuthFailed("iat ligt in de toekomst.")
    if not isinstance(jti, str) or not 1 <= len(jti) <= 255:
        raise AuthFailed("jti moet tekst zijn van 1 tot 255 tekens.")
    _use_once(client, jti, datetime.fromtimestamp(exp + LEEWAY_SECONDS, tz=UTC))
    return client


def _use_once(client: CdsClient, jti: str, expires_at: datetime) -> None:
    """Refuse a jti seen before. The unique constraint decides, also under concurrency:
    one INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite), nothing inserted = seen."""
    table = UsedToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, jti, expires_at) VALUES (%s, %s, %s) "  # noqa: S608 - our own table name
            "ON CONFLICT (client_id, jti) DO NOTHING RETURNING id",
            [client.pk, jti, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        if cursor.fetchone() is None:
            raise AuthFailed("Dit token is al gebruikt (jti).")


def purge_used_tokens() -> int:
    """Forget jtis whose token has expired: they can no longer be replayed anyway."""
    deleted, _ = UsedToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
