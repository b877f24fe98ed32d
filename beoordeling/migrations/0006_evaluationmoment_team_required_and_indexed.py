"""Step 3 of 3: every moment has a team from now on, and the evaluations overview's index
(team, due_date, position, id) serves one team's moments in the page's order."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("beoordeling", "0005_fill_evaluationmoment_team")]

    operations = [
        migrations.AlterField(
            model_name="evaluationmoment",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dossiers.team",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluationmoment",
            index=models.Index(
                fields=["team", "due_date", "position", "id"], name="evaluation_team_due"
            ),
        ),
    ]
