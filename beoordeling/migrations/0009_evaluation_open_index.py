from django.db import migrations, models

from common.db_operations import AddIndexWithoutLocking, RemoveIndexWithoutLocking


class Migration(migrations.Migration):
    # Built and dropped without locking out writes (CONCURRENTLY on PostgreSQL).
    atomic = False

    dependencies = [("beoordeling", "0008_evaluation_moment_is_open")]

    operations = [
        AddIndexWithoutLocking(
            model_name="evaluationmoment",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["team", "due_date", "position", "id"],
                name="evaluation_open_team_due",
            ),
        ),
        RemoveIndexWithoutLocking(model_name="evaluationmoment", name="evaluation_team_due"),
    ]
