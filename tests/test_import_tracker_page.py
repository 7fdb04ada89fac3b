"""The Import a tracker page under AppTest: preview, problems, import, and a bad file.

AppTest cannot drive the file uploader, so the tests put the file where the uploader's
callback keeps it (`KEY_FILE` in session state), as the page reads it."""

from __future__ import annotations

from datetime import date

from data_access.seed import SEED_COMMITTEE
from importing.tracker_columns import Field
from tests.test_import_tracker import csv_bytes, database_rows, messy_workbook
from views import import_tracker_view as view
from views.import_tracker_view import KEY_FILE

PAGE = "pages/import_tracker.py"


def test_page_offers_the_template_before_any_file(page_app, seed_db):
    url, _ = seed_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.title[0].value == "Import a tracker"
    assert not app.metric  # nothing to preview yet


def test_preview_then_import_into_a_new_source(page_app, seed_db):
    url, engine = seed_db
    app = page_app(PAGE, url)
    app.session_state[KEY_FILE] = ("tracker.xlsx", messy_workbook())
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["New recommendations"] == "4"
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    assert button.disabled  # a new source needs its committee, date and the user's name
    before = database_rows(engine)
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    app.selectbox(key="import_tracker.picker.committee").set_value(SEED_COMMITTEE).run()
    app.date_input(key="import_tracker.picker.issued").set_value(date(2024, 1, 15)).run()
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    assert not button.disabled
    assert button.label == (
        "Import 4 recommendations into “Adult Social Care Scrutiny Review – Recommendations "
        "Tracker” (a new source)"
    )
    assert database_rows(engine) == before  # the preview writes nothing
    button.click().run()
    assert not app.exception
    assert "4 new recommendations, 0 changed and 0 unchanged" in app.success[0].value
    written = len(database_rows(engine)["progress_updates"]) - len(before["progress_updates"])
    assert f"{written} progress updates recorded on" in app.success[0].value
    after = database_rows(engine)
    assert len(after["recommendations"]) == len(before["recommendations"]) + 4
    authors = {row[4] for row in after["progress_updates"][len(before["progress_updates"]) :]}
    assert authors == {"Sam Officer"}


def test_a_bad_file_shows_its_problems_and_cannot_be_imported(page_app, seed_db):
    url, engine = seed_db
    before = database_rows(engine)
    app = page_app(PAGE, url)
    data = csv_bytes(["Ref,Recommendation,Target date", "9,Audit case files.,31/02/2025"])
    app.session_state[KEY_FILE] = ("bad.csv", data)
    app.run()
    assert not app.exception
    assert "nothing has been changed" in app.error[0].value
    problems = app.dataframe[0].value
    assert list(problems.iloc[0][["Row", "Column", "Value"]]) == [
        2,
        "C (Target date)",
        "31/02/2025",
    ]
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    assert button.disabled
    assert database_rows(engine) == before


def test_a_file_that_is_not_a_spreadsheet_gets_one_sentence(page_app, seed_db):
    url, engine = seed_db
    before = database_rows(engine)
    app = page_app(PAGE, url)
    app.session_state[KEY_FILE] = ("minutes.pdf", b"%PDF-1.7 minutes")
    app.run()
    assert not app.exception
    assert "is not a spreadsheet" in app.error[0].value
    assert "Nothing was changed" in app.error[0].value
    assert database_rows(engine) == before


def test_a_second_file_gets_its_own_source_title(page_app, seed_db):
    """The new source's title is suggested from each file: after one file, a different one
    must not be imported under the first file's title."""
    url, _ = seed_db
    app = page_app(PAGE, url)
    first = csv_bytes(["Ref,Recommendation", "1,Audit the payments."])
    app.session_state[KEY_FILE] = ("payments-audit.csv", first)
    app.run()
    assert app.text_input(key="import_tracker.picker.title").value == "payments-audit"
    app.session_state[KEY_FILE] = ("tracker.xlsx", messy_workbook())
    app.run()
    assert not app.exception
    title = app.text_input(key="import_tracker.picker.title").value
    assert title != "payments-audit"
    assert "payments-audit" not in " ".join(w.value for w in app.warning)


def test_a_title_the_officer_typed_is_kept_while_the_file_is_corrected(page_app, seed_db):
    url, _ = seed_db
    app = page_app(PAGE, url)
    app.session_state[KEY_FILE] = ("audit.csv", csv_bytes(["Ref,Recommendation", "1,Audit."]))
    app.run()
    app.text_input(key="import_tracker.picker.title").input("Audit of payments 2025").run()
    corrected = csv_bytes(["Ref,Recommendation", "1,Audit the payments."])
    app.session_state[KEY_FILE] = ("audit.csv", corrected)
    app.run()
    assert app.text_input(key="import_tracker.picker.title").value == "Audit of payments 2025"


def test_a_corrected_column_does_not_read_the_file_on_every_draw(page_app, seed_db, monkeypatch):
    reads = []
    original = view.read_tracker
    monkeypatch.setattr(
        view,
        "read_tracker",
        lambda *args, **kwargs: reads.append(kwargs["mapping"]) or original(*args, **kwargs),
    )
    url, _ = seed_db
    app = page_app(PAGE, url)
    app.session_state[KEY_FILE] = ("tracker.xlsx", messy_workbook())
    app.run()
    priority = next(key for key in app.session_state if key.endswith(".priority"))
    app.selectbox(key=priority).select_index(0).run()  # "Not in the file"
    assert not app.exception
    assert reads[-1] is not None and Field.PRIORITY not in reads[-1]  # read as corrected
    reads.clear()
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    assert not app.exception
    assert reads == []  # both readings kept: nothing read again


def test_an_unknown_word_is_asked_once_and_kept_with_the_source(page_app, seed_db):
    """A real tracker (Tasmania's PAC, tests/fixtures/trackers) whose "Grey Light" the tracker
    does not know: the officer reads it once, it is saved with the source on import, and the
    next import of the same tracker asks nothing."""
    from pathlib import Path

    from importing.word_readings import OTHER_COLUMNS

    url, engine = seed_db
    name = "tasmania-pac-recommendation-tracker-excerpt.csv"
    data = (Path(__file__).parent / "fixtures" / "trackers" / name).read_bytes()
    word_key = "import_tracker.word.status.grey light"
    app = page_app(PAGE, url)
    app.session_state[KEY_FILE] = (name, data)
    app.run()
    assert not app.exception
    (question,) = [box for box in app.selectbox if box.key == word_key]
    assert question.label == 'Status "Grey Light" (1 row) means'
    assert "Use the row's other columns" in question.options
    assert "Not started" in question.options
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    assert button.disabled  # the word is not read yet, and the source needs its details
    app.text_input(key="import_tracker.your_name").input("Sam Officer").run()
    app.selectbox(key="import_tracker.picker.committee").set_value(SEED_COMMITTEE).run()
    app.date_input(key="import_tracker.picker.issued").set_value(date(2026, 6, 24)).run()
    app.selectbox(key=word_key).set_value(OTHER_COLUMNS).run()
    assert not app.exception
    notes = app.dataframe[0].value
    assert "read from the row's other columns: Not started" in " ".join(notes["Note"])
    (button,) = [b for b in app.button if b.label.startswith("Import")]
    assert button.label.startswith("Import 1 recommendation into ") and not button.disabled
    button.click().run()
    assert not app.exception
    assert "1 new recommendation" in app.success[0].value
    after = database_rows(engine)
    # A second visit with the same file: the source is found by the file's name, and the
    # word is read as saved; nothing is asked and nothing would change.
    again = page_app(PAGE, url)
    again.session_state[KEY_FILE] = (name, data)
    again.run()
    assert not again.exception
    assert not [box for box in again.selectbox if box.key == word_key]
    saved = [c.value for c in again.caption if c.value.startswith("Read as this source's")]
    assert saved and "Grey Light" in saved[0] and "other columns" in saved[0]
    metrics = {metric.label: metric.value for metric in again.metric}
    assert metrics["Unchanged"] == "1" and metrics["New recommendations"] == "0"
    assert database_rows(engine) == after
