"""The Committees page under AppTest, driven through dashboard.py's shared sidebar: the empty
state, adding a committee, adding, moving and removing meetings (and the refusal to remove one
with history), renaming and retiring, and the calendar import's preview and import.

AppTest cannot drive the file uploader, so the calendar is put where the page keeps it
(`KEY_CALENDAR_FILE` in session state)."""

from __future__ import annotations

import re
from datetime import date

from data_access.seed import SEED_COMMITTEE, SEED_MEETINGS
from tests.test_committees import whole_database
from views.committees_view import KEY_CALENDAR_FILE, KEY_COMMITTEE, committee_key

PAGE = "pages/committees.py"
NEXT = "pages/next_committee.py"


def chosen(app, name: str) -> str:
    """The key of a form widget of the committee chosen on the page."""
    return committee_key(name, app.selectbox(key=KEY_COMMITTEE).value)


def shown(element) -> str:
    """An element's Markdown as the reader sees it (the escapes of `plain()` removed)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def test_an_empty_tracker_explains_and_adds_the_first_committee(page_app, empty_db):
    url, engine = empty_db
    app = page_app(PAGE, url)
    assert not app.exception
    assert app.title[0].value == "Committees and their meeting dates"
    assert "No committees are recorded yet" in shown(app.info[0])
    app.text_input[0].input("Audit and Governance Committee")
    app.button[0].click().run()  # the form's submit button
    assert not app.exception
    assert "Added Audit and Governance Committee" in shown(app.success[0])
    # (id, name, retired_on, name_key: the name as compared, so a second one cannot be added)
    assert whole_database(engine)["committees"] == [
        (1, "Audit and Governance Committee", None, "audit and governance committee")
    ]
    # The new committee is chosen, and its empty calendar says what to do.
    assert app.selectbox(key=KEY_COMMITTEE).value == 1
    assert any("No meeting dates are recorded" in shown(info) for info in app.info)


def test_the_list_shows_each_committee_with_its_calendar(page_app, seed_db):
    url, _ = seed_db
    app = page_app(PAGE, url, {"as_at": "2019-02-13"})
    assert not app.exception
    table = app.dataframe[0].value
    row = table.set_index("Committee").loc[SEED_COMMITTEE]
    assert row["State"] == "Current"
    assert row["Meetings recorded"] == len(SEED_MEETINGS)
    assert row["Next meeting"].date() == date(2019, 3, 12)
    assert row["Previous meeting"].date() == date(2019, 2, 12)
    assert (row["Recommendations"], row["Open"]) == (6, 2)
    meetings = app.dataframe[1].value
    assert [day.date() for day in meetings["Meeting date"]] == list(SEED_MEETINGS)
    assert list(meetings["Items closed at it"])[SEED_MEETINGS.index(date(2019, 2, 12))] == 4


def test_add_move_and_remove_a_meeting_on_the_page(page_app, seed_db):
    url, engine = seed_db
    app = page_app(PAGE, url)
    app.date_input(key="committees.add_meeting_date").set_value(date(2020, 6, 9))
    app.button(key="FormSubmitter:committees.add_meeting-Add meeting").click().run()
    assert not app.exception
    assert "Added a meeting of" in shown(app.success[0]) and "9 June 2020" in shown(app.success[0])
    days = [row[2] for row in whole_database(engine)["meetings"]]
    assert "2020-06-09" in days

    # The same day again is refused, saying nothing changed.
    before = whole_database(engine)
    app.date_input(key="committees.add_meeting_date").set_value(date(2020, 6, 9))
    app.button(key="FormSubmitter:committees.add_meeting-Add meeting").click().run()
    assert "already has a meeting on 9 June 2020. Nothing was changed." in shown(app.error[0])
    assert whole_database(engine) == before

    june = next(row[0] for row in before["meetings"] if row[2] == "2020-06-09")
    app.selectbox(key=chosen(app, "move_which")).set_value(june)
    app.date_input(key="committees.move_to").set_value(date(2020, 6, 16))
    app.button(key="FormSubmitter:committees.move_meeting-Move meeting").click().run()
    assert "from 9 June 2020 to 16 June 2020" in shown(app.success[0])
    app.selectbox(key=chosen(app, "remove_which")).set_value(june)
    app.button(key="FormSubmitter:committees.remove_meeting-Remove meeting").click().run()
    assert "Removed the meeting of" in shown(app.success[0])
    assert [row[2] for row in whole_database(engine)["meetings"]] == [
        day.isoformat() for day in SEED_MEETINGS
    ]


def test_removing_a_meeting_with_history_is_refused_with_the_reason(page_app, seed_db):
    url, engine = seed_db
    before = whole_database(engine)
    app = page_app(PAGE, url)
    # No meeting is chosen to begin with: pressing Remove alone removes nothing.
    app.button(key="FormSubmitter:committees.remove_meeting-Remove meeting").click().run()
    assert shown(app.error[0]) == "Choose the meeting to remove. Nothing was changed."
    assert whole_database(engine) == before
    meeting = next(row[0] for row in before["meetings"] if row[2] == "2019-02-12")
    app.selectbox(key=chosen(app, "remove_which")).set_value(meeting)
    app.button(key="FormSubmitter:committees.remove_meeting-Remove meeting").click().run()
    assert not app.exception
    message = shown(app.error[0])
    assert "The meeting of 12 February 2019 cannot be removed" in message
    assert "move the meeting instead" in message and "Nothing was changed" in message
    assert whole_database(engine) == before


def test_rename_and_retire_then_next_committee_leaves_it_out(page_app, seed_db):
    url, engine = seed_db
    app = page_app(PAGE, url)
    app.text_input(key=chosen(app, "new_name")).input("Children's Scrutiny Committee")
    app.button(key="FormSubmitter:committees.rename-Rename committee").click().run()
    assert "to Children's Scrutiny Committee" in shown(app.success[0])
    app.button(key="FormSubmitter:committees.retire-Retire committee").click().run()
    assert not app.exception
    assert "Retired Children's Scrutiny Committee" in shown(app.success[0])
    (committee,) = whole_database(engine)["committees"]
    assert committee[1:3] == ("Children's Scrutiny Committee", date.today().isoformat())
    assert "Retired" in app.dataframe[0].value["State"].iloc[0]

    briefing = page_app(NEXT, url, {"as_at": "2019-02-13"})
    assert not briefing.exception
    assert "No current committees are recorded" in shown(briefing.info[0])
    briefing.toggle(key="meeting_include_retired").set_value(True).run()
    assert not briefing.exception
    assert briefing.selectbox(key="meeting_committee").value == committee[0]


def test_a_calendar_preview_then_import_and_reimport_changes_nothing(page_app, seed_db):
    url, engine = seed_db
    app = page_app(PAGE, url)
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        b"BEGIN:VEVENT\r\nSUMMARY:Scrutiny\r\nDTSTART;TZID=Europe/London:20200310T180000\r\n"
        b"END:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nSUMMARY:Scrutiny\r\nDTSTART;TZID=Europe/London:20200609T180000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    app.session_state[KEY_CALENDAR_FILE] = ("scrutiny.ics", data)
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {
        "Dates to add": "1",
        "Already in the tracker": "1",
        "In the tracker, not in the file": str(len(SEED_MEETINGS) - 1),
    }
    before = whole_database(engine)
    (button,) = [b for b in app.button if b.label.startswith("Add 1 meeting date")]
    assert whole_database(engine) == before  # the preview wrote nothing
    button.click().run()
    assert not app.exception
    assert "Added 1 meeting date from scrutiny.ics" in shown(app.success[0])
    assert "were kept" in shown(app.success[0])
    after = whole_database(engine)
    assert len(after["meetings"]) == len(before["meetings"]) + 1
    assert "2020-06-09" in [row[2] for row in after["meetings"]]
    # The same file again: everything already there, no button, nothing written.
    assert any("importing it changes nothing" in shown(info) for info in app.info)
    assert not [b for b in app.button if "meeting date" in b.label]
    assert whole_database(engine) == after


def test_a_bad_calendar_file_is_refused_and_writes_nothing(page_app, seed_db):
    url, engine = seed_db
    before = whole_database(engine)
    app = page_app(PAGE, url)
    app.session_state[KEY_CALENDAR_FILE] = ("minutes.ics", b"%PDF-1.7\x00\x00binary")
    app.run()
    assert not app.exception
    assert "minutes.ics cannot be imported; nothing was changed" in shown(app.error[0])
    assert "not a text file" in shown(app.error[0])
    assert not app.metric
    assert whole_database(engine) == before


def test_next_committee_warns_when_there_is_no_meeting_ahead(page_app, seed_db):
    url, _ = seed_db
    app = page_app(NEXT, url, {"as_at": "2021-01-01"})  # the seed's calendar ends in 2020
    assert not app.exception
    warning = shown(app.warning[0])
    assert "No meeting of" in warning and "on or after 1 January 2021" in warning
    assert "Add its meeting dates on the Committees page" in warning
    links = [link.proto.page for link in app.get("page_link")]
    assert "committees" in links


def test_next_committee_warns_when_the_next_meeting_is_far_off(page_app, seed_db):
    url, _ = seed_db
    # As at 1 April 2020 the next recorded meeting would be none; add one in 2031.
    _, engine = seed_db
    from data_access.committees import add_meeting, committee_by_name

    with engine.begin() as conn:
        committee_id, _ = committee_by_name(conn, SEED_COMMITTEE)
        add_meeting(conn, committee_id, date(2031, 3, 11))
    app = page_app(NEXT, url, {"as_at": "2020-04-01"})
    assert not app.exception
    assert any("Next meeting: 11 March 2031" in shown(block) for block in app.markdown)
    (warning,) = [shown(w) for w in app.warning if "probably incomplete" in shown(w)]
    assert "3,996 days after 1 April 2020" in warning
    # Within the threshold (183 days) there is no such warning.
    near = page_app(NEXT, url, {"as_at": "2019-12-01"})
    assert not [w for w in near.warning if "probably incomplete" in shown(w)]


def test_the_forms_follow_the_committee_chosen(page_app, seed_db):
    url, engine = seed_db
    from data_access.committees import add_committee, committee_by_name

    with engine.begin() as conn:
        cabinet = add_committee(conn, "Cabinet")
    app = page_app(PAGE, url)
    assert app.text_input(key=chosen(app, "new_name")).value == "Cabinet"  # first by name
    with engine.connect() as conn:
        seed, _ = committee_by_name(conn, SEED_COMMITTEE)
    app.selectbox(key=KEY_COMMITTEE).set_value(seed).run()
    assert app.text_input(key=chosen(app, "new_name")).value == SEED_COMMITTEE
    app.selectbox(key=KEY_COMMITTEE).set_value(cabinet).run()
    assert app.text_input(key=chosen(app, "new_name")).value == "Cabinet"
    assert any("No meeting dates are recorded for Cabinet" in shown(i) for i in app.info)
    app.selectbox(key=KEY_COMMITTEE).set_value(seed).run()
    assert app.text_input(key=chosen(app, "new_name")).value == SEED_COMMITTEE


def test_a_retired_committee_is_not_offered_for_a_new_source(page_app, seed_db):
    """The tracker import's committee picker lists current committees only."""
    from data_access.committees import add_committee, committee_by_name, retire_committee
    from tests.test_import_tracker import messy_workbook
    from views.import_tracker_view import KEY_FILE

    url, engine = seed_db
    with engine.begin() as conn:
        add_committee(conn, "Audit Committee")
        seed, _ = committee_by_name(conn, SEED_COMMITTEE)
        retire_committee(conn, seed, date(2024, 4, 1))
    app = page_app("pages/import_tracker.py", url)
    app.session_state[KEY_FILE] = ("tracker.xlsx", messy_workbook())
    app.run()
    assert not app.exception
    assert app.selectbox(key="import_tracker.picker.committee").options == ["Audit Committee"]
