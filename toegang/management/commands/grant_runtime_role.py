from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from toegang.models import AppendOnlyModel


def _append_only_tables() -> dict[str, str]:
    """Append-only tables: read and add only; DELETE also where rows go with their dossier."""
    rights = {}
    for model in apps.get_models():
        if issubclass(model, AppendOnlyModel):
            deferred = any(
                getattr(t, "timing", None) is not None for t in getattr(model._meta, "triggers", [])
            )
            rights[model._meta.db_table] = "SELECT, INSERT" + (", DELETE" if deferred else "")
    rights["django_migrations"] = "SELECT"
    return rights


class Command(BaseCommand):
    help = (
        "Geeft de runtime-databaserol precies de rechten die de app nodig heeft (PostgreSQL). "
        "Draai als de rol die migreert en de tabellen bezit, na elke migrate. De runtime-rol "
        "mag het toegangslog alleen lezen en aanvullen: geen UPDATE, DELETE of TRUNCATE, en "
        "als niet-eigenaar kan hij geen triggers uitzetten of verwijderen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="de runtime-rol, bijvoorbeeld richtsnoer_app")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Alleen voor PostgreSQL.", returncode=2)
        quote = connection.ops.quote_name
        special = _append_only_tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    f"Rol {role} bestaat niet (CREATE ROLE ... LOGIN).", returncode=2
                )
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"Rol {role} is superuser: dat is geen runtime-rol.", returncode=2
                )
            cursor.execute("SELECT current_database()")
            database = cursor.fetchone()[0]
            cursor.execute(f"GRANT CONNECT ON DATABASE {quote(database)} TO {quote(role)}")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")
            cursor.execute(
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}"
            )
            for table in connection.introspection.table_names(cursor):
                rights = special.get(table, "SELECT, INSERT, UPDATE, DELETE")
                cursor.execute(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
                cursor.execute(f"GRANT {rights} ON {quote(table)} TO {quote(role)}")
        for table, rights in sorted(special.items()):
            self.stdout.write(f"  {table}: {rights}")
        self.stdout.write(f"Rol {role}: rechten gezet in {database}.")
