"""The access log's single-column indexes on ``user`` and ``team`` go: the composite
``(user, at, id)`` and ``(team, at, id)`` indexes lead with the same column and answer
every query (and the foreign keys' checks) those did. Every logged page wrote both on
each row: two of nine index entries per row, and about 130 MB at ten million rows.
Dropped concurrently on PostgreSQL (writes go on), plainly on SQLite."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import deletion

FIELDS = ("user", "team")


def _single_column_indexes(model, schema_editor, column: str) -> list[str]:
    return schema_editor._constraint_names(model, [column], index=True, primary_key=False)


def drop(apps, schema_editor):
    model = apps.get_model("toegang", "AccessLog")
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name in FIELDS:
        column = model._meta.get_field(name).column
        for index in _single_column_indexes(model, schema_editor, column):
            schema_editor.execute(
                f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(index)}"
            )


def create(apps, schema_editor):
    model = apps.get_model("toegang", "AccessLog")
    postgres = schema_editor.connection.vendor == "postgresql"
    for name in FIELDS:
        field = model._meta.get_field(name)
        if not _single_column_indexes(model, schema_editor, field.column):
            kwargs = {"concurrently": True} if postgres else {}
            schema_editor.execute(
                schema_editor._create_index_sql(model, fields=[field], suffix="", **kwargs)
            )


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("toegang", "0007_mfa_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="team",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=deletion.PROTECT,
                        related_name="+",
                        to="dossiers.team",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
