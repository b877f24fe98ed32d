from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def open_exactly_the_due_moments(apps, schema_editor):
    """``is_open`` becomes exact (the overview counts from it): True for the moments of the
    plan in force of a dossier whose plan is set, not yet evaluated; False for all others,
    concept plans' moments included (0008 left those True)."""
    moment = apps.get_model("beoordeling", "EvaluationMoment")
    plan = apps.get_model("beoordeling", "Hulpverleningsplan")
    record = apps.get_model("beoordeling", "EvaluationRecord")
    newer_set_plan = plan.objects.filter(
        dossier_id=OuterRef("plan__dossier_id"),
        set_at__isnull=False,
        version__gt=OuterRef("plan__version"),
    )
    due = Q(plan__set_at__isnull=False, plan__dossier__status="vastgesteld") & ~Q(
        Exists(record.objects.filter(moment_id=OuterRef("pk")))
        | Exists(newer_set_plan)
    )
    closed = moment.objects.filter(is_open=True).exclude(due).update(is_open=False)
    opened = moment.objects.filter(is_open=False).filter(due).update(is_open=True)
    return closed, opened  # (for manage.py recompute_open_agreements)


class Migration(migrations.Migration):
    dependencies = [("beoordeling", "0009_evaluation_open_index")]

    operations = [migrations.RunPython(open_exactly_the_due_moments, migrations.RunPython.noop)]
