from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def close_ended_moments(apps, schema_editor):
    """Moments that can never be due again: evaluated, in a closed dossier, or of a plan
    that a newer set plan replaced."""
    moment = apps.get_model("beoordeling", "EvaluationMoment")
    plan = apps.get_model("beoordeling", "Hulpverleningsplan")
    record = apps.get_model("beoordeling", "EvaluationRecord")
    newer_set_plan = plan.objects.filter(
        dossier_id=OuterRef("plan__dossier_id"),
        set_at__isnull=False,
        version__gt=OuterRef("plan__version"),
    )
    ended = moment.objects.filter(
        Exists(record.objects.filter(moment_id=OuterRef("pk")))
        | Q(plan__dossier__status="afgesloten")
        | Exists(newer_set_plan)
    )
    moment.objects.filter(pk__in=ended.values("pk")).update(is_open=False)


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0007_review_completion"),
        ("dossiers", "0008_dossier_status_ingetrokken"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluationmoment",
            name="is_open",
            field=models.BooleanField(db_default=True, default=True, editable=False),
        ),
        migrations.RunPython(close_ended_moments, migrations.RunPython.noop),
    ]
