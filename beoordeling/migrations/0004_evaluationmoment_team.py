"""The team on each evaluation moment (a copy of its plan's dossier's team), step 1 of 3:
the column, nullable while it is filled. Schema, data and NOT NULL are three migrations:
on PostgreSQL a table with updated rows and deferred foreign-key checks pending cannot be
altered in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0003_plan_revision"),
        ("dossiers", "0005_move_review_to_beoordeling"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluationmoment",
            name="team",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dossiers.team",
            ),
        ),
    ]
