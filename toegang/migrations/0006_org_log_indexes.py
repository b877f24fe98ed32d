from django.conf import settings
from django.db import migrations, models

from common.db_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    # The access log takes a row for every look: its indexes are built without locking
    # out writes (CREATE INDEX CONCURRENTLY on PostgreSQL), outside a transaction.
    atomic = False

    dependencies = [
        ("dossiers", "0008_dossier_status_ingetrokken"),
        ("toegang", "0005_chain_head_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="accesslog",
            index=models.Index(fields=["action", "-at", "-id"], name="accesslog_action_recent"),
        ),
        AddIndexWithoutLocking(
            model_name="accesslog",
            index=models.Index(fields=["outcome", "-at", "-id"], name="accesslog_outcome_recent"),
        ),
    ]
