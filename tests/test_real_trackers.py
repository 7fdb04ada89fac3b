"""Real published trackers (tests/fixtures/trackers, addresses in its README) import as a new
user would bring them: in their own words, each word the tracker does not know read once and
kept with the source, refs made when the file gives none per recommendation, and importing the
same file again changes nothing.

The families of status words, and where importing/words.py reads them:

- US GAO recommendations export: "Open" and "Open--Partially Addressed" (in progress, with a
  note), priority "Yes"/"No" (high/medium); the "Priority Rec." label on GAO's priority pages.
- US city auditors' follow-up (City of Lawrence, Kansas): "Implemented", "In progress",
  "Not implemented", "Undetermined" (not known: the officer reads it).
- US Chemical Safety Board: "Closed - Acceptable Action" (closed: the Board votes closures).
- Tasmania's Public Accounts Committee tracker: a progress traffic light, "Grey Light" and the
  rest (not known: the officer reads each colour for that tracker).

Expected values are read by hand from the fixture files, never from the code.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from cli.import_tracker import main
from data_access.import_tracker import (
    ImportOptions,
    Outcome,
    apply_import,
    describe_plan,
    plan_import,
)
from domain.vocabulary import Status
from importing.spreadsheet import read_tracker
from importing.word_readings import OTHER_COLUMNS, WordReadings

FIXTURES = Path(__file__).parent / "fixtures" / "trackers"
TODAY = date(2026, 11, 26)
COMMITTEE = "Audit and Governance Committee"


def whole_database(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, read with plain sqlite3."""
    with sqlite3.connect(engine.url.database) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in tables}


def options(title: str, **extra) -> ImportOptions:
    return ImportOptions(
        source_title=title,
        committee=COMMITTEE,
        date_issued=date(2020, 1, 1),
        today=TODAY,
        **extra,
    )


def import_file(engine: Engine, name: str, chosen: ImportOptions):
    parsed = read_tracker((FIXTURES / name).read_bytes(), name)
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, chosen)
        if plan.can_apply:
            apply_import(conn, plan)
    return plan


def recommendations(engine: Engine) -> dict[str, tuple]:
    with sqlite3.connect(engine.url.database) as db:
        rows = db.execute(
            "SELECT ref, status, priority, acceptance, wording FROM recommendations ORDER BY id"
        ).fetchall()
    return {
        ref: (status, priority, acceptance, wording)
        for ref, status, priority, acceptance, wording in rows
    }


def test_the_gao_export_gets_a_ref_per_recommendation_from_the_report_and_its_number(empty_db):
    _, engine = empty_db
    plan = import_file(engine, "gao-open-recommendations-2026-09-28-excerpt.csv", options("GAO"))
    assert plan.can_apply, plan.problems
    assert "names the report, not each recommendation" in plan.parsed.ref_note
    assert any("names the report" in line for line in describe_plan(plan))
    found = recommendations(engine)
    # "Publication  Number" plus the "(Recommendation N)" each row states.
    assert list(found) == [
        "GAO-26-108061 #4",
        "GAO-26-108061 #3",
        "GAO-26-108061 #2",
        "GAO-26-108193 #2",
        "GAO-26-107968 #2",
        "GAO-25-107470 #4",
        "GAO-25-107470 #3",
    ]
    # Every row is Open (or Open--Partially Addressed): in progress; only GSA's says Priority Yes.
    assert {status for status, *_ in found.values()} == {"in_progress"}
    assert found["GAO-26-107968 #2"][1] == "high"
    assert [ref for ref, row in found.items() if row[1] == "high"] == ["GAO-26-107968 #2"]
    assert found["GAO-26-108061 #3"][3].startswith("The Attorney General of the United States")
    # The same file again changes nothing.
    before = whole_database(engine)
    again = import_file(engine, "gao-open-recommendations-2026-09-28-excerpt.csv", options("GAO"))
    assert again.counts == {Outcome.NEW: 0, Outcome.CHANGED: 0, Outcome.UNCHANGED: 7}
    assert whole_database(engine) == before


def test_a_tracker_without_refs_is_numbered_in_row_order_and_reimports_unchanged(empty_db):
    _, engine = empty_db
    name = "lawrence-ks-audit-follow-up-2009-09.csv"
    plan = import_file(engine, name, options("Lawrence follow-up September 2009"))
    assert plan.can_apply, plan.problems
    assert "no ref column" in plan.parsed.ref_note
    found = recommendations(engine)
    assert list(found) == ["1", "2", "3", "4", "5", "6"]
    assert {status for status, *_ in found.values()} == {"implemented"}
    assert found["5"][3] == found["6"][3]  # the memo lists one recommendation twice
    before = whole_database(engine)
    again = import_file(engine, name, options("Lawrence follow-up September 2009"))
    assert again.counts[Outcome.UNCHANGED] == 6
    assert whole_database(engine) == before


def test_each_real_tracker_imports_with_each_unknown_word_read_at_most_once(empty_db):
    """The corpus: every file imports; the words it does not know are read once, by the
    officer, and the readings kept with the source ask nothing the next time."""
    _, engine = empty_db
    expected = {
        # file: (readings given once, {ref: (status, priority)})
        "gao-open-recommendations-2026-09-28-excerpt.csv": ({}, None),
        "gao-priority-recommendations-2024-05-page.csv": ({}, {"1": ("in_progress", "high")}),
        "lawrence-ks-audit-follow-up-2009-03.csv": (
            {},
            {
                "1": ("implemented", "medium"),
                "2": ("implemented", "medium"),
                "3": ("implemented", "medium"),
                "4": ("in_progress", "medium"),
            },
        ),
        "lawrence-ks-audit-follow-up-2009-09.csv": ({}, None),
        "csb-recommendations-excerpt.csv": ({}, {"1": ("closed", "medium")}),
        "tasmania-pac-recommendation-tracker-excerpt.csv": (
            {"grey light": OTHER_COLUMNS},
            {"1": ("not_started", "medium")},
        ),
    }
    asked = 0
    for name, (readings, statuses) in expected.items():
        title = name.removesuffix(".csv")
        first = import_file(engine, name, options(title))
        if readings:
            assert not first.can_apply
            assert set(first.parsed.unmapped_statuses) == {"Grey Light"}
            asked += 1
            first = import_file(
                engine, name, options(title, readings=WordReadings(statuses=readings))
            )
        assert first.can_apply, (name, first.problems)
        if statuses:
            with sqlite3.connect(engine.url.database) as db:
                got = dict(
                    (ref, (status, priority))
                    for ref, status, priority in db.execute(
                        "SELECT r.ref, r.status, r.priority FROM recommendations r "
                        "JOIN sources s ON s.id = r.source_id WHERE s.title = ?",
                        (title,),
                    )
                )
            assert got == statuses, name
        # The next import of the same tracker asks nothing and changes nothing.
        before = whole_database(engine)
        again = import_file(engine, name, options(title))
        assert again.can_apply and not again.parsed.unmapped_statuses, name
        assert again.counts[Outcome.NEW] == again.counts[Outcome.CHANGED] == 0, name
        assert whole_database(engine) == before, name
    assert asked == 1


def test_the_row_s_other_columns_decide_and_the_preview_says_how(empty_db):
    _, engine = empty_db
    plan = import_file(
        engine,
        "tasmania-pac-recommendation-tracker-excerpt.csv",
        options("Tasmania PAC", readings=WordReadings(statuses={"grey light": OTHER_COLUMNS})),
    )
    notes = [note.problem for note in plan.notes if note.value == "Grey Light"]
    # The comment cell says only "TBC" and there is no evidence: no progress is claimed.
    assert notes == [
        '"Grey Light" is read from the row\'s other columns: Not started, because no '
        "evidence or update is given."
    ]
    assert recommendations(engine)["1"][2] == "awaiting_response"  # Acceptance "TBC"
    with sqlite3.connect(engine.url.database) as db:
        assert db.execute("SELECT kind, word, reading FROM source_word_readings").fetchall() == [
            ("status", "grey light", "other_columns")
        ]


def test_the_command_refuses_unknown_words_saying_how_to_read_them_then_remembers(
    empty_db, tmp_path, capsys, monkeypatch
):
    url, engine = empty_db
    monkeypatch.setenv("DATABASE_URL", url)
    path = str(FIXTURES / "tasmania-pac-recommendation-tracker-excerpt.csv")
    details = ["--source", "Tasmania PAC", "--committee", COMMITTEE, "--issued", "01/01/2020"]
    before = whole_database(engine)
    assert main([path, *details]) == 1
    out = capsys.readouterr().out
    assert 'Status words the tracker does not know: "Grey Light" (1 row).' in out
    assert "--status 'Grey Light=in_progress'" in out
    assert "--accept-unknown-as STATUS" in out
    assert whole_database(engine) == before
    assert main([path, *details, "--status", "Grey Light=not_started"]) == 0
    assert "Imported." in capsys.readouterr().out
    assert recommendations(engine)["1"][0] == "not_started"
    # The reading is kept with the source: the same file needs no option the next time.
    assert main([path, "--source", "Tasmania PAC"]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_accept_unknown_as_and_priority_words_on_the_command_line(
    empty_db, tmp_path, capsys, monkeypatch
):
    url, engine = empty_db
    monkeypatch.setenv("DATABASE_URL", url)
    path = tmp_path / "tracker.csv"
    path.write_text(
        "Ref,Recommendation,Status,Priority\n"
        "A1,Reconcile the payroll monthly.,Undetermined,Top\n"
        "A2,Review the leavers process.,Grey Light,Top\n",
        encoding="utf-8",
    )
    details = ["--source", "Payroll audit", "--committee", COMMITTEE, "--issued", "01/01/2020"]
    assert main([str(path), *details]) == 1
    out = capsys.readouterr().out
    assert '"Undetermined" (1 row), "Grey Light" (1 row)' in out
    assert 'Priority words the tracker does not know: "Top" (2 rows).' in out
    assert "--priority Top=high" in out
    assert (
        main([str(path), *details, "--accept-unknown-as", "in_progress", "--priority", "Top=high"])
        == 0
    )
    found = recommendations(engine)
    assert found["A1"][:2] == ("in_progress", "high")
    assert found["A2"][:2] == ("in_progress", "high")
    with sqlite3.connect(engine.url.database) as db:
        saved = sorted(db.execute("SELECT kind, word, reading FROM source_word_readings"))
    assert saved == [
        ("priority", "top", "high"),
        ("status", "grey light", "in_progress"),
        ("status", "undetermined", "in_progress"),
    ]


@pytest.mark.parametrize("bad", ["Undetermined", "Undetermined=finished", "=closed"])
def test_a_status_option_that_cannot_be_read_is_a_usage_error(bad, tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("Ref,Recommendation\n1,Do it.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main([str(path), "--status", bad])
    assert exited.value.code == 2
    assert "--status" in capsys.readouterr().err


def test_a_row_repeating_the_title_is_skipped_with_the_reason(empty_db):
    _, engine = empty_db
    data = (
        b"Payroll audit 2024\n"
        b"Ref,Recommendation,Status\n"
        b"P,Payroll audit 2024,\n"
        b"P1,Reconcile the payroll monthly.,In progress\n"
        b"P2,Payroll Audit 2025,Not started\n"
    )
    parsed = read_tracker(data, "payroll.csv")
    assert [row.ref for row in parsed.rows] == ["P1", "P2"]
    assert [(s.row, s.reason) for s in parsed.skipped] == [
        (3, "its wording repeats the title above the table, so it is not a recommendation")
    ]
    # A row repeating the source's own title (given when importing) is skipped too.
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, options("Payroll Audit 2025"))
    assert [row.ref for row in plan.rows] == ["P1"]
    assert (5, "its wording repeats the source's title, so it is not a recommendation") in [
        (s.row, s.reason) for s in plan.parsed.skipped
    ]
    assert any("Skipped row 5" in line for line in describe_plan(plan))


def test_a_mistyped_duplicate_ref_is_still_a_problem_not_a_report_ref():
    data = b"Ref,Recommendation\n7,One.\n8,Two.\n9,Three.\n7,Four.\n"
    parsed = read_tracker(data, "t.csv")
    assert parsed.ref_note is None
    assert [p.problem for p in parsed.problems] == [
        "Ref 7 is used twice (first in row 2): each recommendation needs its own reference."
    ]


def test_a_committee_column_names_each_recommendation_s_committee(empty_db):
    _, engine = empty_db
    first = (
        b"Ref,Recommendation,Status,Monitoring committee\n"
        b"1,Publish the policy.,In progress,Audit and Governance Committee\n"
        b"2,Train the managers.,Not started,People Scrutiny Committee\n"
        b"3,Review the register.,Not started,\n"
    )
    with engine.begin() as conn:
        plan = plan_import(
            conn,
            read_tracker(first, "t.csv"),
            ImportOptions(source_title="Policy review", date_issued=date(2020, 1, 1), today=TODAY),
        )
        assert plan.can_apply, (plan.problems, plan.source_problems)
        apply_import(conn, plan)

    def committees() -> dict[str, str]:
        with sqlite3.connect(engine.url.database) as db:
            return dict(
                db.execute(
                    "SELECT r.ref, c.name FROM recommendations r "
                    "JOIN committees c ON c.id = r.committee_id ORDER BY r.ref"
                )
            )

    # No --committee: the source is monitored by the committee the rows name most (a tie: the
    # first); a row naming none belongs to the source's committee.
    assert committees() == {
        "1": "Audit and Governance Committee",
        "2": "People Scrutiny Committee",
        "3": "Audit and Governance Committee",
    }
    second = first.replace(
        b"Review the register.,Not started,",
        b"Review the register.,Not started,Place Scrutiny Committee",
    )
    with engine.begin() as conn:
        plan = plan_import(
            conn,
            read_tracker(second, "t.csv"),
            ImportOptions(source_title="Policy review", today=TODAY),
        )
        assert [row.changes for row in plan.rows if row.outcome is Outcome.CHANGED] == [
            ("Committee: Audit and Governance Committee → Place Scrutiny Committee",)
        ]
        apply_import(conn, plan)
    assert committees()["3"] == "Place Scrutiny Committee"
    with sqlite3.connect(engine.url.database) as db:
        assert db.execute("SELECT count(*) FROM committees").fetchone() == (3,)


def test_other_columns_read_evidence_then_the_update_then_nothing():
    from importing.report_sentences import status_from_words
    from importing.word_readings import apply_readings

    data = (
        b"Ref,Recommendation,Status,Update,Evidence\n"
        b"1,Publish the policy.,Undetermined,,https://example.org/policy.pdf\n"
        b"2,Train the managers.,Undetermined,This recommendation has now been implemented.,\n"
        b"3,Review the register.,Undetermined,,\n"
    )
    parsed = read_tracker(data, "t.csv")
    assert parsed.unmapped_statuses == {"Undetermined": 3}
    read = apply_readings(parsed, WordReadings(statuses={"undetermined": OTHER_COLUMNS}))
    assert not read.problems and not read.unmapped_statuses
    by_ref = {row.ref: row.status.value for row in read.rows}
    said, _ = status_from_words("This recommendation has now been implemented.")
    assert by_ref == {"1": "implemented", "2": said, "3": "not_started"}
    notes = {note.row: note.problem for note in read.notes}
    assert "because evidence of implementation is given" in notes[2]
    assert 'because the update says "This recommendation has now been implemented."' in notes[3]
    assert "because no evidence or update is given" in notes[4]


@pytest.mark.parametrize(
    "word,status",
    [
        ("Closed - Acceptable Action", Status.CLOSED),  # US CSB
        ("Closed - Reconsidered/Superseded", Status.SUPERSEDED),
        ("Closed - No Longer Applicable", Status.SUPERSEDED),
        ("Closed - Unacceptable Action/No Response Received", Status.NOT_IMPLEMENTED),
        ("Open - Awaiting Response or Evaluation/Approval of Response", Status.IN_PROGRESS),
        ("Will Not Implement", Status.NOT_IMPLEMENTED),  # City of San Diego auditor
        ("Not Implemented – N/A", Status.SUPERSEDED),
        ("Open--Partially Addressed", Status.IN_PROGRESS),  # GAO
        ("Extended", Status.IN_PROGRESS),  # UK council scrutiny monitoring
    ],
)
def test_published_status_words_are_read_as_their_bodies_define_them(word, status):
    from importing.words import status_of_word

    reading = status_of_word(word)
    assert reading is not None and reading.status is status
