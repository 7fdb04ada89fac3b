"""Chart files for committee papers: PNG at print resolution and SVG, each carrying its words.

Officers paste these into council reports that are printed on A4, so the picture is laid out
at its printed width (16 cm by default) with type that stays readable there (`print_figure`),
rendered at 300 dots per inch, and stamped with that resolution so Word places it at the
right size. The chart's text alternative travels inside the file (a PNG "Description" chunk,
an SVG `<desc>`), so a screen reader user of the pasted image is not left with nothing.

Images come from kaleido, which drives the machine's Chromium. Starting Chromium takes a
couple of seconds, so one kaleido server is kept warm for the life of the process; calls
are serialised because the server answers one request at a time.
"""

from __future__ import annotations

import copy
import html
import math
import numbers
import re
import struct
import textwrap
import threading
import zlib
from typing import Any
from xml.sax.saxutils import escape

import plotly.graph_objects as go

from charts.style import TITLE_LINE_HEIGHT, as_chart_text, chart_plain_text, short_labels
from exports.chromium import browser_setting_problem, chromium_path

__all__ = [
    "CSS_DPI",
    "ChartExportUnavailable",
    "chart_export_problem",
    "chart_png",
    "chart_svg",
    "layout_width_px",
    "print_figure",
]

CSS_DPI = 96  # plotly lays out in CSS pixels: 96 to the inch.
PRINT_BASE_FONT_PX = 13  # 13 px at 16 cm laid out over 605 px prints at 9.75 pt.
PRINT_SOURCE_FONT_PX = 12  # the source line: 9 pt in print.
PRINT_TITLE_FONT_PX = 16  # 12 pt in print.
TITLE_LINE_PX = 20  # the height one extra line of title takes.
TITLE_CHARACTERS_PER_LINE = 0.105  # characters per CSS pixel of width at the title's size.
AXIS_LABEL_CHARACTERS = 30  # longer bar labels wrap onto a second line in print.
WRAPPED_LABEL_PX = 18  # the extra height a bar whose label takes two lines needs.
CHARACTER_WIDTH_EM = 0.58  # a generous average character width, in ems, for sans-serif type.

NO_BROWSER = (
    "Chart images cannot be made on this computer because no Chromium or Chrome browser was "
    "found{where}. Nothing was downloaded. Ask whoever looks after the dashboard to install "
    "Chromium (on Debian: apt-get install chromium) or to set BROWSER_PATH to a Chrome browser; "
    "the chart and its words on the page are unaffected."
)
RENDER_FAILED = (
    "The chart image could not be made ({reason}). Nothing was downloaded. Try again; if it "
    "keeps failing, ask whoever looks after the dashboard to check that Chromium starts."
)


class ChartExportUnavailable(Exception):
    """Raised when a chart image cannot be made; the message is a sentence for the user."""


def layout_width_px(width_cm: float) -> int:
    """The CSS width a chart printed `width_cm` wide is laid out at (16 cm → 604 px).

    Rounded down, so type printed at that width is never smaller than its size says."""
    return math.floor(width_cm / 2.54 * CSS_DPI)


def _wrapped_title(text: str, width_px: int) -> tuple[str, int]:
    """The title broken into lines that fit the print width, and how many lines it takes."""
    plain = chart_plain_text(text)  # wrapped as the words read, then escaped again
    lines = textwrap.wrap(plain, max(20, int(width_px * TITLE_CHARACTERS_PER_LINE)))
    return "<br>".join(as_chart_text(line) for line in lines), max(1, len(lines))


def print_figure(figure: go.Figure, *, width_cm: float = 16.0) -> go.Figure:
    """A copy of a product chart laid out for a printed page `width_cm` wide.

    The dashboard's figures fill a browser column; printed at 16 cm the same type would be
    too small to read. Laying the figure out at the printed width in CSS pixels makes the
    type's size in points fixed (a 13 px font prints at 9.75 pt), and a long title wraps
    onto a second line rather than running off the page. Interactive settings are dropped.
    """
    printed = go.Figure(copy.deepcopy(figure.to_dict()))
    width = layout_width_px(width_cm)
    layout = printed.layout
    height = int(layout.height or 420)
    title_text = layout.title.text or ""
    wrapped, lines = _wrapped_title(title_text, width)
    # The screen's title was wrapped for a phone (charts.style.title_lines), and its height,
    # top margin and key were moved down for its lines: trade those for the print's lines.
    screen_lines = len(re.findall(r"<br\s*/?>", title_text)) + 1
    title_below = TITLE_LINE_PX * (lines - 1)
    extra = title_below - TITLE_LINE_HEIGHT * (screen_lines - 1)
    new_height = height + extra + WRAPPED_LABEL_PX * _wrap_bar_labels(printed)
    updates: dict[str, Any] = {
        "width": width,
        "height": new_height,
        "font": {"size": max(PRINT_BASE_FONT_PX, int(layout.font.size or 0))},
        "clickmode": "none",
        "hovermode": False,
        "dragmode": False,
    }
    if title_text:
        updates["title"] = {
            "text": wrapped,
            "font": {"size": PRINT_TITLE_FONT_PX},
            # plotly lifts a title of several lines by the extra lines: put it back.
            "y": (
                1 - (12 + title_below) / new_height
                if layout.title.yref == "container"
                else layout.title.y
            ),
        }
    if layout.margin.t is not None:
        updates["margin"] = {"t": layout.margin.t + extra}
    legend_y = layout.legend.y
    if layout.legend.yref == "container" and legend_y is not None:
        updates["legend"] = {"y": 1 - ((1 - legend_y) * height + extra) / new_height}
    printed.update_layout(**updates)
    left = _left_margin(printed, int(updates["font"]["size"]))
    printed.update_layout(margin={"l": max(int(layout.margin.l or 0), left)})
    for annotation in printed.layout.annotations:
        if annotation.text and annotation.text.startswith("Source:"):
            # One line on paper: the page is wide enough, and the figure's foot has room
            # for one line of print-sized type (the screen's second line was cut off).
            annotation.text = re.sub(r"<br\s*/?>", " ", annotation.text)
            annotation.font.size = max(PRINT_SOURCE_FONT_PX, int(annotation.font.size or 0))
            if annotation.xref == "paper" and not annotation.x:
                # Start the source line at the figure's left edge, under the title, not at
                # the plot area's (which long bar labels push far to the right).
                annotation.xshift = -max(int(layout.margin.l or 0), left)
    return printed


def _two_lines(label: str) -> list[str] | None:
    """`label` broken at words into lines of `AXIS_LABEL_CHARACTERS`, or None if it needs
    more than two."""
    lines = textwrap.wrap(label, AXIS_LABEL_CHARACTERS, break_on_hyphens=False)
    return lines if len(lines) <= 2 else None


def _values(values: object) -> list[object]:
    return [] if values is None else list(values)  # plotly may hold a tuple or a numpy array


def _full_names(horizontal: list[Any]) -> dict[str, str]:
    """Each bar label (as the chart holds it) -> the full name behind it, read as words.

    The product's figures shorten long names on the axis and keep the full name in the
    hover text; a label with no hover text is its own full name."""
    names: dict[str, str] = {}
    for trace in horizontal:
        labels = _values(trace.y)
        hover = _values(trace.hovertext)
        for index, label in enumerate(labels):
            if not isinstance(label, str):
                continue
            full = hover[index] if len(hover) == len(labels) else label
            names.setdefault(label, html.unescape(str(full)))
    return names


def _print_labels(names: dict[str, str]) -> dict[str, str]:
    """Each label -> its print version: at most two lines, different labels kept different.

    A label keeps its count (" · 22"); the name before it is shortened from the full name
    by `short_labels` (which keeps what tells names apart) to the longest length at which
    every label fits on two lines, so nothing is cut off at the end."""
    labels = list(names)
    counts = []
    for label in labels:
        head, separator, count = html.unescape(label).rpartition(" · ")
        counts.append(f" · {count}" if separator and head else "")
    fulls = [names[label] for label in labels]
    widest_count = max((len(count) for count in counts), default=0)
    lines: list[list[str]] = []
    for limit in range(2 * AXIS_LABEL_CHARACTERS, 12, -2):
        heads = short_labels(fulls, max(limit - widest_count, 8))
        wrapped = [_two_lines(head + count) for head, count in zip(heads, counts, strict=True)]
        if all(wrapped):
            lines = [found for found in wrapped if found]
            break
    else:  # no length fits two lines (cannot happen with words of ordinary length)
        lines = [[html.unescape(label)] for label in labels]
    return {
        label: "<br>".join(as_chart_text(line) for line in label_lines)
        for label, label_lines in zip(labels, lines, strict=True)
    }


def _wrap_bar_labels(figure: go.Figure) -> int:
    """Wrap long labels of horizontal bars onto two lines; how many bars' labels wrapped
    (each needs a line's more height, or the labels of neighbouring bars would overlap)."""
    horizontal = [trace for trace in figure.data if getattr(trace, "orientation", None) == "h"]
    if not horizontal:
        return 0
    printed = _print_labels(_full_names(horizontal))
    for trace in horizontal:
        trace.y = [printed.get(label, label) for label in _values(trace.y)]
    if figure.layout.yaxis.categoryarray is not None:
        figure.layout.yaxis.categoryarray = [
            printed.get(label, label) for label in figure.layout.yaxis.categoryarray
        ]
    return sum("<br>" in label for label in printed.values())


def _left_margin(figure: go.Figure, font_px: int) -> int:
    """Room for the y axis's labels (wrapping long bar labels onto two lines) and its title.

    Fixing the left margin, rather than leaving it to plotly, lets the source line start at
    the figure's edge; plotly still widens it if a label needs more.
    """
    longest = 0
    horizontal = [trace for trace in figure.data if getattr(trace, "orientation", None) == "h"]
    for trace in horizontal:
        parts = (html.unescape(part) for y in trace.y for part in str(y).split("<br>"))
        longest = max([longest, *(len(part) for part in parts)])
    if not horizontal:
        values = [
            abs(float(v))
            for trace in figure.data
            for v in _values(getattr(trace, "y", None))
            if isinstance(v, numbers.Real) and not isinstance(v, bool)
        ]
        longest = len(f"{max(values, default=0):,.0f}") + 1
    room = int(longest * font_px * CHARACTER_WIDTH_EM) + 12
    if figure.layout.yaxis.title.text:
        room += font_px * 2
    return room


# Rendering --------------------------------------------------------------------------------

_render_lock = threading.Lock()
_server_started = False


def _browser_path_problem() -> str | None:
    """A reason if BROWSER_PATH names no browser (kaleido would otherwise keep using the
    browser its warm server started with, and the setting would silently do nothing)."""
    problem = browser_setting_problem()
    return f" ({problem})" if problem else None


def chart_export_problem() -> str | None:
    """Why chart images cannot be made here (a sentence for the user), or None if they can.

    Cheap (looks for the browser; starts nothing), so the dashboard can say so beside the
    chart rather than offer a button that fails."""
    problem = _browser_path_problem()
    if problem:
        return NO_BROWSER.format(where=problem)
    if chromium_path() is None:
        return NO_BROWSER.format(where="")
    return None


def _render(figure: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
    """One figure through kaleido, starting its warm server the first time."""
    global _server_started  # noqa: PLW0603 - one server for the process, by design

    problem = _browser_path_problem()
    if problem:
        raise ChartExportUnavailable(NO_BROWSER.format(where=problem))
    browser = chromium_path()
    if browser is None:
        raise ChartExportUnavailable(NO_BROWSER.format(where=""))
    import kaleido
    from kaleido.errors import BrowserFailedError, ChromeNotFoundError

    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _render_lock:
        try:
            if not _server_started:
                kaleido.start_sync_server(mathjax=False, silence_warnings=True, path=browser)
                _server_started = True
            return kaleido.calc_fig_sync(figure.to_dict(), opts=opts)
        except ChromeNotFoundError as error:
            _stop_server()
            raise ChartExportUnavailable(NO_BROWSER.format(where="")) from error
        except (BrowserFailedError, RuntimeError, OSError) as error:
            # A server whose browser died answers nothing again: start afresh next time.
            _stop_server()
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            raise ChartExportUnavailable(RENDER_FAILED.format(reason=reason[:200])) from error


def _stop_server() -> None:
    global _server_started  # noqa: PLW0603
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    _server_started = False


# PNG --------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _itxt(keyword: str, text: str) -> bytes:
    """An international text chunk (UTF-8, so "£" and accents survive), uncompressed."""
    data = keyword.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode()
    return _chunk(b"iTXt", data)


def _stamp_png(png: bytes, dpi: int, texts: dict[str, str]) -> bytes:
    """`png` with its resolution set to `dpi` and `texts` added, right after the header."""
    if not png.startswith(PNG_SIGNATURE):
        raise ChartExportUnavailable(RENDER_FAILED.format(reason="the browser returned no PNG"))
    chunks: list[tuple[bytes, bytes]] = []
    position = len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        chunks.append((kind, png[position : position + 12 + length]))
        position += 12 + length
    pixels_per_metre = round(dpi / 0.0254)
    added = _chunk(b"pHYs", struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1))
    added += b"".join(_itxt(keyword, text) for keyword, text in texts.items() if text)
    kept = [raw for kind, raw in chunks if kind != b"pHYs"]
    return PNG_SIGNATURE + kept[0] + added + b"".join(kept[1:])


def _plain_title(figure: go.Figure) -> str:
    return chart_plain_text(figure.layout.title.text or "")


def chart_png(figure: go.Figure, words: str, *, width_cm: float = 16.0, dpi: int = 300) -> bytes:
    """The chart as a PNG `width_cm` wide at `dpi` (16 cm at 300 dpi is 1,890 pixels).

    The file says its resolution (pHYs), so a word processor places it at 16 cm, and carries
    the chart's title ("Title") and text alternative ("Description"). Raises
    ChartExportUnavailable, with a sentence for the user, when no browser can draw it.
    """
    printed = print_figure(figure, width_cm=width_cm)
    width = int(printed.layout.width)
    height = int(printed.layout.height)
    pixels = math.ceil(width_cm / 2.54 * dpi)
    png = _render(printed, "png", width, height, (pixels + 0.5) / width)
    texts = {
        "Title": _plain_title(figure),
        "Description": words,
        "Software": "Recommendation Tracker",
    }
    return _stamp_png(png, dpi, texts)


# SVG --------------------------------------------------------------------------------------


def chart_svg(figure: go.Figure, words: str, *, width_cm: float = 16.0) -> bytes:
    """The chart as an SVG drawn `width_cm` wide, with `<title>` and `<desc>` (the words).

    Vector, so it prints sharp at any size; the physical width means a word processor
    places it at the printed size. Raises ChartExportUnavailable as chart_png does.
    """
    printed = print_figure(figure, width_cm=width_cm)
    width = int(printed.layout.width)
    height = int(printed.layout.height)
    svg = _render(printed, "svg", width, height, 1)
    text = svg.decode() if isinstance(svg, bytes) else str(svg)
    match = re.search(r"<svg\b[^>]*>", text)
    if match is None:
        raise ChartExportUnavailable(RENDER_FAILED.format(reason="the browser returned no SVG"))
    opening = match.group(0)
    height_cm = width_cm * height / width
    sized = re.sub(r'\swidth="[^"]*"', f' width="{width_cm:g}cm"', opening, count=1)
    sized = re.sub(r'\sheight="[^"]*"', f' height="{height_cm:.2f}cm"', sized, count=1)
    if "viewBox" not in sized:
        sized = sized[:-1] + f' viewBox="0 0 {width} {height}">'
    sized = sized[:-1] + ' role="img" aria-labelledby="chart-title chart-desc">'
    labels = (
        f'<title id="chart-title">{escape(_plain_title(figure))}</title>'
        f'<desc id="chart-desc">{escape(words)}</desc>'
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    body = text[: match.start()] + sized + labels + text[match.end() :]
    return (head + body.lstrip()).encode()
