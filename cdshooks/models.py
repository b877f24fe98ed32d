"""CDS Hooks: the case systems that may call Richtsnoer, and what is kept of their calls.

Nothing personal is kept from a call: no labels, birth dates, problem codes of a child or
free text. A call leaves the cards it returned (which intervention, for which content
version, for which client) and the feedback on them (outcome and coded reason). The
``userComment`` a client may send is never stored: it is free text and may name people.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from beoordeling.models import DeclineReason
from dossiers.models import Team


class CdsClient(models.Model):
    """A case system registered by an administrator, with the key it signs its JWTs with."""

    name = models.CharField("naam", max_length=100, unique=True)
    issuer = models.CharField(
        "issuer (iss)",
        max_length=255,
        unique=True,
        help_text="De waarde van 'iss' in de JWT van dit systeem, meestal een URL.",
    )
    public_key = models.TextField(
        "publieke sleutel (PEM)",
        blank=True,
        help_text="EC P-384 (ES384) of RSA (RS384), in PEM. Leeg als u een JWKS-URL geeft.",
    )
    jwks_url = models.URLField(
        "JWKS-URL",
        blank=True,
        help_text="Waar de publieke sleutels van dit systeem staan (JSON Web Key Set).",
    )
    allowed_origins = models.TextField(
        "toegestane origins (CORS)",
        blank=True,
        help_text="Eén per regel, bijvoorbeeld https://zaaksysteem.gemeente.nl. Leeg: geen.",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="team",
        help_text="Het wijkteam dat met dit systeem werkt (voor het inzicht per team).",
    )
    rate_limit_per_minute = models.PositiveIntegerField("aanroepen per minuut", default=120)
    is_active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "CDS Hooks-client"
        verbose_name_plural = "CDS Hooks-clients"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.splitlines() if o.strip()]

    def clean(self) -> None:
        from cdshooks.auth import KeyProblem, load_public_key

        if bool(self.public_key.strip()) == bool(self.jwks_url.strip()):
            raise ValidationError("Geef een publieke sleutel of een JWKS-URL (precies één).")
        if self.public_key.strip():
            try:
                load_public_key(self.public_key)
            except KeyProblem as exc:
                raise ValidationError({"public_key": str(exc)}) from None
        for origin in self.origins():
            if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ValidationError(
                    {"allowed_origins": f"'{origin}' is geen origin (schema://host[:poort])."}
                )


class UsedToken(models.Model):
    """A JWT id (jti) once accepted; never accepted again. Kept until the token expired."""

    client = models.ForeignKey(CdsClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="cdshooks_jti_once_per_client")
        ]

    def __str__(self) -> str:
        return f"jti {self.jti} (client {self.client_id})"


class CardKind(models.TextChoices):
    SUGGESTION = "suggestion", "Suggestie"
    EXCLUSIONS = "exclusions", "Waarom niet"


class CdsCard(models.Model):
    """A card returned to a client: ids and codes only."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    suggestion_uuid = models.UUIDField(null=True, unique=True)
    client = models.ForeignKey(CdsClient, on_delete=models.PROTECT, related_name="cards")
    hook_instance = models.UUIDField()
    content_version = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=CardKind.choices)
    intervention_code = models.CharField(max_length=20, blank=True)
    child_index = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "CDS-kaart"
        indexes = [
            models.Index(
                fields=["content_version", "intervention_code"], name="cdshooks_card_version_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.intervention_code} ({self.uuid})"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Overgenomen"
    OVERRIDDEN = "overridden", "Niet overgenomen"


class CdsFeedback(models.Model):
    """What the user of a client did with a card (spec: Feedback). Codes only."""

    card = models.ForeignKey(CdsCard, on_delete=models.PROTECT, related_name="feedback")
    client = models.ForeignKey(CdsClient, on_delete=models.PROTECT, related_name="+")
    content_version = models.CharField(max_length=64)
    intervention_code = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    outcome_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "CDS-terugkoppeling"
        verbose_name_plural = "CDS-terugkoppelingen"
        constraints = [
            models.UniqueConstraint(
                fields=["card", "outcome", "outcome_at"], name="cdshooks_feedback_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["content_version", "intervention_code"],
                name="cdshooks_feedback_version_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.intervention_code}"
