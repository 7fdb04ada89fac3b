"""The dashboard in real headless Chromium, served by `streamlit run` as officers use it.

One server for the module on the shared demo council; a fresh one for the test of a server's
very first visit, and one on a database that cannot be reached. Without Chromium (or
Playwright) the tests are skipped, or fail when CI is set (CI must run them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    StreamlitServer,
    body_text,
    console_errors,
    fresh_page,
    unexpected_console_errors,
    wait_rendered,
)
from ui.navigation import PAGES, PageSpec

pytestmark = pytest.mark.browser

UNREACHABLE_URL = "postgresql+psycopg://tracker:secret@127.0.0.1:9/nowhere"
EXCEPTION = '[data-testid="stException"]'


@pytest.fixture(scope="module")
def live_server(
    browser: Any, demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("live-server") / "streamlit.log"
    with StreamlitServer(f"sqlite:///{demo_db_path}", log) as server:
        yield server


@pytest.fixture
def fresh_server(browser: Any, demo_db_path: Path, tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server nobody has visited yet: the first visit is the one under test."""
    with StreamlitServer(f"sqlite:///{demo_db_path}", tmp_path / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="module")
def unreachable_server(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    log = tmp_path_factory.mktemp("unreachable-server") / "streamlit.log"
    with StreamlitServer(UNREACHABLE_URL, log) as server:
        yield server


def page_for(file_stem: str) -> PageSpec:
    """The page whose script is pages/<file_stem>.py (URL paths may change; files less so)."""
    return next(spec for spec in PAGES if Path(spec.path).stem == file_stem)


def _main_heading(page: Any) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_page_renders_at_its_address(
    spec: PageSpec, browser: Any, live_server: StreamlitServer
) -> None:
    with fresh_page(browser) as (page, errors):
        console = console_errors(page)
        page.goto(live_server.url(spec), wait_until="domcontentloaded")
        wait_rendered(page)

        assert page.locator(EXCEPTION).count() == 0, body_text(page)
        text = body_text(page)
        assert "Page not found" not in text
        assert spec.title.lower() in _main_heading(page).lower()
        assert errors == []
        # Nothing in the console but Streamlit's two probes of a direct link's own address.
        url_path = None if spec.default else spec.url_path
        assert unexpected_console_errors(console, live_server.base_url, url_path) == []


def _status_chips(page: Any) -> Any:
    """The chosen values shown in the sidebar's Status filter."""
    status_filter = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text="Status")
    )
    return status_filter.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')


def _open_filtered_register(page: Any, server: StreamlitServer) -> None:
    page.goto(server.url(page_for("register"), "status=In+progress"))
    wait_rendered(page)
    sidebar_text = page.locator('[data-testid="stSidebar"]').inner_text()
    assert _status_chips(page).filter(has_text="In progress").count() == 1, sidebar_text


def test_filters_live_in_the_url_and_persist_between_pages(
    browser: Any, live_server: StreamlitServer
) -> None:
    overdue = page_for("overdue")
    with fresh_page(browser) as (page, _):
        page.goto(live_server.url(next(spec for spec in PAGES if spec.default)))
        wait_rendered(page)
        _open_filtered_register(page, live_server)

        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.locator(f'a[href$="/{overdue.url_path}"]').click()
        page.wait_for_url(re.compile(rf"/{overdue.url_path}\b"))
        page.wait_for_function(
            "(title) => (document.querySelector('[data-testid=\"stMain\"] h1')?.innerText ?? '')"
            ".toLowerCase().includes(title)",
            arg=overdue.title.lower(),
        )
        wait_rendered(page)

        assert "status=In" in page.url
        assert _status_chips(page).filter(has_text="In progress").count() == 1
        assert page.locator(EXCEPTION).count() == 0


# Streamlit serves a freshly started server of an app with a pages/ folder in its legacy
# multipage mode until the router first runs (see ui/navigation.py): a bookmarked link must
# still reach the router, with the shared sidebar, when it is the server's very first visit.
def test_a_bookmarked_link_works_as_the_first_visit_to_a_fresh_server(
    browser: Any, fresh_server: StreamlitServer
) -> None:
    """As when an officer opens an emailed link just after the service was restarted."""
    with fresh_page(browser) as (page, _):
        _open_filtered_register(page, fresh_server)

        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert all(spec.title in nav for spec in PAGES), f"not the app's navigation: {nav}"
        assert page.locator(EXCEPTION).count() == 0
        assert page.get_by_text("Page not found").count() == 0


def test_unreachable_database_is_explained_with_the_password_masked(
    browser: Any, unreachable_server: StreamlitServer
) -> None:
    default = next(spec for spec in PAGES if spec.default)
    with fresh_page(browser) as (page, _):
        page.goto(unreachable_server.url(default), wait_until="domcontentloaded")
        wait_rendered(page)

        alert = page.locator('[data-testid="stMain"] [data-testid="stAlert"]').first
        message = alert.inner_text()
        assert "Could not open the database" in message
        assert "Nothing has been changed" in message or "nothing has been changed" in message
        text = body_text(page)
        assert "secret" not in text
        assert "***" in text
        assert page.locator(EXCEPTION).count() == 0
