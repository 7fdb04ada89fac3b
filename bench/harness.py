"""Running one page the way dashboard.py does, for AppTest (the tests and the bench).

`AppTest.from_function` runs the *source* of the function as a script, so the harness must be
self-contained: its imports live inside it.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def page_harness(page_path: str) -> None:
    """The router's pages declared (so links between pages work), the shared sidebar (database
    check, filters), then the page script."""
    import runpy

    import streamlit as st

    from ui.navigation import streamlit_pages
    from ui.shell import access_gate, render_shared

    st.navigation(streamlit_pages(access_gate()), position="hidden")
    render_shared()
    runpy.run_path(page_path, run_name="__main__")


def page_app_test(page_path: str, timeout: float = 30):
    """An AppTest (not yet run) of the page at `page_path` (relative to the project root)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_function(
        page_harness, args=(str(ROOT / page_path),), default_timeout=timeout
    )


def clear_streamlit_caches() -> None:
    """Forget cached query results and engines: the next run starts cold."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
