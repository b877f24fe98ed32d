"""Making a client's JWT (for the demo client, the tests and the README's curl example).

A real case system makes its own tokens with its own private key; Richtsnoer never holds
a client's private key. Only the demo client's key lives on this machine (DEBUG only).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

DEMO_KEY_FILE = "cds-demo-client.pem"


def demo_key_path() -> Path:
    configured = getattr(settings, "CDS_DEMO_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / DEMO_KEY_FILE


def new_private_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP384R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_key_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def client_token(
    *,
    private_pem: str,
    issuer: str,
    audience: str,
    lifetime: int = 300,
    kid: str | None = None,
    algorithm: str = "ES384",
) -> str:
    """A CDS Hooks client JWT: iss, aud, exp (lifetime seconds ahead), iat and a fresh jti."""
    now = int(time.time())
    headers = {"typ": "JWT"} | ({"kid": kid} if kid else {})
    claims = {
        "iss": issuer,
        "aud": audience,
        "exp": now + lifetime,
        "iat": now,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, private_pem, algorithm=algorithm, headers=headers)
