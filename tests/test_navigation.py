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


def test_url_paths_are_unique_and_name_no_page_file() -> None:
    """A URL path equal to a file name in pages/ would bypass the router on a fresh server
    (Streamlit's old multipage mode): the page would run without the sidebar and filters."""
    file_stems = {path.stem for path in (ROOT / "pages").glob("*.py")}
    url_paths = [page.url_path for page in PAGES]
    assert len(set(url_paths)) == len(url_paths)
    clashes = [page.url_path for page in PAGES if not page.default and page.url_path in file_stems]
    assert not clashes, f"URL paths that name a file in pages/: {clashes}"
