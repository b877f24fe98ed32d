"""Background tasks (Django's tasks framework; the django-tasks-db backend in production)."""

from django.tasks import task

from impact.services import impact_run_execute


@task()
def impact_run_task(run_id: int) -> None:
    impact_run_execute(run_id)
