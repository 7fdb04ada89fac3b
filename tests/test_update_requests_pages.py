"""The pages of update requests, as officers use them: My items, Update requests (download
and send), and the committee's "days before the meeting" on the Committees page.

Expected items come from the rules over the raw tables (`_expected` in
tests/test_update_requests.py), never from the query the pages call.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date, timedelta

import pytest

from data_access.db import open_tracker
from domain.people import LOCAL_USER
from tests.test_update_requests import _busiest_committee, _expected, _free_port, _Inbox
from views.my_items_view import OWNER_KEY
from views.update_requests_view import COMMITTEE_KEY, SEND_KEY

TODAY = date.today()


@pytest.fixture
def council(demo_db_path, tmp_path):
    path = tmp_path / "council.db"
    shutil.copy(demo_db_path, path)
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE officers SET email = lower(replace(name, ' ', '.')) || '@council.example'"
        )
    url = f"sqlite:///{path}"
    engine, _ = open_tracker(url)
    yield url, path
    engine.dispose()


def _expected_now(path) -> dict:
    with sqlite3.connect(path) as db:
        return _expected(db, TODAY)


def test_my_items_lists_exactly_the_chosen_officers_items(council, page_app):
    url, path = council
    expected = _expected_now(path)
    mine: dict[int, set[int]] = {}
    for by_owner in expected.values():
        for owner, ids in by_owner.items():
            mine.setdefault(owner, set()).update(ids)
    owner = max(mine, key=lambda o: (len(mine[o]), -o))
    app = page_app("pages/my_items.py", url)
    assert not app.exception
    app.selectbox(key=OWNER_KEY).set_value(owner).run()
    assert not app.exception
    table = app.dataframe[0].value
    shown = {int(re.search(r"rec=(\d+)", link).group(1)) for link in table["link"]}
    assert shown == mine[owner]
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Overdue"].replace(",", "")) <= len(mine[owner])


def test_the_update_requests_page_offers_the_pack_and_sends_it(council, page_app):
    from aiosmtpd.controller import Controller

    url, path = council
    expected = _expected_now(path)
    committee = _busiest_committee(expected)
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = page_app("pages/update_requests.py", url)
        app.secrets["smtp"] = {"host": "127.0.0.1", "port": port, "from": "scrutiny@c.example"}
        app.selectbox(key=COMMITTEE_KEY).set_value(committee).run()
        assert not app.exception
        owners = app.dataframe[0].value
        assert len(owners) == len(expected[committee])
        assert list(owners["items"]) == [
            len(expected[committee][o]) for o in _owner_order(path, expected[committee])
        ]
        download = app.get("download_button")[0]
        assert download.proto.label.startswith("Download the request pack")
        app.button(key=SEND_KEY).click().run()
        assert not app.exception
        assert any("Sent and recorded" in s.value for s in app.success)
    finally:
        controller.stop()
    assert len(inbox.received) == len(expected[committee])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT owner_id, sent_by, item_count FROM update_requests").fetchall()
    assert {o: n for o, _, n in rows} == {o: len(i) for o, i in expected[committee].items()}
    assert {by for _, by, _ in rows} == {LOCAL_USER.identity}
    # The page lists who was asked.
    sent_table = app.dataframe[1].value
    assert len(sent_table) == len(expected[committee])


def _owner_order(path, owners: dict[int, set[int]]) -> list[int]:
    """Owners in the page's order: by name, then id."""
    with sqlite3.connect(path) as db:
        names = dict(db.execute("SELECT id, name FROM officers"))
    return sorted(owners, key=lambda o: (names[o], o))


def test_a_committee_sets_how_many_days_before_the_meeting_updates_are_due(seed_db, page_app):
    url, engine = seed_db
    app = page_app("pages/committees.py", url)
    assert not app.exception
    assert [t.label for t in app.tabs][:4] == [
        "Meeting dates",
        "Import a calendar",
        "Update requests",
        "Rename or retire",
    ]
    committee = 1
    app.number_input(key=f"committees.request_days.{committee}").set_value(21)
    form_buttons = [b for b in app.button if b.label == "Save"]
    form_buttons[0].click().run()
    assert not app.exception
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        days = db.execute(
            "SELECT days_before_meeting FROM committee_request_settings WHERE committee_id = 1"
        ).fetchone()
    assert days == (21,)
    # The Update requests page dates the deadline from it (the seed's calendar runs out in
    # 2020, so ask as at a day before its last meeting).
    as_at = date(2020, 1, 1)
    requests = page_app("pages/update_requests.py", url, {"as_at": as_at.isoformat()})
    assert not requests.exception
    texts = " ".join(m.value for m in requests.markdown)
    meeting = date(2020, 1, 14)
    due = meeting - timedelta(days=21)
    assert f"**{meeting.day} {meeting:%B %Y}**" in texts
    assert f"**{due.day} {due:%B %Y}** (21 days before" in texts


def test_without_a_mail_server_the_pack_is_offered_to_download_only(council, page_app):
    url, path = council
    committee = _busiest_committee(_expected_now(path))
    app = page_app("pages/update_requests.py", url)
    app.selectbox(key=COMMITTEE_KEY).set_value(committee).run()
    assert not app.exception
    assert any("No mail server is configured" in c.value for c in app.caption)
    assert not [b for b in app.button if b.key == SEND_KEY]
    (download,) = app.get("download_button")
    assert download.proto.deferred_file_id, "the zip is built on the click"
