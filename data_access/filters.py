"""The filters every page shares, as one frozen, hashable value.

Being frozen and hashable, a `Filters` is the cache key for query results (ui/cache.py)
and round-trips through the URL (ui/filters.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    as_at: date = field(default_factory=date.today)
    committee_ids: tuple[int, ...] = ()
    source_ids: tuple[int, ...] = ()
    # Sources left out: the "all except" form, so the Overview's "All other sources" bar can
    # list exactly its items (every source in view but the named ones) with a short list.
    excluded_source_ids: tuple[int, ...] = ()
    source_kinds: tuple[str, ...] = ()
    directorate_ids: tuple[int, ...] = ()
    owner_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    rags: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    target_from: date | None = None
    target_to: date | None = None
    search: str = ""
    # Set for someone not cleared for exempt (Part 2) items (issue 9): every query through
    # data_access.state.apply_filters then leaves them out, counts included. Not a filter
    # the user chooses, so it does not count as narrowing the view.
    withhold_exempt: bool = False

    def with_changes(self, **changes: object) -> Filters:
        return replace(self, **changes)

    @property
    def is_narrowed(self) -> bool:
        """True when anything other than the as-at date narrows the view."""
        return self != Filters(as_at=self.as_at, withhold_exempt=self.withhold_exempt)
