"""The three charts of a committee briefing pack, each with its text alternative.

Built from the pack's own counts (`domain.briefing.BriefingContents`), so the
pictures and the tables beside them say the same thing. Styled like every product chart
(`charts.style.apply_style`): RAG bars carry their word on the axis and a fill pattern, and
the ageing buckets run light to dark, so the charts read in greyscale print.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from charts.style import (
    ACCENT,
    COUNT_TICK_FORMAT,
    SEQUENTIAL,
    TEXT_COLOUR,
    WHITE,
    apply_style,
    chart_title,
    has_something_to_show,
    rag_marker,
)
from domain.formatting import long_date, plural
from domain.vocabulary import RAG_ORDER

if TYPE_CHECKING:
    from domain.briefing import BriefingContents

__all__ = [
    "ageing_figure",
    "ageing_text",
    "briefing_charts",
    "charts_left_out",
    "rag_figure",
    "rag_text",
    "reasons_figure",
    "reasons_text",
]

Counts = Sequence[tuple[str, int]]


def _horizontal_bars(figure: go.Figure, labels: list[str], height: int) -> None:
    """Categories top to bottom in the given order, counts as whole numbers, no axis titles."""
    figure.update_layout(showlegend=False, height=height)
    figure.update_xaxes(title=None, tickformat=COUNT_TICK_FORMAT, rangemode="tozero")
    figure.update_yaxes(
        title=None,
        categoryorder="array",
        categoryarray=list(reversed(labels)),
        tickfont={"color": TEXT_COLOUR},
        # A line across each category would run through the count printed at its bar's end.
        showgrid=False,
    )


def reasons_figure(by_reason: Counts, committee: str, as_at: date) -> go.Figure:
    """Items due back by reason, in the rules' order (an item may have several reasons)."""
    labels = [label for label, _ in by_reason]
    figure = go.Figure(
        go.Bar(
            x=[number for _, number in by_reason],
            y=labels,
            orientation="h",
            marker={"color": ACCENT},
            text=[f"{number:,}" for _, number in by_reason],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    height = 150 + 44 * len(labels)
    _horizontal_bars(figure, labels, height)
    title = chart_title(f"Why items are due back to {committee}", as_at)
    return apply_style(figure, title, as_at, height=height, key_rows=0)


def reasons_text(by_reason: Counts, total: int, meeting: date | None) -> str:
    """The reasons chart in words, with every count."""
    if total == 0:
        return "No item is due back at the next meeting."
    parts = "; ".join(f"{label.lower()} {number:,}" for label, number in by_reason)
    when = f" at the {long_date(meeting)} meeting" if meeting else ""
    return (
        f"{plural(total, 'item')} due back{when}; an item can be due back for more than one "
        f"reason. By reason: {parts}."
    )


def rag_figure(rag_counts: Counts, committee: str, as_at: date) -> go.Figure:
    """Items due back by RAG, worst first: each bar named on the axis and patterned."""
    labels = [label for label, _ in rag_counts]
    figure = go.Figure()
    for rag, (label, number) in zip(RAG_ORDER, rag_counts, strict=True):
        figure.add_trace(
            go.Bar(
                name=label,
                x=[number],
                y=[label],
                orientation="h",
                marker=rag_marker(rag),
                text=[f"{number:,}"],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{label}: %{{x:,}}<extra></extra>",
            )
        )
    height = 150 + 44 * len(labels)
    _horizontal_bars(figure, labels, height)
    title = chart_title(f"RAG of the items due back to {committee}", as_at)
    return apply_style(figure, title, as_at, height=height, key_rows=0)


def rag_text(rag_counts: Counts) -> str:
    total = sum(number for _, number in rag_counts)
    if total == 0:
        return "No item is due back, so there is no RAG rating to show."
    parts = ", ".join(f"{label} {number:,}" for label, number in rag_counts if number)
    return f"Of {plural(total, 'item')} due back: {parts}."


def ageing_figure(by_bucket: Counts, committee: str, as_at: date) -> go.Figure:
    """The committee's overdue items by how long overdue, youngest bucket on the left."""
    labels = [label for label, _ in by_bucket]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=[number for _, number in by_bucket],
            marker={"color": list(SEQUENTIAL[: len(labels)]), "line": {"color": WHITE}},
            text=[f"{number:,}" for _, number in by_bucket],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} overdue: %{y:,}<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False)
    figure.update_xaxes(title=None, tickfont={"color": TEXT_COLOUR})
    figure.update_yaxes(title=None, tickformat=COUNT_TICK_FORMAT, rangemode="tozero")
    title = chart_title(f"Overdue items for {committee} by time overdue", as_at)
    return apply_style(figure, title, as_at, height=380, key_rows=0)


def ageing_text(by_bucket: Counts, as_at: date) -> str:
    total = sum(number for _, number in by_bucket)
    if total == 0:
        return f"No item was overdue as at {long_date(as_at)}."
    parts = ", ".join(f"{label.lower()} {number:,}" for label, number in by_bucket)
    return f"{plural(total, 'item')} overdue as at {long_date(as_at)}: {parts}."


def _every_chart(contents: BriefingContents) -> list[tuple[go.Figure, str, str]]:
    """(figure, its words, what it shows) for each of the pack's charts, in paper order."""
    committee, as_at = contents.committee, contents.as_at
    counts = contents.counts
    return [
        (
            reasons_figure(counts.by_reason, committee, as_at),
            reasons_text(counts.by_reason, counts.due_back, contents.next_meeting),
            "why items are due back",
        ),
        (
            rag_figure(contents.rag_counts, committee, as_at),
            rag_text(contents.rag_counts),
            "the RAG ratings of the items due back",
        ),
        (
            ageing_figure(contents.overdue_by_bucket, committee, as_at),
            ageing_text(contents.overdue_by_bucket, as_at),
            "overdue items by time overdue",
        ),
    ]


def briefing_charts(contents: BriefingContents) -> list[tuple[go.Figure, str]]:
    """The pack's charts that have something to show, with their words, in the order the
    paper shows them. A chart of nothing (no item due back, none overdue) would be an empty
    frame in a committee paper: it is left out, and `charts_left_out` says so in a line."""
    return [
        (figure, words)
        for figure, words, _ in _every_chart(contents)
        if has_something_to_show(figure)
    ]


def charts_left_out(contents: BriefingContents) -> list[str]:
    """One line for each chart left out of the pack because it would show nothing, e.g.
    "No item was overdue as at 26 November 2026: there is no chart of overdue items by time
    overdue." For the pack to print where the charts are."""
    return [
        f"{words.rstrip('.')}: there is no chart of {what}."
        for figure, words, what in _every_chart(contents)
        if not has_something_to_show(figure)
    ]
