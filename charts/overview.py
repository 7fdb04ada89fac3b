"""Figures for the Overview page, each with its text alternative.

Stacks follow the product's orders: statuses in the order officers list them, RAG worst
first (`RAG_ORDER`), ageing buckets youngest to oldest in the sequential palette. Every RAG
and status trace carries its word in the legend and a fill pattern, so the charts still read
in greyscale. Bars carry their ids in `customdata` so the page can open the matching list
when a bar is selected.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.style import (
    ACCENT,
    CLICKABLE,
    COUNT_TICK_FORMAT,
    MONTH_TICK_FORMAT,
    SECONDARY_TEXT,
    SEQUENTIAL,
    WHITE,
    apply_style,
    chart_title,
    rag_marker,
    short_labels,
    status_marker,
)
from domain.exempt import EXEMPT_COLUMN
from domain.formatting import long_date, percent, plural
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_ORDER, Rag, Status

__all__ = [
    "AGEING",
    "RAG_BY_DIRECTORATE",
    "STATUS_BY_SOURCE",
    "TREND",
    "ageing_figure",
    "ageing_text",
    "EXEMPT_DIRECTORATE",
    "without_exempt_directorates",
    "rag_by_directorate_figure",
    "rag_by_directorate_text",
    "status_by_source_figure",
    "status_by_source_text",
    "trend_figure",
    "trend_text",
]

STATUS_BY_SOURCE = "Recommendations by source and status"
RAG_BY_DIRECTORATE = "RAG rating by directorate"
TREND = "Implementation over time"
AGEING = "Overdue by how long"

# Axis labels longer than this are shortened (the full name is in the hover text).
# 32 characters of 13 px type leave a phone's chart (about 360 px) room for its bars.
MAX_AXIS_LABEL = 32
NO_ID = -1  # customdata for a bar that stands for no single source or directorate


def _styled(figure: go.Figure, what: str, as_at: date, height: int, key_rows: int) -> go.Figure:
    return apply_style(figure, chart_title(what, as_at), as_at, height=height, key_rows=key_rows)


def _bar_height(rows: int) -> int:
    return max(360, 200 + 32 * rows)


def _pivot(frame: pd.DataFrame, row: str, column: str) -> pd.DataFrame:
    """Counts as a row × column table (zeros where a pair has none), rows in first-seen order."""
    order = list(dict.fromkeys(frame[row]))
    table = frame.pivot_table(
        index=row, columns=column, values="recommendations", aggfunc="sum", fill_value=0
    )
    return table.reindex(order).fillna(0).astype(int)


# Status by source -------------------------------------------------------------------------


EXEMPT_SOURCE = "Exempt (Part 2) source"


def without_exempt_titles(by_source: pd.DataFrame) -> pd.DataFrame:
    """`by_source` with each exempt source's title replaced by "Exempt (Part 2) source N".

    For files that leave the dashboard (chart downloads): the title of a Part 2 report can
    itself be confidential, while its counts are not. On screen, officers see the titles."""
    if EXEMPT_COLUMN not in by_source.columns or not by_source[EXEMPT_COLUMN].any():
        return by_source
    exempt = by_source[EXEMPT_COLUMN].astype(bool)
    exempt_ids = list(dict.fromkeys(by_source.loc[exempt, "source_id"]))
    names = {
        source_id: f"{EXEMPT_SOURCE} {number}" if len(exempt_ids) > 1 else EXEMPT_SOURCE
        for number, source_id in enumerate(exempt_ids, start=1)
    }
    masked = by_source.copy()
    masked.loc[exempt, "source"] = masked.loc[exempt, "source_id"].map(names)
    masked.loc[exempt, "source_title"] = masked.loc[exempt, "source"]
    return masked


def status_by_source_figure(by_source: pd.DataFrame, as_at: date) -> go.Figure:
    """A bar per source (largest at the top, "All other sources" at the bottom), each split
    by status as shares of its own recommendations, its count in the axis label ("Title · 22").
    Long titles are shortened keeping what tells them apart; the full one is on hover.

    Shares, not counts: the summed "All other sources" bar can be a hundred times the
    largest single source, which would flatten every named bar to nothing. Traces still
    hold the counts (plotly normalises them), so they add up to the tiles.
    `by_source` as from data_access.queries.overview.status_by_source.
    """
    keyed = by_source.assign(key=by_source["source_id"].fillna(NO_ID).astype(int))
    table = _pivot(keyed, "key", "status")
    first_rows = keyed.drop_duplicates("key").set_index("key")
    source_ids = [int(key) for key in table.index]
    totals = table.sum(axis=1)
    names = [str(first_rows.at[key, "source"]) for key in source_ids]
    counts = [f" · {int(totals[key]):,}" for key in source_ids]
    room = MAX_AXIS_LABEL - max((len(count) for count in counts), default=0)
    axis_labels = [
        short + count for short, count in zip(short_labels(names, room), counts, strict=True)
    ]
    figure = go.Figure()
    for status in Status:
        if status.value not in table.columns:
            continue
        counts = [int(value) for value in table[status.value]]
        figure.add_trace(
            go.Bar(
                name=status.label,
                x=counts,
                y=axis_labels,
                orientation="h",
                marker=status_marker(status),
                customdata=[
                    [source_id, status.value, f"{count:,}"]
                    for source_id, count in zip(source_ids, counts, strict=True)
                ],
                hovertext=names,
                hovertemplate=(
                    f"%{{hovertext}}<br>{status.label}: %{{customdata[2]}}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        barmode="stack",
        barnorm="percent",
        legend={"traceorder": "normal"},
        clickmode="event",
        **CLICKABLE,
    )
    figure.update_xaxes(title=None, ticksuffix="%", range=[0, 100])
    figure.update_yaxes(
        title=None, categoryorder="array", categoryarray=list(reversed(axis_labels))
    )
    return _styled(figure, STATUS_BY_SOURCE, as_at, _bar_height(len(source_ids)), key_rows=3)


def status_by_source_text(by_source: pd.DataFrame, as_at: date) -> str:
    """The chart in words: totals by status, the largest source, and what was summed."""
    if by_source.empty:
        return f"No recommendations to show by source as at {long_date(as_at)}."
    total = int(by_source["recommendations"].sum())
    by_status = by_source.groupby("status")["recommendations"].sum()
    statuses = ", ".join(
        f"{int(by_status[s.value]):,} {s.label.lower()}" for s in Status if s.value in by_status
    )
    named = by_source[by_source["source_id"].notna()]
    per_source = named.groupby("source", sort=False)["recommendations"].sum()
    text = (
        f"{plural(total, 'recommendation')} as at {long_date(as_at)}: {statuses}. Each bar "
        "shows how one source's recommendations divide by status."
    )
    if not per_source.empty:
        text += (
            f" The largest source is {per_source.index[0]} "
            f"({plural(int(per_source.iloc[0]), 'recommendation')})."
        )
    others = by_source[by_source["source_id"].isna()]
    if not others.empty:
        text += (
            f" The {len(per_source)} sources with most recommendations are shown by name; "
            f"the other {plural(int(others['sources'].iloc[0]), 'source')} "
            f"({int(others['recommendations'].sum()):,} recommendations) are summed as "
            '"All other sources".'
        )
    return text


# RAG by directorate -----------------------------------------------------------------------

EXEMPT_DIRECTORATE = "A directorate with exempt (Part 2) items only"


def without_exempt_directorates(by_rag: pd.DataFrame) -> pd.DataFrame:
    """`by_rag` with the name of each directorate whose recommendations in view all come
    from exempt (Part 2) sources replaced by "A directorate with exempt (Part 2) items only"
    (numbered when there are several), counts unchanged.

    For chart files (downloads): that a directorate appears at all tells of Part 2 business
    in it (issue 10). A directorate with any public item keeps its name, as the public items
    alone would show it. On screen, officers see every name."""
    if "exempt" not in by_rag.columns or by_rag.empty:
        return by_rag
    totals = by_rag.groupby("directorate", sort=False)[["recommendations", "exempt"]].sum()
    only_exempt = list(totals.index[totals["exempt"] >= totals["recommendations"]])
    if not only_exempt:
        return by_rag
    names = {
        name: f"{EXEMPT_DIRECTORATE} {number}" if len(only_exempt) > 1 else EXEMPT_DIRECTORATE
        for number, name in enumerate(only_exempt, start=1)
    }
    masked = by_rag.copy()
    hidden = masked["directorate"].isin(names)
    masked.loc[hidden, "directorate"] = masked.loc[hidden, "directorate"].map(names)
    masked.loc[hidden, "directorate_id"] = pd.NA
    return masked


def _directorate_order(by_rag: pd.DataFrame) -> list[str]:
    """Worst first: most Red, then most Amber, then by name."""
    table = by_rag.pivot_table(
        index="directorate", columns="rag", values="recommendations", aggfunc="sum", fill_value=0
    )
    for rag in RAG_ORDER:
        if rag.value not in table.columns:
            table[rag.value] = 0
    return sorted(
        table.index,
        key=lambda name: (-int(table.at[name, "red"]), -int(table.at[name, "amber"]), name),
    )


def rag_by_directorate_figure(by_rag: pd.DataFrame, as_at: date) -> go.Figure:
    """Horizontal bars per directorate stacked by RAG, worst first (Red at the left), the
    directorate with most Red at the top. `by_rag` as from queries.overview.rag_by_directorate.
    Long names are shortened keeping what tells them apart; the full one is on hover.
    """
    directorates = _directorate_order(by_rag) if not by_rag.empty else []
    ids = by_rag.drop_duplicates("directorate").set_index("directorate")["directorate_id"]
    labels = short_labels(directorates, MAX_AXIS_LABEL)
    figure = go.Figure()
    for rag in RAG_ORDER:
        rows = by_rag[by_rag["rag"] == rag.value].set_index("directorate")["recommendations"]
        if rows.empty:
            continue
        figure.add_trace(
            go.Bar(
                name=rag.label,
                x=[int(rows.get(name, 0)) for name in directorates],
                y=labels,
                orientation="h",
                marker=rag_marker(rag),
                customdata=[
                    [NO_ID if pd.isna(ids[name]) else int(ids[name]), rag.value]
                    for name in directorates
                ],
                hovertext=directorates,
                hovertemplate=f"%{{hovertext}}<br>{rag.label}: %{{x:,}}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="stack", legend={"traceorder": "normal"}, clickmode="event", **CLICKABLE
    )
    figure.update_xaxes(title=None, tickformat=COUNT_TICK_FORMAT, rangemode="tozero")
    figure.update_yaxes(title=None, categoryorder="array", categoryarray=list(reversed(labels)))
    return _styled(figure, RAG_BY_DIRECTORATE, as_at, _bar_height(len(directorates)), key_rows=2)


def rag_by_directorate_text(by_rag: pd.DataFrame, as_at: date) -> str:
    """The chart in words: the RAG totals and the directorate with most Red."""
    if by_rag.empty:
        return f"No recommendations to rate as at {long_date(as_at)}."
    total = int(by_rag["recommendations"].sum())
    per_rag = by_rag.groupby("rag")["recommendations"].sum()
    ratings = ", ".join(
        f"{int(per_rag[r.value]):,} {r.label}" for r in RAG_ORDER if r.value in per_rag
    )
    directorates = by_rag["directorate"].nunique()
    text = (
        f"{plural(total, 'recommendation')} in {plural(directorates, 'directorate')} as at "
        f"{long_date(as_at)}: {ratings}."
    )
    red = by_rag[by_rag["rag"] == Rag.RED.value].sort_values(
        ["recommendations", "directorate"], ascending=[False, True]
    )
    if not red.empty:
        text += (
            f" Most Red: {red['directorate'].iloc[0]} ({int(red['recommendations'].iloc[0]):,})."
        )
    return text


# Implementation trend ---------------------------------------------------------------------


def _from_first_made(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend from the last point before the first recommendation was made (so the lines
    rise from nought), not from the start of the query's window: a tracker begun this year
    would otherwise open on two years of noughts and say "At 31 January 2024: 0 made"."""
    made = trend["made"].to_numpy() if not trend.empty else []
    started = next((index for index, count in enumerate(made) if count > 0), None)
    if started is None:
        return trend
    return trend.iloc[max(started - 1, 0) :]


def trend_figure(trend: pd.DataFrame, as_at: date) -> go.Figure:
    """Two cumulative lines: recommendations made, and those implemented or closed. The gap
    between them is the work still to do. `trend` as from queries.overview.implementation_trend.
    """
    trend = _from_first_made(trend)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            name="Made",
            x=trend["point"],
            y=trend["made"],
            mode="lines",
            line={"color": SECONDARY_TEXT, "width": 3, "dash": "dash"},
            hovertemplate="%{x|%-d %b %Y}<br>Made by then: %{y:,}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="Implemented or closed",
            x=trend["point"],
            y=trend["implemented"],
            customdata=trend["percent_implemented"],
            mode="lines",
            line={"color": ACCENT, "width": 3},
            fill="tozeroy",
            fillcolor="rgba(29, 112, 184, 0.12)",
            hovertemplate=(
                "%{x|%-d %b %Y}<br>Implemented or closed by then: %{y:,} "
                "(%{customdata}%)<extra></extra>"
            ),
        )
    )
    figure.update_layout(legend={"traceorder": "normal"}, hovermode="x unified")
    figure.update_xaxes(title=None, tickformat=MONTH_TICK_FORMAT)
    figure.update_yaxes(
        title="Recommendations (cumulative)", tickformat=COUNT_TICK_FORMAT, rangemode="tozero"
    )
    return _styled(figure, TREND, as_at, height=420, key_rows=1)


def trend_text(trend: pd.DataFrame, as_at: date) -> str:
    """The chart in words: where things stand now and where they stood at the first point."""
    if trend.empty:
        return f"No recommendations to show over time as at {long_date(as_at)}."
    trend = _from_first_made(trend)
    first, last = trend.iloc[0], trend.iloc[-1]

    def standing(point: pd.Series) -> str:
        made, done = int(point["made"]), int(point["implemented"])
        return f"{made:,} made and {done:,} ({percent(done, made)}) implemented or closed"

    return (
        f"By {long_date(as_at)}: {standing(last)}. "
        f"At {long_date(first['point'])}: {standing(first)}."
    )


# Ageing -----------------------------------------------------------------------------------


def ageing_figure(by_age: pd.DataFrame, as_at: date) -> go.Figure:
    """A bar per ageing bucket, in bucket order, light (recent) to dark (long overdue).
    `by_age` has columns bucket, recommendations (as from queries.overview.ageing)."""
    counts = by_age.set_index("bucket")["recommendations"]
    values = [int(counts.get(label, 0)) for label in AGEING_BUCKET_LABELS]
    figure = go.Figure(
        go.Bar(
            x=list(AGEING_BUCKET_LABELS),
            y=values,
            marker={"color": list(SEQUENTIAL), "line": {"color": WHITE, "width": 0.5}},
            text=[f"{value:,}" for value in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} overdue: %{y:,}<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_xaxes(title=None, categoryorder="array", categoryarray=list(AGEING_BUCKET_LABELS))
    figure.update_yaxes(title="Recommendations", tickformat=COUNT_TICK_FORMAT, rangemode="tozero")
    figure.update_layout(clickmode="event+select", **CLICKABLE)
    return _styled(figure, AGEING, as_at, height=420, key_rows=0)


def ageing_text(by_age: pd.DataFrame, as_at: date) -> str:
    """The chart in words: how many are overdue, and how long by bucket."""
    counts = by_age.set_index("bucket")["recommendations"]
    total = int(counts.sum())
    when = long_date(as_at)
    if total == 0:
        return f"No open recommendation was overdue as at {when}."
    ages = ", ".join(
        f"{int(counts.get(label, 0)):,} by {label.lower()}" for label in AGEING_BUCKET_LABELS
    )
    verb = "was" if total == 1 else "were"
    return f"{plural(total, 'open recommendation')} {verb} overdue as at {when}: {ages}."
