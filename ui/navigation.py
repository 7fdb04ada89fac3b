"""The pages of the dashboard, in order: the one list the router and the tests read.

URL paths are part of the product (officers bookmark and email them): change with care.
Each URL path differs from its file's name on purpose. Because the layout has a `pages/`
folder, Streamlit serves a freshly started server in its old multipage mode until the
router first runs, and in that mode `/register` would run `pages/register.py` without the
router (no sidebar, filters ignored). A URL path that names no file falls through to the
router, which then shows the right page. tests/test_navigation.py guards this.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", default=True),
    PageSpec("pages/register.py", "Recommendations", ":material/list_alt:", "recommendations"),
    PageSpec("pages/overdue.py", "Overdue follow-ups", ":material/schedule:", "follow-ups"),
    PageSpec("pages/next_committee.py", "Next committee", ":material/groups:", "next-committee"),
)


def page_by_url(url_path: str) -> PageSpec:
    return next(page for page in PAGES if page.url_path == url_path)
