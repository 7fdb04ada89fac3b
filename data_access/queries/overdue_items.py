"""Overdue recommendations and actions: how many, how long, whose, and the longest overdue.

`overdue_overview` answers everything the Overdue tab shows (the tiles, the chart's counts by
directorate and ageing bucket, and the lists by owner, of recommendations and of actions) in
two statements, one for recommendations and one for actions, each counting in SQL and
listing the worst (`data_access.queries.followups` has what the lists share).

Actions have no history: their "overdue as at D" uses the action's current status, except
that an action completed after D was still open on D (see `action_open_at`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import Action, Directorate, Officer, Recommendation, Source
from data_access.queries.followups import (
    MAX_LIST_ROWS,
    NO_DIRECTORATE,
    NO_OWNER,
    Listing,
    exempt_mark,
    listing_frame,
)
from data_access.state import filtered_state
from domain import rules
from domain.exempt import EXEMPT_COLUMN
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import Confidentiality, Status

__all__ = ["OverdueOverview", "overdue_overview"]


@dataclass(frozen=True)
class OverdueOverview:
    """Everything the Overdue section shows: tiles, the chart's counts, and three lists.

    `by_bucket` has columns directorate, bucket, recommendations, exempt (counted in SQL; buckets in
    AGEING_BUCKETS order). `by_owner` lists owners with overdue items, most items first;
    `recommendations` and `actions` list the overdue items, longest overdue first.
    """

    as_at: date
    overdue: int
    oldest_overdue_target: date | None
    overdue_actions: int
    by_bucket: pd.DataFrame
    by_owner: Listing
    recommendations: Listing
    actions: Listing

    @property
    def longest_overdue_days(self) -> int | None:
        """Days past its current target of the most overdue recommendation (None if none)."""
        if self.oldest_overdue_target is None:
            return None
        return (self.as_at - self.oldest_overdue_target).days


OWNER_COLUMNS = (
    "owner",
    "directorate",
    "overdue_recommendations",
    "overdue_actions",
    "oldest_days_overdue",
    EXEMPT_COLUMN,
)
OVERDUE_COLUMNS = (
    "ref",
    "wording",
    "owner",
    "directorate",
    "current_target_date",
    "days_overdue",
    "ageing_bucket",
    "source",
    EXEMPT_COLUMN,
)
ACTION_COLUMNS = (
    "description",
    "recommendation_ref",
    "owner",
    "due_date",
    "days_overdue",
    "ageing_bucket",
    "source",
    EXEMPT_COLUMN,
)


def overdue_overview(
    connection: Connection, filters: Filters, limit: int = MAX_LIST_ROWS
) -> OverdueOverview:
    """What is overdue and whose it is: counts by directorate, age and owner, and the lists.

    Two statements, one for recommendations and one for actions. Each reads the overdue
    items once (a CTE) and returns both their counts, grouped in SQL per owner and
    directorate (and ageing bucket), and the `limit` longest overdue of them with their
    names. The chart, the tiles and the "by owner" table are sums of those groups.
    """
    as_at = filters.as_at
    f = filtered_state(connection, filters)
    recommendation_groups, worst_recommendations = _split(
        connection.execute(_overdue_recommendations_statement(f, as_at, limit))
    )
    action_groups, worst_actions = _split(
        connection.execute(_overdue_actions_statement(f, as_at, limit))
    )
    by_bucket: Counter[tuple[str, str]] = Counter()
    exempt_by_bucket: Counter[tuple[str, str]] = Counter()
    for row in recommendation_groups:
        key = (row.directorate or NO_DIRECTORATE, row.bucket)
        by_bucket[key] += int(row.item_count)
        exempt_by_bucket[key] += int(row.exempt or 0)
    overdue_count = sum(by_bucket.values())
    action_count = sum(int(row.item_count) for row in action_groups)
    oldest = min((_as_date(row.due_on) for row in recommendation_groups), default=None)
    return OverdueOverview(
        as_at=as_at,
        overdue=overdue_count,
        oldest_overdue_target=oldest,
        overdue_actions=action_count,
        by_bucket=_bucket_frame(by_bucket, exempt_by_bucket),
        by_owner=_owner_listing(recommendation_groups, action_groups, as_at, limit),
        recommendations=_recommendation_listing(worst_recommendations, overdue_count, as_at),
        actions=_action_listing(worst_actions, action_count, as_at),
    )


def _overdue_recommendations_statement(f, as_at: date, limit: int):
    """Overdue recommendations: counts per owner, directorate and bucket, and the worst."""
    overdue = (
        select(
            f.c.id,
            f.c.owner_id,
            f.c.directorate_id,
            f.c.status,
            f.c.current_target_date.label("due_on"),
            rules_sql.ageing_bucket(f, as_at).label("bucket"),
            _from_exempt_source(f.c.source_id).label("exempt"),
        )
        .where(rules_sql.is_overdue(f, as_at))
        .cte("overdue")
    )
    picked = _longest_overdue(overdue, limit)
    worst = (
        select(
            *_item_head(picked, picked.c.bucket),
            Recommendation.ref,
            picked.c.status,
            Recommendation.made_on,
            Source.title.label("source"),
            exempt_mark().label("exempt"),
            Recommendation.wording.label("text"),
        )
        .select_from(picked)
        .join(Recommendation, Recommendation.id == picked.c.id)
        .join(Source, Source.id == Recommendation.source_id)
        .outerjoin(Officer, Officer.id == picked.c.owner_id)
        .outerjoin(Directorate, Directorate.id == picked.c.directorate_id)
    )
    return union_all(worst, _group_counts(overdue, by_bucket=True))


def _overdue_actions_statement(f, as_at: date, limit: int):
    """Overdue actions: counts per owner and directorate, and the worst.

    An action counts for its own owner (its recommendation's owner when it has none), in
    its recommendation's directorate.
    """
    actions = (
        select(
            Action.id,
            func.coalesce(Action.owner_id, f.c.owner_id).label("owner_id"),
            f.c.directorate_id,
            Action.due_date.label("due_on"),
            _from_exempt_source(f.c.source_id).label("exempt"),
        )
        .select_from(Action)
        .join(f, f.c.id == Action.recommendation_id)
        .where(rules_sql.action_overdue_at(as_at))
        .cte("overdue_actions")
    )
    picked = _longest_overdue(actions, limit)
    worst = (
        select(
            *_item_head(
                picked, rules_sql.ageing_bucket_for_date(picked.c.due_on, as_at).label("bucket")
            ),
            Recommendation.ref,
            null().label("status"),
            null().label("made_on"),
            Source.title.label("source"),
            exempt_mark().label("exempt"),
            Action.description.label("text"),
        )
        .select_from(picked)
        .join(Action, Action.id == picked.c.id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Source, Source.id == Recommendation.source_id)
        .outerjoin(Officer, Officer.id == picked.c.owner_id)
        .outerjoin(Directorate, Directorate.id == picked.c.directorate_id)
    )
    return union_all(worst, _group_counts(actions, by_bucket=False))


def _recommendation_listing(rows: list[Any], total: int, as_at: date) -> Listing:
    """The longest overdue recommendations, with days overdue from domain.rules."""
    shown = [
        {
            "ref": row.ref,
            "source": row.source,
            "wording": row.text,
            "owner": row.owner or NO_OWNER,
            "directorate": row.directorate or NO_DIRECTORATE,
            "current_target_date": row.due_on,
            "days_overdue": rules.days_overdue(
                rules.RecommendationFacts(
                    status=Status(row.status), made_on=row.made_on, current_target_date=row.due_on
                ),
                as_at,
            ),
            "ageing_bucket": row.bucket,
            EXEMPT_COLUMN: bool(row.exempt),
        }
        for row in rows
    ]
    return Listing(listing_frame(shown, OVERDUE_COLUMNS, ("current_target_date",)), total)


def _action_listing(rows: list[Any], total: int, as_at: date) -> Listing:
    """The longest overdue actions, with days past their due date."""
    shown = [
        {
            "description": row.text,
            "recommendation_ref": row.ref,
            "source": row.source,
            "owner": row.owner or NO_OWNER,
            "due_date": row.due_on,
            "days_overdue": (as_at - row.due_on).days,
            "ageing_bucket": row.bucket,
            EXEMPT_COLUMN: bool(row.exempt),
        }
        for row in rows
    ]
    return Listing(listing_frame(shown, ACTION_COLUMNS, ("due_date",)), total)


# Each overdue statement is a UNION ALL of the longest overdue items (is_item = 1, one row
# each) and their counts per owner and directorate (is_item = 0, the count in item_count).
# Both halves read the same CTE, which the database materialises once, so the state is
# read (or replayed, for an earlier date) once for the counts and the list.
def _item_head(picked, bucket: ColumnElement[Any]) -> tuple[ColumnElement[Any], ...]:
    """The columns a listed item's row starts with, in the order its group rows give theirs:
    is_item (1), owner and directorate (ids and names), `bucket`, item_count (1), due_on, id."""
    return (
        literal_column("1").label("is_item"),
        picked.c.owner_id,
        picked.c.directorate_id,
        Officer.name.label("owner"),
        Directorate.name.label("directorate"),
        bucket,
        literal_column("1").label("item_count"),
        picked.c.due_on,
        picked.c.id,
    )


def _longest_overdue(items, limit: int):
    """The `limit` overdue `items` (a CTE with id and due_on) longest overdue first."""
    return select(items).order_by(items.c.due_on, items.c.id).limit(limit).subquery("picked")


def _group_counts(items, by_bucket: bool):
    """Overdue `items` counted per owner and directorate (and ageing bucket), with names,
    shaped like the item rows of the list (id, ref, status, made_on, source, text empty)."""
    bucket = [items.c.bucket] if by_bucket else []
    grouped = (
        select(
            items.c.owner_id,
            items.c.directorate_id,
            *bucket,
            func.count().label("item_count"),
            func.min(items.c.due_on).label("due_on"),
            func.sum(items.c.exempt).label("exempt_count"),
        )
        .group_by(items.c.owner_id, items.c.directorate_id, *bucket)
        .subquery("grouped")
    )
    return (
        select(
            literal_column("0"),
            grouped.c.owner_id,
            grouped.c.directorate_id,
            Officer.name,
            Directorate.name,
            grouped.c.bucket if by_bucket else null(),
            grouped.c.item_count,
            grouped.c.due_on,
            *(null() for _ in range(5)),  # id, ref, status, made_on, source
            grouped.c.exempt_count,  # in the exempt column: how many of the group are exempt
            null(),  # text
        )
        .select_from(grouped)
        .outerjoin(Officer, Officer.id == grouped.c.owner_id)
        .outerjoin(Directorate, Directorate.id == grouped.c.directorate_id)
    )


def _split(result: Any) -> tuple[list[Any], list[Any]]:
    """(group rows, item rows longest overdue first) from an overdue statement's result."""
    groups, worst = [], []
    for row in result:
        (worst if int(row.is_item) else groups).append(row)
    worst.sort(key=lambda row: (row.due_on, row.id))
    return groups, worst


def _bucket_frame(
    by_bucket: Counter[tuple[str, str]], exempt: Counter[tuple[str, str]]
) -> pd.DataFrame:
    """The chart's counts, by directorate then bucket in AGEING_BUCKETS order, with how many
    of each are from exempt (Part 2) sources (so chart files can leave out the name of a
    directorate only Part 2 items have: charts.overview.without_exempt_directorates)."""
    order = {label: position for position, label in enumerate(AGEING_BUCKET_LABELS)}
    rows = sorted(by_bucket.items(), key=lambda item: (item[0][0], order[item[0][1]]))
    return pd.DataFrame(
        [(directorate, bucket, count, exempt[(directorate, bucket)])
         for (directorate, bucket), count in rows],
        columns=["directorate", "bucket", "recommendations", "exempt"],
    ).astype({"recommendations": "int64", "exempt": "int64"})  # fmt: skip


def _owner_listing(
    recommendation_groups: list[Any], action_groups: list[Any], as_at: date, limit: int
) -> Listing:
    """Per owner and directorate: overdue recommendations and actions, most items first.

    An overdue action counts for its own owner (the recommendation's owner when it has
    none) in the recommendation's directorate. A row whose items all come from exempt
    (Part 2) sources is marked `is_exempt`, so a download leaves that owner out unless the
    person is cleared and asks (issue 10: the owner's name itself told of Part 2 business).
    """
    owners: dict[tuple[Any, Any], dict[str, Any]] = {}
    for groups, kind in ((recommendation_groups, "recommendations"), (action_groups, "actions")):
        for row in groups:
            due_on = _as_date(row.due_on)
            owner = owners.setdefault(
                (row.owner_id, row.directorate_id),
                {
                    "owner": row.owner or NO_OWNER,
                    "directorate": row.directorate or NO_DIRECTORATE,
                    "recommendations": 0,
                    "actions": 0,
                    "exempt": 0,
                    "oldest": due_on,
                },
            )
            owner[kind] += int(row.item_count)
            owner["exempt"] += int(row.exempt or 0)
            owner["oldest"] = min(owner["oldest"], due_on)
    ranked = sorted(
        owners.values(),
        key=lambda o: (-(o["recommendations"] + o["actions"]), o["oldest"], o["owner"]),
    )
    rows = [
        {
            "owner": o["owner"],
            "directorate": o["directorate"],
            "overdue_recommendations": o["recommendations"],
            "overdue_actions": o["actions"],
            "oldest_days_overdue": (as_at - o["oldest"]).days,
            EXEMPT_COLUMN: o["exempt"] == o["recommendations"] + o["actions"],
        }
        for o in ranked[:limit]
    ]
    return Listing(listing_frame(rows, OWNER_COLUMNS, ()), len(owners))


def _as_date(value: object) -> date | None:
    """A date from an aggregate, whichever way the driver returns it (date or ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _from_exempt_source(source_id: ColumnElement[int]) -> ColumnElement[int]:
    """1 for an item of an exempt (Part 2) source, 0 otherwise (summed per group)."""
    exempt_sources = select(Source.id).where(Source.confidentiality == Confidentiality.EXEMPT.value)
    return case((source_id.in_(exempt_sources), 1), else_=0)
