"""Text PostgreSQL refuses (issue 10): the same check refuses it on SQLite and PostgreSQL,
with the same message, before anything is written; and what the check lets through is stored
by PostgreSQL as it is by SQLite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data_access.db import open_tracker
from data_access.import_tracker import ImportOptions, apply_import, plan_import
from data_access.models import Committee, Recommendation, Source
from data_access.report_import import ProposalRefused, save_proposal
from data_access.seed import load_seed
from data_access.writes import NewSource
from domain.vocabulary import SourceKind
from importing.report_types import ProposedRecommendation
from importing.spreadsheet import read_tracker
from tests.postgres_support import PostgresCluster, unavailable_reason

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def both_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    folder: Path = tmp_path_factory.mktemp("hostile-text")
    with PostgresCluster() as cluster:
        engines = {
            "postgresql": open_tracker(cluster.create_database("hostile"))[0],
            "sqlite": open_tracker(f"sqlite:///{folder / 'hostile.db'}")[0],
        }
        for engine in engines.values():
            with engine.begin() as conn:
                load_seed(conn)
        yield engines
        for engine in engines.values():
            engine.dispose()


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Source, Committee, Recommendation)
        )


def _tracker(title: str) -> bytes:
    return f"{title}\r\nRef,Recommendation\r\nR1,Publish the register\r\n".encode()


def test_a_title_longer_than_the_column_is_refused_alike(both_databases) -> None:
    parsed = read_tracker(_tracker("Tracker of the " + "long " * 120 + "review"), "long.csv")
    options = ImportOptions(committee="Scrutiny", date_issued=date(2024, 4, 1))
    messages = {}
    for name, engine in both_databases.items():
        before = _counts(engine)
        with engine.begin() as conn:
            plan = plan_import(conn, parsed, options)
        messages[name] = plan.source_problems
        assert not plan.can_apply
        assert _counts(engine) == before
    assert messages["sqlite"] == messages["postgresql"]
    [message] = messages["sqlite"]
    assert message.startswith("long.csv: The source's title")
    assert "it can be at most 500" in message


def test_a_committee_name_longer_than_the_column_is_refused_alike(both_databases) -> None:
    parsed = read_tracker(_tracker("Recommendations tracker"), "tracker.csv")
    options = ImportOptions(committee="Scrutiny " * 30, date_issued=date(2024, 4, 1))
    for engine in both_databases.values():
        with engine.begin() as conn:
            plan = plan_import(conn, parsed, options)
        assert any("committee's name" in p and "at most 200" in p for p in plan.source_problems)


def test_a_nul_in_a_reviewed_report_is_refused_alike(both_databases) -> None:
    row = ProposedRecommendation(
        ref="1", text="Publish\x00 the register", response="Done.", status="implemented"
    )
    for engine in both_databases.values():
        before = _counts(engine)
        with pytest.raises(ProposalRefused) as refused, engine.begin() as conn:
            committee = conn.execute(select(Committee.id)).scalar_one()
            source = NewSource(
                title="Audit", kind=SourceKind.INTERNAL_AUDIT, date_issued=date(2024, 1, 5),
                committee_id=committee,
            )  # fmt: skip
            save_proposal(conn, source, [row], "Jo Bloggs", date(2024, 3, 1))
        assert any("NUL character" in p for p in refused.value.problems)
        assert _counts(engine) == before


def test_text_the_check_lets_through_is_stored_alike(both_databases) -> None:
    """Right at the column sizes, with the invisible characters removed: PostgreSQL stores it."""
    title = "T" * 500
    data = f"Ref,Recommendation,Responsible Officer\r\n\u200bR1,Publish,{'O' * 200}\r\n".encode()
    parsed = read_tracker(data, "edge.csv")
    options = ImportOptions(source_title=title, committee="C" * 200, date_issued=date(2024, 4, 1))
    for engine in both_databases.values():
        with engine.begin() as conn:
            plan = plan_import(conn, parsed, options)
            assert plan.can_apply, plan.problems
            apply_import(conn, plan)
        with engine.connect() as conn:
            stored = conn.execute(
                select(Recommendation.ref).join(Source).where(Source.title == title)
            ).scalar_one()
        assert stored == "R1"
