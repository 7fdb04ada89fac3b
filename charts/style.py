"""The product's one chart style: palette, type, titles and the source line.

Colours are the GOV.UK palette, from the one palette module (`domain/palette.py`). RAG is
never shown by colour alone: every RAG trace carries its word in the legend and a distinct
fill pattern, and is stacked worst-first, so a chart still reads when printed in greyscale or
seen by a colour-blind reader.

Names from the data (sources, directorates, committees) are shown as text: plotly.js reads
"<a href>", "<b>" and "<br>" in titles, labels and hover text as markup, so `apply_style`
escapes every string a chart shows (`as_chart_text`), and `chart_plain_text` reads it back.
Long names are shortened by `short_labels`, which keeps what tells two names apart; the
figures put the full name in the hover text and their words.

Counts are whole numbers, and so is every tick on a count axis: left to itself plotly puts
ticks at 0, 0.5, 1, 1.5 and 2 on an axis that runs to 2, which a "d" format prints as
"0 1 1 2 2". `apply_style` spaces the ticks of every count axis (one formatted ",d") by a
whole step chosen from the largest value, and the month ticks of a date axis by whole
months, so no tick label is ever repeated (tests/test_chart_ticks.py reads them as drawn).
"""

from __future__ import annotations

import html
import math
import numbers
import os
import re
import textwrap
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.text_width import text_width
from domain.formatting import long_date

# The palette is domain/palette.py's; these names are re-exported for the chart builders.
from domain.palette import ACCENT as ACCENT
from domain.palette import BLACK as TEXT_COLOUR
from domain.palette import DARK_GREY as SECONDARY_TEXT
from domain.palette import GRID_GREY as GRID_COLOUR
from domain.palette import RAG_COLOURS as RAG_COLOURS
from domain.palette import SEQUENTIAL as SEQUENTIAL
from domain.palette import STATUS_COLOURS as STATUS_COLOURS
from domain.palette import WHITE as WHITE
from domain.vocabulary import Rag, Status

FONT_FAMILY = "Arial, Helvetica, sans-serif"
# Fill patterns that tell RAG apart without colour.
RAG_PATTERNS: dict[Rag, str] = {
    Rag.RED: "x",
    Rag.AMBER: "/",
    Rag.GREEN: "",
    Rag.BLUE: ".",
    Rag.GREY: "-",
}

STATUS_PATTERNS: dict[Status, str] = {
    Status.NOT_STARTED: "",
    Status.IN_PROGRESS: "/",
    Status.IMPLEMENTED: ".",
    Status.CLOSED: "",
    Status.SUPERSEDED: "x",
    Status.NOT_IMPLEMENTED: "-",
}


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


# Shortening long names ---------------------------------------------------------------------

ELLIPSIS = "…"
_LEAD = 16  # characters of a name's start kept when its difference lies further in


def _cut_head(text: str, length: int) -> str:
    """The first `length` characters, ended at a word break when one is near."""
    if length >= len(text) or text[length] == " ":
        return text[:length].rstrip(" ,;:-–")
    head = text[:length]
    space = head.rfind(" ")
    if space > 0 and space >= length * 2 // 3:
        head = head[:space]
    return head.rstrip(" ,;:-–")


def _cut_tail(text: str, length: int) -> str:
    """The last `length` characters, started at a word break when one is near."""
    if length <= 0:
        return ""
    if length >= len(text) or text[-length - 1] == " ":
        return text[-length:].lstrip(" ,;:-–")
    tail = text[-length:]
    space = tail.find(" ")
    if 0 <= space <= length // 2:
        tail = tail[space + 1 :]
    return tail.lstrip(" ,;:-–")


def _middle_parts(name: str, limit: int) -> tuple[str, str]:
    """The start and the end `name` keeps when shortened to `limit` characters with "…"
    between. The end starts at a word: a few characters move from the start to make it so."""
    room = limit - 1
    tail_length = room - math.ceil(room * 0.55)
    start = len(name) - tail_length
    back = name.rfind(" ", 0, start) + 1
    if name[start - 1] != " " and 0 < start - back <= 8:
        tail_length += start - back
    return _cut_head(name, room - tail_length), _cut_tail(name, tail_length)


def _middle_shortened(name: str, limit: int) -> str:
    """`name` in at most `limit` characters: its start and its end, "…" between, so titles
    that differ at their end (a part, a year, a date) stay different."""
    if len(name) <= limit:
        return name
    head, tail = _middle_parts(name, limit)
    return head + ELLIPSIS + tail


def _common_prefix(first: str, second: str) -> int:
    return len(os.path.commonprefix([first, second]))


def _common_suffix(first: str, second: str) -> int:
    return len(os.path.commonprefix([first[::-1], second[::-1]]))


def _around_difference(name: str, others: Sequence[str], limit: int) -> str:
    """`name` shortened around where it first differs from `others`: a little of its start
    (to be recognised), "…", then the words from the one where the difference lies."""
    differs_at = min(_common_prefix(name, other) for other in others)
    lead = _cut_head(name, min(_LEAD, differs_at))
    start = max(len(lead), differs_at)
    while start > len(lead) and name[start - 1] != " ":
        start -= 1  # begin at the start of the word where the difference lies
    gap = ELLIPSIS if start > len(lead) else ""
    room = limit - len(lead) - len(gap)
    window = name[start:]
    if len(window) > room:
        window = window[: room - 1].rstrip() + ELLIPSIS
    return lead + gap + window


def short_labels(names: Sequence[str], limit: int) -> list[str]:
    """Each name in at most `limit` characters, keeping what tells it from the others.

    A long name keeps its start and its end ("Internal Audit Report…Part 2"). Where the
    words that tell it from another name fall in the part left out (two titles that differ
    in the middle), it is shown from the word where it differs instead ("Internal
    Audit…Payroll and Pensions…"). Names that are the same, or that nothing short tells
    apart, are numbered: "Name (2)". A chart's bars are keyed by their labels, so equal
    labels would merge two bars into one."""
    names = [str(name) for name in names]
    distinct = list(dict.fromkeys(names))
    shown: list[str] = []
    for name in names:
        if len(name) <= limit:
            shown.append(name)
            continue
        head, tail = _middle_parts(name, limit)
        lost = [
            other
            for other in distinct
            if other != name
            and _common_prefix(name, other) >= len(head)
            and _common_suffix(name, other) >= len(tail)
        ]
        shown.append(_around_difference(name, lost, limit) if lost else head + ELLIPSIS + tail)
    taken: set[str] = set()
    for index, label in enumerate(shown):
        candidate, number = label, 2
        while candidate in taken:
            suffix = f" ({number})"
            candidate = _middle_shortened(label, max(limit - len(suffix), 8)) + suffix
            number += 1
        taken.add(candidate)
        shown[index] = candidate
    return shown


# Whole-number and month ticks ---------------------------------------------------------------

COUNT_TICK_FORMAT = ",d"
# The layout of a chart whose bars lead to a list: hover and click find the bar under the
# pointer, and a drag pans instead of drawing a selection box. (Streamlit's st.plotly_chart
# set these after the first drawing, drawing such charts twice; ui.chart_component draws
# the figure as it is.)
CLICKABLE = {"hovermode": "closest", "dragmode": "pan"}
MONTH_TICK_FORMAT = "%b %Y"
# At most about this many steps between ticks on a count axis.
COUNT_TICK_STEPS = 6
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
MAX_MONTH_TICKS = 8


def _whole_step(largest: float) -> int:
    """A whole tick step (1, 2 or 5 times a power of ten) giving at most about
    `COUNT_TICK_STEPS` steps up to `largest`."""
    rough = max(largest / COUNT_TICK_STEPS, 1)
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return int(multiple * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def _numbers(values: object) -> list[float]:
    if values is None or isinstance(values, str):
        return []
    try:
        items = list(values)
    except TypeError:
        return []
    return [
        float(value)
        for value in items
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
    ]


def _value_axis(trace: go.BaseTraceType) -> str:
    """ "x" or "y": the axis along which the trace's values (its counts) run."""
    return "x" if getattr(trace, "orientation", None) == "h" else "y"


def largest_value(figure: go.Figure, letter: str) -> float:
    """The largest value the figure draws along axis `letter`, stacks added up."""
    stacked = figure.layout.barmode in ("stack", "relative")
    totals: dict[object, float] = {}
    largest = 0.0
    for trace in figure.data:
        if _value_axis(trace) != letter:
            continue
        values = _numbers(trace[letter])
        if stacked and trace.type == "bar":
            other = "y" if letter == "x" else "x"
            categories = list(trace[other]) if trace[other] is not None else []
            for category, value in zip(categories, values, strict=False):
                totals[category] = totals.get(category, 0.0) + max(value, 0.0)
        else:
            largest = max([largest, *values])
    return max([largest, *totals.values()])


def _dates_along(figure: go.Figure, letter: str) -> list[pd.Timestamp]:
    """Every date the figure draws along axis `letter` (values that are not dates left out)."""
    points: list[pd.Timestamp] = []
    for trace in figure.data:
        values = trace[letter]
        if values is None:
            continue
        stamps = pd.to_datetime(pd.Series(list(values)), errors="coerce").dropna()
        points += list(stamps)
    return points


def _month_step(figure: go.Figure, letter: str) -> tuple[str, str] | None:
    """(first month, "M<n>") spacing month ticks by whole months, or None without dates."""
    points = _dates_along(figure, letter)
    if not points:
        return None
    first, last = min(points), max(points)
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in MONTH_STEPS if months / s <= MAX_MONTH_TICKS), MONTH_STEPS[-1])
    return first.strftime("%Y-%m-01"), f"M{step}"


def whole_number_ticks(figure: go.Figure) -> None:
    """Ticks at whole numbers on every count axis, and at whole months on a month axis.

    A count axis is one formatted `COUNT_TICK_FORMAT`. Its ticks start at 0 and step by a
    whole number chosen from the largest value drawn; when nothing is drawn the axis runs
    from 0 to 1. A month axis (formatted `MONTH_TICK_FORMAT`) steps by whole months from
    the first month drawn, so a short span never shows one month twice."""
    for name, letter in (("xaxis", "x"), ("yaxis", "y")):
        axis = figure.layout[name]
        if axis.tickformat == COUNT_TICK_FORMAT:
            largest = largest_value(figure, letter)
            axis.update(tickmode="linear", tick0=0, dtick=_whole_step(largest))
            if largest <= 0:
                axis.update(range=[0, 1], autorange=False)
        elif axis.tickformat == MONTH_TICK_FORMAT:
            step = _month_step(figure, letter)
            if step is not None:
                axis.update(tickmode="linear", tick0=step[0], dtick=step[1])


def has_something_to_show(figure: go.Figure) -> bool:
    """True when the figure draws at least one value above nought (a bar, a point of a
    line). A chart of nothing but zeros, or of no rows, says so in words instead."""
    return any(largest_value(figure, letter) > 0 for letter in ("x", "y"))


def chart_title(what: str, as_at: date) -> str:
    """Titles say what and when: "Overdue by directorate, as at 26 November 2026"."""
    return f"{what}, as at {long_date(as_at)}"


# Title lines hold at most this many characters: plotly never wraps a title, and a chart on a
# phone (390 px) or in half a tablet's width (820 px) is about 360 px wide, where a longer
# line at the title's 17 px runs off the edge (tests/test_screens_browser.py measures it).
TITLE_LINE_CHARS = 40
TITLE_LINE_HEIGHT = 22  # pixels per title line at 17 px


def title_lines(title: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """`title` in lines of at most `width` characters, broken between words: the "as at"
    date on a line of its own, what the chart shows wrapped above it. A word longer than
    `width` keeps a line to itself rather than being split."""
    what, comma, when = title.rpartition(", as at ")
    if not comma:
        what, when = title, ""
    lines = textwrap.wrap(what + ("," if comma else ""), width, break_long_words=False)
    return lines + ([f"as at {when}"] if when else [])


def source_line(as_at: date) -> str:
    return f"Source: Recommendation Tracker, as at {long_date(as_at)}"


def apply_style(
    figure: go.Figure, title: str, as_at: date, height: int = 420, key_rows: int = 1
) -> go.Figure:
    """Give a figure the product's look: title, key, source line, type and grid.

    The key (legend) sits under the title, across the figure, so a reader meets it before
    the bars and a key that wraps (`key_rows`, the most rows it may take) never meets the
    source line at the foot. Every string the figure shows, the title included, is escaped
    so names from the data are shown as text, never read as markup: call it once per figure,
    after its traces and axes are set (the margins are measured from its labels).
    """
    _shown_as_text(figure)
    whole_number_ticks(figure)
    if key_rows and figure.layout.showlegend is None:
        # plotly leaves out the key of a figure with one trace (one RAG, one status): a
        # chart of a single red bar would then not say what its colour means.
        figure.update_layout(showlegend=True)
    lines = title_lines(title)
    below_title = TITLE_LINE_HEIGHT * (len(lines) - 1)
    height += below_title  # the plot keeps its height under a longer title
    top = 46 + below_title + 22 * key_rows
    # plotly.js keeps the key's height above the plot clear (10 px and 20 a row), then its
    # own 10 px: a smaller top margin makes it draw the figure twice (charts/text_width.py).
    key_bottom = 42 + below_title + (10 + KEY_ROW_HEIGHT * key_rows if key_rows else 0)
    top_margin = max(top + 8, key_bottom + PLOTLY_PAD + SLACK)
    figure.update_layout(
        title={
            "text": "<br>".join(as_chart_text(line) for line in lines),
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            # plotly.js centres a title of several lines on its first line's place,
            # lifting it by half its extra lines: put it back down.
            "y": 1 - (12 + below_title / 2) / height,
            "yanchor": "top",
            "font": {"size": 17},
        },
        font={"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOUR},
        paper_bgcolor=WHITE,
        plot_bgcolor=WHITE,
        height=height,
        margin={"l": 10, "r": 20, "t": top_margin, "b": 90},
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0.01,
            "yref": "container",
            "y": 1 - (42 + below_title) / height,
            "yanchor": "top",
            "title": None,
        },
        hoverlabel={"font": {"family": FONT_FAMILY}},
        bargap=0.25,
    )
    figure.update_xaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    figure.update_yaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    reserve_label_room(figure)
    # At the right edge of the plot, running leftwards, in two lines: from the left edge of
    # the plot it would start after the axis labels and run off a narrow chart.
    figure.add_annotation(
        text=as_chart_text(source_line(as_at)).replace(", as at ", ",<br>as at "),
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-62,
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font={"size": 11, "color": SECONDARY_TEXT},
    )
    return figure


def _patterned(colour: str, shape: str) -> dict:
    """A bar marker whose pattern is drawn over its colour (plotly.js in the browser leaves
    the pattern's background transparent unless told, which drew white on white)."""
    return {
        "color": colour,
        "pattern": {"shape": shape, "fgcolor": WHITE, "bgcolor": colour, "solidity": 0.3},
        "line": {"color": WHITE, "width": 0.5},
    }


def rag_marker(rag: Rag) -> dict:
    return _patterned(RAG_COLOURS[rag], RAG_PATTERNS[rag])


def status_marker(status: Status) -> dict:
    return _patterned(STATUS_COLOURS[status], STATUS_PATTERNS[status])


# Room for the axis labels ------------------------------------------------------------------

# What plotly.js adds beyond an axis's tick labels when it makes room for them, and the one
# line of a y axis's title beside them (both measured in Chromium); SLACK covers rounding.
PLOTLY_PAD = 10
Y_TITLE_ROOM = 16
SLACK = 3
KEY_ROW_HEIGHT = 20
DEFAULT_FONT_SIZE = 13
# Bars stop short of their axis's end: plotly.js pads the range by about 5%.
AUTORANGE_PAD = 1.06
# A tick within this share of the axis's length from its end may have its label reach past.
NEAR_END = 0.12


def _tick_font_size(figure: go.Figure, axis: go.layout.XAxis | go.layout.YAxis) -> float:
    return axis.tickfont.size or figure.layout.font.size or DEFAULT_FONT_SIZE


def _category_labels(figure: go.Figure, letter: str) -> list[str]:
    """The names along axis `letter` where it is a category axis (as shown, unescaped)."""
    axis = figure.layout[f"{letter}axis"]
    if axis.ticktext is not None:
        return [chart_plain_text(str(label)) for label in axis.ticktext]
    names: list[str] = [str(name) for name in (axis.categoryarray or ())]
    for trace in figure.data:
        if _value_axis(trace) == letter or trace[letter] is None:
            continue
        names += [value for value in trace[letter] if isinstance(value, str)]
    return [chart_plain_text(name) for name in names]


def _month_labels(figure: go.Figure, letter: str) -> list[str]:
    return sorted({stamp.strftime("%b %Y") for stamp in _dates_along(figure, letter)})


def _number_label(value: float, axis: go.layout.XAxis | go.layout.YAxis) -> str:
    shown = f"{int(value):,}" if axis.tickformat == COUNT_TICK_FORMAT else f"{value:g}"
    return f"{axis.tickprefix or ''}{shown}{axis.ticksuffix or ''}"


def _number_labels(figure: go.Figure, letter: str) -> tuple[list[str], bool]:
    """The widest tick labels a value axis may show, and whether its last tick sits at or
    near the axis's end, so half its label may reach past the plot."""
    axis = figure.layout[f"{letter}axis"]
    fixed = axis.range is not None and axis.autorange is not True
    top = float(axis.range[1]) if fixed else largest_value(figure, letter) * AUTORANGE_PAD
    step = axis.dtick if isinstance(axis.dtick, numbers.Real) and axis.dtick > 0 else None
    last_tick = math.floor(top / step) * step if step else top
    # The last tick's label is centred on it: near the axis's end, half of it reaches past.
    ends_on_tick = math.isclose(last_tick, top) if fixed else top - last_tick < NEAR_END * top
    return [_number_label(value, axis) for value in (0, last_tick, top)], ends_on_tick


def _axis_room(figure: go.Figure, letter: str) -> tuple[float, float, float]:
    """(widest label, half the first label, half the last label at the axis's end) in
    pixels, for axis `letter`; 0 where nothing reaches past the plot."""
    axis = figure.layout[f"{letter}axis"]
    size = _tick_font_size(figure, axis)
    categories = _category_labels(figure, letter)
    if not categories and any(_value_axis(trace) == letter for trace in figure.data):
        labels, ends_on_tick = _number_labels(figure, letter)
        widths = [text_width(label, size) for label in labels]
        return max(widths), widths[0] / 2, widths[1] / 2 if ends_on_tick else 0.0
    if axis.tickformat == MONTH_TICK_FORMAT:
        widths = [text_width(label, size) for label in _month_labels(figure, letter)] or [0.0]
        return max(widths), max(widths) / 2, 0.0
    widths = [text_width(label, size) for label in categories] or [0.0]
    return max(widths), 0.0, 0.0


def reserve_label_room(figure: go.Figure) -> None:
    """Give the figure left and right margins its axis labels fit in from the first drawing.

    plotly.js's automargin (left on, as a safety net) otherwise finds the labels too wide
    once drawn and draws the whole figure again (charts/text_width.py says why that
    matters). The widths are upper bounds, so a margin is never short, at worst a few
    pixels generous on a machine with Arial."""
    margin = figure.layout.margin
    y_widest, _, _ = _axis_room(figure, "y")
    if figure.layout.yaxis.title.text:
        y_widest += Y_TITLE_ROOM
    _, x_first, x_last = _axis_room(figure, "x")
    left = max(y_widest, x_first) + PLOTLY_PAD + SLACK
    right = x_last + PLOTLY_PAD + SLACK if x_last else 0
    margin.l = math.ceil(max(margin.l or 0, left))
    margin.r = math.ceil(max(margin.r or 0, right))
