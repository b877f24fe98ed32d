"""Review, plan and evaluation move to the app ``beoordeling``: rows are kept.

The tables are renamed to the new app's names. The append-only trigger on review decisions
is named after app and model by django-pgtrigger, so the old one is dropped here and
``beoordeling.0001_initial`` installs it again under its new name, in the same migrate run.
"""

import pgtrigger.migrations
from django.db import migrations

MOVED = [
    ("evaluationrecord", "beoordeling_evaluationrecord"),
    ("evaluationmoment", "beoordeling_evaluationmoment"),
    ("hulpverleningsplan", "beoordeling_hulpverleningsplan"),
    ("reviewdecision", "beoordeling_reviewdecision"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_move_access_log_to_toegang"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="reviewdecision",
            name="review_decision_append_only",
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=table) for name, table in MOVED
            ],
            state_operations=[migrations.DeleteModel(name=name) for name, _table in MOVED],
        ),
    ]
