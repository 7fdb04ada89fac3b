"""No duplicates, no lost updates, no partial imports under concurrency and crashes (issue 10),
on SQLite and PostgreSQL: the measurements of `bench.reliability_races`, asserted.

Two imports into one new source race 20 times: one source, committee, directorate and officer
every time (on the code before unique name keys, 5 races of 5 made two sources). 100 pairs
of writers race on one recommendation: one wins, one is refused, none lost. The import command
is killed with SIGKILL at 10 moments: all or nothing each time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.reliability_races import (
    format_report,
    kill_mid_import,
    lost_update_races,
    new_source_races,
)
from tests.postgres_support import PostgresCluster, unavailable_reason


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    with PostgresCluster() as started:
        yield started


def _url(database: str, tmp_path: Path, cluster_request, name: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    return cluster_request.getfixturevalue("cluster").create_database(name)


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_two_imports_into_one_new_source_make_it_once_every_time(
    database: str, tmp_path: Path, request
) -> None:
    result = new_source_races(_url(database, tmp_path, request, "new_source"), races=20)
    assert result.runs == 20
    assert result.wrong == 0, "\n".join(format_report([result]))


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_racing_writers_lose_no_update(database: str, tmp_path: Path, request) -> None:
    result = lost_update_races(_url(database, tmp_path, request, "lost_updates"), pairs=100)
    assert result.runs == 100
    assert result.wrong == 0, "\n".join(format_report([result]))


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_import_killed_at_any_moment_writes_all_or_nothing(
    database: str, tmp_path: Path, request
) -> None:
    result = kill_mid_import(
        _url(database, tmp_path, request, "kill_import"), points=10, folder=tmp_path
    )
    assert result.runs == 10
    assert result.wrong == 0, "\n".join(format_report([result]))
