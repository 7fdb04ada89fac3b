"""The pages of the dashboard, in order: the one list the router and the tests read.

URL paths are part of the product (officers bookmark and email them): change with care.

Each URL path is its file's name, on purpose. Because the layout has a `pages/` folder,
Streamlit serves a freshly started server in its old multipage mode until the router
(`st.navigation`, in dashboard.py) first runs. In that mode `/register` runs
`pages/register.py` on its own, and a path naming no file shows "Page not found". So every
path names its file, and `ensure_router()`, called first thing by every page, notices the old
mode, hands over to the router and reruns: the officer opening an emailed link just after a
restart sees the page as anyone else would. tests/test_navigation.py and the browser tests
guard this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_UP = "Follow up"
BRING_DATA_IN = "Bring data in"


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    default: bool = False
    section: str = FOLLOW_UP

    @property
    def file(self) -> Path:
        """The page's script as an absolute path: what `st.page_link` and `st.switch_page`
        should be given, since a relative path is read from the main script's folder, which
        under AppTest is not the project's."""
        return ROOT / self.path


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", default=True),
    PageSpec("pages/register.py", "Recommendations", ":material/list_alt:", "register"),
    PageSpec("pages/overdue.py", "Overdue follow-ups", ":material/schedule:", "overdue"),
    PageSpec("pages/next_committee.py", "Next committee", ":material/groups:", "next_committee"),
    PageSpec("pages/my_items.py", "My items", ":material/person:", "my_items"),
    PageSpec(
        "pages/update_requests.py",
        "Update requests",
        ":material/forward_to_inbox:",
        "update_requests",
    ),
    PageSpec(
        "pages/import_tracker.py",
        "Import a tracker",
        ":material/upload_file:",
        "import_tracker",
        section=BRING_DATA_IN,
    ),
    PageSpec(
        "pages/import_report.py",
        "Import a committee report",
        ":material/description:",
        "import_report",
        section=BRING_DATA_IN,
    ),
    PageSpec(
        "pages/committees.py",
        "Committees",
        ":material/event:",
        "committees",
        section=BRING_DATA_IN,
    ),
)


def page_by_url(url_path: str) -> PageSpec:
    return next(page for page in PAGES if page.url_path == url_path)


def streamlit_pages() -> dict[str, list[st.Page]]:
    """The pages as Streamlit's router takes them, under their section headings."""
    sections: dict[str, list[st.Page]] = {}
    for page in PAGES:
        sections.setdefault(page.section, []).append(
            st.Page(
                page.file,
                title=page.title,
                icon=page.icon,
                url_path=page.url_path,
                default=page.default,
            )
        )
    return sections


def ensure_router() -> None:
    """Hand over to the router if Streamlit ran this page in its old multipage mode.

    That mode (see the module's docstring) runs a page file without dashboard.py: no shared
    sidebar, no filters. Declaring the pages switches Streamlit to the router for good, and
    the rerun shows the page the link asked for, through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        st.navigation(streamlit_pages(), position="hidden")
        st.rerun()
