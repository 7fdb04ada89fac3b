"""Downloads in real Chromium: an officer clicks "Download table" → CSV, and "Download chart"
→ PNG, on the Overdue follow-ups and Next committee pages served by `streamlit run`, and the
files arrive.

The files are built only on the click (Streamlit's deferred download), so this is the one
test that proves the whole path: button, deferred build on the server, file in the browser.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    StreamlitServer,
    fresh_page,
    wait_rendered,
)
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

OVERDUE_PAGE = next(spec for spec in PAGES if spec.url_path == "overdue")
NEXT_COMMITTEE_PAGE = next(spec for spec in PAGES if spec.url_path == "next_committee")


@pytest.fixture(scope="module")
def server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("download-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as live:
        yield live


def _download(page: Any, popover_label: str, index: int, button_label: str, tmp_path: Path):
    """Open the index-th popover labelled `popover_label`, click `button_label`, save it."""
    page.get_by_role("button", name=re.compile(popover_label)).nth(index).click()
    button = page.get_by_role("button", name=re.compile(button_label)).last
    button.wait_for(state="visible", timeout=15_000)
    with page.expect_download(timeout=60_000) as arrival:
        button.click()
    download = arrival.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, target.read_bytes()


def test_a_table_downloads_as_csv_and_a_chart_as_png(
    browser: Any, server: StreamlitServer, tmp_path: Path
) -> None:
    today = date.today().isoformat()
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(OVERDUE_PAGE), wait_until="domcontentloaded")
        wait_rendered(page)

        # The second table on the page: the overdue recommendations.
        name, data = _download(page, "Download table", 1, "^CSV", tmp_path)
        assert name == f"{today} Overdue recommendations.csv"
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for "£" and accents
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][:2] == ["Ref", "Recommendation"]
        assert len(rows) > 1
        page.keyboard.press("Escape")

        name, data = _download(page, "Download chart", 0, "PNG for print", tmp_path)
        assert name.startswith(today) and name.endswith(".png")
        assert "Overdue recommendations by directorate" in name
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = struct.unpack(">I", data[16:20])[0]
        assert width >= 1890
        assert not errors


def test_the_items_due_back_download_as_csv_without_exempt_items(
    browser: Any, server: StreamlitServer, demo_db_path: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_db_path) as db:
        exempt = {
            title
            for (title,) in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        }
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(NEXT_COMMITTEE_PAGE), wait_until="domcontentloaded")
        wait_rendered(page)
        # The all-committees table's popover is inside a closed expander: the first visible
        # "Download table" is the items due back.
        name, data = _download(page, "Download table", 0, "^CSV", tmp_path)
        assert name.startswith(f"{date.today().isoformat()} Items due back to ")
        assert name.endswith(".csv")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Source", "Source kind", "Source issued"]
        assert len(rows) > 1
        assert not {row[0] for row in rows[1:]} & exempt
        assert not errors
