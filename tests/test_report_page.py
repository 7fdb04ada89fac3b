"""The Import a committee report page, run as the app runs it: paste, review, save."""

from __future__ import annotations

from sqlalchemy import select

from data_access.models import Recommendation
from tests.test_report_import import SEED_TEXT, snapshot  # skips this module without the seed

PAGE = "pages/import_report.py"


def _button(app, label: str):
    return next(button for button in app.button if button.label == label)


def _save_button(app):
    """The Save button, whose label names the source it writes to."""
    return next(button for button in app.button if button.label.startswith("Save "))


def _read(app, report: str):
    app.text_area(key="import_report.paste").input(report)
    _button(app, "Read the report").click()
    return app.run()


def test_the_seed_pasted_reviewed_and_saved(page_app, empty_db) -> None:
    url, engine = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.title[0].value == "Import a committee report"

    app = _read(app, SEED_TEXT)

    assert not app.exception
    assert app.subheader[0].value == "Check the 6 recommendations found"
    assert any("report's own recommendation" in caption.value for caption in app.caption)
    assert app.selectbox(key="import_report.picker.committee").value == (
        "Children's Services Overview and Scrutiny Committee"
    )
    app.text_input(key="import_report.picker.title").input("Whistleblowing review (2018)")
    app.text_input(key="import_report.your_name").input("Scrutiny officer")
    _save_button(app).click()
    app = app.run()

    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.success[0].value.startswith("Saved: added 6 recommendations")
    with engine.connect() as connection:
        saved = connection.execute(
            select(Recommendation.ref, Recommendation.status).order_by(Recommendation.id)
        ).all()
    assert saved == [
        ("1", "closed"), ("2", "in_progress"), ("3", "in_progress"),
        ("4", "closed"), ("5", "closed"), ("6", "closed"),
    ]  # fmt: skip


def test_save_is_refused_while_a_status_is_unclear(page_app, empty_db) -> None:
    url, engine = empty_db
    report = (
        "Housing Scrutiny Panel\n\n"
        "R1 – Publish the figures (Accepted)\nResponse: This recommendation is implemented.\n\n"
        "R2 – Set up a landlord forum (Accepted)\nResponse: The Council will consider this.\n"
    )
    app = _read(page_app(PAGE, url), report)
    app.text_input(key="import_report.picker.title").input("Temporary accommodation review")
    app.text_input(key="import_report.your_name").input("Scrutiny officer")
    before = snapshot(engine)

    _save_button(app).click()
    app = app.run()

    assert not app.exception
    message = app.error[0].value
    assert message.startswith("Nothing was saved.")
    assert "Choose a status for row 2 \\(R2\\)" in message
    assert snapshot(engine) == before


def test_text_that_is_not_a_report_is_explained(page_app, empty_db) -> None:
    url, engine = empty_db
    before = snapshot(engine)

    app = _read(page_app(PAGE, url), "Dear resident, the bins go out on Tuesday.")

    assert not app.exception
    assert "No recommendations were found in pasted text" in app.error[0].value
    assert app.error[0].value.endswith("Nothing was saved.")
    assert snapshot(engine) == before


OLD_REPORT = """Report to the Audit and Governance Committee, 14 March 2012
Internal audit of procurement cards: progress on the recommendations

Recommendation 1 - Cardholders must submit receipts within 30 days.
Response: This recommendation has now been implemented.

Recommendation 2 - Monthly reconciliation by line managers.
Response: Progress is under way and will be reported to the next committee.
"""


def test_a_report_from_more_than_ten_years_ago_can_be_reviewed(page_app, empty_db) -> None:
    """The report's own date fills the date pickers; one older than the pickers' defaults
    (ten years either side of today) must not stop the page."""
    url, _ = empty_db
    app = _read(page_app(PAGE, url), OLD_REPORT)
    assert not app.exception, app.exception
    assert app.subheader[0].value == "Check the 2 recommendations found"
    assert app.date_input(key="import_report.meeting").value.year == 2012


def test_a_database_failure_on_save_is_a_message_not_a_traceback(
    page_app, empty_db, monkeypatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import data_access.report_import as report_import
    import views.import_report_view as view

    def locked(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(view, "save_proposal", locked)
    monkeypatch.setattr(report_import, "save_proposal", locked)
    url, engine = empty_db
    before = snapshot(engine)
    app = _read(page_app(PAGE, url), SEED_TEXT)
    app.text_input(key="import_report.picker.title").input("Whistleblowing review (2018)")
    app.text_input(key="import_report.your_name").input("Scrutiny officer")
    _save_button(app).click()
    app = app.run()
    assert not app.exception, app.exception
    assert "database is locked" in app.error[0].value
    assert "Nothing was saved" in app.error[0].value
    assert snapshot(engine) == before
