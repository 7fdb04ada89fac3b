"""Download buttons for charts and tables: files built only when the user asks for one.

Each button hands Streamlit a callable (`st.download_button(data=callable)`), which runs
when the button is clicked, so drawing a page never renders a chart image or a workbook.
Names sort by date (exports.naming). Table downloads leave exempt (Part 2) rows out unless
the user ticks "Include exempt (Part 2) items"; the file then marks each row and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.style import chart_plain_text
from domain.formatting import plural
from exports.chart_files import chart_export_problem, chart_png, chart_svg
from exports.exempt import exempt_mask
from exports.naming import file_name
from exports.table_files import for_download, table_csv, table_xlsx
from ui.identity import current_person

__all__ = ["chart_downloads", "subject_and_date", "table_downloads"]

PNG = "image/png"
SVG = "image/svg+xml"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INCLUDE_EXEMPT = "Include exempt (Part 2) items"
_AS_AT = re.compile(r",?\s*as at (\d{1,2} [A-Z][a-z]+ \d{4})\s*$")


def subject_and_date(title: str) -> tuple[str, date | None]:
    """("What", its date) from a product title "What, as at 26 November 2026"."""
    plain = chart_plain_text(title or "")
    match = _AS_AT.search(plain)
    if not match:
        return plain, None
    try:
        when = pd.Timestamp(match.group(1)).date()
    except ValueError:
        return plain, None
    return plain[: match.start()].strip(), when


def _key(prefix: str, subject: str) -> str:
    return f"{prefix}_{re.sub(r'[^a-z0-9]+', '_', subject.lower()).strip('_')}"


def chart_downloads(figure: go.Figure, words: str) -> None:
    """A "Download" popover with the chart as PNG (print, 16 cm at 300 dpi) and as SVG.

    Subject and date come from the chart's title. Where no browser can draw chart images,
    the popover says so instead of offering buttons that would fail.
    """
    title_subject, title_date = subject_and_date(figure.layout.title.text or "")
    subject = title_subject or "Chart"
    as_at = title_date or date.today()
    with st.popover("Download chart", icon=":material/download:"):
        problem = chart_export_problem()
        if problem:
            st.caption(problem)
            return
        st.download_button(
            "PNG for print (16 cm, 300 dpi)",
            data=lambda: chart_png(figure, words),
            file_name=file_name(as_at, subject, "png"),
            mime=PNG,
            key=_key("download_png", subject),
            on_click="ignore",
            icon=":material/image:",
        )
        st.download_button(
            "SVG (scales to any size)",
            data=lambda: chart_svg(figure, words),
            file_name=file_name(as_at, subject, "svg"),
            mime=SVG,
            key=_key("download_svg", subject),
            on_click="ignore",
            icon=":material/draw:",
        )
        st.caption("The files carry the chart's title, date, source line and its words.")


def table_downloads(
    rows: pd.DataFrame,
    subject: str,
    as_at: date,
    *,
    column_labels: Mapping[str, Any] | None = None,
    note: str = "",
    key: str | None = None,
) -> None:
    """A "Download table" popover with the table as CSV and as a formatted XLSX.

    `rows` is the frame shown (with its hidden exempt mark, domain.exempt, when the query
    gives one); it is prepared only when a button is clicked. Exempt rows are left out unless
    the person is cleared for exempt items (`ui.identity.current_person`) and ticks the box.
    `note` goes into the XLSX under the title (e.g. "The first 500
    of 612 are listed."). `key` tells apart two tables with the same subject on one page.
    """
    key = key or _key("table", subject)
    exempt_shown = int(exempt_mask(rows).sum())
    with st.popover("Download table", icon=":material/download:"):
        include = False
        if exempt_shown and current_person().cleared_for_exempt:
            include = st.checkbox(
                INCLUDE_EXEMPT,
                key=f"{key}_include_exempt",
                help="Exempt items are not for publication: the file marks each one and "
                "says so at the top.",
            )
            if include:
                st.warning(
                    "The file will include exempt (Part 2) items: keep it out of public papers.",
                    icon=":material/lock:",
                )
            else:
                st.caption(
                    f"{plural(exempt_shown, 'exempt (Part 2) item')} will be left out of the file."
                )
        elif exempt_shown:
            st.caption(
                f"{plural(exempt_shown, 'exempt (Part 2) item')} will be left out of the file."
            )

        def prepared() -> pd.DataFrame:
            return for_download(rows, include_exempt=include)

        name = subject + (" (includes exempt items)" if include else "")
        st.download_button(
            "CSV",
            data=lambda: table_csv(prepared(), column_labels=column_labels),
            file_name=file_name(as_at, name, "csv"),
            mime=CSV,
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/table:",
        )
        st.download_button(
            "Excel (XLSX), formatted",
            data=lambda: table_xlsx(
                prepared(), subject, as_at, column_labels=column_labels, note=note
            ),
            file_name=file_name(as_at, name, "xlsx"),
            mime=XLSX,
            key=f"{key}_xlsx",
            on_click="ignore",
            icon=":material/grid_on:",
        )
