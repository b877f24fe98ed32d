"""What a load balancer and an operator ask: is this app server fit to serve?"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.models import Count

logger = logging.getLogger("richtsnoer.health")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health_database_unreachable")
        return False


def content_version() -> str | None:
    """The content version the suggestions are computed with right now."""
    try:
        from interventies.selectors import current_catalogue

        return current_catalogue().version
    except Exception:  # no content loaded, or the database is away: reported, not raised
        logger.warning("health_content_unavailable", exc_info=True)
        return None


def _task_model():
    """django-tasks' database backend model, when the project has a task worker."""
    try:
        return apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return None


def task_queue_counts() -> dict[str, int] | None:
    model = _task_model()
    if model is None:
        return None
    try:
        rows = model.objects.values_list("status").annotate(n=Count("pk")).order_by()
        return {str(status): n for status, n in rows}
    except DatabaseError:
        return None


def task_worker_state() -> str:
    """ "absent" (no task queue configured), or "ok"/"stuck": a task ready for more than
    ``HEALTH_TASK_MAX_WAIT`` seconds means no worker is taking them."""
    model = _task_model()
    if model is None:
        return "absent"
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    limit = timezone.now() - timedelta(seconds=getattr(settings, "HEALTH_TASK_MAX_WAIT", 300))
    try:
        fields = {f.name for f in model._meta.get_fields()}
        stamp = "enqueued_at" if "enqueued_at" in fields else None
        if stamp is None:
            return "ok"
        waiting = model.objects.filter(status="READY", **{f"{stamp}__lt": limit}).exists()
    except DatabaseError:
        return "unknown"
    return "stuck" if waiting else "ok"
