"""Every import is recorded as a batch, and the latest import of a source can be undone exactly.

The database is compared whole (every table, every column, read with plain sqlite3) before an
import and after its undo; expected counts and hashes are worked out here from the files."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from sqlalchemy import Engine, insert, select

from data_access.import_batches import REPORT, TRACKER, record_batch, start_batch
from data_access.import_history import latest_undoable_batches, list_batches
from data_access.import_tracker import ImportOptions, apply_import, plan_import
from data_access.import_undo import UndoRefused, preview_undo, undo_latest_batch
from data_access.models import Action, Base, Source
from data_access.names import committee_id
from data_access.report_import import save_proposal
from data_access.seed import SEED_SOURCE_TITLE
from data_access.writes import (
    NewRecommendation,
    NewSource,
    UpdateDraft,
    add_recommendation,
    add_source,
    add_update,
)
from domain.vocabulary import SourceKind, Status
from importing.report_types import ProposedRecommendation
from importing.spreadsheet import read_tracker

TODAY = date(2026, 11, 26)
LOG_TABLES = {"import_batches", "import_batch_items"}
ALL_TABLES = sorted(Base.metadata.tables)

# A newer tracker for the seed's source: 2 and 3 change (3's lead officer is new), 7 is new,
# 4 is as recorded, and a section heading is passed over.
SEED_UPDATE = (
    b"Ref,Recommendation,Lead officer,Directorate,Revised target date,Status,Update,Update date\r\n"
    b"2,,,,30/09/2026,Implemented,Section 20 training delivered to all teams.,01/11/2026\r\n"
    b"3,,Jo Okafor,Early Help,,,,\r\n"
    b",,Section B - follow-up,,,,,\r\n"
    b"4,,,,,Closed,,\r\n"
    b"7,Publish the whistleblowing policy.,Jo Okafor,,31/03/2027,In progress,Drafted.,"
    b"01/11/2026\r\n"
)
NEW_SOURCE_FILE = (
    b"Ref,Recommendation,Status\r\n"
    b"A1,Review the complaints procedure.,In progress\r\n"
    b"A2,Train front-line staff in complaint handling.,Not started\r\n"
)


def every_row(engine: Engine, *, log: bool = False) -> dict[str, list[tuple]]:
    """Every row of every table (the import log only when asked), with plain sqlite3."""
    with sqlite3.connect(engine.url.database) as db:
        return {
            table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in ALL_TABLES
            if log or table not in LOG_TABLES
        }


def import_tracker(engine: Engine, data: bytes, name: str, options: ImportOptions) -> None:
    parsed = read_tracker(data, name)
    with engine.begin() as conn:
        plan = plan_import(conn, parsed, options)
        assert plan.can_apply, (plan.problems, plan.source_problems)
        apply_import(conn, plan)


def seed_source_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Source.id).where(Source.title == SEED_SOURCE_TITLE)).scalar_one()


def undo(engine: Engine, source_id: int, by: str = "Sam Officer"):
    with engine.begin() as conn:
        return undo_latest_batch(conn, source_id, by)


SEED_OPTIONS = ImportOptions(source_title=SEED_SOURCE_TITLE, author="Sam Officer", today=TODAY)


def test_a_tracker_import_is_recorded_with_its_counts_and_hash(seed_db):
    _, engine = seed_db
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    with engine.connect() as conn:
        (batch,) = list_batches(conn)
    assert batch.kind == TRACKER
    assert batch.file_name == "november.csv"
    assert batch.file_sha256 == hashlib.sha256(SEED_UPDATE).hexdigest()
    assert batch.recorded_by == "Sam Officer"
    assert batch.source_title == SEED_SOURCE_TITLE and not batch.source_created
    assert (batch.new, batch.changed, batch.unchanged, batch.skipped) == (1, 2, 1, 1)
    assert batch.undone_at is None
    # What it wrote: 7 (new), its first update, and one update each on 2 and 3 (3's lead
    # officer change), 2 and 3 changed; Jo Okafor and Early Help created.
    with sqlite3.connect(engine.url.database) as db:
        linked = db.execute(
            "SELECT table_name, COUNT(*), COUNT(previous) FROM import_batch_items "
            "GROUP BY table_name ORDER BY table_name"
        ).fetchall()
    assert linked == [
        ("directorates", 1, 0),
        ("officers", 1, 0),
        ("progress_updates", 3, 0),
        ("recommendations", 3, 2),
    ]


def test_undo_restores_the_database_exactly(seed_db):
    _, engine = seed_db
    before = every_row(engine)
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    assert every_row(engine) != before
    source = seed_source_id(engine)
    with engine.connect() as conn:
        preview = preview_undo(conn, source)
    assert preview is not None and preview.can_undo
    assert (preview.updates_removed, preview.recommendations_removed) == (3, 1)
    assert preview.recommendations_restored == 2 and not preview.source_removed
    result = undo(engine, source)
    assert result.recommendations_removed == 1
    assert every_row(engine) == before
    with engine.connect() as conn:
        (batch,) = list_batches(conn)
        assert batch.undone_by == "Sam Officer" and batch.undone_at is not None
        assert latest_undoable_batches(conn) == []
    assert every_row(engine, log=True)["import_batch_items"] == []


def test_undo_of_an_import_into_a_new_source_removes_the_source_and_committee(seed_db):
    _, engine = seed_db
    before = every_row(engine)
    options = ImportOptions(
        source_title="Ombudsman complaint 2026",
        committee="Corporate Scrutiny Committee",  # a new committee
        kind=SourceKind.OMBUDSMAN,
        date_issued=date(2026, 3, 1),
        author="Sam Officer",
        today=TODAY,
    )
    import_tracker(engine, NEW_SOURCE_FILE, "complaints.csv", options)
    with engine.connect() as conn:
        (batch,) = list_batches(conn)
    assert batch.source_created and (batch.new, batch.changed) == (2, 0)
    undone = undo(engine, batch.source_id)
    assert undone.source_removed
    assert every_row(engine) == before
    with engine.connect() as conn:
        (batch,) = list_batches(conn)
    assert batch.source_id is None and batch.source_title == "Ombudsman complaint 2026"


def test_two_imports_are_undone_latest_first(seed_db):
    _, engine = seed_db
    before = every_row(engine)
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    after_first = every_row(engine)
    december = SEED_UPDATE.replace(b"Drafted.", b"Consulted on.").replace(
        b"In progress,Drafted", b"Implemented,Consulted"
    )
    import_tracker(engine, december, "december.csv", SEED_OPTIONS)
    source = seed_source_id(engine)
    undo(engine, source)
    assert every_row(engine) == after_first
    undo(engine, source)
    assert every_row(engine) == before
    with pytest.raises(UndoRefused, match="no import into"):
        undo(engine, source)


def test_undo_is_refused_after_a_later_form_update_and_writes_nothing(seed_db):
    _, engine = seed_db
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    with sqlite3.connect(engine.url.database) as db:
        (rec_2,) = db.execute("SELECT id FROM recommendations WHERE ref = '2'").fetchone()
    with engine.begin() as conn:  # as the update form writes
        add_update(
            conn,
            rec_2,
            UpdateDraft(
                update_date=date(2026, 11, 20),
                author="Priya Shah",
                narrative="Signed off by the service manager.",
                new_status=Status.IMPLEMENTED,
            ),
        )
    before = every_row(engine, log=True)
    with pytest.raises(UndoRefused) as refused:
        undo(engine, seed_source_id(engine))
    message = str(refused.value)
    assert "Recommendation 2" in message
    assert "20 November 2026 by Priya Shah" in message
    assert "Signed off by the service manager." in message
    assert every_row(engine, log=True) == before


def test_undo_is_refused_after_an_action_is_added_to_a_new_recommendation(seed_db):
    _, engine = seed_db
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    with sqlite3.connect(engine.url.database) as db:
        (rec_7,) = db.execute("SELECT id FROM recommendations WHERE ref = '7'").fetchone()
    with engine.begin() as conn:
        conn.execute(
            insert(Action).values(recommendation_id=rec_7, description="Consult the unions.")
        )
    before = every_row(engine, log=True)
    with pytest.raises(UndoRefused, match=r"Recommendation 7: an action was added"):
        undo(engine, seed_source_id(engine))
    assert every_row(engine, log=True) == before


def _proposal(ref: str, status: str, response: str) -> ProposedRecommendation:
    return ProposedRecommendation(
        ref=ref, text=f"Recommendation {ref} wording.", response=response, status=status
    )


def test_a_report_import_is_recorded_and_undone(seed_db):
    _, engine = seed_db
    before = every_row(engine)
    report = b"the report's bytes"
    with engine.begin() as conn:  # as the report page saves: the batch first, then the committee
        batch = start_batch(
            conn,
            REPORT,
            source_id=None,
            file_name="audit-report.docx",
            file_sha256=hashlib.sha256(report).hexdigest(),
            recorded_by="Sam Officer",
        )
        committee = committee_id(conn, "Audit and Governance Committee", create=True)
        save_proposal(
            conn,
            NewSource(
                title="Internal audit: payroll 2026",
                kind=SourceKind.INTERNAL_AUDIT,
                date_issued=date(2026, 9, 1),
                committee_id=committee,
            ),
            [
                _proposal("1", "implemented", "Done in October."),
                _proposal("2", "in_progress", "Under way."),
            ],
            "Sam Officer",
            date(2026, 11, 3),
            batch=batch,
        )
    with engine.connect() as conn:
        (summary,) = list_batches(conn)
    assert summary.kind == REPORT and summary.file_name == "audit-report.docx"
    assert summary.file_sha256 == hashlib.sha256(report).hexdigest()
    assert (summary.new, summary.changed, summary.unchanged) == (2, 0, 0)
    with sqlite3.connect(engine.url.database) as db:
        tables = {t for (t,) in db.execute("SELECT DISTINCT table_name FROM import_batch_items")}
    # The meeting of 3 November 2026 was made by the save, and so was the committee.
    assert tables == {"sources", "committees", "meetings", "recommendations", "progress_updates"}
    undo(engine, summary.source_id)
    assert every_row(engine) == before


def test_a_report_update_to_an_existing_source_is_undone(seed_db):
    _, engine = seed_db
    before = every_row(engine)
    source = seed_source_id(engine)
    with engine.begin() as conn:
        save_proposal(
            conn,
            source,
            [_proposal("2", "implemented", "Training delivered to every team.")],
            "Sam Officer",
            date(2019, 3, 12),  # the committee's next meeting, already in its calendar
        )
    assert every_row(engine) != before
    with engine.connect() as conn:
        (summary,) = list_batches(conn)
    assert (summary.new, summary.changed, summary.file_name) == (0, 1, "")
    undo(engine, source)
    assert every_row(engine) == before


def test_undo_needs_a_name(seed_db):
    _, engine = seed_db
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    before = every_row(engine, log=True)
    with pytest.raises(UndoRefused, match="Enter your name"):
        undo(engine, seed_source_id(engine), by="  ")
    assert every_row(engine, log=True) == before


def test_rows_of_other_tables_an_import_writes_are_linked_and_undone(seed_db):
    """An import that also writes rows of another table pointing at its source or its
    recommendations (here an action; the tracker import's saved word readings are another)
    has them linked by their foreign keys, and undone with it."""
    _, engine = seed_db
    before = every_row(engine)
    with engine.begin() as conn:
        batch = start_batch(
            conn, TRACKER, source_id=None, file_name="plan.csv", file_sha256=None, recorded_by="Jo"
        )
        committee = committee_id(conn, "Corporate Scrutiny Committee", create=True)
        source = add_source(
            conn, NewSource("Action plan", SourceKind.PEER_REVIEW, date(2026, 1, 5), committee)
        )
        rec = add_recommendation(
            conn, NewRecommendation(source, committee, "P1", "Refresh the plan.", date(2026, 1, 5))
        )
        conn.execute(insert(Action).values(recommendation_id=rec, description="Draft it."))
        record_batch(conn, batch, source_id=source, new=1, changed=0, unchanged=0)
    with sqlite3.connect(engine.url.database) as db:
        assert db.execute(
            "SELECT COUNT(*) FROM import_batch_items WHERE table_name = 'actions'"
        ).fetchone() == (1,)
    undo(engine, source, by="Jo")
    assert every_row(engine) == before


def test_the_command_lists_checks_and_undoes(seed_db, monkeypatch, capsys):
    from cli.undo_import import main

    url, engine = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    before = every_row(engine)
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    assert main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert "november.csv" in listed and "1 new, 2 changed, 1 unchanged, 1 skipped" in listed
    assert hashlib.sha256(SEED_UPDATE).hexdigest() in listed
    assert main(["--source", SEED_SOURCE_TITLE.upper(), "--dry-run"]) == 0
    assert "remove 3 progress updates and 1 recommendation" in capsys.readouterr().out
    assert main(["--source", "No such review"]) == 2
    assert "There is no source called" in capsys.readouterr().err
    assert main(["--source", SEED_SOURCE_TITLE, "--by", "Sam Officer"]) == 0
    assert "Undone: november.csv" in capsys.readouterr().out
    assert every_row(engine) == before
    assert main(["--source", SEED_SOURCE_TITLE, "--by", "Sam Officer"]) == 1
    assert "no import into" in capsys.readouterr().err


def test_the_command_refuses_after_a_later_update_and_says_what(seed_db, monkeypatch, capsys):
    from cli.undo_import import main

    url, engine = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    with sqlite3.connect(engine.url.database) as db:
        (rec_7,) = db.execute("SELECT id FROM recommendations WHERE ref = '7'").fetchone()
    with engine.begin() as conn:
        add_update(
            conn,
            rec_7,
            UpdateDraft(date(2026, 11, 25), "Ann Other", "Out to consultation."),
        )
    before = every_row(engine, log=True)
    assert main(["--source", SEED_SOURCE_TITLE, "--by", "Sam Officer"]) == 1
    err = capsys.readouterr().err
    assert "Recommendation 7: a progress update dated 25 November 2026 by Ann Other" in err
    assert "on the update form" in err and "Out to consultation." in err
    assert err.rstrip().endswith("Nothing was undone.")
    assert every_row(engine, log=True) == before


def test_importing_the_same_file_again_leaves_no_record(seed_db):
    _, engine = seed_db
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)
    before = every_row(engine, log=True)
    import_tracker(engine, SEED_UPDATE, "november.csv", SEED_OPTIONS)  # every row unchanged
    assert every_row(engine, log=True) == before
