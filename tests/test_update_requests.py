"""Asking owners for updates before a committee meets: the request pack and sending it.

For the demo council, the committee with the most owners to ask at its next meeting: the pack
must hold one `.eml` per owner listing exactly that owner's items due back, overdue or stale.
The expected lists are worked out here from the raw tables with the pure rules
(`domain.replay` over the progress updates, then `domain.rules`), not from the query under
test. Sending goes through a real SMTP server (aiosmtpd) the test starts on 127.0.0.1, and
must record who was asked, when, and by whom.
"""

from __future__ import annotations

import email
import io
import re
import shutil
import socket
import sqlite3
import zipfile
from collections import defaultdict
from datetime import date, datetime
from email import policy

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.committee_settings import record_update_request, save_request_days
from data_access.db import open_tracker
from data_access.queries.requests import (
    items_needing_updates,
    request_days,
    request_meeting,
    requests_sent,
)
from data_access.writes import InvalidUpdate
from domain.replay import replay
from domain.rules import RecommendationFacts, due_back_reasons, is_overdue, is_stale
from domain.vocabulary import Acceptance, Status
from exports.update_requests import (
    RequestContext,
    SmtpSettings,
    owner_requests,
    request_pack_zip,
    send_requests,
)
from tests.oracle import day, update_facts_by_recommendation

TODAY = date.today()
APP_URL = "http://tracker.example.gov.uk"
LINK = re.compile(r"Open it: " + re.escape(APP_URL) + r"/register\?rec=(\d+)")


def _expected(db: sqlite3.Connection, as_at: date) -> dict[int, dict[int, set[int]]]:
    """{committee: {owner: {recommendation ids}}} to ask about, from the rules alone."""
    updates = update_facts_by_recommendation(db)
    meetings: dict[int, list[date]] = defaultdict(list)
    for committee, held in db.execute("SELECT committee_id, meeting_date FROM meetings"):
        meetings[committee].append(day(held))
    rows = db.execute(
        "SELECT r.id, r.committee_id, r.owner_id, r.made_on, r.original_target_date, "
        "r.acceptance, r.accepted_on, r.accepted_in_principle, s.response_due_on "
        "FROM recommendations r JOIN sources s ON s.id = r.source_id"
    ).fetchall()
    expected: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for rec_id, committee, owner, made, original, acceptance, accepted_on, principle, due in rows:
        if owner is None or day(made) > as_at:
            continue
        state = replay(day(original), updates.get(rec_id, []), as_at)
        answered = acceptance != Acceptance.AWAITING_RESPONSE.value and not (
            accepted_on and day(accepted_on) > as_at
        )
        facts = RecommendationFacts(
            status=state.status,
            made_on=day(made),
            original_target_date=day(original),
            current_target_date=state.current_target_date,
            revision_count=state.revision_count,
            last_update_on=state.last_update_on,
            report_back_pending=state.report_back_since is not None
            and (state.status.is_open or state.status is Status.IMPLEMENTED),
            acceptance=Acceptance(acceptance) if answered else Acceptance.AWAITING_RESPONSE,
            accepted_in_principle=bool(principle),
            response_due_on=day(due),
            has_owner=True,
        )
        ahead = sorted(d for d in meetings[committee] if d >= as_at)
        next_meeting = ahead[0] if ahead else None
        if (
            due_back_reasons(facts, next_meeting, as_at)
            or is_overdue(facts, as_at)
            or is_stale(facts, as_at)
        ):
            expected[committee][owner].add(rec_id)
    return expected


@pytest.fixture
def council(demo_db_path, tmp_path) -> tuple[str, Engine]:
    """A copy of the demo council (sending writes to it), owners given email addresses."""
    path = tmp_path / "council.db"
    shutil.copy(demo_db_path, path)
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE officers SET email = lower(replace(name, ' ', '.')) || '@council.example'"
        )
    url = f"sqlite:///{path}"
    engine, _ = open_tracker(url)
    yield url, engine
    engine.dispose()


def _busiest_committee(expected: dict[int, dict[int, set[int]]]) -> int:
    return max(expected, key=lambda committee: (len(expected[committee]), -committee))


def _pack(engine: Engine, committee: int) -> tuple[list, RequestContext]:
    with engine.connect() as conn:
        meeting = request_meeting(conn, committee, TODAY)
        items = items_needing_updates(conn, TODAY, committee_id=committee)
    context = RequestContext(
        committee=meeting.committee,
        meeting_date=meeting.meeting_date,
        updates_due_on=meeting.updates_due_on,
        app_url=APP_URL,
        sender="scrutiny@council.example",
        signed="Scrutiny team",
    )
    return owner_requests(items), context


def test_the_pack_has_one_eml_per_owner_listing_exactly_their_items(council):
    url, engine = council
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        expected = _expected(db, TODAY)
        owners = dict(db.execute("SELECT id, name FROM officers"))
        emails = dict(db.execute("SELECT id, email FROM officers"))
    committee = _busiest_committee(expected)
    assert len(expected[committee]) >= 3, "the demo council should have several owners to ask"
    requests, context = _pack(engine, committee)
    pack = zipfile.ZipFile(io.BytesIO(request_pack_zip(requests, context, TODAY)))
    emls = [name for name in pack.namelist() if name.endswith(".eml")]
    assert len(emls) == len(expected[committee])

    found: dict[int, set[int]] = {}
    by_address = {address: owner for owner, address in emails.items()}
    for name in emls:
        message = email.message_from_bytes(pack.read(name), policy=policy.default)
        owner = by_address[message["To"].addresses[0].addr_spec]
        assert message["To"].addresses[0].display_name == owners[owner]
        body = message.get_content()
        assert body.startswith(f"Dear {owners[owner]},")
        assert str(context.meeting_date.year) in message["Subject"]
        ids = [int(i) for i in LINK.findall(body)]
        assert len(ids) == len(set(ids)), "each item listed once"
        found[owner] = set(ids)
    assert found == {owner: ids for owner, ids in expected[committee].items()}

    merge = pd.read_csv(
        io.BytesIO(pack.read(next(n for n in pack.namelist() if n.endswith(".csv"))))
    )
    assert sorted(merge["Email"]) == sorted(emails[o] for o in expected[committee])
    counts = dict(zip(merge["Email"], merge["Number of items"], strict=True))
    assert counts == {emails[o]: len(ids) for o, ids in expected[committee].items()}


def test_my_items_are_exactly_the_owners_items_across_committees(council):
    url, engine = council
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        expected = _expected(db, TODAY)
    mine: dict[int, set[int]] = defaultdict(set)
    for by_owner in expected.values():
        for owner, ids in by_owner.items():
            mine[owner] |= ids
    owner = max(mine, key=lambda o: (len(mine[o]), -o))
    with engine.connect() as conn:
        items = items_needing_updates(conn, TODAY, owner_id=owner)
    assert set(items["id"]) == mine[owner]
    assert items["why"].str.len().min() > 0


def _free_port() -> int:
    """A free ephemeral port on 127.0.0.1 (aiosmtpd's controller needs a number, not 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    """What the local SMTP server received: (envelope recipients, message bytes)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_sending_through_the_mail_server_records_who_was_asked_when(council, smtp_server):
    url, engine = council
    port, inbox = smtp_server
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        expected = _expected(db, TODAY)
        emails = dict(db.execute("SELECT id, email FROM officers"))
    committee = _busiest_committee(expected)
    requests, context = _pack(engine, committee)
    with engine.connect() as conn:
        meeting = request_meeting(conn, committee, TODAY)
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="scrutiny@council.example")
    started = datetime.now()

    def record(request, sent_to, sent_at):
        with engine.begin() as conn:
            record_update_request(
                conn,
                owner_id=request.owner_id,
                committee_id=committee,
                meeting_id=meeting.meeting_id,
                sent_to=sent_to,
                sent_at=sent_at,
                sent_by="scrutiny.officer@council.example",
                item_count=len(request.items),
            )

    results = send_requests(requests, context, settings, TODAY, on_sent=record)
    assert all(result.problem is None for result in results)
    assert sorted(to[0] for to, _ in inbox.received) == sorted(
        emails[o] for o in expected[committee]
    )
    for _, content in inbox.received:
        assert b"X-Unsent" not in content  # a sent message is not a draft
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT owner_id, committee_id, meeting_id, sent_to, sent_at, sent_by, item_count "
            "FROM update_requests ORDER BY id"
        ).fetchall()
    assert {row[0]: row[6] for row in rows} == {
        o: len(ids) for o, ids in expected[committee].items()
    }
    for owner, committee_id, meeting_id, sent_to, sent_at, sent_by, _ in rows:
        assert (committee_id, meeting_id, sent_to) == (committee, meeting.meeting_id, emails[owner])
        assert sent_by == "scrutiny.officer@council.example"
        assert started <= datetime.fromisoformat(sent_at) <= datetime.now()
    with engine.connect() as conn:
        listed = requests_sent(conn, committee, meeting.meeting_id)
    assert len(listed) == len(expected[committee])


def test_an_unreachable_mail_server_sends_and_records_nothing(council):
    url, engine = council
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        committee = _busiest_committee(_expected(db, TODAY))
    requests, context = _pack(engine, committee)
    port = _free_port()  # nothing listens there
    recorded = []
    results = send_requests(
        requests,
        context,
        SmtpSettings("127.0.0.1", port, "scrutiny@council.example"),
        TODAY,
        on_sent=lambda *args: recorded.append(args),
    )
    assert recorded == []
    assert all(r.problem and r.problem.startswith("not sent") for r in results)


def test_the_days_before_the_meeting_are_a_setting_per_committee(council):
    _, engine = council
    with engine.connect() as conn:
        committee = conn.exec_driver_sql("SELECT min(id) FROM committees").scalar()
        assert request_days(conn, committee) == (14, False)
    with engine.begin() as conn:
        save_request_days(conn, committee, 10)
    with engine.connect() as conn:
        assert request_days(conn, committee) == (10, True)
        meeting = request_meeting(conn, committee, TODAY)
    if meeting.meeting_date:
        assert (meeting.meeting_date - meeting.updates_due_on).days == 10
    with pytest.raises(InvalidUpdate, match="from 0 to 120"), engine.begin() as conn:
        save_request_days(conn, committee, 400)
    with engine.connect() as conn:
        assert request_days(conn, committee) == (10, True)
