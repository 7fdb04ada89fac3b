"""Figures for the Overdue follow-ups page, each with its text alternative.

The ageing buckets are ordered categories, so they use the sequential palette (light for
recently overdue, dark for long overdue): the order reads in greyscale by lightness, and
the legend names every bucket.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.style import (
    COUNT_TICK_FORMAT,
    SEQUENTIAL,
    TEXT_COLOUR,
    WHITE,
    apply_style,
    chart_title,
    short_labels,
)
from domain.formatting import long_date, plural
from domain.settings import AGEING_BUCKET_LABELS

__all__ = ["overdue_by_directorate_figure", "overdue_by_directorate_text"]

OVERDUE_BY_DIRECTORATE = "Overdue recommendations by directorate and time overdue"
# Directorate names longer than this are shortened on the axis (in full on hover).
# 32 characters of 13 px type leave a phone's chart (about 360 px) room for its bars.
MAX_AXIS_LABEL = 32


def _totals(by_bucket: pd.DataFrame) -> pd.Series:
    """Overdue recommendations per directorate, most first (ties by name)."""
    totals = by_bucket.groupby("directorate")["recommendations"].sum()
    order = sorted(totals.index, key=lambda name: (-int(totals[name]), name))
    return totals.reindex(order)


def overdue_by_directorate_figure(by_bucket: pd.DataFrame, as_at: date) -> go.Figure:
    """Horizontal bars per directorate, stacked by ageing bucket, most overdue at the top.

    `by_bucket` has columns directorate, bucket, recommendations (as from
    `data_access.queries.overdue_items.overdue_overview(...).by_bucket`). Long names are
    shortened keeping what tells them apart; the full one is on hover.
    """
    totals = _totals(by_bucket)
    directorates = list(totals.index)
    labels = short_labels(directorates, MAX_AXIS_LABEL)
    figure = go.Figure()
    for colour, bucket in zip(SEQUENTIAL, AGEING_BUCKET_LABELS, strict=True):
        in_bucket = by_bucket[by_bucket["bucket"] == bucket].set_index("directorate")
        counts = [int(in_bucket["recommendations"].get(name, 0)) for name in directorates]
        figure.add_trace(
            go.Bar(
                name=bucket,
                x=counts,
                y=labels,
                orientation="h",
                marker={"color": colour, "line": {"color": WHITE, "width": 0.5}},
                hovertext=directorates,
                hovertemplate=f"%{{hovertext}}<br>{bucket} overdue: %{{x:,}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", legend={"traceorder": "normal"})
    # The chart's title names the measure, so the axis needs none.
    figure.update_xaxes(title=None, tickformat=COUNT_TICK_FORMAT, rangemode="tozero")
    figure.update_yaxes(
        title=None,
        categoryorder="array",
        categoryarray=list(reversed(labels)),
        tickfont={"color": TEXT_COLOUR},
    )
    height = max(320, 150 + 34 * len(directorates))
    return apply_style(figure, chart_title(OVERDUE_BY_DIRECTORATE, as_at), as_at, height=height)


def overdue_by_directorate_text(by_bucket: pd.DataFrame, as_at: date) -> str:
    """The chart in words: the total, where most are, and how old they are."""
    totals = _totals(by_bucket)
    total = int(totals.sum())
    when = long_date(as_at)
    if total == 0:
        return f"No recommendation was overdue as at {when}."
    top_name = totals.index[0]
    per_bucket = by_bucket.groupby("bucket")["recommendations"].sum()
    ages = ", ".join(
        f"{label.lower()} {int(per_bucket.get(label, 0)):,}" for label in AGEING_BUCKET_LABELS
    )
    return (
        f"{plural(total, 'recommendation')} overdue as at {when}, across "
        f"{plural(len(totals), 'directorate')}; the most are in {top_name} "
        f"({int(totals.iloc[0]):,}). By time overdue: {ages}."
    )
