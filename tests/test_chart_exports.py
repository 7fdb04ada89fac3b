"""Chart files as an officer pastes them into a printed committee report.

Opened and read back independently: the PNG's own header and chunks (its pixel width, its
pHYs resolution, its text chunks), the SVG with xml.etree. Every chart in the product is
checked for the title with its date and the source line that printing needs.
"""

from __future__ import annotations

import shutil
import struct
import xml.etree.ElementTree as ET
import zlib
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import briefing as briefing_charts
from charts import followups as followup_charts
from charts import overview as overview_charts
from charts.style import chart_plain_text
from domain.settings import AGEING_BUCKET_LABELS
from exports.briefing_pdf import pdf_engine
from exports.briefing_report import chart_title_text
from exports.chart_files import (
    ChartExportUnavailable,
    chart_export_problem,
    chart_png,
    chart_svg,
    print_figure,
)
from exports.chromium import browser_setting_problem, chromium_path
from ui.downloads import subject_and_date

AS_AT = date(2026, 11, 26)
SOURCE = "Source: Recommendation Tracker, as at 26 November 2026"
SVG_NS = "{http://www.w3.org/2000/svg}"
LONG_NAME = "Adult Social Care, Health and Housing Partnerships"


def _by_bucket() -> pd.DataFrame:
    rows = [
        (directorate, bucket, count)
        for directorate, counts in {
            "Children's Services": (2, 0, 3, 4),
            LONG_NAME: (1, 5, 0, 2),
            "Place": (0, 0, 0, 1),
        }.items()
        for bucket, count in zip(AGEING_BUCKET_LABELS, counts, strict=True)
        if count
    ]
    return pd.DataFrame(rows, columns=["directorate", "bucket", "recommendations"])


def _every_product_chart() -> dict[str, tuple[go.Figure, str]]:
    """One of each of the product's figures, from small hand-made frames."""
    by_rag = pd.DataFrame(
        {
            "directorate": ["Place", "Place", "Finance"],
            "directorate_id": [1, 1, 2],
            "rag": ["red", "green", "amber"],
            "recommendations": [3, 4, 2],
        }
    )
    by_age = pd.DataFrame({"bucket": list(AGEING_BUCKET_LABELS), "recommendations": [1, 2, 0, 5]})
    trend = pd.DataFrame(
        {
            "point": pd.to_datetime(["2026-09-30", "2026-10-31", "2026-11-26"]),
            "made": [10, 12, 15],
            "implemented": [2, 4, 6],
            "percent_implemented": [20, 33, 40],
        }
    )
    by_source = pd.DataFrame(
        {
            "source_id": [7, 7, None],
            "source": ["Ofsted inspection (2026)", "Ofsted inspection (2026)", "All other"],
            "source_title": ["Ofsted inspection", "Ofsted inspection", "All other sources"],
            "status": ["in_progress", "closed", "not_started"],
            "recommendations": [3, 2, 9],
            "sources": [1, 1, 4],
        }
    )
    by_bucket = _by_bucket()
    return {
        "rag": (
            overview_charts.rag_by_directorate_figure(by_rag, AS_AT),
            overview_charts.rag_by_directorate_text(by_rag, AS_AT),
        ),
        "ageing": (
            overview_charts.ageing_figure(by_age, AS_AT),
            overview_charts.ageing_text(by_age, AS_AT),
        ),
        "trend": (
            overview_charts.trend_figure(trend, AS_AT),
            overview_charts.trend_text(trend, AS_AT),
        ),
        "status": (
            overview_charts.status_by_source_figure(by_source, AS_AT),
            overview_charts.status_by_source_text(by_source, AS_AT),
        ),
        "overdue": (
            followup_charts.overdue_by_directorate_figure(by_bucket, AS_AT),
            followup_charts.overdue_by_directorate_text(by_bucket, AS_AT),
        ),
    }


CHARTS = _every_product_chart()


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, checking each CRC as a PNG reader would."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + data), f"bad CRC in {kind!r}"
        chunks.append((kind, data))
        position += 12 + length
    return chunks


def _texts(chunks: list[tuple[bytes, bytes]]) -> dict[str, str]:
    texts = {}
    for kind, data in chunks:
        if kind == b"iTXt":
            keyword, rest = data.split(b"\x00", 1)
            # compression flag, method, then language tag and translated keyword (NUL ended)
            _, _, rest = rest[0], rest[1], rest[2:]
            _, rest = rest.split(b"\x00", 1)
            _, text = rest.split(b"\x00", 1)
            texts[keyword.decode("latin-1")] = text.decode("utf-8")
        elif kind == b"tEXt":
            keyword, text = data.split(b"\x00", 1)
            texts[keyword.decode("latin-1")] = text.decode("latin-1")
    return texts


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_carries_its_title_date_and_source_line(name: str) -> None:
    figure, words = CHARTS[name]
    assert chart_title_text(figure).endswith(", as at 26 November 2026")
    assert SOURCE in [chart_plain_text(a.text) for a in figure.layout.annotations]
    assert "26 November 2026" in words


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_print_version_has_type_readable_on_a4(name: str) -> None:
    figure, _ = CHARTS[name]
    printed = print_figure(figure, width_cm=16)
    points_per_css_pixel = (16 / 2.54 * 72) / printed.layout.width  # at 16 cm wide
    assert printed.layout.font.size * points_per_css_pixel >= 9
    source = next(a for a in printed.layout.annotations if chart_plain_text(a.text) == SOURCE)
    assert "<br" not in source.text  # one line on paper: a second one was cut off at the foot
    assert source.font.size * points_per_css_pixel >= 9
    assert figure.layout.width is None, "the dashboard's figure must not be changed"


def test_long_bar_labels_wrap_in_print_and_keep_every_bar() -> None:
    figure, _ = CHARTS["overdue"]
    printed = print_figure(figure)
    labels = list(printed.data[0].y)
    assert len(labels) == 3
    wrapped = next(label for label in labels if "<br>" in label)
    assert wrapped.replace("<br>", " ") == LONG_NAME
    assert list(printed.layout.yaxis.categoryarray or labels) != []


needs_browser = pytest.mark.skipif(
    chart_export_problem() is not None, reason="no Chromium for chart images"
)


@needs_browser
def test_png_is_print_resolution_and_carries_its_words() -> None:
    figure, words = CHARTS["overdue"]
    png = chart_png(figure, words)
    chunks = _chunks(png)
    assert chunks[0][0] == b"IHDR"
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert width >= round(16 / 2.54 * 300)  # 16 cm at 300 dpi: 1,890 pixels
    assert height > 0
    (phys,) = [data for kind, data in chunks if kind == b"pHYs"]
    x_per_metre, y_per_metre, unit = struct.unpack(">IIB", phys)
    assert unit == 1 and x_per_metre == y_per_metre
    assert round(x_per_metre * 0.0254) == 300
    texts = _texts(chunks)
    assert texts["Description"] == words
    assert texts["Title"] == chart_title_text(figure)
    assert chunks[-1][0] == b"IEND"


@needs_browser
def test_png_width_follows_the_width_asked_for() -> None:
    figure, words = CHARTS["ageing"]
    width, _ = struct.unpack(
        ">II", _chunks(chart_png(figure, words, width_cm=8, dpi=300))[0][1][:8]
    )
    assert width >= round(8 / 2.54 * 300)
    assert width < round(16 / 2.54 * 300)


@needs_browser
def test_svg_parses_and_has_title_and_description() -> None:
    figure, words = CHARTS["rag"]
    words_with_markup = words + ' <b>&"quoted"</b>'
    root = ET.fromstring(chart_svg(figure, words_with_markup))
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == "16cm"
    assert root.findtext(f"{SVG_NS}title") == chart_title_text(figure)
    assert root.findtext(f"{SVG_NS}desc") == words_with_markup
    texts = " ".join("".join(element.itertext()) for element in root.iter(f"{SVG_NS}text"))
    assert "Source: Recommendation Tracker" in texts


def test_no_browser_gives_a_sentence_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    figure, words = CHARTS["ageing"]
    problem = chart_export_problem()
    assert problem is not None and "/nowhere/chromium" in problem
    with pytest.raises(ChartExportUnavailable) as raised:
        chart_png(figure, words)
    message = str(raised.value)
    assert "no Chromium or Chrome browser was found" in message
    assert "Nothing was downloaded" in message
    with pytest.raises(ChartExportUnavailable):
        chart_svg(figure, words)


def test_one_rule_finds_the_browser_for_charts_pdf_and_tests(monkeypatch, tmp_path) -> None:
    """BROWSER_PATH wins when it names a program; a wrong one means no browser (not another
    one silently); unset, the first Chromium or Chrome on PATH."""
    program = tmp_path / "my-chrome"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(program))
    assert chromium_path() == str(program) and browser_setting_problem() is None
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert chromium_path() is None
    assert (
        browser_setting_problem()
        == f"BROWSER_PATH is set to {tmp_path / 'missing'}, which is not a program"
    )
    monkeypatch.delenv("BROWSER_PATH")
    on_path = {"chromium-browser": "/opt/bin/chromium-browser", "google-chrome": "/opt/chrome"}
    monkeypatch.setattr(shutil, "which", on_path.get)
    assert chromium_path() == "/opt/bin/chromium-browser"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert chromium_path() is None and pdf_engine() is None
    assert chart_export_problem() is not None


# Names from the data are shown as text ---------------------------------------------------

HOSTILE_NAME = '<a href="https://e.x">OSC</a> <b>&</b>'


def _hostile_charts() -> dict[str, go.Figure]:
    """Every chart that shows a name from the data, each given a name full of markup."""
    by_rag = pd.DataFrame(
        {
            "directorate": [HOSTILE_NAME, "Place"],
            "directorate_id": [1, 2],
            "rag": ["red", "green"],
            "recommendations": [3, 4],
        }
    )
    by_source = pd.DataFrame(
        {
            "source_id": [7],
            "source": [HOSTILE_NAME + " (2026)"],
            "source_title": [HOSTILE_NAME],
            "status": ["in_progress"],
            "recommendations": [3],
            "sources": [1],
        }
    )
    by_bucket = pd.DataFrame(
        {"directorate": [HOSTILE_NAME], "bucket": [AGEING_BUCKET_LABELS[0]], "recommendations": [2]}
    )
    reasons = (("Committed to report back", 2), ("Overdue", 1))
    return {
        "rag": overview_charts.rag_by_directorate_figure(by_rag, AS_AT),
        "status": overview_charts.status_by_source_figure(by_source, AS_AT),
        "overdue": followup_charts.overdue_by_directorate_figure(by_bucket, AS_AT),
        "briefing": briefing_charts.reasons_figure(reasons, HOSTILE_NAME, AS_AT),
    }


def _shown_strings(figure: go.Figure) -> list[str]:
    """Every string plotly.js would read as (pseudo-)HTML: title, labels, text, hover text."""
    shown = [figure.layout.title.text or ""]
    for trace in figure.data:
        for attribute in ("x", "y", "text", "hovertext", "name"):
            values = getattr(trace, attribute, None)
            if isinstance(values, str):
                shown.append(values)
            elif values is not None:
                shown += [value for value in values if isinstance(value, str)]
    shown += [str(v) for v in figure.layout.yaxis.categoryarray or ()]
    return shown


@pytest.mark.parametrize("name", ["rag", "status", "overdue", "briefing"])
def test_names_from_the_data_are_never_read_as_markup(name: str) -> None:
    figure = _hostile_charts()[name]
    shown = _shown_strings(figure)
    assert any("OSC" in text for text in shown)
    for text in shown:
        assert "<a" not in text and "<b>" not in text, text
    # The file's name and words read the name back as typed.
    subject, when = subject_and_date(figure.layout.title.text)
    assert when == AS_AT
    if name == "briefing":
        assert HOSTILE_NAME in subject
        assert HOSTILE_NAME in chart_title_text(figure)


@needs_browser
def test_a_link_in_a_name_is_not_a_link_in_the_svg_or_png() -> None:
    figure = _hostile_charts()["briefing"]
    words = "Why items are due back, by reason."
    root = ET.fromstring(chart_svg(figure, words))
    assert list(root.iter(f"{SVG_NS}a")) == [], "a name from the data became a link"
    texts = " ".join("".join(element.itertext()) for element in root.iter(f"{SVG_NS}text"))
    assert '<a href="https://e.x">OSC</a>' in texts  # shown as typed
    assert HOSTILE_NAME in root.findtext(f"{SVG_NS}title")
    png_title = _texts(_chunks(chart_png(figure, words)))["Title"]
    assert png_title == f"Why items are due back to {HOSTILE_NAME}, as at 26 November 2026"
