"""Pages whose cost does not grow with the table: a bounded count, a bounded offset.

Django's Paginator counts every matching row. At a million dossiers that count is the
slowest part of a page, and nobody pages past a few hundred rows: they search or filter.
``BoundedPaginator`` counts at most ``cap`` rows (``COUNT(*)`` over a ``LIMIT cap + 1``
subquery that an index answers), so the last page it offers is at most ``cap`` rows in.
``page.paginator.more`` says there are more rows than it counted.

A name search cannot count even that cheaply: its trigram index finds every match in
every team (20,000 for a common name at a million dossiers) before the team's are picked
out, however few are counted. ``LookaheadPaginator`` counts nothing: a page reads one row
more than it shows, through the team's ``(team, updated_at, id)`` index, and stops there.
The total is known once the last page is reached; until then the page says "meer dan".
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
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

    @property
    def more_than(self) -> int:
        """What "meer dan" counts, when ``more``."""
        return self.cap


class LookaheadPage(Page):
    """A page that knows whether another follows without knowing how many do."""

    def __init__(self, object_list, number, paginator, *, has_next: bool) -> None:
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage("Dit is de laatste pagina.")
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise EmptyPage("Dit is de eerste pagina.")
        return self.number - 1

    def start_index(self) -> int:
        return self.paginator.per_page * (self.number - 1) + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.paginator.per_page * (self.number - 1) + len(self.object_list)


class LookaheadPaginator:
    """Pages of at most ``cap`` rows in, read one row ahead, never counted.

    ``count`` and ``num_pages`` are known (not None) once ``get_page`` reached the last
    page; before that ``more`` is true and ``more_than`` says how many rows came so far.
    A page number past the end (a form kept open while dossiers were withdrawn) gives
    the first page; one past the cap, the last page within it."""

    def __init__(self, object_list, per_page: int, cap: int = COUNT_CAP) -> None:
        self.object_list = object_list
        self.per_page = per_page
        self.cap = cap
        self.last_number = max(1, cap // per_page)
        self.count: int | None = None
        self.num_pages: int | None = None
        self.more = False
        self.more_than = 0

    def get_page(self, number) -> LookaheadPage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        number = min(max(number, 1), self.last_number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return self.get_page(1)
        ahead = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if ahead:
            self.more, self.more_than = True, bottom + len(rows)
        else:
            self.count, self.num_pages = bottom + len(rows), number
        return LookaheadPage(rows, number, self, has_next=ahead and number < self.last_number)
