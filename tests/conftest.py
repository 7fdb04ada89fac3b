"""Shared fixtures: small realistic databases in tmp_path, and pages run as users see them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.db import open_tracker
from data_access.seed import load_seed

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    """Streamlit caches are shared between AppTest runs in one process: clear them."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def empty_db(tmp_path: Path) -> tuple[str, Engine]:
    """A tracker database with the schema and nothing else."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine, _ = open_tracker(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[str, Engine]:
    """The seed report alone, exactly as DOMAIN.md describes it."""
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    engine, _ = open_tracker(url)
    with engine.begin() as connection:
        load_seed(connection)
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated council of 400 recommendations plus the seed (built once per run)."""
    from datetime import date

    from data_access.demo import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_database(f"sqlite:///{path}", recommendations=400, seed=7, today=date.today())
    return path


@pytest.fixture
def demo_db(demo_db_path: Path) -> tuple[str, Engine]:
    """The shared demo council, opened read-mostly: tests must not write to it."""
    url = f"sqlite:///{demo_db_path}"
    engine, _ = open_tracker(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def page_app(monkeypatch: pytest.MonkeyPatch):
    """page_app(page_path, url, query_params=None) -> an AppTest that has run once.

    The page runs through dashboard.py itself, as a user opens it (bench/harness.py)."""
    from bench.harness import page_app_test

    def make(page_path: str, url: str, query_params: dict | None = None, timeout: float = 30):
        monkeypatch.setenv("DATABASE_URL", url)
        app = page_app_test(page_path, timeout=timeout)
        if query_params:
            app.query_params.update(query_params)
        return app.run()

    return make


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests (skipped where it cannot run, except
    in CI, where that is a failure). Per module, so Playwright's event loop never outlives
    the browser tests into the others."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch_chromium, require_browser

    require_browser()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
