"""Pages whose cost does not grow with the table: a bounded count, a bounded offset.

Django's Paginator counts every matching row. At a million dossiers that count is the
slowest part of a page, and nobody pages past a few hundred rows: they search or filter.
``BoundedPaginator`` counts at most ``cap`` rows (``COUNT(*)`` over a ``LIMIT cap + 1``
subquery that an index answers), so the last page it offers is at most ``cap`` rows in.
``page.paginator.more`` says there are more rows than it counted.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class BoundedPaginator(Paginator):
    """``counted``: a cheaper query that matches the same rows (say, one an index answers
    alone, where ``object_list`` also joins what the page shows); by default the list."""

    def __init__(
        self, object_list, per_page, cap: int = COUNT_CAP, *, counted=None, **kwargs
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.counted = object_list if counted is None else counted

    @cached_property
    def _bounded_count(self) -> int:
        # Only the primary keys, unordered, at most cap + 1 of them.
        return self.counted.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @cached_property
    def more(self) -> bool:
        """More rows match than were counted (and can be paged to)."""
        return self._bounded_count > self.cap
