"""The generated demo council: its size, its determinism, and that its data tells the truth.

Every property is computed again here from the database with SQL (and, for the current-state
columns, with a fresh replay of the update rows), not taken from the generator's own answers.
"""

from __future__ import annotations

import string
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

import demo.words as words
from data_access.seed import SEED_COMMITTEE, SEED_DIRECTORATE, SEED_SOURCE_TITLE
from demo import DemoSummary, build_demo_database
from domain.replay import UpdateFacts, replay
from domain.rules import response_due_on
from domain.vocabulary import ReportBack, SourceKind, Status

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 3, 10)
SIZE = 400
OPEN = "status IN ('not_started', 'in_progress')"


def _build(path: Path, recommendations: int = SIZE, seed: int = 2019, today=TODAY, **kw):
    return build_demo_database(f"sqlite:///{path}", recommendations, seed, today, **kw)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = _build(path)
    engine = create_engine(f"sqlite:///{path}")
    yield engine, summary
    engine.dispose()


def _rows(engine: Engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def _one(engine: Engine, sql: str, **params):
    return _rows(engine, sql, **params)[0][0]


def _date(value) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


# -- size ----------------------------------------------------------------------------------


def test_counts_scale_with_the_number_asked_for(demo):
    engine, summary = demo
    recommendations = _one(engine, "SELECT count(*) FROM recommendations")
    actions = _one(engine, "SELECT count(*) FROM actions")
    updates = _one(engine, "SELECT count(*) FROM progress_updates")
    assert recommendations == SIZE + 6  # the seed's six included
    assert 2.5 * SIZE <= actions <= 3.5 * SIZE
    assert 5 * SIZE <= updates <= 7.5 * SIZE
    assert (summary.recommendations, summary.actions, summary.updates) == (
        recommendations,
        actions,
        updates,
    )
    assert summary.seconds >= 0
    sources = _one(engine, "SELECT count(*) FROM sources")
    assert SIZE / 10 * 0.8 <= sources - 1 <= SIZE / 10 * 1.2


def test_the_council_is_realistically_shaped(demo):
    engine, _ = demo
    assert 7 <= _one(engine, "SELECT count(*) FROM directorates") <= 9
    assert 50 <= _one(engine, "SELECT count(*) FROM officers") <= 70
    assert 6 <= _one(engine, "SELECT count(*) FROM committees") <= 8
    kinds = {kind for (kind,) in _rows(engine, "SELECT DISTINCT kind FROM sources")}
    assert kinds == {kind.value for kind in SourceKind}
    # The seed's directorate and committee are reused, not duplicated.
    for table, name in (("directorates", SEED_DIRECTORATE), ("committees", SEED_COMMITTEE)):
        assert _one(engine, f"SELECT count(*) FROM {table} WHERE name = :n", n=name) == 1
    seed_committee_sources = _one(
        engine,
        "SELECT count(*) FROM sources s JOIN committees c ON c.id = s.committee_id "
        "WHERE c.name = :n AND s.title <> :t",
        n=SEED_COMMITTEE,
        t=SEED_SOURCE_TITLE,
    )
    assert seed_committee_sources > 0


def test_the_seed_report_is_present(demo):
    engine, _ = demo
    rows = _rows(
        engine,
        "SELECT r.ref, r.status FROM recommendations r JOIN sources s ON s.id = r.source_id "
        "WHERE s.title = :title ORDER BY r.ref",
        title=SEED_SOURCE_TITLE,
    )
    assert [ref for ref, _ in rows] == ["1", "2", "3", "4", "5", "6"]
    assert {ref for ref, status in rows if status == "closed"} == {"1", "4", "5", "6"}


# -- determinism ---------------------------------------------------------------------------

DUMP = (
    "SELECT id, source_id, committee_id, ref, wording, made_on, acceptance, accepted_on, "
    "owner_id, priority, original_target_date, status, current_target_date, revision_count, "
    "last_update_on, report_back_since, closed_at_meeting_id FROM recommendations ORDER BY id",
    "SELECT id, recommendation_id, action_id, update_date, author, narrative, new_status, "
    "new_target_date, report_back, meeting_id, recorded_at FROM progress_updates ORDER BY id",
    "SELECT id, recommendation_id, description, owner_id, due_date, status, completed_on, "
    "evidence FROM actions ORDER BY id",
    "SELECT id, title, kind, date_issued, confidentiality, committee_id, document_url "
    "FROM sources ORDER BY id",
    "SELECT id, committee_id, meeting_date FROM meetings ORDER BY id",
    "SELECT id, name, job_title, directorate_id FROM officers ORDER BY id",
)


def _dump(path: Path) -> list[list[tuple]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return [_rows(engine, sql) for sql in DUMP]
    finally:
        engine.dispose()


def test_same_arguments_give_the_same_database(tmp_path):
    _build(tmp_path / "a.db")
    _build(tmp_path / "b.db")
    _build(tmp_path / "c.db", seed=2020)
    first, second, other = (_dump(tmp_path / name) for name in ("a.db", "b.db", "c.db"))
    assert first == second
    assert first[0] != other[0]  # recommendations differ with another seed
    assert first[1] != other[1]


# -- the history tells the truth ------------------------------------------------------------


def test_every_committee_has_a_meeting_after_today(demo):
    engine, _ = demo
    without = _rows(
        engine,
        "SELECT c.name FROM committees c WHERE NOT EXISTS (SELECT 1 FROM meetings m "
        "WHERE m.committee_id = c.id AND m.meeting_date > :today)",
        today=TODAY,
    )
    assert without == []


def test_no_meetings_in_august_for_the_generated_calendar(demo):
    engine, _ = demo
    august = _rows(
        engine,
        "SELECT meeting_date FROM meetings WHERE strftime('%m', meeting_date) = '08' "
        "AND meeting_date > '2021-01-01'",
    )
    assert august == []


def test_updates_fall_between_the_recommendation_and_today(demo):
    engine, _ = demo
    assert _one(engine, "SELECT max(update_date) FROM progress_updates") <= str(TODAY)
    early = _one(
        engine,
        "SELECT count(*) FROM progress_updates u JOIN recommendations r "
        "ON r.id = u.recommendation_id WHERE u.update_date < r.made_on",
    )
    assert early == 0
    assert _one(engine, "SELECT count(*) FROM progress_updates WHERE author = ''") == 0
    assert _one(engine, "SELECT max(made_on) FROM recommendations") <= str(TODAY)


def test_updates_reported_to_a_meeting_are_dated_on_it(demo):
    engine, _ = demo
    wrong = _one(
        engine,
        "SELECT count(*) FROM progress_updates u JOIN meetings m ON m.id = u.meeting_id "
        "JOIN recommendations r ON r.id = u.recommendation_id "
        "WHERE m.meeting_date <> u.update_date OR m.committee_id <> r.committee_id",
    )
    assert wrong == 0
    wrong_action = _one(
        engine,
        "SELECT count(*) FROM progress_updates u JOIN actions a ON a.id = u.action_id "
        "WHERE a.recommendation_id <> u.recommendation_id",
    )
    assert wrong_action == 0
    assert _one(engine, "SELECT count(*) FROM progress_updates WHERE action_id IS NOT NULL") > 0


def test_current_state_columns_equal_a_fresh_replay_of_the_updates(demo):
    engine, _ = demo
    updates: dict[int, list[UpdateFacts]] = defaultdict(list)
    for rec_id, day, status, target, report_back, meeting_id in _rows(
        engine,
        "SELECT recommendation_id, update_date, new_status, new_target_date, report_back, "
        "meeting_id FROM progress_updates ORDER BY recommendation_id, update_date, id",
    ):
        facts = updates[rec_id]
        facts.append(
            UpdateFacts(
                update_date=_date(day),
                new_status=Status(status) if status else None,
                new_target_date=_date(target),
                report_back=ReportBack(report_back) if report_back else None,
                reported_to_meeting=meeting_id is not None,
                order=len(facts),
            )
        )
    recommendations = _rows(
        engine,
        "SELECT id, original_target_date, status, current_target_date, revision_count, "
        "last_update_on, report_back_since FROM recommendations",
    )
    assert len(recommendations) == SIZE + 6
    for rec_id, original, status, current, revisions, last, since in recommendations:
        state = replay(_date(original), updates[rec_id])
        stored = (status, _date(current), revisions, _date(last), _date(since))
        expected = (
            state.status.value,
            state.current_target_date,
            state.revision_count,
            state.last_update_on,
            state.report_back_since,
        )
        assert stored == expected, rec_id


def test_closed_items_were_closed_at_a_meeting_of_their_committee(demo):
    engine, _ = demo
    closed = _rows(
        engine,
        "SELECT r.id, r.committee_id, r.closed_at_meeting_id, m.committee_id, m.meeting_date, "
        "(SELECT u.update_date FROM progress_updates u WHERE u.recommendation_id = r.id "
        " AND u.new_status = 'closed' ORDER BY u.update_date DESC, u.id DESC LIMIT 1), "
        "(SELECT u.meeting_id FROM progress_updates u WHERE u.recommendation_id = r.id "
        " AND u.new_status = 'closed' ORDER BY u.update_date DESC, u.id DESC LIMIT 1) "
        "FROM recommendations r LEFT JOIN meetings m ON m.id = r.closed_at_meeting_id "
        "WHERE r.status = 'closed'",
    )
    assert len(closed) > 50
    for rec_id, committee, meeting_id, meeting_committee, meeting_date, closed_on, via in closed:
        assert meeting_id is not None and meeting_id == via, rec_id
        assert meeting_committee == committee, rec_id
        assert meeting_date == closed_on, rec_id
    not_closed = _one(
        engine,
        "SELECT count(*) FROM recommendations WHERE status <> 'closed' "
        "AND closed_at_meeting_id IS NOT NULL",
    )
    assert not_closed == 0


def test_actions_agree_with_their_recommendation(demo):
    engine, _ = demo
    done_but_open = _one(
        engine,
        "SELECT count(*) FROM actions a JOIN recommendations r ON r.id = a.recommendation_id "
        "WHERE r.status IN ('implemented', 'closed') "
        "AND a.status IN ('not_started', 'in_progress')",
    )
    assert done_but_open == 0
    completed_without = _one(
        engine,
        "SELECT count(*) FROM actions WHERE status = 'completed' "
        "AND (completed_on IS NULL OR evidence IS NULL OR completed_on > :today)",
        today=TODAY,
    )
    assert completed_without == 0
    overdue_actions = _one(
        engine,
        "SELECT count(*) FROM actions WHERE status IN ('not_started', 'in_progress') "
        "AND due_date < :today",
        today=TODAY,
    )
    assert overdue_actions > 0


# -- the mix as at today ---------------------------------------------------------------------


def _count(engine: Engine, where: str, **params) -> int:
    return _one(engine, f"SELECT count(*) FROM recommendations WHERE {where}", **params)


def test_the_mix_as_at_today_shows_every_kind_of_item(demo):
    engine, _ = demo
    stale_by = TODAY - timedelta(days=90)
    mix = {
        "overdue": _count(engine, f"{OPEN} AND current_target_date < :t", t=TODAY),
        "stale": _count(engine, f"{OPEN} AND coalesce(last_update_on, made_on) <= :s", s=stale_by),
        "slipped twice": _count(engine, "revision_count >= 2"),
        "slipped once": _count(engine, "revision_count = 1"),
        "implemented": _count(engine, "status = 'implemented'"),
        "closed": _count(engine, "status = 'closed'"),
        "superseded": _count(engine, "status = 'superseded'"),
        "not implemented": _count(engine, "status = 'not_implemented'"),
        "not accepted": _count(engine, "acceptance = 'not_accepted'"),
        "in principle": _count(engine, "accepted_in_principle"),
        "pending report-back": _count(engine, "report_back_since IS NOT NULL"),
        "no owner": _count(engine, "owner_id IS NULL"),
        "no target": _count(engine, f"{OPEN} AND current_target_date IS NULL"),
    }
    assert all(mix.values()), mix
    total = SIZE + 6
    complete = mix["implemented"] + mix["closed"]
    assert 0.30 * total <= complete <= 0.55 * total, mix
    assert 0.10 * total <= mix["overdue"] <= 0.30 * total, mix
    assert 0.08 * total <= mix["stale"] <= 0.25 * total, mix
    assert mix["implemented"] >= 0.01 * total, mix
    assert mix["no owner"] <= 0.05 * total, mix


def test_some_responses_are_due(demo):
    engine, _ = demo
    awaiting = _rows(
        engine,
        "SELECT r.accepted_on, s.date_issued, s.response_due_on, "
        "(SELECT min(m.meeting_date) FROM meetings m WHERE m.committee_id = r.committee_id "
        " AND m.meeting_date >= :today) "
        "FROM recommendations r JOIN sources s ON s.id = r.source_id "
        "WHERE r.acceptance = 'awaiting_response'",
        today=TODAY,
    )
    assert awaiting
    assert all(accepted_on is None for accepted_on, *_ in awaiting)
    for _, issued, due, _next in awaiting:
        assert _date(due) == response_due_on(_date(issued))
        assert _date(issued) >= TODAY - timedelta(days=90)
    assert any(_date(due) <= _date(next_meeting) for _, _, due, next_meeting in awaiting)
    answered = _one(
        engine,
        "SELECT count(*) FROM recommendations WHERE acceptance <> 'awaiting_response' "
        "AND (accepted_on IS NULL OR accepted_on < made_on OR accepted_on > :today)",
        today=TODAY,
    )
    assert answered == 0


def test_sources_carry_what_a_committee_paper_would(demo):
    engine, _ = demo
    assert _one(engine, "SELECT count(*) FROM sources WHERE confidentiality = 'exempt'") >= 1
    incomplete = _one(
        engine,
        "SELECT count(*) FROM sources WHERE title <> :seed AND (author IS NULL OR "
        "accountable_director IS NULL OR assistant_director IS NULL OR document_url IS NULL "
        "OR committee_id IS NULL)",
        seed=SEED_SOURCE_TITLE,
    )
    assert incomplete == 0
    oldest = _date(
        _one(engine, "SELECT min(date_issued) FROM sources WHERE title <> :s", s=SEED_SOURCE_TITLE)
    )
    assert oldest >= TODAY - timedelta(days=3 * 366)
    titles = [title for (title,) in _rows(engine, "SELECT title FROM sources")]
    assert any(title.startswith("Internal audit: ") for title in titles)


def test_refs_are_unique_within_each_source(demo):
    engine, _ = demo
    duplicates = _rows(
        engine,
        "SELECT source_id, ref FROM recommendations GROUP BY source_id, ref HAVING count(*) > 1",
    )
    assert duplicates == []


def test_one_recommendation_carries_pasted_markup(demo):
    engine, _ = demo
    hostile = _rows(
        engine,
        "SELECT wording FROM recommendations WHERE wording LIKE '%<script>alert(1)</script>%'",
    )
    assert len(hostile) == 1
    assert "<b>not bold</b> &" in hostile[0][0]


# -- the library's edges --------------------------------------------------------------------


def test_progress_is_reported_and_an_existing_database_is_refused(tmp_path):
    calls: list[tuple[int, int]] = []
    _build(
        tmp_path / "p.db",
        recommendations=60,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls and calls[-1] == (60, 60)
    with pytest.raises(ValueError, match="new, empty database"):
        _build(tmp_path / "p.db", recommendations=10)


# -- the word tables (demo/data/*.toml) ------------------------------------------------------

# What the generator fills into each kind of template (demo/council.py, demo/history.py).
RECOMMENDATION_FIELDS = {"subject", "Subject", "staff", "Staff", "people", "partners", "board",
                         "committee", "title", "fy", "amount"}  # fmt: skip
NARRATIVE_FIELDS = RECOMMENDATION_FIELDS | {"day", "month"}
TITLE_FIELDS = {"area", "fy", "last_fy", "year", "month_year", "letter", "number", "lgsco", "hos"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_word_tables_hold_what_the_generator_draws_on():
    # The seed's directorate and committee are reused by name, not duplicated.
    assert SEED_DIRECTORATE in words.DIRECTORATES
    assert SEED_COMMITTEE in words.COMMITTEES
    assert all(0 <= weekday <= 4 for weekday in words.COMMITTEES.values())
    # Sources name a director and an assistant director of their directorate.
    assert all(len(titles) >= 2 for titles in words.OFFICER_TITLES.values())
    scrutiny = set(words.OFFICER_TITLES[words.SCRUTINY_DIRECTORATE])
    assert set(words.SCRUTINY_TITLES) <= scrutiny
    for topic in words.TOPICS:
        assert topic.directorate in words.OFFICER_TITLES, topic.area
        assert topic.committee in words.COMMITTEES, topic.area
        assert topic.subjects, topic.area
        for titles in topic.titles.values():
            assert all(_fields(title) <= TITLE_FIELDS for title in titles), topic.area
    for kind in SourceKind:
        assert words.TOPICS_BY_KIND[kind], f"no topic for {kind}"
        assert all(_fields(text) <= RECOMMENDATION_FIELDS for text in words.WORDING_BY_KIND[kind])
    narratives = (
        words.ACTION_WORDING + words.RESPONSE_ACCEPTED + words.RESPONSE_PARTIAL
        + words.RESPONSE_IN_PRINCIPLE + words.RESPONSE_NOTED + words.RESPONSE_NOT_ACCEPTED
        + words.AWAITING_NARRATIVE + words.STARTED_NARRATIVE + words.NOT_STARTED_NARRATIVE
        + words.PROGRESS_SENTENCES + words.IMPLEMENTED_NARRATIVE + words.EVIDENCE_TEXT
        + words.CLOSED_NARRATIVE + words.SUPERSEDED_NARRATIVE + words.NOT_IMPLEMENTED_NARRATIVE
        + words.TARGET_REASONS + (words.DEFERRED_NARRATIVE,)
        + tuple(words.REPORT_BACK_NARRATIVE.values())
    )  # fmt: skip
    unfillable = [text for text in narratives if not _fields(text) <= NARRATIVE_FIELDS]
    assert not unfillable
    assert set(words.REPORT_BACK_NARRATIVE) == {ReportBack.NEXT_MEETING, ReportBack.TO_COMMITTEE}
    assert _fields(words.ACTION_DONE_NARRATIVE) == {"action"}


# -- the command ----------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "demo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_builds_a_new_database(tmp_path):
    out = tmp_path / "bench.db"
    result = _run("--out", str(out), "--recommendations", "1000", "--today", "2025-01-31")
    assert result.returncode == 0, result.stderr
    assert "1,000 / 1,000 recommendations" in result.stderr
    assert "1,006 recommendations" in result.stdout
    engine = create_engine(f"sqlite:///{out}")
    try:
        assert _one(engine, "SELECT count(*) FROM recommendations") == 1006
        assert _one(engine, "SELECT max(update_date) FROM progress_updates") <= "2025-01-31"
        actions = _one(engine, "SELECT count(*) FROM actions")
        assert 2500 <= actions <= 3500
    finally:
        engine.dispose()
    assert [path.name for path in tmp_path.iterdir()] == ["bench.db"]


def test_command_refuses_to_overwrite_an_existing_file(tmp_path):
    out = tmp_path / "precious.db"
    out.write_bytes(b"not yours to replace")
    result = _run("--out", str(out), "--recommendations", "1000")
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == b"not yours to replace"


def test_the_old_command_still_builds_the_same_database(tmp_path):
    """`python -m data_access.demo` (earlier READMEs and users' scripts) runs `python -m demo`."""
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    arguments = ("--recommendations", "30", "--today", "2025-01-31")
    result = subprocess.run(
        [sys.executable, "-m", "data_access.demo", "--out", str(old), *arguments],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _run("--out", str(new), *arguments).returncode == 0
    assert _dump(old) == _dump(new)
