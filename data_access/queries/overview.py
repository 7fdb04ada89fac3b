"""The Overview page's questions: the headline numbers and the four breakdowns behind them.

Every question runs on the filtered state as at the filters' date
(`data_access.state.filtered_state`), so it honours every shared filter and replays the
updates for an earlier date. Overdue, slipped, due back, RAG and ageing come from
`data_access.rules_sql`; nothing here restates a rule. Each answer is small: a frozen
dataclass of counts, or a DataFrame of at most a few dozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Select,
    Subquery,
    case,
    distinct,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from data_access import rules_sql
from data_access.filters import Filters
from data_access.models import Directorate, Source
from data_access.state import filtered_state, next_meetings
from domain.exempt import EXEMPT_COLUMN
from domain.formatting import percent, short_date
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import COMPLETE_STATUSES, Confidentiality

__all__ = [
    "ALL_OTHER_SOURCES",
    "NO_DIRECTORATE",
    "TOP_SOURCES",
    "TREND_MONTHS",
    "Headline",
    "headline",
    "implementation_trend",
    "overdue_by_age",
    "rag_by_directorate",
    "status_by_source",
    "trend_points",
]

# The status-by-source chart names this many sources; the rest are summed in one bar.
TOP_SOURCES = 12
ALL_OTHER_SOURCES = "All other sources"
NO_DIRECTORATE = "No directorate recorded"
# The implementation trend covers this many month-ends, the last being the as-at date.
TREND_MONTHS = 36

_COMPLETE = [s.value for s in COMPLETE_STATUSES]


def _materialized(query: Select, name: str) -> CTE:
    """`query` as a CTE the database computes once, on the databases that take the hint.

    SQLite otherwise copies a subquery's expressions into every place the outer query uses
    them (a RAG CASE into both SELECT and GROUP BY; a correlated lookup into every branch of
    a CASE), and sorts wide rows; computing the few columns needed once is cheaper.
    """
    return (
        query.cte(name)
        .prefix_with("MATERIALIZED", dialect="sqlite")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """COUNT of the rows meeting `condition` (NULL counts as not met), as one SUM(CASE)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class Headline:
    """The tiles: the filtered view in six numbers, and how many sources it spans."""

    as_at: date
    recommendations: int
    sources: int
    implemented: int  # implemented (awaiting sign-off) or closed
    open: int
    overdue: int
    slipped: int
    due_back: int

    @property
    def percent_implemented(self) -> str:
        """Implemented or closed over all recommendations in view, as a whole percentage."""
        return percent(self.implemented, self.recommendations)


def headline(connection: Connection, filters: Filters) -> Headline:
    """Every tile in one SELECT over the filtered state.

    Due back: each recommendation is judged against its own committee's next meeting as at
    the date (an outer join, so a committee with no meeting scheduled contributes none).
    """
    as_at = filters.as_at
    state = filtered_state(connection, filters)
    upcoming = next_meetings(as_at)
    query = select(
        func.count().label("recommendations"),
        func.count(distinct(state.c.source_id)).label("sources"),
        _how_many(rules_sql.is_complete(state)).label("implemented"),
        _how_many(rules_sql.is_open(state)).label("open"),
        _how_many(rules_sql.is_overdue(state, as_at)).label("overdue"),
        _how_many(rules_sql.is_slipped(state, as_at)).label("slipped"),
        _how_many(rules_sql.is_due_back(state, upcoming.c.next_meeting, as_at)).label("due_back"),
    ).select_from(state.outerjoin(upcoming, upcoming.c.committee_id == state.c.committee_id))
    row = connection.execute(query).one()._mapping
    return Headline(
        as_at=as_at,
        recommendations=int(row["recommendations"]),
        sources=int(row["sources"]),
        implemented=int(row["implemented"]),
        open=int(row["open"]),
        overdue=int(row["overdue"]),
        slipped=int(row["slipped"]),
        due_back=int(row["due_back"]),
    )


def overdue_by_age(connection: Connection, filters: Filters) -> pd.DataFrame:
    """Open overdue recommendations per ageing bucket (columns bucket, recommendations),
    every bucket present, in order. Only overdue rows are read (the status and target
    index finds them), so this costs less than counting buckets alongside the tiles."""
    as_at = filters.as_at
    state = filtered_state(connection, filters)
    bucket = rules_sql.ageing_bucket(state, as_at)
    counts = dict(
        connection.execute(
            select(bucket, func.count()).where(rules_sql.is_overdue(state, as_at)).group_by(bucket)
        ).all()
    )
    return pd.DataFrame(
        [(label, int(counts.get(label, 0))) for label in AGEING_BUCKET_LABELS],
        columns=["bucket", "recommendations"],
    )


def _source_labels(sources: dict[int, tuple[str, date]]) -> dict[int, str]:
    """Titles, with the issue date (then the id) added where titles repeat among those shown."""
    labels: dict[int, str] = {}
    for source_id, (title, issued) in sources.items():
        same_title = [other for other, (t, _) in sources.items() if t == title]
        same_both = [other for other, (t, d) in sources.items() if t == title and d == issued]
        if len(same_both) > 1:
            labels[source_id] = f"{title} ({short_date(issued)}, #{source_id})"
        elif len(same_title) > 1:
            labels[source_id] = f"{title} ({short_date(issued)})"
        else:
            labels[source_id] = title
    return labels


def status_by_source(
    connection: Connection, filters: Filters, top: int = TOP_SOURCES
) -> pd.DataFrame:
    """Recommendations per source and status: the `top` sources with most recommendations in
    view by name, every other source summed as "All other sources".

    Columns: source_id (<NA> for the summed row), source (a label unique among those shown),
    source_title, sources (how many sources the row stands for), status, recommendations,
    and the exempt mark (domain.exempt: the source is exempt, Part 2, so its title must stay
    out of files for papers).
    Rows come largest source first, "All other sources" last.
    """
    folded = _top_sources_folded(filtered_state(connection, filters), top)
    rows = connection.execute(
        select(folded, Source.title, Source.date_issued, Source.confidentiality).outerjoin(
            Source, Source.id == folded.c.source_id
        )
    ).all()
    columns = [
        "source_id", "source", "source_title", "sources", "status", "recommendations",
        EXEMPT_COLUMN,
    ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=columns).astype({EXEMPT_COLUMN: bool})
    labels = _source_labels(
        {row.source_id: (row.title, row.date_issued) for row in rows if row.source_id is not None}
    )
    frame = pd.DataFrame([_source_record(row, labels) for row in rows], columns=columns)
    frame["source_id"] = frame["source_id"].astype("Int64")
    totals = frame.groupby("source", dropna=False)["recommendations"].transform("sum")
    frame["_order"] = list(zip(frame["source_id"].isna(), -totals, frame["source"], strict=True))
    return frame.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def _top_sources_folded(state, top: int) -> Subquery:
    """Counts per source and status: the `top` largest sources (ties by id) by their id,
    every other source folded into a NULL source_id; `all_sources` counts those in view."""
    grouped = (
        select(state.c.source_id, state.c.status, func.count().label("recommendations"))
        .group_by(state.c.source_id, state.c.status)
        .cte("by_source_status")
    )
    largest = (
        select(grouped.c.source_id)
        .group_by(grouped.c.source_id)
        .order_by(func.sum(grouped.c.recommendations).desc(), grouped.c.source_id)
        .limit(top)
    )
    shown_id = case(
        (grouped.c.source_id.in_(largest.scalar_subquery()), grouped.c.source_id), else_=None
    )
    all_sources = select(func.count(distinct(grouped.c.source_id))).scalar_subquery()
    return (
        select(
            shown_id.label("source_id"),
            grouped.c.status,
            func.sum(grouped.c.recommendations).label("recommendations"),
            all_sources.label("all_sources"),
        )
        .group_by(shown_id, grouped.c.status)
        .subquery("folded")
    )


def _source_record(row, labels: dict[int, str]) -> tuple:
    """One row of the answer: a named source, or "All other sources" standing for the rest
    (never marked exempt: it names no source)."""
    if row.source_id is None:
        named_sources = len(labels)
        return (
            None,
            ALL_OTHER_SOURCES,
            ALL_OTHER_SOURCES,
            row.all_sources - named_sources,
            row.status,
            int(row.recommendations),
            False,
        )
    return (
        row.source_id,
        labels[row.source_id],
        row.title,
        1,
        row.status,
        int(row.recommendations),
        row.confidentiality == Confidentiality.EXEMPT.value,
    )


def rag_by_directorate(connection: Connection, filters: Filters) -> pd.DataFrame:
    """Recommendations per directorate and RAG rating (columns directorate_id, directorate,
    rag, recommendations, exempt: how many of them are from exempt (Part 2) sources);
    directorates with no recommendation in view are left out. `exempt` lets chart files
    leave out the name of a directorate only Part 2 items have
    (charts.overview.without_exempt_directorates)."""
    as_at = filters.as_at
    state = filtered_state(connection, filters)
    exempt_sources = select(Source.id).where(Source.confidentiality == Confidentiality.EXEMPT.value)
    rated = _materialized(
        select(
            state.c.directorate_id,
            rules_sql.rag(state, as_at).label("rag"),
            case((state.c.source_id.in_(exempt_sources), 1), else_=0).label("exempt"),
        ),
        "rated",
    )
    counted = (
        select(
            rated.c.directorate_id,
            rated.c.rag,
            func.count().label("recommendations"),
            func.sum(rated.c.exempt).label("exempt"),
        )
        .group_by(rated.c.directorate_id, rated.c.rag)
        .subquery("counted")
    )
    directorate = aliased(Directorate)
    rows = connection.execute(
        select(
            counted.c.directorate_id,
            func.coalesce(directorate.name, literal(NO_DIRECTORATE)).label("directorate"),
            counted.c.rag,
            counted.c.recommendations,
            counted.c.exempt,
        ).select_from(counted.outerjoin(directorate, directorate.id == counted.c.directorate_id))
    ).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["directorate_id", "directorate", "rag", "recommendations", "exempt"],
    )
    frame["directorate_id"] = frame["directorate_id"].astype("Int64")
    frame["recommendations"] = frame["recommendations"].astype(int)
    frame["exempt"] = frame["exempt"].fillna(0).astype(int)
    return frame


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def trend_points(as_at: date, months: int = TREND_MONTHS) -> list[date]:
    """The dates the trend is read at: the ends of the `months - 1` months before the as-at
    date's month, then the as-at date itself (so the last point is the tiles' view)."""
    points = [as_at]
    first_of_month = as_at.replace(day=1)
    while len(points) < months:
        first_of_month = (first_of_month - timedelta(days=1)).replace(day=1)
        points.insert(0, _month_end(first_of_month))
    return points


def _point_index(day: ColumnElement[date], points: list[date]) -> ColumnElement[int]:
    """The index of the first trend point on or after `day` (0 for anything earlier)."""
    whens = [(day <= point, literal(index)) for index, point in enumerate(points[:-1])]
    return case((day.is_(None), None), *whens, else_=literal(len(points) - 1))


def implementation_trend(
    connection: Connection, filters: Filters, months: int = TREND_MONTHS
) -> pd.DataFrame:
    """For each trend point, how many recommendations in view had been made by then and how
    many of them had been implemented or closed by then.

    "Implemented by then" counts the recommendations implemented or closed as at the filters'
    date, by the first day a progress update took them there; so the last point equals the
    tiles, and an item later reopened or superseded does not inflate the past. Columns:
    point (date), made, implemented (both cumulative), percent_implemented (0-100).
    """
    as_at = filters.as_at
    points = trend_points(as_at, months)
    state = filtered_state(connection, filters)
    completed_on = case(
        (~rules_sql.is_complete(state), None),
        else_=func.coalesce(state.c.first_completed_on, state.c.last_update_on, state.c.made_on),
    )
    # One row per recommendation, computed once (both counts below read it). Each count is
    # grouped by day first, so the bucketing CASE runs on a few thousand days, not on every
    # recommendation; the two counts are independent, so no joint grouping is needed.
    per_item = _materialized(
        select(state.c.made_on, completed_on.label("completed_on")), "made_and_completed"
    )
    by_day = union_all(
        select(
            literal("made").label("series"),
            per_item.c.made_on.label("day"),
            func.count().label("recommendations"),
        ).group_by(per_item.c.made_on),
        select(literal("done"), per_item.c.completed_on, func.count())
        .where(per_item.c.completed_on.isnot(None))
        .group_by(per_item.c.completed_on),
    ).subquery("by_day")
    index = _point_index(by_day.c.day, points)
    rows = connection.execute(
        select(by_day.c.series, index, func.sum(by_day.c.recommendations)).group_by(
            by_day.c.series, index
        )
    ).all()
    counts = {"made": [0] * len(points), "done": [0] * len(points)}
    for series, at, how_many in rows:
        counts[series][at] += int(how_many)
    made, implemented = counts["made"], counts["done"]
    frame = pd.DataFrame({"point": points, "made": made, "implemented": implemented})
    frame[["made", "implemented"]] = frame[["made", "implemented"]].cumsum()
    frame["percent_implemented"] = [
        round(100 * done / total) if total else 0
        for done, total in zip(frame["implemented"], frame["made"], strict=True)
    ]
    return frame
