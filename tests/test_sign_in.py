"""Sign-in, users, withheld exempt items and the audit trail (issue 9), without a browser.

Pages run as dashboard.py runs them (bench.harness), signed in through AppTest's own
`user` and `secrets` (what `st.user` and `st.secrets` read). Expected values are read from
the database with plain sqlite3, not through the app's queries.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit import config

from bench.harness import clear_streamlit_caches, page_app_test
from data_access.db import open_tracker
from data_access.filters import Filters
from data_access.queries.audit import (
    KIND_UPDATE,
    WITHHELD,
    AuditFilters,
    audit_choices,
    audit_trail,
)
from data_access.queries.overview import headline
from data_access.users import UserChangeRefused, UserDraft, save_user, sign_in
from data_access.writes import UpdateDraft, add_update
from domain.people import LOCAL_USER, Role
from exports.table_files import table_csv
from ui.identity import FORCE_UNSIGNED_ENV
from ui.shell import LOCAL_AND_UNSIGNED

ADMIN = "admin@council.example"
OFFICER = "officer@council.example"
VIEWER = "viewer@council.example"
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:9/oauth2callback",
        "cookie_secret": "not-a-secret-test-only",
        "client_id": "tracker",
        "client_secret": "test",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "access": {"admin_emails": [ADMIN]},
}


@pytest.fixture
def council(tmp_path: Path, demo_db_path: Path) -> dict[str, Any]:
    """A copy of the demo council (with exempt sources); the officer owns one public item."""
    path = tmp_path / "council.db"
    shutil.copy(demo_db_path, path)
    db = sqlite3.connect(path)
    own, other = [
        r[0]
        for r in db.execute(
            "SELECT r.id FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'public' AND r.status = 'in_progress' ORDER BY r.id "
            "LIMIT 2"
        )
    ]
    officer_id = db.execute("SELECT owner_id FROM recommendations WHERE id = ?", (own,)).fetchone()[
        0
    ]
    db.execute("UPDATE recommendations SET owner_id = NULL WHERE id = ?", (other,))
    db.execute(
        "UPDATE recommendations SET directorate_id = NULL WHERE owner_id = ? OR id = ?",
        (officer_id, other),
    )
    db.commit()
    db.close()
    url = f"sqlite:///{path}"
    engine, _ = open_tracker(url)
    with engine.begin() as connection:
        admin = sign_in(connection, ADMIN, "Ada Admin", admin_emails=[ADMIN])
        save_user(
            connection, admin, UserDraft(OFFICER, "Olu Officer", Role.OFFICER, False, officer_id)
        )
        save_user(connection, admin, UserDraft(VIEWER, "Vic Viewer", Role.VIEWER))
    engine.dispose()
    return {"url": url, "path": path, "own": own, "other": other, "officer_id": officer_id}


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def _snapshot(path: Path) -> list:
    with _raw(path) as db:
        return [
            list(db.execute(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("users", "audit_events", "progress_updates", "recommendations")
        ]


def _app(monkeypatch, url: str, page: str, email: str | None, query: dict | None = None):
    clear_streamlit_caches()
    monkeypatch.setenv("DATABASE_URL", url)
    app = page_app_test(page, timeout=60)
    if email is not None:
        app.secrets = AUTH_SECRETS
        app.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()}
    if query:
        app.query_params.update(query)
    return app.run()


def _all_text(app) -> str:
    """Every value the app drew, main area and sidebar, tables included."""
    parts = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "subheader",
    ):
        parts += [str(element.value) for element in getattr(app, kind)]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    for box in app.multiselect:
        parts += [str(option) for option in box.options]
    return "\n".join(parts)


# -- the embedded default --------------------------------------------------------------------


def test_the_embedded_default_says_it_is_local_and_unsigned(monkeypatch, seed_db) -> None:
    url, _ = seed_db
    for page in ("pages/overview.py", "pages/register.py", "pages/committees.py"):
        app = _app(monkeypatch, url, page, None)
        assert not app.exception
        assert any(LOCAL_AND_UNSIGNED in m.value for m in app.sidebar.markdown), page


def test_serving_unsigned_on_a_network_address_is_refused_unless_forced(
    monkeypatch, seed_db
) -> None:
    url, _ = seed_db
    monkeypatch.delenv(FORCE_UNSIGNED_ENV, raising=False)
    config.set_option("server.address", "0.0.0.0")
    try:
        app = _app(monkeypatch, url, "pages/overview.py", None)
        assert app.title[0].value == "This tracker needs sign-in to be served on a network"
        assert FORCE_UNSIGNED_ENV in app.error[0].value.replace("\\", "")
        assert not app.metric and not app.dataframe
        monkeypatch.setenv(FORCE_UNSIGNED_ENV, "1")
        forced = _app(monkeypatch, url, "pages/overview.py", None)
        assert forced.metric, "forced, the page is served"
        assert any("Unsigned, on the network" in m.value for m in forced.sidebar.markdown)
    finally:
        config.set_option("server.address", "127.0.0.1")


def test_signing_in_is_required_when_configured(monkeypatch, council) -> None:
    clear_streamlit_caches()
    monkeypatch.setenv("DATABASE_URL", council["url"])
    app = page_app_test("pages/overview.py", timeout=60)
    app.secrets = AUTH_SECRETS
    app.user = {"is_logged_in": False}
    app.run()
    assert app.button[0].label == "Log in"
    assert not app.metric and not app.dataframe


# -- exempt items withheld ---------------------------------------------------------------------


def test_exempt_items_are_withheld_from_a_viewer_everywhere(monkeypatch, council) -> None:
    with _raw(council["path"]) as db:
        exempt_titles = [
            r[0] for r in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
        ]
        public = db.execute(
            "SELECT count(*) FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'public' AND r.made_on <= ?",
            (date.today().isoformat(),),
        ).fetchone()[0]
    assert exempt_titles
    overview = _app(monkeypatch, council["url"], "pages/overview.py", VIEWER)
    assert not overview.exception
    text = _all_text(overview)
    assert "Some items are withheld" in text
    assert not [title for title in exempt_titles if title in text]
    assert overview.metric[0].value == f"{public:,}"
    register = _app(monkeypatch, council["url"], "pages/register.py", VIEWER)
    assert not [title for title in exempt_titles if title in _all_text(register)]
    # The admin (cleared) sees them.
    admin = _app(monkeypatch, council["url"], "pages/register.py", ADMIN)
    assert "Some items are withheld" not in _all_text(admin)
    assert any(title in _all_text(admin) for title in exempt_titles)


def test_an_officer_who_owns_only_exempt_items_is_not_offered_to_the_uncleared(council) -> None:
    from data_access.queries.options import filter_options

    with _raw(council["path"]) as db:
        rows = db.execute(
            "SELECT o.id, s.confidentiality FROM officers o "
            "LEFT JOIN recommendations r ON r.owner_id = o.id "
            "LEFT JOIN sources s ON s.id = r.source_id"
        ).fetchall()
    kinds: dict[int, set] = {}
    for officer, confidentiality in rows:
        kinds.setdefault(officer, set()).add(confidentiality)
    only_exempt = {officer for officer, seen in kinds.items() if seen == {"exempt"}}
    assert only_exempt, "the demo council has officers whose only items are exempt"
    engine, _ = open_tracker(council["url"])
    with engine.connect() as connection:
        public = set(filter_options(connection, public_only=True).owners)
        everyone = set(filter_options(connection).owners)
    engine.dispose()
    assert everyone == set(kinds)
    assert public == set(kinds) - only_exempt


def test_the_import_source_picker_offers_no_exempt_source_to_the_uncleared(council) -> None:
    from data_access.queries.sources import source_choices

    with _raw(council["path"]) as db:
        public = {
            r[0] for r in db.execute("SELECT id FROM sources WHERE confidentiality = 'public'")
        }
        exempt = {
            r[0] for r in db.execute("SELECT id FROM sources WHERE confidentiality = 'exempt'")
        }
    assert public and exempt
    engine, _ = open_tracker(council["url"])
    with engine.connect() as connection:
        uncleared = source_choices(connection, public_only=True)
        cleared = source_choices(connection)
    engine.dispose()
    assert set(uncleared.labels) == set(uncleared.titles) == public
    assert set(cleared.labels) == public | exempt


def test_the_withheld_filter_counts_only_public_items(council) -> None:
    engine, _ = open_tracker(council["url"])
    today = date.today()
    with engine.connect() as connection:
        withheld = headline(connection, Filters(as_at=today, withhold_exempt=True))
        everything = headline(connection, Filters(as_at=today))
    engine.dispose()
    with _raw(council["path"]) as db:
        exempt = db.execute(
            "SELECT count(*) FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'exempt' AND r.made_on <= ?",
            (today.isoformat(),),
        ).fetchone()[0]
    assert exempt > 0
    assert withheld.recommendations == everything.recommendations - exempt


# -- the update form ---------------------------------------------------------------------------


def test_a_signed_in_officer_updates_their_item_as_themselves(monkeypatch, council) -> None:
    app = _app(
        monkeypatch, council["url"], "pages/register.py", OFFICER, {"rec": str(council["own"])}
    )
    assert not app.exception
    labels = [t.label for t in app.text_input]
    assert "Your name" not in labels
    closed_offered = [o for o in app.selectbox(key=f"update_new_status_{council['own']}").options]
    assert "Closed" not in closed_offered, "closing is the committee's sign-off"
    app.text_area(key=f"update_narrative_{council['own']}").input("Policy agreed by the board.")
    app.button(key=f"update_save_{council['own']}").click().run()
    assert not app.exception
    with _raw(council["path"]) as db:
        author, narrative = db.execute(
            "SELECT author, narrative FROM progress_updates WHERE recommendation_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (council["own"],),
        ).fetchone()
    assert (author, narrative) == (OFFICER, "Policy agreed by the board.")


def test_an_officer_is_refused_in_the_write_path_when_their_role_changed(
    monkeypatch, council
) -> None:
    """The form was on screen; then an admin made them a viewer: the save is refused."""
    app = _app(
        monkeypatch, council["url"], "pages/register.py", OFFICER, {"rec": str(council["own"])}
    )
    app.text_area(key=f"update_narrative_{council['own']}").input("Too late.")
    engine, _ = open_tracker(council["url"])
    with engine.begin() as connection:
        admin = sign_in(connection, ADMIN, "Ada Admin", admin_emails=[ADMIN])
        save_user(connection, admin, UserDraft(OFFICER, "Olu Officer", Role.VIEWER))
    engine.dispose()
    before = _snapshot(council["path"])[2:]
    app.button(key=f"update_save_{council['own']}").click().run()
    assert any("Only an officer or above" in e.value for e in app.error)
    assert _snapshot(council["path"])[2:] == before


def test_a_viewer_gets_no_form(monkeypatch, council) -> None:
    app = _app(
        monkeypatch, council["url"], "pages/register.py", VIEWER, {"rec": str(council["own"])}
    )
    assert not app.exception
    assert not [b for b in app.button if (b.key or "").startswith("update_save")]
    assert any("Only an officer or above" in i.value for i in app.info)


# -- users -------------------------------------------------------------------------------------


def test_first_sign_in_takes_claims_then_the_database_decides(council) -> None:
    engine, _ = open_tracker(council["url"])
    with engine.begin() as connection:
        first = sign_in(
            connection, "New.Person@Council.example", "New", Role.SCRUTINY_OFFICER, True
        )
        again = sign_in(connection, "new.person@council.example", "New", Role.VIEWER, False)
        boot = sign_in(
            connection, "boss@council.example", "Boss", None, admin_emails=["Boss@council.example"]
        )
    engine.dispose()
    assert (first.role, first.cleared_for_exempt, first.identity) == (
        Role.SCRUTINY_OFFICER,
        True,
        "new.person@council.example",
    )
    assert (again.role, again.cleared_for_exempt) == (Role.SCRUTINY_OFFICER, True)
    assert boot.role is Role.ADMIN


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (UserDraft("not an address", "X", Role.VIEWER), "is not an email address"),
        (UserDraft("x@council.example", "  ", Role.VIEWER), "Enter the person's name"),
        (
            UserDraft("x@council.example", "X", Role.VIEWER, officer_id=99999),
            "no officer with id 99999",
        ),
        (UserDraft(ADMIN, "Ada Admin", Role.VIEWER), "the only admin"),
    ],
)
def test_bad_user_changes_are_refused_and_change_nothing(council, draft, message) -> None:
    before = _snapshot(council["path"])
    engine, _ = open_tracker(council["url"])
    with pytest.raises(UserChangeRefused) as refused, engine.begin() as connection:
        save_user(connection, sign_in(connection, ADMIN, "Ada Admin"), draft)
    engine.dispose()
    assert message in " ".join(refused.value.problems)
    assert _snapshot(council["path"]) == before


def test_the_users_page_adds_a_user_and_the_audit_trail_says_who(monkeypatch, council) -> None:
    app = _app(monkeypatch, council["url"], "pages/users.py", ADMIN)
    assert not app.exception
    app.text_input[0].input("Sam.Scrutiny@council.example")
    app.text_input[1].input("Sam Scrutiny")
    app.selectbox[1].select(Role.SCRUTINY_OFFICER)
    submit = next(b for b in app.button if b.label == "Save user")
    submit.click().run()
    assert not app.exception
    with _raw(council["path"]) as db:
        row = db.execute(
            "SELECT role, display_name FROM users WHERE email = ?",
            ("sam.scrutiny@council.example",),
        ).fetchone()
        event = db.execute(
            "SELECT person, kind FROM audit_events WHERE subject = ? ORDER BY id DESC",
            ("sam.scrutiny@council.example",),
        ).fetchone()
    assert row == ("scrutiny officer", "Sam Scrutiny")
    assert event == (ADMIN, "user added")


# -- the audit trail ---------------------------------------------------------------------------


def test_the_audit_trail_lists_every_change_by_person_and_filters(council) -> None:
    engine, _ = open_tracker(council["url"])
    today = date.today()
    with engine.begin() as connection:
        add_update(connection, council["own"], UpdateDraft(today, OFFICER, "Mine."))
    with engine.connect() as connection:
        everything = audit_trail(connection, AuditFilters(include_exempt=True))
        officer = audit_trail(connection, AuditFilters(person=OFFICER, include_exempt=True))
        updates_today = audit_trail(
            connection,
            AuditFilters(
                date_from=today - timedelta(days=1),
                date_to=today + timedelta(days=1),
                kinds=(KIND_UPDATE,),
                include_exempt=True,
            ),
        )
        withheld = audit_trail(connection, AuditFilters(include_exempt=False))
        people, kinds = audit_choices(connection)
    engine.dispose()
    with _raw(council["path"]) as db:
        n_updates = db.execute("SELECT count(*) FROM progress_updates").fetchone()[0]
        n_events = db.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        n_batches = db.execute("SELECT count(*) FROM import_batches").fetchone()[0]
        n_undone = db.execute(
            "SELECT count(*) FROM import_batches WHERE undone_at IS NOT NULL"
        ).fetchone()[0]
        by_officer = db.execute(
            "SELECT count(*) FROM progress_updates WHERE author = ?", (OFFICER,)
        ).fetchone()[0]
        by_officer += db.execute(
            "SELECT count(*) FROM audit_events WHERE person = ?", (OFFICER,)
        ).fetchone()[0]
        exempt_updates = db.execute(
            "SELECT count(*) FROM progress_updates u "
            "JOIN recommendations r ON r.id = u.recommendation_id "
            "JOIN sources s ON s.id = r.source_id WHERE s.confidentiality = 'exempt'"
        ).fetchone()[0]
        exempt_batches = db.execute(
            "SELECT count(*) + count(b.undone_at) FROM import_batches b "
            "JOIN sources s ON s.id = b.source_id WHERE s.confidentiality = 'exempt'"
        ).fetchone()[0]
        window = (
            (datetime.combine(today - timedelta(days=1), datetime.min.time())).isoformat(" "),
            (datetime.combine(today + timedelta(days=2), datetime.min.time())).isoformat(" "),
        )
        updates_in_window = db.execute(
            "SELECT count(*) FROM progress_updates WHERE recorded_at >= ? AND recorded_at < ? "
            "AND id NOT IN (SELECT row_id FROM import_batch_items "
            "WHERE table_name = 'progress_updates')",
            window,
        ).fetchone()[0]
    assert everything.total == n_updates + n_events + n_batches + n_undone
    assert officer.total == by_officer >= 1
    assert set(officer.rows["person"]) == {OFFICER}
    assert updates_today.total == updates_in_window >= 1
    assert withheld.total == everything.total
    assert (withheld.rows["subject"] == WITHHELD).sum() == exempt_updates + exempt_batches
    assert OFFICER in people and ADMIN in people and KIND_UPDATE in kinds
    csv = table_csv(officer.rows).decode("utf-8-sig")
    assert csv.count("\n") == officer.total + 1


def test_the_audit_page_for_a_scrutiny_officer(monkeypatch, council) -> None:
    engine, _ = open_tracker(council["url"])
    with engine.begin() as connection:
        admin = sign_in(connection, ADMIN, "Ada Admin")
        save_user(connection, admin, UserDraft("s@council.example", "Sam", Role.SCRUTINY_OFFICER))
    engine.dispose()
    app = _app(monkeypatch, council["url"], "pages/audit.py", "s@council.example")
    assert not app.exception
    assert app.title[0].value == "Audit trail"
    app.selectbox(key="audit.person").select(ADMIN).run()
    shown = app.dataframe[0].value
    assert set(shown["person"]) == {ADMIN}
    with _raw(council["path"]) as db:
        expected = db.execute(
            "SELECT count(*) FROM audit_events WHERE person = ?", (ADMIN,)
        ).fetchone()[0]
    assert len(shown) == expected


def test_the_local_user_is_an_admin_cleared_for_everything() -> None:
    assert LOCAL_USER.role is Role.ADMIN and LOCAL_USER.cleared_for_exempt


def test_the_audit_trail_reads_the_edits_table_when_it_exists(council) -> None:
    """Issue 9 item 4 keeps edits in `recommendation_changes`; the trail lists them."""
    with _raw(council["path"]) as db:
        if not db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'recommendation_changes'"
        ).fetchone():
            db.execute(
                "CREATE TABLE recommendation_changes (id INTEGER PRIMARY KEY, "
                "recommendation_id INTEGER, action_id INTEGER, field VARCHAR(60), "
                "old_value TEXT, new_value TEXT, changed_by VARCHAR(200), "
                "changed_at DATETIME, effective_on DATE)"
            )
        db.execute(
            "INSERT INTO recommendation_changes (recommendation_id, field, old_value, "
            "new_value, changed_by, changed_at, effective_on) VALUES (?, 'priority', 'low', "
            "'high', ?, '2026-01-02 10:00:00', '2026-01-02')",
            (council["own"], OFFICER),
        )
    engine, _ = open_tracker(council["url"])
    with engine.connect() as connection:
        edits = audit_trail(connection, AuditFilters(kinds=("edit",), include_exempt=True))
    engine.dispose()
    assert edits.total == 1
    row = edits.rows.iloc[0]
    assert (row["person"], row["detail"]) == (OFFICER, "priority: low → high")
