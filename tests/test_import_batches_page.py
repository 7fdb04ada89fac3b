"""The import pages under AppTest: the source picker keeps the officer's choice, the Import and
Save buttons name the source they write to, imports are listed, and the latest can be undone.

AppTest cannot drive the file uploader: the tests put the file where the uploader's callback
keeps it (`KEY_FILE`), as the page reads it. The browser journey is tests/test_import_browser.py.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

from data_access.seed import SEED_COMMITTEE, SEED_SOURCE_TITLE
from tests.test_import_batches import SEED_UPDATE, every_row
from tests.test_import_tracker import csv_bytes
from tests.test_report_import import SEED_TEXT
from ui.source_picker import EXISTING, NEW
from views.import_tracker_view import KEY_FILE

TRACKER_PAGE = "pages/import_tracker.py"
REPORT_PAGE = "pages/import_report.py"


def _shown(label: str) -> str:
    """A label as it reads on screen (Markdown escapes removed)."""
    return label.replace("\\", "")


def _import_button(app):
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    return button


def _seed_id(engine) -> int:
    with sqlite3.connect(engine.url.database) as db:
        return db.execute(
            "SELECT id FROM sources WHERE title = ?", (SEED_SOURCE_TITLE,)
        ).fetchone()[0]


def test_the_import_button_names_the_existing_source_it_writes_to(page_app, seed_db):
    url, engine = seed_db
    app = page_app(TRACKER_PAGE, url)
    app.session_state[KEY_FILE] = ("november.csv", SEED_UPDATE)
    app.run()
    assert not app.exception
    # The file's name names no source: the picker starts on a new source, never "the first".
    assert app.radio(key="import_tracker.picker.mode").value == NEW
    app.radio(key="import_tracker.picker.mode").set_value(EXISTING).run()
    assert app.selectbox(key="import_tracker.picker.source").value is None
    assert _import_button(app).disabled
    app.selectbox(key="import_tracker.picker.source").set_value(_seed_id(engine)).run()
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    button = _import_button(app)
    assert not button.disabled
    assert _shown(button.label) == f"Import 3 recommendations into “{SEED_SOURCE_TITLE}”"
    assert not app.warning  # no widget default fighting the kept choice


def test_a_replaced_file_keeps_the_choice_and_what_was_typed(page_app, seed_db):
    url, engine = seed_db
    app = page_app(TRACKER_PAGE, url)
    bad = csv_bytes(["Ref,Recommendation,Status", "A1,Review the complaints process.,Wibble"])
    app.session_state[KEY_FILE] = ("complaints.csv", bad)
    app.run()
    assert app.error  # the file has a problem
    app.radio(key="import_tracker.picker.mode").set_value(NEW).run()
    app.text_input(key="import_tracker.picker.title").input("Complaints review 2026").run()
    app.selectbox(key="import_tracker.picker.committee").set_value(SEED_COMMITTEE).run()
    app.date_input(key="import_tracker.picker.issued").set_value(date(2026, 3, 1)).run()
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    # The corrected file, under another name, whose title row names the seed's source.
    corrected = csv_bytes(
        [
            SEED_SOURCE_TITLE,
            "Ref,Recommendation,Status",
            "A1,Review the complaints process.,Ongoing",
        ]
    )
    app.session_state[KEY_FILE] = ("complaints-corrected.csv", corrected)
    app.run()
    assert not app.exception
    assert app.radio(key="import_tracker.picker.mode").value == NEW
    assert app.text_input(key="import_tracker.picker.title").value == "Complaints review 2026"
    assert app.selectbox(key="import_tracker.picker.committee").value == SEED_COMMITTEE
    assert app.date_input(key="import_tracker.picker.issued").value == date(2026, 3, 1)
    assert any("The file names" in caption.value for caption in app.caption)
    button = _import_button(app)
    assert _shown(button.label) == (
        "Import 1 recommendation into “Complaints review 2026” (a new source)"
    )
    seed_before = every_row(engine)["recommendations"]
    button.click().run()
    assert not app.exception
    with sqlite3.connect(engine.url.database) as db:
        written = db.execute(
            "SELECT s.title FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE r.ref = 'A1'"
        ).fetchall()
    assert written == [("Complaints review 2026",)]
    assert [row for row in every_row(engine)["recommendations"] if row[3] != "A1"] == seed_before


def test_imports_are_listed_and_the_latest_is_undone_from_the_page(page_app, seed_db):
    url, engine = seed_db
    before = every_row(engine)
    app = page_app(TRACKER_PAGE, url)
    app.session_state[KEY_FILE] = ("november.csv", SEED_UPDATE)
    app.run()
    app.radio(key="import_tracker.picker.mode").set_value(EXISTING).run()
    app.selectbox(key="import_tracker.picker.source").set_value(_seed_id(engine)).run()
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    _import_button(app).click().run()
    assert not app.exception
    listed = app.dataframe[0].value
    assert list(listed.iloc[0][["From", "File", "Into", "By", "New", "Changed", "Unchanged"]]) == [
        "Tracker",
        "november.csv",
        SEED_SOURCE_TITLE,
        "Sam Officer",
        1,
        2,
        1,
    ]
    assert listed.iloc[0]["SHA-256"] == hashlib.sha256(SEED_UPDATE).hexdigest()[:16]

    chooser = app.selectbox(key="import_tracker.undo.batch")
    (only,) = chooser.options  # one source's latest import, described
    assert only.startswith(f'november.csv into "{SEED_SOURCE_TITLE}" on ')
    chooser.select(only).run()
    next(b for b in app.button if b.label == "Check this import can be undone").click().run()
    assert any("will remove 3 progress updates" in _shown(w.value) for w in app.warning)
    assert every_row(engine) != before  # checking writes nothing
    # The name typed for the import is offered again for the undo's record.
    assert app.text_input(key="import_tracker.undo.your_name").value == "Sam Officer"
    next(b for b in app.button if b.label == "Yes, undo this import").click().run()
    assert not app.exception
    assert every_row(engine) == before
    assert any("Undone: the import of november.csv" in _shown(s.value) for s in app.success)
    assert app.dataframe[0].value.iloc[0]["Undone"].endswith("by Sam Officer")


def test_the_report_page_names_the_source_and_lists_the_save(page_app, empty_db):
    url, _ = empty_db
    app = page_app(REPORT_PAGE, url)
    app.text_area(key="import_report.paste").input(SEED_TEXT)
    next(b for b in app.button if b.label == "Read the report").click()
    app = app.run()
    app.text_input(key="import_report.picker.title").input("Whistleblowing review (2018)").run()
    app.text_input(key="import_report.your_name").input("Scrutiny officer").run()
    (save,) = [b for b in app.button if b.label.startswith("Save ")]
    assert _shown(save.label) == (
        "Save 6 recommendations into “Whistleblowing review (2018)” (a new source)"
    )
    save.click().run()
    assert not app.exception, app.exception
    listed = app.dataframe[0].value
    row = listed.iloc[0]
    assert (row["From"], row["File"], row["Into"], row["New"]) == (
        "Report",
        "pasted text",
        "Whistleblowing review (2018) (new)",
        6,
    )
    assert row["SHA-256"] == hashlib.sha256(SEED_TEXT.encode()).hexdigest()[:16]


def test_the_page_says_what_changed_when_an_undo_cannot_be_done(page_app, seed_db):
    from data_access.writes import UpdateDraft, add_update

    url, engine = seed_db
    app = page_app(TRACKER_PAGE, url)
    app.session_state[KEY_FILE] = ("november.csv", SEED_UPDATE)
    app.run()
    app.radio(key="import_tracker.picker.mode").set_value(EXISTING).run()
    app.selectbox(key="import_tracker.picker.source").set_value(_seed_id(engine)).run()
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    _import_button(app).click().run()
    with sqlite3.connect(engine.url.database) as db:
        (rec_2,) = db.execute("SELECT id FROM recommendations WHERE ref = '2'").fetchone()
    with engine.begin() as conn:  # someone else, on the update form
        add_update(conn, rec_2, UpdateDraft(date(2026, 11, 27), "Priya Shah", "Signed off."))
    before = every_row(engine, log=True)
    chooser = app.selectbox(key="import_tracker.undo.batch")
    chooser.select(chooser.options[0]).run()
    next(b for b in app.button if b.label == "Check this import can be undone").click().run()
    assert not app.exception
    assert "cannot be undone, and nothing was changed" in app.error[0].value
    listed = " ".join(_shown(m.value) for m in app.markdown)
    assert "Recommendation 2: a progress update dated 27 November 2026 by Priya Shah" in listed
    assert "Signed off." in listed
    assert not [b for b in app.button if b.label == "Yes, undo this import"]
    assert every_row(engine, log=True) == before
