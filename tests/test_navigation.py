"""The page list the router uses: every page exists, and its URL can be opened directly."""

from __future__ import annotations

from pathlib import Path

from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_file_exists() -> None:
    missing = [page.path for page in PAGES if not (ROOT / page.path).is_file()]
    assert not missing


def test_exactly_one_default_page() -> None:
    assert [page.default for page in PAGES].count(True) == 1


def test_every_url_path_is_its_file_name() -> None:
    """On a freshly started server Streamlit's old multipage mode looks pages up by file
    name; a path naming its file is found there and handed to the router (ensure_router),
    where any other path would show "Page not found"."""
    for page in PAGES:
        assert page.url_path == Path(page.path).stem, page
    url_paths = [page.url_path for page in PAGES]
    assert len(set(url_paths)) == len(url_paths)
