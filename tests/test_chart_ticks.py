"""Every chart's axes as drawn, at the small counts a new tracker or a quiet committee has.

Each figure is built from small hand-made frames holding 0, 1, 2 or 3 items (and a few
larger counts), drawn to SVG by the same Chromium that makes the chart files, and its tick
labels read back from the SVG: on a count axis each must be a whole number, and on no axis
may a label repeat ("0 1 1 2 2" was what plotly drew, left to itself, for two items).
The long-name tests check that shortened names stay apart and the full name stays on hover.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest
from docx import Document

from bench.harness import drawn_charts
from charts import briefing as briefing_charts
from charts import followups as followup_charts
from charts import overview as overview_charts
from charts.style import COUNT_TICK_FORMAT, has_something_to_show, short_labels
from domain.settings import AGEING_BUCKET_LABELS
from domain.vocabulary import RAG_ORDER
from exports.chart_files import chart_export_problem, chart_svg

AS_AT = date(2026, 11, 26)
SVG = "{http://www.w3.org/2000/svg}"
DIRECTORATES = ("Place", "Children's Services", "Resources")
BUCKETS = list(AGEING_BUCKET_LABELS)


def _spread(items: int, places: int) -> list[int]:
    """`items` dealt out over `places` in turn: 3 over 2 is [2, 1]."""
    return [items // places + (1 if place < items % places else 0) for place in range(places)]


def _rag(items: int) -> go.Figure:
    counts = _spread(items, 2)
    rows = [
        (name, number, rag.value, count)
        for number, (name, rag, count) in enumerate(
            zip(DIRECTORATES, (RAG_ORDER[0], RAG_ORDER[1]), counts, strict=False), start=1
        )
        if count
    ]
    frame = pd.DataFrame(rows, columns=["directorate", "directorate_id", "rag", "recommendations"])
    return overview_charts.rag_by_directorate_figure(frame, AS_AT)


def _ageing(items: int) -> go.Figure:
    frame = pd.DataFrame({"bucket": BUCKETS, "recommendations": _spread(items, len(BUCKETS))})
    return overview_charts.ageing_figure(frame, AS_AT)


def _trend(items: int) -> go.Figure:
    points = pd.to_datetime(["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-26"])
    made = [min(items, step) for step in range(4)]
    frame = pd.DataFrame(
        {
            "point": points,
            "made": made,
            "implemented": [count // 2 for count in made],
            "percent_implemented": [50 if count else 0 for count in made],
        }
    )
    return overview_charts.trend_figure(frame, AS_AT)


def _status(items: int) -> go.Figure:
    counts = _spread(items, 2)
    rows = [
        (source_id, f"Source {source_id}", f"Source {source_id}", 1, "in_progress", count)
        for source_id, count in enumerate(counts, start=1)
        if count
    ]
    frame = pd.DataFrame(
        rows,
        columns=["source_id", "source", "source_title", "sources", "status", "recommendations"],
    )
    return overview_charts.status_by_source_figure(frame, AS_AT)


def _overdue(items: int) -> go.Figure:
    rows = [(DIRECTORATES[index % 2], BUCKETS[index % len(BUCKETS)], 1) for index in range(items)]
    frame = pd.DataFrame(rows, columns=["directorate", "bucket", "recommendations"])
    frame = frame.groupby(["directorate", "bucket"], as_index=False)["recommendations"].sum()
    return followup_charts.overdue_by_directorate_figure(frame, AS_AT)


def _reasons(items: int) -> go.Figure:
    counts = _spread(items, 2)
    reasons = (("Committed to report back", counts[0]), ("Overdue", counts[1]))
    return briefing_charts.reasons_figure(reasons, "Audit Committee", AS_AT)


def _pack_rag(items: int) -> go.Figure:
    counts = _spread(items, 2) + [0, 0, 0]
    return briefing_charts.rag_figure(
        tuple((rag.label, count) for rag, count in zip(RAG_ORDER, counts, strict=True)),
        "Audit Committee",
        AS_AT,
    )


def _pack_ageing(items: int) -> go.Figure:
    buckets = tuple(zip(BUCKETS, _spread(items, len(BUCKETS)), strict=True))
    return briefing_charts.ageing_figure(buckets, "Audit Committee", AS_AT)


CHARTS: dict[str, Callable[[int], go.Figure]] = {
    "rag by directorate": _rag,
    "ageing": _ageing,
    "trend": _trend,
    "status by source": _status,
    "overdue by directorate": _overdue,
    "pack: reasons": _reasons,
    "pack: RAG": _pack_rag,
    "pack: ageing": _pack_ageing,
}

needs_browser = pytest.mark.skipif(
    chart_export_problem() is not None, reason="no Chromium to draw charts"
)


def _screen_svg(figure: go.Figure, width: int) -> str:
    """The figure drawn as on screen, `width` CSS pixels wide (a column of the page)."""
    import kaleido

    chart_svg(go.Figure(), "")  # starts the product's kaleido server once for the process
    height = int(figure.layout.height or 420)
    svg = kaleido.calc_fig_sync(
        figure.to_dict(), opts={"format": "svg", "width": width, "height": height}
    )
    return svg.decode() if isinstance(svg, bytes) else str(svg)


def _tick_labels(svg: str) -> dict[str, list[str]]:
    """The tick labels drawn on each axis, read from the SVG, in order."""
    root = ET.fromstring(re.sub(r"^<\?xml[^>]*>", "", svg.strip()))
    ticks: dict[str, list[str]] = {"x": [], "y": []}
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        if kind in ("xtick", "ytick"):
            text = " ".join(
                " ".join(part.strip() for part in element.itertext() if part.strip())
                for element in group.iter(f"{SVG}text")
            )
            ticks[kind[0]].append(text)
    return ticks


def _whole_number(label: str) -> bool:
    return re.fullmatch(r"-?\d+", label.replace("−", "-").replace(",", "")) is not None


def _check_axes(figure: go.Figure, svg: str, where: str) -> None:
    ticks = _tick_labels(svg)
    assert ticks["x"] or ticks["y"], f"{where}: no tick labels found in the SVG"
    for letter, labels in ticks.items():
        assert len(labels) == len(set(labels)), f"{where}: {letter} ticks repeat: {labels}"
        axis = figure.layout[f"{letter}axis"]
        if axis.tickformat == COUNT_TICK_FORMAT:
            assert labels, f"{where}: the count axis has no ticks"
            assert all(_whole_number(label) for label in labels), f"{where}: {labels}"


@needs_browser
@pytest.mark.parametrize("items", [0, 1, 2, 3])
@pytest.mark.parametrize("name", list(CHARTS))
def test_small_counts_have_whole_distinct_ticks_on_screen_and_in_print(
    name: str, items: int
) -> None:
    figure = CHARTS[name](items)
    for width in (480, 1100):
        _check_axes(figure, _screen_svg(figure, width), f"{name}, {items} items, {width} px")
    _check_axes(figure, chart_svg(figure, "words").decode(), f"{name}, {items} items, print")


@needs_browser
@pytest.mark.parametrize("items", [7, 12, 45, 50_000])
@pytest.mark.parametrize("name", ["rag by directorate", "ageing", "trend", "pack: reasons"])
def test_larger_counts_keep_whole_distinct_ticks(name: str, items: int) -> None:
    figure = CHARTS[name](items)
    _check_axes(figure, _screen_svg(figure, 700), f"{name}, {items} items")


@pytest.mark.parametrize("name", list(CHARTS))
def test_a_chart_of_nothing_knows_it_has_nothing_to_show(name: str) -> None:
    assert not has_something_to_show(CHARTS[name](0))
    assert has_something_to_show(CHARTS[name](1))


@needs_browser
def test_a_short_trend_names_each_month_once() -> None:
    frame = pd.DataFrame(
        {
            "point": pd.to_datetime(["2026-10-31", "2026-11-26"]),
            "made": [2, 3],
            "implemented": [0, 1],
            "percent_implemented": [0, 33],
        }
    )
    figure = overview_charts.trend_figure(frame, AS_AT)
    months = _tick_labels(_screen_svg(figure, 1100))["x"]
    assert months and len(months) == len(set(months)), months


# -- long names ------------------------------------------------------------------------------

PART_ONE = "Internal Audit Report 2023/24: Adult Social Care Commissioning Arrangements, Part 1"
PART_TWO = PART_ONE.replace("Part 1", "Part 2")
PAYROLL = "Internal Audit Report 2023/24: Payroll and Pensions Administration, final report"
CARDS = "Internal Audit Report 2023/24: Procurement Cards and Purchasing, final report"


def test_names_that_differ_at_the_end_or_in_the_middle_stay_distinct() -> None:
    names = [PART_ONE, PART_TWO, PAYROLL, CARDS, "Place"]
    shown = short_labels(names, 40)
    assert len(set(shown)) == len(names), shown
    assert all(len(label) <= 40 for label in shown), shown
    assert shown[-1] == "Place", "a name that fits is left alone"
    assert shown[0].endswith("Part 1") and shown[1].endswith("Part 2")
    assert all(label.startswith("Internal Audit") for label in shown[:4])
    # Each label keeps a whole word of its name that the other names lack.
    for index, (name, label) in enumerate(zip(names, shown, strict=True)):
        for other in names[:index] + names[index + 1 :]:
            own = set(re.findall(r"[\w/]+", name)) - set(re.findall(r"[\w/]+", other))
            assert set(re.findall(r"[\w/]+", label)) & own, (label, other)


def test_the_same_name_twice_is_numbered_not_merged() -> None:
    assert short_labels(["Place", "Place"], 40) == ["Place", "Place (2)"]


def _source_frame(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": list(range(1, len(names) + 1)),
            "source": names,
            "source_title": names,
            "sources": [1] * len(names),
            "status": ["in_progress"] * len(names),
            "recommendations": list(range(len(names), 0, -1)),
        }
    )


def test_long_source_titles_are_short_and_distinct_with_the_full_title_on_hover() -> None:
    names = [PART_ONE, PART_TWO, PAYROLL, CARDS]
    frame = _source_frame(names)
    figure = overview_charts.status_by_source_figure(frame, AS_AT)
    (bars,) = figure.data
    assert len(set(bars.y)) == len(names)
    assert all(len(label) <= overview_charts.MAX_AXIS_LABEL for label in bars.y)
    assert list(bars.hovertext) == names
    assert "%{hovertext}" in bars.hovertemplate
    words = overview_charts.status_by_source_text(frame, AS_AT)
    assert PART_ONE in words, "the text alternative names the source in full"


def test_long_directorate_names_are_short_and_distinct_with_the_full_name_on_hover() -> None:
    long_one = "Adult Social Care, Health and Housing Partnerships Directorate (North)"
    long_two = long_one.replace("North", "South")
    by_rag = pd.DataFrame(
        {
            "directorate": [long_one, long_two],
            "directorate_id": [1, 2],
            "rag": ["red", "red"],
            "recommendations": [3, 2],
        }
    )
    figure = overview_charts.rag_by_directorate_figure(by_rag, AS_AT)
    (bars,) = figure.data
    assert len(set(bars.y)) == 2 and all(len(y) <= overview_charts.MAX_AXIS_LABEL for y in bars.y)
    assert bars.y[0].endswith("(North)") and bars.y[1].endswith("(South)")
    assert list(bars.hovertext) == [long_one, long_two]
    assert long_one in overview_charts.rag_by_directorate_text(by_rag, AS_AT)
    by_bucket = pd.DataFrame(
        {"directorate": [long_one, long_two], "bucket": [BUCKETS[0]] * 2, "recommendations": [2, 1]}
    )
    overdue = followup_charts.overdue_by_directorate_figure(by_bucket, AS_AT)
    shown = [label for trace in overdue.data for label in trace.y]
    assert len(set(shown)) == 2 and list(overdue.data[0].hovertext) == [long_one, long_two]


@needs_browser
def test_long_names_stay_distinct_in_the_printed_chart() -> None:
    """The PNG/SVG for papers wraps labels onto two lines: the part that tells two titles
    apart ("Part 1", "Part 2") must survive, as it does on screen."""
    figure = overview_charts.status_by_source_figure(_source_frame([PART_ONE, PART_TWO]), AS_AT)
    labels = _tick_labels(chart_svg(figure, "words").decode())["y"]
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert any("Part 1" in label for label in labels) and any("Part 2" in label for label in labels)


# -- a chart with nothing to show ------------------------------------------------------------


def _show_ageing(counts: list[int]) -> None:
    """A page drawing the Overview's ageing chart through the product's show_chart."""
    from datetime import date

    import pandas as pd

    from charts import overview as overview_charts
    from domain.settings import AGEING_BUCKET_LABELS
    from ui.blocks import show_chart

    as_at = date(2026, 11, 26)
    frame = pd.DataFrame({"bucket": list(AGEING_BUCKET_LABELS), "recommendations": counts})
    show_chart(
        overview_charts.ageing_figure(frame, as_at), overview_charts.ageing_text(frame, as_at)
    )


def test_an_empty_chart_says_so_on_screen_instead_of_an_empty_frame() -> None:
    from streamlit.testing.v1 import AppTest

    empty = AppTest.from_function(_show_ageing, args=([0, 0, 0, 0],)).run()
    assert not empty.exception and not drawn_charts(empty)
    (note,) = empty.info
    assert note.value.replace("\\", "") == (  # shown as text: Markdown escaped
        "Overdue by how long: No open recommendation was overdue as at 26 November 2026."
    )
    drawn = AppTest.from_function(_show_ageing, args=([1, 0, 0, 0],)).run()
    assert len(drawn_charts(drawn)) == 1 and not drawn.info


def test_an_empty_chart_is_left_out_of_the_pack_with_a_line(seed_db) -> None:
    from data_access.filters import Filters
    from data_access.queries.briefing import briefing_contents
    from exports.briefing_docx import briefing_docx
    from exports.briefing_html import briefing_html

    url, engine = seed_db
    with engine.connect() as connection:
        committee_id = connection.exec_driver_sql("SELECT min(id) FROM committees").scalar()
        # Long before anything was due: nothing due back with a RAG, nothing overdue.
        contents = briefing_contents(connection, Filters(as_at=date(2019, 1, 1)), committee_id)
    every = briefing_charts._every_chart(contents)
    empty = [words for figure, words, _ in every if not has_something_to_show(figure)]
    assert empty, "this pack has charts of nothing"
    charts = briefing_charts.briefing_charts(contents)
    assert len(charts) == len(every) - len(empty)
    assert all(has_something_to_show(figure) for figure, _ in charts)
    lines = briefing_charts.charts_left_out(contents)
    assert len(lines) == len(empty)
    assert all(line.startswith(words.rstrip(".")) for line, words in zip(lines, empty, strict=True))
    images = [(None, words, "No browser here.") for _, words in charts]
    html = briefing_html(contents, images, ["title"] * len(charts))
    assert all(line in html for line in lines)
    document = briefing_docx(contents, charts, images=images)
    paragraphs = [p.text for p in Document(io.BytesIO(document)).paragraphs]
    assert all(line in paragraphs for line in lines)


# -- what the screenshots at 1, 2 and 3 items showed -----------------------------------------


def _classes(svg: str, kind: str) -> list[ET.Element]:
    root = ET.fromstring(re.sub(r"^<\?xml[^>]*>", "", svg.strip()))
    return [element for element in root.iter() if kind in (element.get("class") or "").split()]


def _key_entries(svg: str) -> list[str]:
    return [" ".join(element.itertext()).strip() for element in _classes(svg, "legendtext")]


@needs_browser
@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("rag by directorate", RAG_ORDER[0].label),
        ("status by source", "In progress"),
    ],
)
def test_a_chart_of_one_kind_of_bar_still_says_what_its_colour_means(name: str, entry: str) -> None:
    """One item gives one trace, and plotly leaves out the key of a single trace: the
    Overview of a new tracker showed one big patterned bar and no word for its colour."""
    figure = CHARTS[name](1)
    assert len(figure.data) == 1, "the case under test: a single trace"
    for svg in (_screen_svg(figure, 700), chart_svg(figure, "words").decode()):
        assert _key_entries(svg) == [entry]


@needs_browser
@pytest.mark.parametrize("name", ["pack: reasons", "pack: RAG"])
@pytest.mark.parametrize("items", [1, 2, 3])
def test_no_line_runs_through_the_count_at_a_bars_end_in_the_pack(name: str, items: int) -> None:
    """The pack prints each count beside its bar; a grid line across each category ran
    through it, so "1" read as "1-" in a one-item pack."""
    svg = chart_svg(CHARTS[name](items), "words").decode()
    assert _classes(svg, "xgrid"), "the count axis keeps its grid"
    assert not _classes(svg, "ygrid")


def test_a_trend_begins_just_before_the_first_recommendation_not_at_the_windows_start() -> None:
    """A tracker begun this year: the query's window opens two years back, all noughts."""
    points = pd.date_range("2024-01-31", "2026-11-30", freq="ME")
    made = [0] * (len(points) - 3) + [2, 3, 5]
    frame = pd.DataFrame(
        {
            "point": points,
            "made": made,
            "implemented": [0] * (len(points) - 1) + [1],
            "percent_implemented": [0] * (len(points) - 1) + [20],
        }
    )
    figure = overview_charts.trend_figure(frame, AS_AT)
    first_shown = pd.Timestamp(figure.data[0].x[0])
    assert first_shown == points[len(points) - 4], "one nought point, then the first made"
    assert list(figure.data[0].y) == [0, 2, 3, 5]
    words = overview_charts.trend_text(frame, AS_AT)
    assert "2024" not in words and "At 31 August 2026: 0 made" in words, words
