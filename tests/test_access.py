"""Who may do what (issue 9): the role × action matrix, as users meet it.

The expected table below is the issue's specification written out by hand, one row per
page, write and download. Each cell is then found out the way the app decides it: a page by
running it (as dashboard.py does) for a signed-in user of that role and seeing whether it
refuses; a write by the write path's own check in a transaction on the database, with the
role read from the users table; a download by the rule its button follows. The table is
printed (run with -s to see it) and every cell must match.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from data_access.db import open_tracker
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.users import UserDraft, save_user, sign_in
from domain.access import (
    Action,
    ItemScope,
    may,
    refusal,
    role_from_claims,
)
from domain.people import LOCAL_USER, Person, Role
from ui.navigation import PAGES, pages_for

ROLES = (Role.VIEWER, Role.OFFICER, Role.SCRUTINY_OFFICER, Role.ADMIN)
Y, N = "allowed", "refused"

# The specification: viewer, officer, scrutiny officer, admin. The officer and the viewer
# are not cleared for exempt items; the scrutiny officer and the admin are.
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "page: Overview": (Y, Y, Y, Y),
    "page: Recommendations": (Y, Y, Y, Y),
    "page: Overdue follow-ups": (Y, Y, Y, Y),
    "page: Next committee": (Y, Y, Y, Y),
    "page: My items": (Y, Y, Y, Y),
    "page: Update requests": (N, N, Y, Y),
    "page: Import a tracker": (N, N, N, Y),
    "page: Import a committee report": (N, N, N, Y),
    "page: Committees": (N, N, Y, Y),
    "page: Audit trail": (N, N, Y, Y),
    "page: Users and roles": (N, N, N, Y),
    "write: update an item they own": (N, Y, Y, Y),
    "write: update an item of their directorate": (N, Y, Y, Y),
    "write: update another directorate's item": (N, N, Y, Y),
    "write: update an exempt item they own": (N, N, Y, Y),
    "write: sign off (close) their own item": (N, N, Y, Y),
    "write: add or complete an action on their own item": (N, Y, Y, Y),
    "write: correct the wording or owner of their own item": (N, N, Y, Y),
    "write: send owners requests for updates": (N, N, Y, Y),
    "write: committees and calendars": (N, N, Y, Y),
    "write: briefing pack details": (N, N, Y, Y),
    "write: import a tracker or report": (N, N, N, Y),
    "write: undo an import": (N, N, N, Y),
    "write: users and roles": (N, N, N, Y),
    "download: public tables and charts": (Y, Y, Y, Y),
    "download: exempt rows in tables": (N, N, Y, Y),
    "download: briefing pack": (N, N, Y, Y),
    "download: audit trail CSV": (N, N, Y, Y),
}

EMAILS = {role: f"{role.value.replace(' ', '.')}@council.example" for role in ROLES}
CLEARED = {Role.VIEWER: False, Role.OFFICER: False, Role.SCRUTINY_OFFICER: True, Role.ADMIN: True}
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:9/oauth2callback",
        "cookie_secret": "not-a-secret-test-only",
        "client_id": "tracker",
        "client_secret": "test",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


# -- a council with people in it --------------------------------------------------------------


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory, demo_db_path: Path) -> dict:
    """A copy of the demo council with five items arranged for the rules, and one user of
    each role (the officer linked to an officer record and a directorate)."""
    path = tmp_path_factory.mktemp("access") / "council.db"
    shutil.copy(demo_db_path, path)
    url = f"sqlite:///{path}"
    db = sqlite3.connect(path)
    public = [
        row[0]
        for row in db.execute(
            "SELECT r.id FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'public' AND r.status IN ('not_started', 'in_progress') "
            "ORDER BY r.id LIMIT 3"
        )
    ]
    exempt = db.execute(
        "SELECT r.id FROM recommendations r JOIN sources s ON s.id = r.source_id "
        "WHERE s.confidentiality = 'exempt' AND r.status IN ('not_started', 'in_progress') "
        "ORDER BY r.id LIMIT 1"
    ).fetchone()[0]
    officers = [row[0] for row in db.execute("SELECT id FROM officers ORDER BY id LIMIT 3")]
    directorates = [row[0] for row in db.execute("SELECT id FROM directorates ORDER BY id")][:2]
    own, mine, other = officers
    home, away = directorates
    arrangement = {
        public[0]: (own, away),  # theirs by owner, in another directorate
        public[1]: (mine, home),  # their directorate's, someone else's
        public[2]: (other, away),  # neither
        exempt: (own, away),  # theirs, but exempt
    }
    for rec_id, (owner, directorate) in arrangement.items():
        db.execute(
            "UPDATE recommendations SET owner_id = ?, directorate_id = ? WHERE id = ?",
            (owner, directorate, rec_id),
        )
    db.commit()
    db.close()
    engine, _ = open_tracker(url)
    with engine.begin() as connection:
        for role in ROLES:
            sign_in(connection, EMAILS[role], role.value.title(), admin_emails=[EMAILS[Role.ADMIN]])
        admin = sign_in(connection, EMAILS[Role.ADMIN], "Admin")
        for role in ROLES:
            save_user(
                connection,
                admin,
                UserDraft(
                    email=EMAILS[role],
                    display_name=f"{role.value.title()} Person",
                    role=role,
                    cleared_for_exempt=CLEARED[role],
                    officer_id=own if role is Role.OFFICER else None,
                    directorate_id=home if role is Role.OFFICER else None,
                ),
            )
    engine.dispose()
    return {
        "url": url,
        "own": public[0],
        "directorate": public[1],
        "other": public[2],
        "exempt": exempt,
        "officer_id": own,
        "directorate_id": home,
    }


def _person(role: Role, council: dict) -> Person:
    return Person(
        identity=EMAILS[role],
        display_name=f"{role.value.title()} Person",
        role=role,
        cleared_for_exempt=CLEARED[role],
        signed_in=True,
        officer_id=council["officer_id"] if role is Role.OFFICER else None,
        directorate_id=council["directorate_id"] if role is Role.OFFICER else None,
    )


# -- finding each cell out ------------------------------------------------------------------


# Each page's own heading, from its script: the page was shown when its heading was.
HEADINGS = {
    "Overview": "Overview",
    "Recommendations": "Recommendations",
    "Overdue follow-ups": "Overdue follow-ups",
    "Next committee": "Due back at the next committee",
    "My items": "My items",
    "Update requests": "Update requests",
    "Import a tracker": "Import a tracker",
    "Import a committee report": "Import a committee report",
    "Committees": "Committees and their meeting dates",
    "Audit trail": "Audit trail",
    "Users and roles": "Users and roles",
}


def _page_cell(url: str, page, role: Role, monkeypatch: pytest.MonkeyPatch) -> str:
    """Open the page (as a link would) for a signed-in user of the role: is it shown, or
    refused (not offered by the router, or refusing itself)?"""
    from bench.harness import clear_streamlit_caches, page_app_test

    clear_streamlit_caches()
    monkeypatch.setenv("DATABASE_URL", url)
    app = page_app_test(page.path, timeout=60)
    app.secrets = AUTH_SECRETS
    app.user = {"is_logged_in": True, "email": EMAILS[role], "name": role.value}
    app.run()
    assert not app.exception, app.exception
    refused = any("or above may" in e.value for e in app.error)
    shown = any(t.value.startswith(HEADINGS[page.title]) for t in app.title)
    return Y if shown and not refused else N


def _write_cell(url: str, person: Person, action: Action, rec_id: int | None = None) -> str:
    """The write path's own check, in a transaction, with the role read from the database."""
    engine, _ = open_tracker(url)
    try:
        with engine.begin() as connection:
            ensure_allowed(connection, person, action, rec_id)
        return Y
    except NotAllowed:
        return N
    finally:
        engine.dispose()


def _actual(council: dict, role: Role, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    person = _person(role, council)
    url = council["url"]
    cells = {f"page: {page.title}": _page_cell(url, page, role, monkeypatch) for page in PAGES}
    cells |= {
        "write: update an item they own": _write_cell(
            url, person, Action.RECORD_UPDATE, council["own"]
        ),
        "write: update an item of their directorate": _write_cell(
            url, person, Action.RECORD_UPDATE, council["directorate"]
        ),
        "write: update another directorate's item": _write_cell(
            url, person, Action.RECORD_UPDATE, council["other"]
        ),
        "write: update an exempt item they own": _write_cell(
            url, person, Action.RECORD_UPDATE, council["exempt"]
        ),
        "write: sign off (close) their own item": _write_cell(
            url, person, Action.SIGN_OFF, council["own"]
        ),
        "write: add or complete an action on their own item": _write_cell(
            url, person, Action.RECORD_UPDATE, council["own"]
        ),
        "write: correct the wording or owner of their own item": _write_cell(
            url, person, Action.EDIT_DETAILS, council["own"]
        ),
        "write: send owners requests for updates": _write_cell(url, person, Action.SEND_REQUESTS),
        "write: committees and calendars": _write_cell(url, person, Action.MANAGE_COMMITTEES),
        "write: briefing pack details": _write_cell(url, person, Action.BRIEFING_PACK),
        "write: import a tracker or report": _write_cell(url, person, Action.IMPORT),
        "write: undo an import": _write_cell(url, person, Action.UNDO_IMPORT),
        "write: users and roles": _write_cell(url, person, Action.MANAGE_USERS),
    }
    downloads = {
        "download: public tables and charts": Action.DOWNLOAD_TABLES,
        "download: exempt rows in tables": Action.VIEW_EXEMPT,
        "download: briefing pack": Action.BRIEFING_PACK,
        "download: audit trail CSV": Action.VIEW_AUDIT,
    }
    cells |= {name: Y if may(person, action) else N for name, action in downloads.items()}
    return cells


def test_role_action_matrix(council: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every role against every page, write and download: printed, and as specified."""
    actual = {role: _actual(council, role, monkeypatch) for role in ROLES}
    assert set(EXPECTED) == set(actual[Role.VIEWER]), "a page or write is missing from the table"
    width = max(len(name) for name in EXPECTED)
    lines = [f"{'':{width}}  " + "  ".join(f"{role.value:>16}" for role in ROLES)]
    wrong = []
    for name, expected in EXPECTED.items():
        cells = []
        for role, want in zip(ROLES, expected, strict=True):
            got = actual[role][name]
            cells.append(f"{got:>16}" if got == want else f"{got + ' (!)':>16}")
            if got != want:
                wrong.append(f"{name} / {role.value}: {got}, expected {want}")
        lines.append(f"{name:{width}}  " + "  ".join(cells))
    print("\nRole × action matrix (issue 9)\n" + "\n".join(lines))
    assert not wrong, "\n".join(wrong)


def test_router_offers_only_the_pages_a_role_may_open(council: dict) -> None:
    for index, role in enumerate(ROLES):
        offered = {page.title for page in pages_for(_person(role, council))}
        expected = {
            name.removeprefix("page: ")
            for name, cells in EXPECTED.items()
            if name.startswith("page: ") and cells[index] == Y
        }
        assert offered == expected, role


# -- the rules themselves ------------------------------------------------------------------


def test_clearance_is_separate_from_role() -> None:
    """An admin not cleared for exempt items still cannot read or touch them."""
    admin = Person("a@x", "A", Role.ADMIN, cleared_for_exempt=False, signed_in=True)
    exempt_item = ItemScope(owner_id=None, directorate_id=None, exempt=True)
    assert not may(admin, Action.VIEW_EXEMPT)
    assert not may(admin, Action.RECORD_UPDATE, exempt_item)
    assert may(admin, Action.RECORD_UPDATE, ItemScope(None, None, exempt=False))
    cleared_viewer = Person("v@x", "V", Role.VIEWER, cleared_for_exempt=True, signed_in=True)
    assert may(cleared_viewer, Action.VIEW_EXEMPT)
    assert not may(cleared_viewer, Action.RECORD_UPDATE, ItemScope(None, None, exempt=True))


def test_an_officer_without_a_link_updates_nothing() -> None:
    officer = Person("o@x", "O", Role.OFFICER, cleared_for_exempt=False, signed_in=True)
    assert not may(officer, Action.RECORD_UPDATE, ItemScope(owner_id=None, directorate_id=None))
    assert not may(officer, Action.RECORD_UPDATE, ItemScope(owner_id=3, directorate_id=4))


def test_refusals_say_which_role_is_needed() -> None:
    viewer = Person("v@x", "V", Role.VIEWER, cleared_for_exempt=False, signed_in=True)
    assert refusal(viewer, Action.IMPORT) == (
        "Only an admin or above may import trackers and reports; you are a viewer."
    )
    officer = Person("o@x", "O", Role.OFFICER, cleared_for_exempt=False, signed_in=True)
    assert refusal(officer, Action.SIGN_OFF) == (
        "Only a scrutiny officer or above may sign off (close) at a meeting; you are an officer."
    )


def test_the_local_user_may_do_everything() -> None:
    assert all(may(LOCAL_USER, action) for action in Action)


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        (["scrutiny_officer"], Role.SCRUTINY_OFFICER),
        (["Tracker.Admin", "viewer"], Role.ADMIN),
        (["tracker.officer"], Role.OFFICER),
        (["Scrutiny officer"], Role.SCRUTINY_OFFICER),
        (["finance-team"], None),
        ([], None),
    ],
)
def test_roles_read_from_claims(claims: list[str], role: Role | None) -> None:
    assert role_from_claims(claims) is role
