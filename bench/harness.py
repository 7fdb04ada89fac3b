"""Running a page the way a user opens it, for AppTest (the tests and the bench).

Both drive the real entry script, as Streamlit documents:
`AppTest.from_file("dashboard.py").switch_page(page)`. dashboard.py declares the pages, draws
the shared sidebar (database check, filters) and runs the chosen page inside the router.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_SCRIPT = ROOT / "dashboard.py"


def page_app_test(page_path: str, timeout: float = 30):
    """An AppTest (not yet run) of dashboard.py opened on the page at `page_path` (relative
    to the project root)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ENTRY_SCRIPT), default_timeout=timeout)
    app.switch_page(str(ROOT / page_path))
    return app


def clear_streamlit_caches() -> None:
    """Forget cached query results and engines: the next run starts cold."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def drawn_charts(app) -> list[dict]:
    """The charts a run of `app` drew (ui.chart_component), in page order, each as the
    browser receives it: {"figure": the plotly figure as a dict, "alt": its words,
    "clickable": whether a click on a bar leads somewhere}."""
    import json

    from ui.chart_component import CHART_COMPONENT

    drawn = []
    for element in app.get("bidi_component"):
        if element.proto.component_name != CHART_COMPONENT:
            continue
        data = json.loads(element.proto.json)
        drawn.append({**data, "figure": json.loads(data["figure"])})
    return drawn
