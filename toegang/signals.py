"""Team membership, role and second-factor changes go into the same append-only log as
dossier access.

They can happen anywhere (admin, shell, seed), so the m2m_changed signal is the one place
that sees them all; the handler only writes the audit row, no business logic.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from toegang.models import AccessLog


def _actor():
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _pairs(instance, pk_set, user_is_instance: bool):
    """(user id, other id) for each changed link, whichever side was edited."""
    for pk in pk_set or ():
        yield (instance.pk, pk) if user_is_instance else (pk, instance.pk)


def _log(kind: str, action: str, instance, pk_set, user_is_instance: bool) -> None:
    from toegang.audit import audit_system

    added = action == "post_add"
    actor = _actor()
    for user_id, other_id in _pairs(instance, pk_set, user_is_instance):
        if kind == "team":
            audit_system(
                action=AccessLog.Action.TEAM_JOIN if added else AccessLog.Action.TEAM_LEAVE,
                user=actor,
                team_id=other_id,
                subject_user_id=user_id,
            )
        else:
            audit_system(
                action=AccessLog.Action.ROLE_GRANT if added else AccessLog.Action.ROLE_REVOKE,
                user=actor,
                subject_user_id=user_id,
            )


def _handler(kind: str):
    def handle(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
        if action == "pre_clear":  # clear() sends no ids afterwards: remember them now
            if kind == "team":
                related = instance.teams if reverse else instance.members
            else:
                related = instance.groups if not reverse else instance.user_set
            instance._audit_cleared = set(related.values_list("pk", flat=True))
            return
        if action == "post_clear":
            pk_set, action = getattr(instance, "_audit_cleared", set()), "post_remove"
        if action not in ("post_add", "post_remove"):
            return
        # Team.members: forward instance is the team; User.groups: forward is the user
        user_is_instance = reverse if kind == "team" else not reverse
        _log(kind, action, instance, pk_set, user_is_instance)

    return handle


team_changed = _handler("team")
role_changed = _handler("role")


def authenticator_saved(sender, instance, created, **kwargs) -> None:
    if created and instance.type == "totp":
        from toegang.audit import audit_system

        audit_system(
            action=AccessLog.Action.MFA_SET, user=_actor(), subject_user_id=instance.user_id
        )


def authenticator_deleted(sender, instance, **kwargs) -> None:
    """Also when an administrator removes it in Django admin (after a lost phone)."""
    if instance.type == "totp":
        from toegang.audit import audit_system

        audit_system(
            action=AccessLog.Action.MFA_REMOVE, user=_actor(), subject_user_id=instance.user_id
        )


def connect() -> None:
    from allauth.mfa.models import Authenticator

    from dossiers.models import Team

    post_save.connect(authenticator_saved, sender=Authenticator, dispatch_uid="toegang-mfa-set")
    post_delete.connect(
        authenticator_deleted, sender=Authenticator, dispatch_uid="toegang-mfa-remove"
    )

    m2m_changed.connect(team_changed, sender=Team.members.through, dispatch_uid="toegang-team")
    m2m_changed.connect(
        role_changed, sender=get_user_model().groups.through, dispatch_uid="toegang-role"
    )
