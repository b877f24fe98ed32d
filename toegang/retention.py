"""Retention and erasure. What is removed is logged with ids only.

Terms (settings, see the README):
- a closed dossier: ``RETENTION_YEARS`` after it closed (Jeugdwet art. 7.3.8);
- a concept nobody touched: ``RETENTION_CONCEPT_DAYS`` after the last change;
- a withdrawn concept (never submitted): the same ``RETENTION_CONCEPT_DAYS`` after it was
  withdrawn (its last change: a withdrawn dossier is never edited again);
- a dossier that never closed (submitted, plan set): ``RETENTION_YEARS``
  after the last change;
- sessions when they expire, login-attempt records after ``RETENTION_LOGIN_ATTEMPT_DAYS``;
- the access log after ``RETENTION_ACCESS_LOG_YEARS`` (``trim_access_log``, run as the
  database role that owns the table).

Each dossier is removed in its own transaction: one failure stops nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dossiers.models import Dossier, Status
from toegang.audit import audit_system
from toegang.models import AccessLog, Erasure, LogTrim

logger = logging.getLogger("richtsnoer.toegang")


class ErasureRefused(Exception):
    """The erasure is not allowed as asked (message in Dutch)."""


@dataclass(frozen=True)
class Removed:
    dossier_id: str
    team_id: int


@dataclass
class PurgeResult:
    removed: list[Removed] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # dossier ids
    sessions: int = 0
    login_attempts: int = 0


def years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Dossiers closed (or last changed, if never closed) before this have expired."""
    return years_before(now or timezone.now(), settings.RETENTION_YEARS)


def concept_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_CONCEPT_DAYS)


def _expired_q(now: datetime | None) -> Q:
    cutoff = retention_cutoff(now)
    closed = Q(status=Status.AFGESLOTEN, closed_at__lt=cutoff)
    short_term = [Status.CONCEPT, Status.INGETROKKEN]  # never submitted
    concept = Q(status__in=short_term, updated_at__lt=concept_cutoff(now))
    never_closed = ~Q(status__in=[Status.AFGESLOTEN, *short_term]) & Q(updated_at__lt=cutoff)
    return closed | concept | never_closed


def expired_dossiers(now: datetime | None = None) -> QuerySet[Dossier]:
    return Dossier.objects.filter(_expired_q(now)).order_by("updated_at", "pk")


def _erase(dossier: Dossier, *, reason: str, operator=None, second=None, basis="", reference=""):
    """Remove one dossier and everything under it; one id-only log row. In a transaction."""
    removed = Removed(str(dossier.pk), dossier.team_id)
    Erasure.objects.create(
        dossier_id=dossier.pk,
        team_id=dossier.team_id,
        dossier_status=dossier.status,
        reason=reason,
        operator=operator,
        second=second,
        basis=basis,
        reference=reference,
    )
    audit_system(
        action=AccessLog.Action.PURGE
        if reason == Erasure.Reason.RETENTION
        else AccessLog.Action.DELETE,
        user=operator,
        dossier_id=dossier.pk,
        team_id=dossier.team_id,
        subject_user_id=second.pk if second else None,
    )
    # children, parents, network, drafts, snapshots, decisions, plans, evaluations
    dossier.delete()
    return removed


def dossiers_purge_expired(*, now: datetime | None = None) -> PurgeResult:
    """Every dossier past its term, each in its own transaction; then sessions and logins."""
    result = PurgeResult()
    for pk in list(expired_dossiers(now).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                dossier = Dossier.objects.select_for_update().filter(_expired_q(now), pk=pk).first()
                if dossier is not None:  # changed or gone since the list was made
                    result.removed.append(_erase(dossier, reason=Erasure.Reason.RETENTION))
        except Exception:
            logger.exception("dossier %s kon niet worden verwijderd", pk)
            result.failed.append(str(pk))
    result.sessions = sessions_purge_expired()
    result.login_attempts = login_attempts_purge(now=now)
    return result


def sessions_purge_expired() -> int:
    """Expired sessions, whatever the session engine (database, cache or both)."""
    engine = import_module(settings.SESSION_ENGINE)
    from django.contrib.sessions.models import Session

    before = Session.objects.count() if "db" in settings.SESSION_ENGINE else 0
    engine.SessionStore.clear_expired()
    after = Session.objects.count() if "db" in settings.SESSION_ENGINE else 0
    return before - after


def login_attempts_purge(*, now: datetime | None = None) -> int:
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as AxesAccessLog

    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_LOGIN_ATTEMPT_DAYS)
    removed = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    removed += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    removed += AxesAccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return removed


def dossier_delete_on_request(
    *, dossier_id, operator, second=None, basis: str = "", reference: str = ""
) -> Removed:
    """Erase one dossier at the family's request.

    The operator is an authenticated administrator; a second administrator confirms, or
    the operator records the legal basis (a court ruling or a decision of the AP, with its
    reference).
    """
    if operator is None or not operator.is_active or not operator.is_superuser:
        raise ErasureRefused("Alleen een actieve beheerder (superuser) mag verwijderen.")
    if second is not None:
        if second.pk == operator.pk:
            raise ErasureRefused("De tweede persoon moet iemand anders zijn.")
        if not second.is_active or not second.is_superuser:
            raise ErasureRefused("De tweede persoon moet ook een actieve beheerder zijn.")
        basis = Erasure.Basis.FOUR_EYES
    elif basis not in (Erasure.Basis.COURT, Erasure.Basis.AP) or not reference.strip():
        raise ErasureRefused(
            "Verwijderen op verzoek vraagt een tweede beheerder, of een grondslag "
            "(uitspraak of autoriteit) met kenmerk."
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            raise ErasureRefused(f"Dossier {dossier_id} bestaat niet.")
        return _erase(
            dossier,
            reason=Erasure.Reason.REQUEST,
            operator=operator,
            second=second,
            basis=basis,
            reference=reference.strip()[:40],
        )


def access_log_trim(*, now: datetime | None = None) -> int:
    """Remove access-log rows past their own term, oldest first; the chain stays checkable.

    Run as the table owner: the runtime role has no DELETE on the log (that is the point).
    The first kept row and its previous hash are recorded (LogTrim), so verify_access_log
    accepts exactly this new start and still refuses any other missing beginning.
    """
    import pgtrigger

    from toegang.chain import lock_head

    cutoff = years_before(now or timezone.now(), settings.RETENTION_ACCESS_LOG_YEARS)
    with transaction.atomic():
        lock_head()
        first_kept = AccessLog.objects.filter(at__gte=cutoff).order_by("id").first()
        if first_kept is None:  # keep at least the head: an empty log proves nothing
            first_kept = AccessLog.objects.order_by("-id").first()
        if first_kept is None:
            return 0
        old = AccessLog.objects.filter(id__lt=first_kept.id)
        removed = old.count()
        if not removed:
            return 0
        LogTrim.objects.create(
            first_id=first_kept.id, first_prev_hash=first_kept.prev_hash, removed=removed
        )
        with pgtrigger.ignore("toegang.AccessLog:access_log_append_only"):
            old._raw_delete(old.db)
        audit_system(action=AccessLog.Action.LOG_TRIM)
    return removed
