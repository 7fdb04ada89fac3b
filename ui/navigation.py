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

How a page knows it runs under the router uses no Streamlit internals: dashboard.py runs the
chosen page inside `routed()`, which marks the script-run thread; a page run in the old mode
runs without dashboard.py, so the mark is absent (decision 6).
"""

from __future__ import annotations

import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from domain.access import Action, may
from domain.people import Person

ROOT = Path(__file__).resolve().parent.parent
ENTRY_SCRIPT = ROOT / "dashboard.py"
FOLLOW_UP = "Follow up"
_run_state = threading.local()  # per script-run thread: is a page being run by the router?
BRING_DATA_IN = "Bring data in"
ADMINISTER = "Administer"


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    default: bool = False
    section: str = FOLLOW_UP
    # Who may open the page (domain.access): the router offers it only to them, and the
    # page itself refuses anyone else (ui.shell.refuse_unless), e.g. on a direct link.
    action: Action = Action.VIEW_PUBLIC

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
        action=Action.SEND_REQUESTS,
    ),
    PageSpec(
        "pages/import_tracker.py",
        "Import a tracker",
        ":material/upload_file:",
        "import_tracker",
        section=BRING_DATA_IN,
        action=Action.IMPORT,
    ),
    PageSpec(
        "pages/import_report.py",
        "Import a committee report",
        ":material/description:",
        "import_report",
        section=BRING_DATA_IN,
        action=Action.IMPORT,
    ),
    PageSpec(
        "pages/committees.py",
        "Committees",
        ":material/event:",
        "committees",
        section=BRING_DATA_IN,
        action=Action.MANAGE_COMMITTEES,
    ),
    PageSpec(
        "pages/audit.py",
        "Audit trail",
        ":material/manage_search:",
        "audit",
        section=ADMINISTER,
        action=Action.VIEW_AUDIT,
    ),
    PageSpec(
        "pages/users.py",
        "Users and roles",
        ":material/manage_accounts:",
        "users",
        section=ADMINISTER,
        action=Action.MANAGE_USERS,
    ),
)


def page_by_url(url_path: str) -> PageSpec:
    return next(page for page in PAGES if page.url_path == url_path)


def pages_for(person: Person | None) -> tuple[PageSpec, ...]:
    """The pages `person` may open (every page when no person is given)."""
    return tuple(page for page in PAGES if person is None or may(person, page.action))


def streamlit_pages(person: Person | None = None) -> dict[str, list[st.Page]]:
    """The pages as Streamlit's router takes them, under their section headings: those
    `person` may open (every page when no person is given)."""
    sections: dict[str, list[st.Page]] = {}
    for page in pages_for(person):
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


@contextmanager
def routed() -> Iterator[None]:
    """Run the chosen page inside this (dashboard.py does): pages then know the router, not
    Streamlit's old multipage mode, is running them. Streamlit runs each session's script in
    its own thread, so the mark is per session and per run."""
    _run_state.routed = True
    try:
        yield
    finally:
        _run_state.routed = False


def ensure_router() -> None:
    """Run this page through dashboard.py if Streamlit ran it in its old multipage mode.

    That mode (see the module's docstring) runs a page file without dashboard.py: no shared
    sidebar, no filters, and no `routed()` around the page. Running the entry script here
    declares the pages (which switches Streamlit to the router for good) and draws the page
    the link asked for through it, in this same run, so nothing the visitor did is lost to
    a rerun; then this old-mode run of the page ends. (AppTest starts every run in the old
    mode, so tests depend on this too.)
    """
    if not getattr(_run_state, "routed", False):
        runpy.run_path(str(ENTRY_SCRIPT), run_name="__main__")
        st.stop()
