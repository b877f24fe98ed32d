"""Step 2 of 3: fill every moment's team from plan -> dossier -> team, in one UPDATE."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_team(apps, schema_editor):
    EvaluationMoment = apps.get_model("beoordeling", "EvaluationMoment")
    Hulpverleningsplan = apps.get_model("beoordeling", "Hulpverleningsplan")
    team_of_plan = Hulpverleningsplan.objects.filter(pk=OuterRef("plan_id")).values(
        "dossier__team_id"
    )[:1]
    EvaluationMoment.objects.filter(team__isnull=True).update(team_id=Subquery(team_of_plan))


class Migration(migrations.Migration):
    dependencies = [("beoordeling", "0004_evaluationmoment_team")]

    operations = [migrations.RunPython(fill_team, migrations.RunPython.noop, elidable=True)]
