"""Recording a progress update from the detail view, as an officer does it.

Each test opens the Recommendations page on `?rec=` as dashboard.py runs it, fills in the
form and saves. What must be in the database is worked out here: rows are read with plain
sqlite3 and the state is replayed with domain.replay. Every refused save checks the message
and that the database is byte-for-byte what it was.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from typing import Any

import pytest

from data_access.writes import UpdateDraft, add_update
from domain.formatting import long_date
from domain.replay import replay
from domain.vocabulary import ReportBack, Status
from tests.oracle import day, update_facts_by_recommendation
from ui.text import plain
from views import update_form

PAGE = "pages/register.py"
TODAY = date.today()
BEFORE_SEED_MADE = date(2018, 6, 30)  # the seed's recommendations were made later in 2018


# -- reading the database independently -----------------------------------------------------


def _raw(url: str) -> sqlite3.Connection:
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    db.row_factory = sqlite3.Row
    return db


def _snapshot(url: str) -> tuple[list, list]:
    """Everything a save could change: the recommendations and their updates."""
    with _raw(url) as db:
        return (
            [tuple(r) for r in db.execute("SELECT * FROM recommendations ORDER BY id")],
            [tuple(r) for r in db.execute("SELECT * FROM progress_updates ORDER BY id")],
        )


def _rec(url: str, ref: str) -> dict[str, Any]:
    with _raw(url) as db:
        return dict(db.execute("SELECT * FROM recommendations WHERE ref = ?", (ref,)).fetchone())


def _updates(url: str, rec_id: int) -> list[dict[str, Any]]:
    with _raw(url) as db:
        return [
            dict(row)
            for row in db.execute(
                "SELECT * FROM progress_updates WHERE recommendation_id = ? ORDER BY id", (rec_id,)
            )
        ]


def _replayed(url: str, rec_id: int) -> tuple:
    """The state the updates define, replayed independently of the write path."""
    with _raw(url) as db:
        facts = update_facts_by_recommendation(db)[rec_id]
        original = day(
            db.execute(
                "SELECT original_target_date FROM recommendations WHERE id = ?", (rec_id,)
            ).fetchone()[0]
        )
    state = replay(original, facts)
    return (
        state.status.value,
        state.current_target_date,
        state.revision_count,
        state.last_update_on,
        state.report_back_since,
    )


def _stored(url: str, rec_id: int) -> tuple:
    row = _rec_by_id(url, rec_id)
    return (
        row["status"],
        day(row["current_target_date"]),
        row["revision_count"],
        day(row["last_update_on"]),
        day(row["report_back_since"]),
    )


def _rec_by_id(url: str, rec_id: int) -> dict[str, Any]:
    with _raw(url) as db:
        return dict(db.execute("SELECT * FROM recommendations WHERE id = ?", (rec_id,)).fetchone())


# -- driving the form ------------------------------------------------------------------------


def _open(page_app, url: str, rec_id: int, **params: str):
    app = page_app(PAGE, url, {"rec": str(rec_id), **params})
    assert not app.exception
    return app


def _fill(app, rec_id: int, **values: Any):
    """Type into the form's fields by name (see update_form.FIELDS)."""
    for name, value in values.items():
        key = update_form.field_key(rec_id, name)
        if name in ("author", "target_change_reason"):
            app.text_input(key=key).input(value)
        elif name in ("narrative", "evidence"):
            app.text_area(key=key).input(value)
        elif name in ("update_date", "new_target_date"):
            app.date_input(key=key).set_value(value)
        else:
            app.selectbox(key=key).set_value(value)
    return app


def _save(app, rec_id: int):
    app.button(key=f"{update_form.SAVE_KEY}_{rec_id}").click().run()
    assert not app.exception
    return app


def _value(app, rec_id: int, name: str) -> Any:
    key = update_form.field_key(rec_id, name)
    for elements in (app.text_input, app.text_area, app.date_input, app.selectbox):
        found = [e for e in elements if e.key == key]
        if found:
            return found[0].value
    raise AssertionError(f"no field {name}")


def _texts(app) -> list[str]:
    elements = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error, *app.success]
    return [element.value for element in elements]


def _errors(app) -> str:
    return " ".join(error.value for error in app.error)


# -- saving ----------------------------------------------------------------------------------


def test_a_valid_update_is_recorded_and_shown_at_once(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "2")  # in progress, due back at the next committee
    before = _updates(url, rec["id"])
    new_target = TODAY + timedelta(days=90)
    app = _open(page_app, url, rec["id"])
    assert app.tabs[1].label == f"History ({len(before)})"
    _fill(
        app,
        rec["id"],
        author="  Ann Smith ",
        narrative="Training delivered to all social work teams.",
        new_status=Status.IMPLEMENTED,
        new_target_date=new_target,
        target_change_reason="Workshops moved to the spring programme",
        report_back=ReportBack.TO_COMMITTEE,
        evidence="Training register, November 2026",
    )
    app = _save(app, rec["id"])

    updates = _updates(url, rec["id"])
    assert len(updates) == len(before) + 1
    mine = updates[-1]
    assert mine["author"] == "Ann Smith"
    assert mine["narrative"] == "Training delivered to all social work teams."
    assert day(mine["update_date"]) == TODAY
    assert mine["new_status"] == "implemented"
    assert day(mine["new_target_date"]) == new_target
    assert mine["target_change_reason"] == "Workshops moved to the spring programme"
    assert mine["report_back"] == "to_committee"
    assert mine["evidence"] == "Training register, November 2026"
    assert mine["recorded_at"]
    assert _stored(url, rec["id"]) == _replayed(url, rec["id"])
    assert _stored(url, rec["id"])[:3] == ("implemented", new_target, 1)

    # The detail view shows the new state on the same run, and the form is ready again.
    texts = _texts(app)
    assert any("was saved" in success.value for success in app.success)
    assert f"**Status**  \n{plain(Status.IMPLEMENTED.label)}" in texts
    assert f"**Current target**  \n{plain(long_date(new_target))}" in texts
    assert app.tabs[1].label == f"History ({len(before) + 1})"
    entries = [t for t in texts if re.match(r"\*\*\d+ \w+ \d{4}\*\*", t)]
    assert entries[0] == f"**{long_date(TODAY)}** · {plain('Ann Smith')}"
    assert any(plain("Status: In progress → Implemented (awaiting sign-off)") in t for t in texts)
    assert _value(app, rec["id"], "narrative") == ""
    assert _value(app, rec["id"], "new_status") == update_form.NO_CHANGE
    assert _value(app, rec["id"], "author") == "Ann Smith"  # remembered for the session


def test_a_closed_recommendation_can_be_reopened(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "1")
    assert rec["status"] == "closed" and rec["closed_at_meeting_id"] is not None
    app = _open(page_app, url, rec["id"])
    _fill(
        app,
        rec["id"],
        author="Sheila Murphy",
        narrative="A repeat concern was raised; the recommendation is reopened.",
        new_status=Status.IN_PROGRESS,
    )
    app = _save(app, rec["id"])
    assert _stored(url, rec["id"]) == _replayed(url, rec["id"])
    assert _rec_by_id(url, rec["id"])["status"] == "in_progress"
    assert _rec_by_id(url, rec["id"])["closed_at_meeting_id"] is None
    assert "**Status**  \nIn progress" in _texts(app)


def _meeting_after(url: str, rec_id: int, after: date) -> tuple[int, date]:
    """The first meeting of the recommendation's committee after `after`."""
    with _raw(url) as db:
        meeting_id, when = db.execute(
            "SELECT m.id, m.meeting_date FROM meetings m JOIN recommendations r "
            "ON r.committee_id = m.committee_id WHERE r.id = ? AND m.meeting_date > ? "
            "ORDER BY m.meeting_date LIMIT 1",
            (rec_id, after.isoformat()),
        ).fetchone()
    return meeting_id, day(when)


def test_reporting_to_the_next_meeting_meets_the_commitment(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "2")  # must be reported to the committee's next meeting
    assert rec["report_back_since"] is not None
    meeting_id, meeting_day = _meeting_after(url, rec["id"], day(rec["last_update_on"]))
    app = _open(page_app, url, rec["id"])
    assert any("Report-back commitment" in info.value for info in app.info)
    _fill(
        app,
        rec["id"],
        author="Rory Patterson",
        narrative="Reported to committee: training continues.",
        update_date=meeting_day,
        meeting_id=meeting_id,
    )
    app = _save(app, rec["id"])
    assert _updates(url, rec["id"])[-1]["meeting_id"] == meeting_id
    assert _stored(url, rec["id"]) == _replayed(url, rec["id"])
    assert _rec_by_id(url, rec["id"])["report_back_since"] is None
    assert not any("Report-back commitment" in info.value for info in app.info)
    assert any(
        f"Reported to the meeting of {long_date(meeting_day)}" in c.value for c in app.caption
    )


def test_closing_at_a_meeting_names_the_meeting(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "3")
    meeting_id, meeting_day = _meeting_after(url, rec["id"], day(rec["last_update_on"]))
    app = _open(page_app, url, rec["id"])
    _fill(
        app,
        rec["id"],
        author="Committee clerk",
        narrative="The committee accepted the recommendation as complete.",
        update_date=meeting_day,
        new_status=Status.CLOSED,
        meeting_id=meeting_id,
    )
    app = _save(app, rec["id"])
    assert _rec_by_id(url, rec["id"])["closed_at_meeting_id"] == meeting_id
    assert f"**Status**  \nClosed, signed off at the meeting of {long_date(meeting_day)}" in (
        _texts(app)
    )


def test_keeping_the_same_target_is_not_a_revision(demo_db, page_app, tmp_path) -> None:
    """Choosing the current target again needs no reason and changes nothing about it."""
    import shutil

    url = f"sqlite:///{tmp_path / 'copy.db'}"
    shutil.copy(demo_db[0].removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
    with _raw(url) as db:
        rec_id, target, revisions = db.execute(
            "SELECT id, current_target_date, revision_count FROM recommendations "
            "WHERE status = 'in_progress' AND current_target_date IS NOT NULL "
            "AND last_update_on <= ? ORDER BY id LIMIT 1",
            (TODAY.isoformat(),),
        ).fetchone()
    app = _open(page_app, url, rec_id)
    _fill(app, rec_id, author="Ann Smith", narrative="On track.", new_target_date=day(target))
    app = _save(app, rec_id)
    assert not app.error
    mine = _updates(url, rec_id)[-1]
    assert mine["narrative"] == "On track." and mine["new_target_date"] is None
    assert _rec_by_id(url, rec_id)["revision_count"] == revisions


# -- refusing bad input -------------------------------------------------------------------------


def _good(**changes: Any) -> dict[str, Any]:
    values = {"author": "Ann Smith", "narrative": "Training delivered."}
    values.update(changes)
    return values


@pytest.mark.parametrize(
    "values, message",
    [
        (_good(narrative="   "), "Enter the update itself"),
        (_good(author=""), "Enter your name"),
        (
            _good(new_target_date=TODAY + timedelta(days=60)),
            "Give a reason for changing the target date",
        ),
        (
            _good(new_target_date=TODAY + timedelta(days=60), target_change_reason="  "),
            "Give a reason for changing the target date",
        ),
        (_good(update_date=TODAY + timedelta(days=1)), "cannot be in the future"),
        (_good(update_date=BEFORE_SEED_MADE), "cannot be before the recommendation was made"),
        (
            _good(new_target_date=BEFORE_SEED_MADE, target_change_reason="typo"),
            "The new target date cannot be before",
        ),
    ],
    ids=[
        "empty-narrative",
        "no-name",
        "target-without-reason",
        "blank-reason",
        "future-date",
        "before-made",
        "target-before-made",
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    seed_db, page_app, values: dict[str, Any], message: str
) -> None:
    url, _ = seed_db
    rec = _rec(url, "3")
    assert day(rec["made_on"]) > BEFORE_SEED_MADE
    before = _snapshot(url)
    app = _open(page_app, url, rec["id"])
    _fill(app, rec["id"], **values)
    app = _save(app, rec["id"])
    assert plain(message) in _errors(app) or message in _errors(app)
    assert "nothing was changed" in _errors(app)
    assert _snapshot(url) == before
    for name, typed in values.items():  # nothing typed is lost
        assert _value(app, rec["id"], name) == typed
    assert not app.success


def test_the_form_is_offered_only_as_at_today(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "2")
    app = _open(page_app, url, rec["id"], as_at="2019-02-13")
    assert not [b for b in app.button if b.key == f"{update_form.SAVE_KEY}_{rec['id']}"]
    assert any("recorded as of today" in info.value for info in app.info)


# -- two people at once -------------------------------------------------------------------------


def test_a_save_after_someone_else_changed_it_is_refused(seed_db, page_app) -> None:
    url, engine = seed_db
    rec = _rec(url, "3")
    app = _open(page_app, url, rec["id"])  # the form is opened...
    # ...and meanwhile a colleague records an update.
    theirs = UpdateDraft(
        update_date=TODAY,
        author="Bob Jones",
        narrative="Policy agreed by the <b>board</b>.",
        new_status=Status.IMPLEMENTED,
    )
    with engine.begin() as connection:
        their_id = add_update(connection, rec["id"], theirs)
    after_theirs = _snapshot(url)

    mine = _good(
        narrative="Policy drafted; consultation ends in December.",
        new_target_date=TODAY + timedelta(days=45),
        target_change_reason="Consultation extended",
    )
    _fill(app, rec["id"], **mine)
    app = _save(app, rec["id"])

    assert _snapshot(url) == after_theirs  # only their update is in the database
    assert [u["id"] for u in _updates(url, rec["id"])][-1] == their_id
    warning = " ".join(w.value for w in app.warning)
    assert update_form.CONFLICT_MESSAGE in warning
    assert "Policy agreed by the <b>board</b>." in [t.value for t in app.text]
    assert any("Bob Jones" in t for t in _texts(app))
    assert any(
        plain("Status set to Implemented (awaiting sign-off)") in c.value for c in app.caption
    )
    for name, typed in mine.items():
        assert _value(app, rec["id"], name) == typed
    # The summary now shows their change; the next save is theirs plus mine.
    assert f"**Status**  \n{plain(Status.IMPLEMENTED.label)}" in _texts(app)
    save = app.button(key=f"{update_form.SAVE_KEY}_{rec['id']}")
    assert save.label == "Save mine anyway"

    app = _save(app, rec["id"])
    updates = _updates(url, rec["id"])
    assert [u["author"] for u in updates[-2:]] == ["Bob Jones", "Ann Smith"]
    assert updates[-1]["narrative"] == mine["narrative"]
    assert _stored(url, rec["id"]) == _replayed(url, rec["id"])
    assert any("was saved" in success.value for success in app.success)


# -- text is text -------------------------------------------------------------------------------


def test_hostile_text_is_stored_as_typed_and_shown_as_text(seed_db, page_app) -> None:
    url, _ = seed_db
    rec = _rec(url, "2")
    narrative = "<script>alert('x')</script> **bold** [link](javascript:alert(1)) :material/home:"
    author = "<b>Eve</b> _under_"
    app = _open(page_app, url, rec["id"])
    _fill(app, rec["id"], author=author, narrative=narrative, evidence="<img src=x>")
    app = _save(app, rec["id"])
    mine = _updates(url, rec["id"])[-1]
    assert (mine["author"], mine["narrative"], mine["evidence"]) == (
        author,
        narrative,
        "<img src=x>",
    )
    texts = _texts(app)
    assert plain(narrative) in texts
    assert f"**Evidence:** {plain('<img src=x>')}" in texts
    unescaped = re.compile(r"(?<!\\)<\s*/?\s*(script|b|img)\b", re.IGNORECASE)
    assert not [text for text in texts if unescaped.search(text)]
