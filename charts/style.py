"""The product's one chart style: palette, type, titles and the source line.

Colours are the GOV.UK palette. RAG is never shown by colour alone: every RAG trace carries
its word in the legend and a distinct fill pattern, and is stacked worst-first, so a chart
still reads when printed in greyscale or seen by a colour-blind reader.

Names from the data (sources, directorates, committees) are shown as text: plotly.js reads
"<a href>", "<b>" and "<br>" in titles, labels and hover text as markup, so `apply_style`
escapes every string a chart shows (`as_chart_text`), and `chart_plain_text` reads it back.
"""

from __future__ import annotations

import html
import re
from datetime import date

import plotly.graph_objects as go

from domain.formatting import long_date
from domain.vocabulary import Rag, Status

FONT_FAMILY = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
GRID_COLOUR = "#d8dcdd"

RAG_COLOURS: dict[Rag, str] = {
    Rag.RED: "#d4351c",
    Rag.AMBER: "#f47738",
    Rag.GREEN: "#00703c",
    Rag.BLUE: "#1d70b8",
    Rag.GREY: "#505a5f",
}
# Fill patterns that tell RAG apart without colour.
RAG_PATTERNS: dict[Rag, str] = {
    Rag.RED: "x",
    Rag.AMBER: "/",
    Rag.GREEN: "",
    Rag.BLUE: ".",
    Rag.GREY: "-",
}

STATUS_COLOURS: dict[Status, str] = {
    Status.NOT_STARTED: "#b1b4b6",
    Status.IN_PROGRESS: "#5694ca",
    Status.IMPLEMENTED: "#85994b",
    Status.CLOSED: "#00703c",
    Status.SUPERSEDED: "#6f72af",
    Status.NOT_IMPLEMENTED: "#505a5f",
}
STATUS_PATTERNS: dict[Status, str] = {
    Status.NOT_STARTED: "",
    Status.IN_PROGRESS: "/",
    Status.IMPLEMENTED: ".",
    Status.CLOSED: "",
    Status.SUPERSEDED: "x",
    Status.NOT_IMPLEMENTED: "-",
}

# A sequential scale for ordered categories (e.g. ageing buckets), light to dark.
SEQUENTIAL = ("#f4b9a9", "#e8846c", "#d4351c", "#942514")
ACCENT = "#1d70b8"


def as_chart_text(text: str) -> str:
    """`text` as plotly.js shows it literally: "&", "<" and ">" as entities, which plotly
    turns back into the characters, so a name like '<a href="...">' is never a live link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_plain_text(text: str) -> str:
    """A chart's title or label as plain words: line breaks as spaces, entities decoded."""
    spaced = re.sub(r"<br\s*/?>", " ", text or "")
    return html.unescape(re.sub(r"<[^>]+>", "", spaced)).replace("  ", " ").strip()


def _escaped(values: object) -> object:
    if isinstance(values, str):
        return as_chart_text(values)
    if values is None or isinstance(values, dict):
        return values
    try:
        items = list(values)  # plotly may hold a tuple or a numpy array
    except TypeError:
        return values
    if not any(isinstance(value, str) for value in items):
        return values
    return [as_chart_text(value) if isinstance(value, str) else value for value in items]


def _shown_as_text(figure: go.Figure) -> None:
    """Escape the strings the figure shows: category labels, bar text, hover text, names."""
    for trace in figure.data:
        for attribute in ("x", "y", "text", "hovertext", "name"):
            if attribute in trace and trace[attribute] is not None:
                trace[attribute] = _escaped(trace[attribute])
    for axis in ("xaxis", "yaxis"):
        categories = figure.layout[axis].categoryarray
        if categories is not None:
            figure.layout[axis].categoryarray = _escaped(categories)


def chart_title(what: str, as_at: date) -> str:
    """Titles say what and when: "Overdue by directorate, as at 26 November 2026"."""
    return f"{what}, as at {long_date(as_at)}"


def source_line(as_at: date) -> str:
    return f"Source: Recommendation Tracker, as at {long_date(as_at)}"


def apply_style(
    figure: go.Figure, title: str, as_at: date, height: int = 420, key_rows: int = 1
) -> go.Figure:
    """Give a figure the product's look: title, key, source line, type and grid.

    The key (legend) sits under the title, across the figure, so a reader meets it before
    the bars and a key that wraps (`key_rows`, the most rows it may take) never meets the
    source line at the foot. Every string the figure shows, the title included, is escaped
    so names from the data are shown as text, never read as markup: call it once per figure.
    """
    _shown_as_text(figure)
    top = 46 + 22 * key_rows
    figure.update_layout(
        title={
            "text": as_chart_text(title),
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
            "font": {"size": 17},
        },
        font={"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOUR},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        height=height,
        margin={"l": 10, "r": 20, "t": top + 8, "b": 90},
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0.01,
            "yref": "container",
            "y": 1 - 42 / height,
            "yanchor": "top",
            "title": None,
        },
        hoverlabel={"font": {"family": FONT_FAMILY}},
        bargap=0.25,
    )
    figure.update_xaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    figure.update_yaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    figure.add_annotation(
        text=source_line(as_at),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-62,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 11, "color": SECONDARY_TEXT},
    )
    return figure


def _patterned(colour: str, shape: str) -> dict:
    """A bar marker whose pattern is drawn over its colour (plotly.js in the browser leaves
    the pattern's background transparent unless told, which drew white on white)."""
    return {
        "color": colour,
        "pattern": {"shape": shape, "fgcolor": "#ffffff", "bgcolor": colour, "solidity": 0.3},
        "line": {"color": "#ffffff", "width": 0.5},
    }


def rag_marker(rag: Rag) -> dict:
    return _patterned(RAG_COLOURS[rag], RAG_PATTERNS[rag])


def status_marker(status: Status) -> dict:
    return _patterned(STATUS_COLOURS[status], STATUS_PATTERNS[status])
