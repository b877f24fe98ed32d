"""The access log and the append-only base every never-changed record builds on."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from toegang.triggers import GENESIS, chain_head_check


class AppendOnlyError(Exception):
    """An append-only record (the access log, a review decision) is never changed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Deze gegevens worden nooit gewijzigd.")

    def delete(self):
        raise AppendOnlyError("Deze gegevens worden nooit verwijderd.")


class AppendOnlyModel(models.Model):
    """Rows are only ever added: saving an existing row or deleting one is refused.

    On PostgreSQL each concrete model also has a trigger that refuses UPDATE and DELETE.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} wordt nooit gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} wordt nooit verwijderd.")


def deleted_only_with_dossier(name: str) -> pgtrigger.Trigger:
    """A deferred check: rows may go only when their dossier goes in the same transaction.

    Erasure (toegang.retention) deletes a dossier with everything under it; any other
    DELETE of these rows is refused at commit. Used with a Protect on UPDATE.
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.After,
        operation=pgtrigger.Delete,
        timing=pgtrigger.Deferred,
        func=(
            "IF EXISTS (SELECT 1 FROM dossiers_dossier WHERE id = OLD.dossier_id) THEN "
            "RAISE EXCEPTION 'pgtrigger: rows of % are only deleted together with their "
            "dossier', TG_TABLE_NAME; END IF; RETURN NULL;"
        ),
    )


class AccessLog(AppendOnlyModel):
    """Who did what with which dossier, when and from where (NEN 7513). Ids, never contents.

    Append-only: the model refuses changes and deletions; on PostgreSQL a trigger refuses
    UPDATE and DELETE and the runtime role has no right to them (see the README).
    Tamper-evident: each row carries a hash over its content and the previous row's hash
    (``toegang.chain``); ``manage.py verify_access_log`` checks the whole chain, and on
    PostgreSQL a trigger refuses a new row that does not link to the head or whose hash
    does not match its content (``toegang.triggers``).
    """

    class Action(models.TextChoices):
        LIST = "list", "Lijst bekeken"
        SEARCH = "search", "Gezocht"
        QUEUE = "queue", "Beoordelingslijst bekeken"
        EVALUATIONS = "evaluations", "Evaluatieoverzicht bekeken"
        CREATE = "create", "Gezin aangemaakt"
        VIEW = "view", "Ingezien"
        CHANGE = "change", "Intake opgeslagen"
        AUTOSAVE = "autosave", "Intake bewerkt (concept bewaard)"
        DISCARD = "discard", "Concept weggegooid"
        SUBMIT = "submit", "Ingediend ter beoordeling"
        WITHDRAW = "withdraw", "Dossier ingetrokken"
        REVIEW = "review", "Suggestie beoordeeld"
        REVIEW_DONE = "review_done", "Beoordeling afgerond"
        PLAN_CONCEPT = "plan_concept", "Concept plan opgeslagen"
        PLAN = "plan", "Plan vastgesteld"
        EVALUATE = "evaluate", "Evaluatie vastgelegd"
        PRINT = "print", "Plan afgedrukt"
        PDF = "pdf", "Plan als pdf gedownload"
        VIEW_LOG = "view_log", "Toegangslog bekeken"
        EXPORT_LOG = "export_log", "Toegangslog geëxporteerd"
        PURGE = "purge", "Verwijderd na bewaartermijn"
        DELETE = "delete", "Verwijderd op verzoek"
        TEAM_JOIN = "team_join", "Toegevoegd aan team"
        TEAM_LEAVE = "team_leave", "Uit team gehaald"
        ROLE_GRANT = "role_grant", "Rol gekregen"
        ROLE_REVOKE = "role_revoke", "Rol afgenomen"
        LOG_TRIM = "log_trim", "Toegangslog ingekort na bewaartermijn"
        MFA_SET = "mfa_set", "Authenticator-app ingesteld"
        MFA_REMOVE = "mfa_remove", "Authenticator-app verwijderd"

    class Outcome(models.TextChoices):
        OK = "ok", "Gelukt"
        DENIED = "denied", "Geweigerd"
        CONFLICT = "conflict", "Conflict"
        INVALID = "invalid", "Ongeldig"

    at = models.DateTimeField(db_index=True)
    # No single-column indexes on user and team: the (user, at, id) and (team, at, id)
    # indexes below lead with them and serve the same reads (migration 0008).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    roles = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        "dossiers.Team", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    dossier_id = models.UUIDField(null=True)
    # The account whose team membership or role changed (team_join ... role_revoke).
    subject_user_id = models.IntegerField(null=True)
    client_address = models.GenericIPAddressField(null=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OK)
    prev_hash = models.CharField(max_length=64, default=GENESIS)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "toegangslogregel"
        ordering = ["-at"]
        indexes = [
            # "wie heeft dit dossier ingezien", newest first, paginated
            models.Index(fields=["dossier_id", "-at", "-id"], name="accesslog_dossier_recent"),
            # the team-wide page for the privacy officer, and filters by person
            models.Index(fields=["team", "-at", "-id"], name="accesslog_team_recent"),
            models.Index(fields=["user", "-at", "-id"], name="accesslog_user_recent"),
            # the privacy officer's filters on what happened and how it ended (geweigerd)
            models.Index(fields=["action", "-at", "-id"], name="accesslog_action_recent"),
            models.Index(fields=["outcome", "-at", "-id"], name="accesslog_outcome_recent"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
            # On PostgreSQL every new row must link to the head (toegang.triggers).
            chain_head_check(),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.outcome}"


class LogTrim(AppendOnlyModel):
    """Where the chain starts after old rows were removed at the end of their term.

    ``verify_access_log`` accepts a first row that is not the chain's genesis only when a
    trim names exactly that row and its previous hash.
    """

    at = models.DateTimeField(auto_now_add=True)
    first_id = models.BigIntegerField()
    first_prev_hash = models.CharField(max_length=64)
    removed = models.PositiveIntegerField()

    class Meta:
        verbose_name = "inkorting van het toegangslog"
        triggers = [
            pgtrigger.Protect(
                name="log_trim_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"Ingekort tot rij {self.first_id} ({self.removed} rijen)"


class Erasure(AppendOnlyModel):
    """Who erased a dossier and on what ground: ids and codes only, never contents."""

    class Reason(models.TextChoices):
        RETENTION = "bewaartermijn", "Bewaartermijn verstreken"
        REQUEST = "verzoek", "Verzoek van het gezin (AVG art. 17, Jeugdwet art. 7.3.11)"

    class Basis(models.TextChoices):
        FOUR_EYES = "vier_ogen", "Tweede persoon heeft meegekeken"
        COURT = "uitspraak", "Uitspraak van de rechter"
        AP = "autoriteit", "Besluit van de Autoriteit Persoonsgegevens"

    at = models.DateTimeField(auto_now_add=True)
    dossier_id = models.UUIDField()
    team_id = models.IntegerField(null=True)
    dossier_status = models.CharField(max_length=20)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    second = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    basis = models.CharField(max_length=20, choices=Basis.choices, blank=True)
    # A case or letter number of the legal basis (never a name).
    reference = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "verwijdering"
        verbose_name_plural = "verwijderingen"
        triggers = [
            pgtrigger.Protect(
                name="erasure_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.dossier_id}"
