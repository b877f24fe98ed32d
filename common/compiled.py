"""A query compiled once and run many times with new values.

Building a query with the ORM (subqueries, annotations) costs about as much as running a
small one. For a query on every request (the user with roles and teams, the autosave's
dossier row) it is compiled once with marker values where the request's values go; each
run puts the real values in those places and reads through ``raw()``, so the database's
values are converted as the ORM converts them (time zones on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    places: dict[int, tuple[str, int]]  # parameter index -> (value name, index in its list)

    def first(self, manager, **values: Sequence):
        """The first row for these values (each name: the values for its markers, in
        order), or None."""
        return next(iter(manager.raw(self.sql, self.params_for(**values))), None)

    def params_for(self, **values: Sequence) -> list:
        """The parameters with these values in the markers' places (for ``sql`` run
        inside a larger statement)."""
        return [
            values[self.places[i][0]][self.places[i][1]] if i in self.places else param
            for i, param in enumerate(self.params)
        ]


def compiled(queryset, **marks: Sequence) -> Compiled:
    """``queryset`` compiled, with the place of every marker value: ``marks`` names each
    list of markers, as they appear among the compiled parameters (prepared for the
    database). A marker lost or doubled by the compiler is an error, never a guess."""
    sql, params = queryset.query.sql_with_params()
    places = {
        i: (name, list(markers).index(value))
        for i, value in enumerate(params)
        for name, markers in marks.items()
        if value in markers
    }
    if len(places) != sum(len(markers) for markers in marks.values()):
        raise RuntimeError("compiled: a marker is not exactly once among the parameters")
    return Compiled(sql, tuple(params), places)
