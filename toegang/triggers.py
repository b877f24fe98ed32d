"""The chain head, checked by PostgreSQL itself on every INSERT into the access log.

``toegang.chain.append`` computes each row's ``prev_hash`` and ``hash`` in Python under an
advisory lock. This trigger repeats that check in the database, so a row written any
other way (raw SQL as the runtime role, a bug) cannot join the chain with a wrong link:

- it takes the same advisory lock (``CHAIN_LOCK``), so raw inserts are serialised too;
- ``prev_hash`` must be the hash of the current last row (genesis on an empty table);
- the id must come after the last row's id (the chain is read in id order);
- ``hash`` must be sha256 over the row as ``toegang.chain.row_hash`` computes it;
- ``at`` must be now, as the database's clock has it, within ``CLOCK_SKEW`` (the app
  servers' clocks may differ a little from the database's), and not before the head's
  ``at`` by more than that: a row cannot be backdated into another period, nor dated
  ahead of the rows after it.

Unlike pgtrigger's own triggers this one has no escape hatch: ``SET pgtrigger.ignore``
is a setting any role may change, so the function does not consult it. Only the table
owner (the migrating role) can disable or drop the trigger; the runtime role cannot.
The function runs with a fixed ``search_path`` and reads the table through its schema
and name from the trigger, so a temporary table of the same name cannot pose as the log.
"""

from __future__ import annotations

import pgtrigger
from pgtrigger import compiler

# pg_advisory_xact_lock key for the chain head ("rs-log" as an integer).
CHAIN_LOCK = 0x72732D6C6F67
GENESIS = "0" * 64
# How far a row's time may lie from the database's clock, and before the head's time.
CLOCK_SKEW = "5 minutes"


class NoEscapeTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's install SQL without the ``pgtrigger.ignore`` check, with a fixed path.

    Referenced by migrations: do not edit the template; add a new class when it must change.
    """

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class NoEscapeTrigger(pgtrigger.Trigger):
    """A pgtrigger trigger that ``pgtrigger.ignore`` cannot switch off."""

    def compile(self, model) -> compiler.Trigger:
        compiled = super().compile(model)
        kwargs = dict(compiled.sql.kwargs)
        kwargs.pop("ignore_func_name", None)
        return compiler.Trigger(name=self.name, sql=NoEscapeTriggerSql(**kwargs))


# The row's text exactly as toegang.chain._text/row_hash build it: fields joined by \x1f,
# empty for NULL, the time in UTC ISO format with microseconds, the address as Python's
# ipaddress writes it (``addr``, see below).
ROW_TEXT = (
    "to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"
    " || E'\\x1f' || coalesce(NEW.user_id::text, '')"
    " || E'\\x1f' || coalesce(NEW.roles, '')"
    " || E'\\x1f' || coalesce(NEW.team_id::text, '')"
    " || E'\\x1f' || coalesce(NEW.action, '')"
    " || E'\\x1f' || coalesce(NEW.dossier_id::text, '')"
    " || E'\\x1f' || coalesce(NEW.subject_user_id::text, '')"
    " || E'\\x1f' || coalesce(addr, '')"
    " || E'\\x1f' || coalesce(NEW.outcome, '')"
)


def chain_head_check() -> NoEscapeTrigger:
    return NoEscapeTrigger(
        name="access_log_chain_head",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert,
        declare=[
            ("head_id", "bigint"),
            ("head_hash", "text"),
            ("head_at", "timestamptz"),
            ("expected", "text"),
            ("addr", "text"),
            ("v4", "text"),
        ],
        func=(
            f"PERFORM pg_advisory_xact_lock({CHAIN_LOCK}); "  # noqa: S608 (constants, no input)
            "EXECUTE format('SELECT id, hash, at FROM %I.%I ORDER BY id DESC LIMIT 1', "
            "TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO head_id, head_hash, head_at; "
            f"IF NEW.prev_hash IS DISTINCT FROM coalesce(head_hash, '{GENESIS}') THEN "
            "RAISE EXCEPTION 'toegangslog: vorige hash sluit niet aan op de kop (rij %)', "
            "head_id USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            "IF head_id IS NOT NULL AND NEW.id <= head_id THEN "
            "RAISE EXCEPTION 'toegangslog: id % komt niet na de kop %', NEW.id, head_id "
            "USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            f"IF NEW.at NOT BETWEEN clock_timestamp() - interval '{CLOCK_SKEW}' "
            f"AND clock_timestamp() + interval '{CLOCK_SKEW}' "
            f"OR NEW.at < head_at - interval '{CLOCK_SKEW}' THEN "
            "RAISE EXCEPTION 'toegangslog: tijdstip % ligt niet bij nu of voor de kop (%)', "
            "NEW.at, head_at USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            # Python writes an IPv6 address with an IPv4 tail (::ffff:1.2.3.4) in hex.
            "addr := host(NEW.client_address); "
            "IF family(NEW.client_address) = 6 AND strpos(addr, '.') > 0 THEN "
            "v4 := substring(addr from '[0-9.]+$'); "
            "addr := left(addr, length(addr) - length(v4)) "
            "|| to_hex(split_part(v4, '.', 1)::int * 256 + split_part(v4, '.', 2)::int) || ':' "
            "|| to_hex(split_part(v4, '.', 3)::int * 256 + split_part(v4, '.', 4)::int); "
            "END IF; "
            "expected := encode(sha256(convert_to(NEW.prev_hash || E'\\x1e' || "
            f"{ROW_TEXT}, 'UTF8')), 'hex'); "
            "IF NEW.hash IS DISTINCT FROM expected THEN "
            "RAISE EXCEPTION 'toegangslog: hash klopt niet met de inhoud van de rij' "
            "USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            "RETURN NEW;"
        ),
    )
