"""The SQL rules (data_access/rules_sql.py over data_access/state.py) agree with domain/rules.py.

A council is written row by row with SQLAlchemy Core, with dates placed on every boundary of
the rules around several as-at dates. The expected answers are worked out in Python from the
raw rows alone (replaying the updates with domain.replay for dates before the latest update),
never from the state query under test.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, case, func, insert, not_, select

from data_access import rules_sql
from data_access.db import open_tracker
from data_access.filters import Filters
from data_access.models import (
    Committee,
    Directorate,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.state import (
    apply_filters,
    filtered_state,
    needs_replay,
    next_meetings,
    recommendation_state,
)
from data_access.writes import current_state_columns, update_facts
from domain.replay import replay
from domain.rules import (
    DueBackReason,
    RecommendationFacts,
    ageing_bucket,
    days_overdue,
    due_back_reasons,
    is_overdue,
    is_slipped,
    is_stale,
    next_meeting,
    rag_rating,
)
from domain.settings import AGEING_BUCKET_LABELS, DEFAULT_THRESHOLDS, Thresholds
from domain.vocabulary import (
    Acceptance,
    Priority,
    Rag,
    SourceKind,
    Status,
)

LATEST = date(2024, 6, 15)  # the latest progress update in the synthetic council


def shift(day: date, days: int) -> date:
    return day + timedelta(days=days)


DIRECT_AS_ATS = [LATEST, shift(LATEST, 45), shift(LATEST, 200)]
REPLAY_AS_ATS = [
    shift(LATEST, -1),
    shift(LATEST, -30),
    shift(LATEST, -91),
    shift(LATEST, -181),
    date(2023, 6, 1),
]
ALL_AS_ATS = DIRECT_AS_ATS + REPLAY_AS_ATS

# Offsets that sit on every boundary of the rules (ageing buckets, stale, amber windows).
OFFSETS = (
    -400, -181, -180, -91, -90, -89, -61, -60, -31, -30, -1, 0, 1,
    29, 30, 31, 59, 60, 61, 90, 91, 180, 181,
)  # fmt: skip
MADE_ON = sorted(
    {shift(as_at, offset) for as_at in ALL_AS_ATS for offset in (-400, -91, -90, -89, 0, 1)}
)

# Committees and their calendars: meetings on some as-at dates (the next meeting is then
# that day), none after some as-at dates, and one committee without any meeting.
CALENDARS = {
    "Alpha Overview and Scrutiny Committee": [
        shift(LATEST, -200), shift(LATEST, -91), shift(LATEST, -30), LATEST,
        shift(LATEST, 30), shift(LATEST, 45), shift(LATEST, 120),
    ],
    "Beta Audit Committee": [
        shift(LATEST, -181), shift(LATEST, -60), shift(LATEST, -1), shift(LATEST, 250),
    ],
    "Gamma Committee": [],
}  # fmt: skip

MEETING_DAYS = sorted({day for days in CALENDARS.values() for day in days})
# Dates for targets, updates and acceptance: every boundary around every as-at date and
# every meeting (a target or a response due on the day of the next meeting, or the day after).
INTERESTING = sorted(
    {shift(as_at, offset) for as_at in ALL_AS_ATS for offset in OFFSETS}
    | {shift(day, offset) for day in MEETING_DAYS for offset in (-1, 0, 1)}
)

OFFICERS = ["Sheila Murphy", "Rory Patterson", "Jane O'Brien", "Ann Percival", "Zara Underwood"]
DIRECTORATES = ["Children's Services", "Adults, Housing and Health", "Resources"]
REF_PREFIXES = ["R", "SR_", "SRX", "SR (25/26) ", ""]
WORDINGS = [
    "Reduce agency spend by 10% this year.",
    "Reduce agency spend by 100 posts.",
    "Use the new_form template for every referral.",
    "Use the newXform template for every referral.",
    "Review the Section 20 guidance.",
    "REVIEW caseload SUPERVISION arrangements.",
    "Publish the criteria for a Serious Case Review widely.",
    "Train staff in the dispute resolution procedure.",
]


@dataclass
class World:
    """The raw rows of a tracker database, read without the state query."""

    recommendations: list[dict[str, Any]]
    updates: dict[int, list[dict[str, Any]]]
    sources: dict[int, dict[str, Any]]
    meetings: dict[int, list[date]]
    officer_names: dict[int, str]

    def update_count(self) -> int:
        return sum(len(rows) for rows in self.updates.values())


def read_world(connection: Connection) -> World:
    def rows(model) -> list[dict[str, Any]]:
        table = model.__table__
        return [dict(r._mapping) for r in connection.execute(select(table).order_by(table.c.id))]

    updates: dict[int, list[dict[str, Any]]] = {}
    for update in rows(ProgressUpdate):
        updates.setdefault(update["recommendation_id"], []).append(update)
    meetings: dict[int, list[date]] = {}
    for meeting in rows(Meeting):
        meetings.setdefault(meeting["committee_id"], []).append(meeting["meeting_date"])
    return World(
        recommendations=rows(Recommendation),
        updates=updates,
        sources={source["id"]: source for source in rows(Source)},
        meetings=meetings,
        officer_names={officer["id"]: officer["name"] for officer in rows(Officer)},
    )


def write_synthetic_council(connection: Connection, count: int = 900, seed: int = 11) -> None:
    """A council whose recommendations cover every edge of the rules around ALL_AS_ATS."""
    rng = random.Random(seed)
    directorate_ids = [
        connection.execute(
            insert(Directorate).values(name=name).returning(Directorate.id)
        ).scalar_one()
        for name in DIRECTORATES
    ]
    officer_ids = [
        connection.execute(
            insert(Officer)
            .values(name=name, job_title="Officer", directorate_id=rng.choice(directorate_ids))
            .returning(Officer.id)
        ).scalar_one()
        for name in OFFICERS
    ]
    committee_ids: list[int] = []
    meeting_ids: list[int] = []
    for name, days in CALENDARS.items():
        committee_id = connection.execute(
            insert(Committee).values(name=name).returning(Committee.id)
        ).scalar_one()
        committee_ids.append(committee_id)
        for day in days:
            meeting_ids.append(
                connection.execute(
                    insert(Meeting)
                    .values(committee_id=committee_id, meeting_date=day)
                    .returning(Meeting.id)
                ).scalar_one()
            )
    source_ids: list[tuple[int, int]] = []
    for number, kind in enumerate(list(SourceKind) * 3):
        committee_id = committee_ids[number % len(committee_ids)]
        issued = rng.choice(MADE_ON)
        source_id = connection.execute(
            insert(Source)
            .values(
                title=f"Source {number}",
                kind=kind.value,
                date_issued=issued,
                response_due_on=rng.choice(MEETING_DAYS if number % 2 else INTERESTING),
                confidentiality="public",
                committee_id=committee_id,
            )
            .returning(Source.id)
        ).scalar_one()
        source_ids.append((source_id, committee_id))

    def write(values: dict[str, Any], updates: list[dict[str, Any]]) -> None:
        columns = current_state_columns(values["original_target_date"], updates)
        recommendation_id = connection.execute(
            insert(Recommendation).values(**values, **columns).returning(Recommendation.id)
        ).scalar_one()
        for update in updates:  # in list order, so ids follow the order written
            connection.execute(
                insert(ProgressUpdate).values(recommendation_id=recommendation_id, **update)
            )

    for number in range(count):
        source_id, committee_id = rng.choice(source_ids)
        if rng.random() < 0.2:
            committee_id = rng.choice(committee_ids)
        made_on = rng.choice(MADE_ON)
        acceptance = rng.choice(list(Acceptance))
        accepted_on = None
        if acceptance is not Acceptance.AWAITING_RESPONSE and rng.random() < 0.9:
            accepted_on = rng.choice(INTERESTING)
        values = {
            "source_id": source_id,
            "committee_id": committee_id,
            "ref": f"{rng.choice(REF_PREFIXES)}{number + 1}",
            "wording": rng.choice(WORDINGS),
            "made_on": made_on,
            "acceptance": acceptance.value,
            "accepted_on": accepted_on,
            "accepted_in_principle": rng.random() < 0.1,
            "owner_id": rng.choice(officer_ids) if rng.random() < 0.9 else None,
            "directorate_id": rng.choice(directorate_ids) if rng.random() < 0.95 else None,
            "priority": rng.choice(list(Priority)).value,
            "original_target_date": rng.choice(INTERESTING) if rng.random() < 0.85 else None,
        }
        update_days = [day for day in INTERESTING if made_on <= day <= LATEST]
        updates: list[dict[str, Any]] = []
        commitment_days: set[date] = set()
        release_days: set[date] = set()
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4]) if update_days else 0):
            # Same-day updates are common: reuse a day already used half the time.
            if updates and rng.random() < 0.3:
                day = rng.choice(updates)["update_date"]
            else:
                day = rng.choice(update_days)
            report_back = rng.choice(
                [None, None, None, "next_meeting", "to_committee", "not_required"]
            )
            # A release and a commitment on the same day is covered by its own test below.
            if report_back in {"next_meeting", "to_committee"} and day in release_days:
                report_back = None
            if report_back == "not_required" and day in commitment_days:
                report_back = None
            if report_back in {"next_meeting", "to_committee"}:
                commitment_days.add(day)
            elif report_back == "not_required":
                release_days.add(day)
            new_target = rng.choice(INTERESTING) if rng.random() < 0.35 else None
            updates.append(
                {
                    "update_date": day,
                    "author": "An officer",
                    "narrative": "Progress.",
                    "new_status": rng.choice(list(Status)).value if rng.random() < 0.6 else None,
                    "new_target_date": new_target,
                    "target_change_reason": "Revised" if new_target else None,
                    "report_back": report_back,
                    "meeting_id": rng.choice(meeting_ids) if rng.random() < 0.5 else None,
                }
            )
        write(values, updates)

    # The latest update of the council, so that every as-at date before it needs a replay.
    source_id, committee_id = source_ids[0]
    write(
        {
            "source_id": source_id,
            "committee_id": committee_id,
            "ref": "LATEST",
            "wording": "The item updated last.",
            "made_on": shift(LATEST, -100),
            "acceptance": "accepted",
            "accepted_on": shift(LATEST, -100),
            "accepted_in_principle": False,
            "owner_id": officer_ids[0],
            "directorate_id": directorate_ids[0],
            "priority": "high",
            "original_target_date": shift(LATEST, 10),
        },
        [
            {
                "update_date": LATEST,
                "author": "An officer",
                "narrative": "Progress.",
                "new_status": "in_progress",
                "report_back": None,
                "meeting_id": None,
            }
        ],
    )


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("rules_sql") / "council.db"
    engine, _ = open_tracker(f"sqlite:///{path}")
    with engine.begin() as connection:
        write_synthetic_council(connection)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def world(council: Engine) -> World:
    with council.connect() as connection:
        return read_world(connection)


# Expected answers, from the raw rows -----------------------------------------------------


def facts_as_at(world: World, row: dict[str, Any], as_at: date, replayed: bool):
    """The rule facts of one recommendation as at a date, built from raw rows only."""
    if replayed:
        state = replay(
            row["original_target_date"],
            [update_facts(u, order=u["id"]) for u in world.updates.get(row["id"], [])],
            as_at,
        )
        status, target = state.status, state.current_target_date
        revisions, last_update, since = (
            state.revision_count,
            state.last_update_on,
            state.report_back_since,
        )
    else:
        status, target = Status(row["status"]), row["current_target_date"]
        revisions, last_update, since = (
            row["revision_count"],
            row["last_update_on"],
            row["report_back_since"],
        )
    acceptance = Acceptance(row["acceptance"])
    if (
        acceptance is not Acceptance.AWAITING_RESPONSE
        and row["accepted_on"] is not None
        and row["accepted_on"] > as_at
    ):
        acceptance = Acceptance.AWAITING_RESPONSE  # not yet accepted at that date
    return RecommendationFacts(
        status=status,
        made_on=row["made_on"],
        original_target_date=row["original_target_date"],
        current_target_date=target,
        revision_count=revisions,
        last_update_on=last_update,
        report_back_pending=since is not None and (status.is_open or status is Status.IMPLEMENTED),
        acceptance=acceptance,
        accepted_in_principle=row["accepted_in_principle"],
        response_due_on=world.sources[row["source_id"]]["response_due_on"],
        has_owner=row["owner_id"] is not None,
    )


BOOLEAN_RULES = [
    "overdue",
    "slipped",
    "stale",
    "due_for_report_back",
    "due_for_target",
    "due_for_overdue",
    "due_for_sign_off",
    "due_for_response",
    "is_due_back",
]
REASON_RULES = {
    "due_for_report_back": DueBackReason.REPORT_BACK,
    "due_for_target": DueBackReason.TARGET_BY_MEETING,
    "due_for_overdue": DueBackReason.OVERDUE,
    "due_for_sign_off": DueBackReason.AWAITING_SIGN_OFF,
    "due_for_response": DueBackReason.RESPONSE_DUE,
}


def expected_rows(
    world: World, as_at: date, replayed: bool, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[int, dict[str, Any]]:
    expected: dict[int, dict[str, Any]] = {}
    for row in world.recommendations:
        if row["made_on"] > as_at:
            continue
        facts = facts_as_at(world, row, as_at, replayed)
        next_on = next_meeting(world.meetings.get(row["committee_id"], []), as_at)
        reasons = due_back_reasons(facts, next_on, as_at)
        expected[row["id"]] = {
            "status": facts.status.value,
            "current_target_date": facts.current_target_date,
            "revision_count": facts.revision_count,
            "last_update_on": facts.last_update_on,
            "report_back_pending": facts.report_back_pending,
            "acceptance": facts.acceptance.value,
            "next_meeting": next_on,
            "overdue": is_overdue(facts, as_at),
            "slipped": is_slipped(facts, as_at),
            "stale": is_stale(facts, as_at, thresholds),
            "rag": rag_rating(facts, as_at, thresholds).rag.value,
            "ageing_bucket": ageing_bucket(days_overdue(facts, as_at)),
            **{name: reason in reasons for name, reason in REASON_RULES.items()},
            "is_due_back": bool(reasons),
        }
    return expected


# Answers from the SQL under test -----------------------------------------------------------


def sql_rule_expressions(state, meetings, as_at: date, thresholds: Thresholds) -> dict:
    next_on = meetings.c.next_meeting
    return {
        "overdue": rules_sql.is_overdue(state, as_at),
        "slipped": rules_sql.is_slipped(state, as_at),
        "stale": rules_sql.is_stale(state, as_at, thresholds),
        "due_for_report_back": rules_sql.due_for_report_back(state, next_on),
        "due_for_target": rules_sql.due_for_target(state, next_on),
        "due_for_overdue": rules_sql.due_for_overdue(state, next_on, as_at),
        "due_for_sign_off": rules_sql.due_for_sign_off(state, next_on),
        "due_for_response": rules_sql.due_for_response(state, next_on),
        "is_due_back": rules_sql.is_due_back(state, next_on, as_at),
    }


def sql_rows(
    connection: Connection, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[int, dict[str, Any]]:
    state = recommendation_state(connection, as_at)
    meetings = next_meetings(as_at)
    rules = sql_rule_expressions(state, meetings, as_at, thresholds)
    query = select(
        state.c.id,
        state.c.status,
        state.c.current_target_date,
        state.c.revision_count,
        state.c.last_update_on,
        state.c.report_back_pending,
        state.c.acceptance,
        meetings.c.next_meeting,
        *[case((rule, 1), else_=0).label(name) for name, rule in rules.items()],
        rules_sql.rag(state, as_at, thresholds).label("rag"),
        rules_sql.ageing_bucket(state, as_at).label("ageing_bucket"),
    ).select_from(state.outerjoin(meetings, meetings.c.committee_id == state.c.committee_id))
    found: dict[int, dict[str, Any]] = {}
    for result in connection.execute(query):
        row = dict(result._mapping)
        row_id = row.pop("id")
        row["report_back_pending"] = bool(row["report_back_pending"])
        for name in BOOLEAN_RULES:
            row[name] = bool(row[name])
        found[row_id] = row
    return found


def disagreements(
    expected: dict[int, dict[str, Any]], found: dict[int, dict[str, Any]]
) -> list[str]:
    problems = []
    if set(expected) != set(found):
        problems.append(
            f"rows only in Python: {sorted(set(expected) - set(found))[:10]}, "
            f"only in SQL: {sorted(set(found) - set(expected))[:10]}"
        )
    for row_id in sorted(set(expected) & set(found)):
        for key, value in expected[row_id].items():
            if found[row_id][key] != value:
                problems.append(f"#{row_id} {key}: SQL {found[row_id][key]!r}, Python {value!r}")
    return problems


# What depends on the report-back commitment.
REPORT_BACK_KEYS = ("report_back_pending", "due_for_report_back", "is_due_back")


def compare(
    engine: Engine,
    world: World,
    as_at: date,
    replayed: bool,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    only: tuple[str, ...] | None = None,
    leave_out: tuple[str, ...] = (),
) -> dict[int, dict[str, Any]]:
    """Assert the SQL and Python agree on every row (on the keys `only`, less `leave_out`)."""
    with engine.connect() as connection:
        assert needs_replay(connection, as_at) is replayed
        found = sql_rows(connection, as_at, thresholds)
    expected = expected_rows(world, as_at, replayed, thresholds)

    def kept(rows: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
        return {
            row_id: {
                key: value
                for key, value in row.items()
                if (only is None or key in only) and key not in leave_out
            }
            for row_id, row in rows.items()
        }

    problems = disagreements(kept(expected), kept(found))
    assert not problems, f"{len(problems)} disagreements as at {as_at}:\n" + "\n".join(
        problems[:25]
    )
    return expected


# The synthetic council -----------------------------------------------------------------


def test_the_written_current_state_is_the_replay_of_every_update(world: World) -> None:
    assert len(world.recommendations) > 800
    assert world.update_count() > 1000
    for row in world.recommendations:
        state = replay(
            row["original_target_date"],
            [update_facts(u, order=u["id"]) for u in world.updates.get(row["id"], [])],
        )
        assert (
            row["status"],
            row["current_target_date"],
            row["revision_count"],
            row["last_update_on"],
            row["report_back_since"],
        ) == (
            state.status.value,
            state.current_target_date,
            state.revision_count,
            state.last_update_on,
            state.report_back_since,
        )


@pytest.mark.parametrize("as_at", DIRECT_AS_ATS, ids=str)
def test_sql_rules_agree_as_at_and_after_the_latest_update(
    council: Engine, world: World, as_at: date
) -> None:
    compare(council, world, as_at, replayed=False)


@pytest.mark.parametrize("as_at", REPLAY_AS_ATS, ids=str)
def test_sql_rules_agree_before_the_latest_update_by_replaying(
    council: Engine, world: World, as_at: date
) -> None:
    compare(council, world, as_at, replayed=True)


def test_sql_report_back_agrees_before_the_latest_update_by_replaying(
    council: Engine, world: World
) -> None:
    for as_at in REPLAY_AS_ATS:
        compare(council, world, as_at, replayed=True, only=REPORT_BACK_KEYS)


@pytest.mark.parametrize("as_at", [LATEST, shift(LATEST, -30)], ids=str)
def test_sql_rules_agree_with_other_thresholds(council: Engine, world: World, as_at: date) -> None:
    thresholds = Thresholds(
        stale_after_days=30, amber_target_window_days=45, not_started_warning_days=90
    )
    replayed = as_at < LATEST
    custom = compare(
        council,
        world,
        as_at,
        replayed,
        thresholds,
    )
    default = expected_rows(world, as_at, replayed)
    # The thresholds matter: some items change RAG or staleness.
    assert any(custom[i]["rag"] != default[i]["rag"] for i in custom)
    assert any(custom[i]["stale"] != default[i]["stale"] for i in custom)


def test_the_council_covers_every_edge_of_the_rules(world: World) -> None:
    """Guard for the tests above: the data reach every outcome and boundary."""
    seen: dict[str, set] = {}
    boundary_days: dict[str, set[int]] = {"overdue": set(), "stale": set(), "target_in": set()}
    by_id = {row["id"]: row for row in world.recommendations}
    for as_at in ALL_AS_ATS:
        replayed = as_at < LATEST
        for row_id, expected in expected_rows(world, as_at, replayed).items():
            for key in ("status", "rag", "ageing_bucket", *BOOLEAN_RULES, "report_back_pending"):
                seen.setdefault(key, set()).add(expected[key])
            facts = facts_as_at(world, by_id[row_id], as_at, replayed)
            if facts.status.is_open:
                boundary_days["stale"].add((as_at - (facts.last_update_on or facts.made_on)).days)
                if facts.current_target_date is not None:
                    boundary_days["overdue"].add((as_at - facts.current_target_date).days)
                    boundary_days["target_in"].add((facts.current_target_date - as_at).days)
    assert seen["rag"] == {rag.value for rag in Rag}
    assert seen["ageing_bucket"] == {*AGEING_BUCKET_LABELS, None}
    assert seen["status"] == {status.value for status in Status}
    for key in (*BOOLEAN_RULES, "report_back_pending"):
        assert seen[key] == {True, False}, key
    assert {1, 30, 31, 90, 91, 180, 181} <= boundary_days["overdue"]
    assert {89, 90, 91} <= boundary_days["stale"]
    assert {0, 30, 31, 60, 61} <= boundary_days["target_in"]


@pytest.mark.parametrize(
    "rule",
    [
        "overdue",
        "slipped",
        "stale",
        "due_for_report_back",
        "due_for_target",
        "due_for_overdue",
        "due_for_sign_off",
        "due_for_response",
        "is_due_back",
    ],
)
def test_negated_sql_rules_count_every_other_item(council: Engine, rule: str) -> None:
    """Every item is either `rule` or `~rule` (e.g. "not overdue"): none is lost to NULL."""
    for as_at in (LATEST, shift(LATEST, -30)):
        with council.connect() as connection:
            state = recommendation_state(connection, as_at)
            meetings = next_meetings(as_at)
            expression = sql_rule_expressions(state, meetings, as_at, DEFAULT_THRESHOLDS)[rule]
            joined = state.outerjoin(meetings, meetings.c.committee_id == state.c.committee_id)

            def count(*conditions, joined=joined, connection=connection) -> int:
                query = select(func.count()).select_from(joined).where(*conditions)
                return connection.execute(query).scalar_one()

            total, holds, fails = count(), count(expression), count(not_(expression))
        assert 0 < holds < total, (rule, as_at)
        assert holds + fails == total, (rule, as_at)


# Report-back on the day it was both made and released --------------------------------------


MEETING_ID = 1  # the one meeting of the one committee below


def _one_item_with_updates(engine: Engine, updates: list[dict[str, Any]]) -> None:
    """Item "1" with these updates (dicts of update columns), reported to meeting 1 if said."""
    with engine.begin() as connection:
        committee_id = connection.execute(
            insert(Committee).values(name="Committee").returning(Committee.id)
        ).scalar_one()
        meeting_id = connection.execute(
            insert(Meeting)
            .values(committee_id=committee_id, meeting_date=date(2024, 3, 12))
            .returning(Meeting.id)
        ).scalar_one()
        assert meeting_id == MEETING_ID
        source_id = connection.execute(
            insert(Source)
            .values(
                title="Audit",
                kind="internal_audit",
                date_issued=date(2024, 1, 5),
                response_due_on=date(2024, 3, 5),
                committee_id=committee_id,
            )
            .returning(Source.id)
        ).scalar_one()
        rows = [{"author": "An officer", "narrative": "Progress.", **u} for u in updates]
        values = {
            "source_id": source_id,
            "committee_id": committee_id,
            "ref": "1",
            "wording": "Do it.",
            "made_on": date(2024, 1, 5),
            "acceptance": "accepted",
            "original_target_date": date(2024, 12, 31),
        }
        recommendation_id = connection.execute(
            insert(Recommendation)
            .values(**values, **current_state_columns(values["original_target_date"], rows))
            .returning(Recommendation.id)
        ).scalar_one()
        for row in rows:
            connection.execute(
                insert(ProgressUpdate).values(recommendation_id=recommendation_id, **row)
            )
        # A later update elsewhere, so that 12 March 2024 must be replayed.
        other = connection.execute(
            insert(Recommendation)
            .values(**{**values, "ref": "2"}, status="in_progress", last_update_on=date(2024, 5, 1))
            .returning(Recommendation.id)
        ).scalar_one()
        connection.execute(
            insert(ProgressUpdate).values(
                recommendation_id=other,
                update_date=date(2024, 5, 1),
                author="An officer",
                narrative="Later.",
                new_status="in_progress",
            )
        )


def _pending_as_at(engine: Engine, as_at: date) -> dict[str, bool]:
    with engine.connect() as connection:
        assert needs_replay(connection, as_at)
        state = recommendation_state(connection, as_at)
        return {
            ref: bool(pending)
            for ref, pending in connection.execute(select(state.c.ref, state.c.report_back_pending))
        }


def test_replay_in_sql_keeps_a_commitment_made_at_a_meeting(empty_db) -> None:
    _, engine = empty_db
    day = date(2024, 3, 12)
    updates = [
        {"update_date": day, "report_back": "not_required", "meeting_id": MEETING_ID},
        {"update_date": day, "report_back": "next_meeting", "new_status": "in_progress"},
        {"update_date": day, "report_back": None, "meeting_id": MEETING_ID},
    ]
    _one_item_with_updates(engine, updates)
    python = replay(None, [update_facts(u, o) for o, u in enumerate(updates)], day)
    assert python.report_back_since == day
    assert _pending_as_at(engine, day)["1"] is True


def test_replay_in_sql_releases_a_commitment_released_later_the_same_day(empty_db) -> None:
    _, engine = empty_db
    day = date(2024, 3, 12)
    updates = [
        {"update_date": day, "report_back": "next_meeting", "new_status": "in_progress"},
        {"update_date": day, "report_back": "not_required", "meeting_id": MEETING_ID},
    ]
    _one_item_with_updates(engine, updates)
    python = replay(None, [update_facts(u, o) for o, u in enumerate(updates)], day)
    assert python.report_back_since is None
    assert _pending_as_at(engine, day)["1"] is False


# Filters ---------------------------------------------------------------------------------


def python_filter(world: World, filters: Filters) -> set[int]:
    """The ids the shared filters should keep, worked out in Python from the raw rows."""
    replayed = filters.as_at < LATEST
    needle = filters.search.strip().lower()
    kept = set()
    for row in world.recommendations:
        if row["made_on"] > filters.as_at:
            continue
        facts = facts_as_at(world, row, filters.as_at, replayed)
        source = world.sources[row["source_id"]]
        target = facts.current_target_date
        owner = world.officer_names.get(row["owner_id"], "") if row["owner_id"] else ""
        checks = [
            not filters.committee_ids or row["committee_id"] in filters.committee_ids,
            not filters.source_ids or row["source_id"] in filters.source_ids,
            not filters.source_kinds or source["kind"] in filters.source_kinds,
            not filters.directorate_ids or row["directorate_id"] in filters.directorate_ids,
            not filters.owner_ids or row["owner_id"] in filters.owner_ids,
            not filters.statuses or facts.status.value in filters.statuses,
            not filters.priorities or row["priority"] in filters.priorities,
            not filters.rags or rag_rating(facts, filters.as_at).rag.value in filters.rags,
            filters.target_from is None or (target is not None and target >= filters.target_from),
            filters.target_to is None or (target is not None and target <= filters.target_to),
            not needle
            or needle in row["ref"].lower()
            or needle in row["wording"].lower()
            or needle in owner.lower(),
        ]
        if all(checks):
            kept.add(row["id"])
    return kept


def sql_filter(engine: Engine, filters: Filters) -> set[int]:
    with engine.connect() as connection:
        state = recommendation_state(connection, filters.as_at)
        via_apply = set(
            connection.execute(apply_filters(select(state.c.id), state, filters)).scalars()
        )
        filtered = filtered_state(connection, filters)
        via_filtered = set(connection.execute(select(filtered.c.id)).scalars())
    assert via_apply == via_filtered
    return via_apply


FILTER_CASES = {
    "nothing": {},
    "committee": {"committee_ids": (1,)},
    "committees": {"committee_ids": (1, 3)},
    "source": {"source_ids": (2,)},
    "sources": {"source_ids": (1, 5, 9)},
    "kind": {"source_kinds": ("internal_audit",)},
    "kinds": {"source_kinds": ("inspection", "ombudsman", "scrutiny_review")},
    "directorate": {"directorate_ids": (2,)},
    "owner": {"owner_ids": (3,)},
    "owners": {"owner_ids": (1, 4)},
    "status": {"statuses": ("in_progress",)},
    "statuses": {"statuses": ("implemented", "closed", "not_started")},
    "rag-red": {"rags": ("red",)},
    "rag-amber-green": {"rags": ("amber", "green")},
    "rag-blue-grey": {"rags": ("blue", "grey")},
    "priority": {"priorities": ("high",)},
    "priorities": {"priorities": ("medium", "low")},
    "target-from": {"target_from": shift(LATEST, -30)},
    "target-to": {"target_to": shift(LATEST, 30)},
    "target-range": {"target_from": shift(LATEST, -30), "target_to": shift(LATEST, 30)},
    "target-one-day": {"target_from": shift(LATEST, 30), "target_to": shift(LATEST, 30)},
    "combined": {
        "committee_ids": (1, 2),
        "statuses": ("in_progress", "not_started"),
        "rags": ("red", "amber"),
        "priorities": ("high", "medium"),
        "target_to": shift(LATEST, 90),
    },
    "search-percent-literal": {"search": "10%"},
    "search-percent-alone": {"search": "%"},
    "search-underscore-literal": {"search": "new_form"},
    "search-underscore-alone": {"search": "_"},
    "search-ref-underscore": {"search": "sr_1"},
    "search-case-insensitive": {"search": "review"},
    "search-upper": {"search": "SUPERVISION"},
    "search-ref": {"search": "SR (25/26) 1"},
    "search-owner": {"search": "  murphy  "},
    "search-owner-quote": {"search": "o'brien"},
    "search-no-match": {"search": "nothing matches this"},
    "search-blank": {"search": "   "},
}


@pytest.mark.parametrize("as_at", [LATEST, shift(LATEST, -91)], ids=str)
@pytest.mark.parametrize("changes", FILTER_CASES.values(), ids=FILTER_CASES.keys())
def test_apply_filters_keeps_exactly_what_python_keeps(
    council: Engine, world: World, as_at: date, changes: dict[str, Any]
) -> None:
    filters = Filters(as_at=as_at, **changes)
    expected = python_filter(world, filters)
    assert sql_filter(council, filters) == expected
    if changes and "nothing matches" not in str(changes) and changes.get("search") != "   ":
        everything = python_filter(world, Filters(as_at=as_at))
        assert expected, "the case keeps something"
        assert expected < everything, "the case narrows"


def test_search_treats_wildcards_literally(council: Engine, world: World) -> None:
    percent = sql_filter(council, Filters(as_at=LATEST, search="10%"))
    wordings = {r["id"]: r["wording"] for r in world.recommendations}
    assert percent and all("10%" in wordings[i] for i in percent)
    underscore = sql_filter(council, Filters(as_at=LATEST, search="new_form"))
    assert underscore and all("new_form" in wordings[i] for i in underscore)


def test_search_is_case_insensitive_beyond_ascii(empty_db) -> None:
    _, engine = empty_db
    with engine.begin() as connection:
        committee_id = connection.execute(
            insert(Committee).values(name="Committee").returning(Committee.id)
        ).scalar_one()
        source_id = connection.execute(
            insert(Source)
            .values(
                title="Audit",
                kind="internal_audit",
                date_issued=date(2024, 1, 5),
                response_due_on=date(2024, 3, 5),
            )
            .returning(Source.id)
        ).scalar_one()
        owner_id = connection.execute(
            insert(Officer).values(name="Seán Ó Briain").returning(Officer.id)
        ).scalar_one()
        connection.execute(
            insert(Recommendation).values(
                source_id=source_id,
                committee_id=committee_id,
                ref="1",
                wording="Éire: review the ÉLAN scheme.",
                made_on=date(2024, 1, 5),
                owner_id=owner_id,
            )
        )
    as_at = date(2024, 6, 1)
    assert sql_filter(engine, Filters(as_at=as_at, search="Ó Briain")) == {1}
    assert sql_filter(engine, Filters(as_at=as_at, search="ó briain")) == {1}
    assert sql_filter(engine, Filters(as_at=as_at, search="élan")) == {1}


# The demo council ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_world(demo_db_path: Path) -> Iterator[tuple[Engine, World]]:
    engine, _ = open_tracker(f"sqlite:///{demo_db_path}")
    with engine.connect() as connection:
        world = read_world(connection)
    yield engine, world
    engine.dispose()


def test_demo_current_state_is_the_replay_of_its_updates(demo_world) -> None:
    _, world = demo_world
    assert len(world.recommendations) >= 400
    for row in world.recommendations:
        state = replay(
            row["original_target_date"],
            [update_facts(u, order=u["id"]) for u in world.updates.get(row["id"], [])],
        )
        assert (row["status"], row["current_target_date"], row["revision_count"]) == (
            state.status.value,
            state.current_target_date,
            state.revision_count,
        ), row["ref"]
        assert (row["last_update_on"], row["report_back_since"]) == (
            state.last_update_on,
            state.report_back_since,
        ), row["ref"]


@pytest.mark.parametrize("days_before", [0, 120, 400])
def test_sql_rules_agree_on_every_demo_recommendation(demo_world, days_before: int) -> None:
    engine, world = demo_world
    as_at = shift(date.today(), -days_before)
    with engine.connect() as connection:
        replayed = needs_replay(connection, as_at)
    assert replayed is (days_before > 0)
    expected = compare(engine, world, as_at, replayed)
    assert len(expected) > 100


def test_sql_report_back_agrees_on_every_demo_recommendation_as_at_earlier_dates(
    demo_world,
) -> None:
    engine, world = demo_world
    for days_before in (120, 400):
        as_at = shift(date.today(), -days_before)
        compare(engine, world, as_at, replayed=True, only=REPORT_BACK_KEYS)
