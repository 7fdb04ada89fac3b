"""Editing from the recommendation's detail panel, as an officer does it: the Edit tab.

Each test opens the Recommendations page on `?rec=` as dashboard.py runs it, changes fields
and saves. The database is read with plain sqlite3; the author must be the person from
`ui.identity.current_person()` (never typed), and a refused save leaves every table as it was.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from domain.people import LOCAL_USER
from domain.vocabulary import ActionStatus
from ui.text import plain
from views.edit_form import edit_key

PAGE = "pages/register.py"
TODAY = date.today()
NEW_WORDING = "Review the <b>escalation</b> route with the LSCB by *March*."


def _raw(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def _everything(url: str) -> dict[str, list]:
    with _raw(url) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: db.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}


def _rec(url: str, ref: str) -> tuple[int, str, int]:
    with _raw(url) as db:
        return db.execute(
            "SELECT id, wording, owner_id FROM recommendations WHERE ref = ?", (ref,)
        ).fetchone()


def _officer(url: str, name: str) -> int:
    with _raw(url) as db:
        return db.execute("SELECT id FROM officers WHERE name = ?", (name,)).fetchone()[0]


def _texts(app) -> list[str]:
    elements = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error, *app.success]
    return [element.value for element in elements]


def _open(page_app, url: str, rec_id: int, **params: str):
    app = page_app(PAGE, url, {"rec": str(rec_id), **params})
    assert not app.exception
    return app


def test_an_edit_of_wording_and_owner_is_saved_shown_and_recorded(seed_db, page_app):
    url, _ = seed_db
    rec_id, old_wording, old_owner = _rec(url, "2")
    rory = _officer(url, "Rory Patterson")
    app = _open(page_app, url, rec_id)
    assert app.tabs[3].label == "Edit"
    app.text_area(key=edit_key(rec_id, "wording")).input(NEW_WORDING)
    app.selectbox(key=edit_key(rec_id, "owner_id")).set_value(rory)
    app.button(key=f"edit_save_recommendation_{rec_id}").click().run()
    assert not app.exception

    with _raw(url) as db:
        wording, owner = db.execute(
            "SELECT wording, owner_id FROM recommendations WHERE id = ?", (rec_id,)
        ).fetchone()
        changes = db.execute(
            "SELECT field, old_value, new_value, changed_by, effective_on "
            "FROM recommendation_changes ORDER BY id"
        ).fetchall()
    assert (wording, owner) == (NEW_WORDING, rory)
    assert changes == [
        ("wording", old_wording, NEW_WORDING, LOCAL_USER.identity, TODAY.isoformat()),
        ("owner_id", str(old_owner), str(rory), LOCAL_USER.identity, TODAY.isoformat()),
    ]
    texts = _texts(app)
    assert any("was saved" in s.value for s in app.success)
    # Shown as text: the markup typed in the wording is escaped, never rendered.
    assert plain(NEW_WORDING) in texts
    owner = plain("Rory Patterson, Corporate Director, Children's Services")
    assert f"**Owner**  \n{owner}" in texts
    # The history lists the edit with who made it, and the form starts from the new values.
    assert f"**{TODAY.day} {TODAY:%B %Y}** · {plain(LOCAL_USER.identity)}" in texts
    assert f"- {plain('Owner: Sheila Murphy → Rory Patterson')}" in texts
    assert app.text_area(key=edit_key(rec_id, "wording")).value == NEW_WORDING


def test_the_view_as_at_yesterday_shows_the_wording_and_owner_before_the_edit(seed_db, page_app):
    url, _ = seed_db
    rec_id, old_wording, _ = _rec(url, "2")
    app = _open(page_app, url, rec_id)
    app.text_area(key=edit_key(rec_id, "wording")).input(NEW_WORDING)
    app.selectbox(key=edit_key(rec_id, "owner_id")).set_value(_officer(url, "Rory Patterson"))
    app.button(key=f"edit_save_recommendation_{rec_id}").click().run()

    yesterday = _open(page_app, url, rec_id, as_at=(TODAY - timedelta(days=1)).isoformat())
    texts = _texts(yesterday)
    assert plain(old_wording) in texts
    assert plain(NEW_WORDING) not in texts
    assert any(t.startswith("**Owner**  \nSheila Murphy") for t in texts)
    # The history as at yesterday does not list today's edit.
    assert not any("Owner: Sheila Murphy" in t for t in texts)


def test_a_refused_edit_says_why_and_changes_nothing(seed_db, page_app):
    url, _ = seed_db
    rec_id, _, _ = _rec(url, "2")
    before = _everything(url)
    app = _open(page_app, url, rec_id)
    app.text_area(key=edit_key(rec_id, "wording")).input("   ")
    app.button(key=f"edit_save_recommendation_{rec_id}").click().run()
    assert not app.exception
    assert plain("The wording cannot be empty.") in " ".join(e.value for e in app.error)
    assert _everything(url) == before


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten_unseen(seed_db, page_app):
    url, engine = seed_db
    rec_id, old_wording, _ = _rec(url, "2")
    app = _open(page_app, url, rec_id)
    from data_access import edits

    with engine.begin() as conn:  # another officer saves first
        edits.edit_recommendation(
            conn,
            rec_id,
            {"wording": "Their wording"},
            seen={"wording": old_wording},
            changed_by="colleague@council.gov.uk",
            effective_on=TODAY,
        )
    before = _everything(url)
    app.text_area(key=edit_key(rec_id, "wording")).input(NEW_WORDING)
    app.button(key=f"edit_save_recommendation_{rec_id}").click().run()
    assert not app.exception
    assert any("Someone else changed wording" in w.value for w in app.warning)
    assert _everything(url) == before
    # What was typed is still there; saving again replaces theirs knowingly.
    assert app.text_area(key=edit_key(rec_id, "wording")).value == NEW_WORDING
    app.button(key=f"edit_save_recommendation_{rec_id}").click().run()
    with _raw(url) as db:
        wording = db.execute(
            "SELECT wording FROM recommendations WHERE id = ?", (rec_id,)
        ).fetchone()[0]
    assert wording == NEW_WORDING


def test_an_action_is_added_then_completed_with_evidence(seed_db, page_app):
    url, _ = seed_db
    rec_id, _, _ = _rec(url, "3")
    app = _open(page_app, url, rec_id)
    app.text_area(key=edit_key(rec_id, "new_description")).input("Publish the protocol")
    app.button(key=f"edit_add_action_{rec_id}").click().run()
    assert not app.exception
    with _raw(url) as db:
        (action_id,) = db.execute(
            "SELECT id FROM actions WHERE recommendation_id = ?", (rec_id,)
        ).fetchone()
    prefix = f"action{action_id}_"
    app.selectbox(key=edit_key(rec_id, prefix + "status")).set_value(ActionStatus.COMPLETED)
    app.date_input(key=edit_key(rec_id, prefix + "completed_on")).set_value(TODAY)
    app.button(key=f"edit_save_action_{action_id}").click().run()
    assert "Give the evidence of implementation" in " ".join(e.value for e in app.error)
    app.text_input(key=edit_key(rec_id, prefix + "evidence")).input("Protocol on the intranet")
    app.button(key=f"edit_save_action_{action_id}").click().run()
    assert not app.exception
    with _raw(url) as db:
        row = db.execute(
            "SELECT status, completed_on, evidence FROM actions WHERE id = ?", (action_id,)
        ).fetchone()
        fields = [
            f
            for (f,) in db.execute(
                "SELECT field FROM recommendation_changes WHERE action_id = ? ORDER BY id",
                (action_id,),
            )
        ]
    assert row == ("completed", TODAY.isoformat(), "Protocol on the intranet")
    assert fields == [
        "action.added",
        "action.status",
        "action.completed_on",
        "action.evidence",
    ]
