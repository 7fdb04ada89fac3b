"""The one way views read the moment's state and write: ui.shell.read_now and ui.shell.write.

The write runs in one transaction, forgets the cached answers after it, lets a write's own
refusal through untouched, and words a database failure plainly, without SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from ui import cache, shell


class Refused(Exception):
    """Stands in for a write's own refusal (InvalidUpdate, ImportRefused, …)."""


def count_committees(connection: Connection) -> int:
    return connection.execute(text("SELECT count(*) FROM committees")).scalar_one()


def committee_names(engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(text("SELECT name FROM committees")).scalars())


def add_committee(connection: Connection, name: str) -> None:
    connection.execute(text("INSERT INTO committees (name) VALUES (:name)"), {"name": name})


@pytest.fixture
def engine(seed_db, monkeypatch):
    """The seed database, configured as the app's database."""
    url, engine = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    return engine


def test_a_write_is_kept_and_every_cached_answer_is_asked_anew(engine) -> None:
    before = committee_names(engine)
    assert cache.query(count_committees) == len(before)

    def change(connection: Connection) -> str:
        add_committee(connection, "Licensing Committee")
        return "added"

    assert shell.write(change, "add the committee") == "added"
    assert committee_names(engine) == sorted([*before, "Licensing Committee"])
    assert cache.query(count_committees) == len(before) + 1  # not the cached answer


def test_a_refusal_passes_through_and_nothing_is_written(engine) -> None:
    before = committee_names(engine)

    def change(connection: Connection) -> None:
        add_committee(connection, "Licensing Committee")
        raise Refused("That committee is retired.")

    with pytest.raises(Refused, match="That committee is retired."):
        shell.write(change, "add the committee")
    assert committee_names(engine) == before


def test_a_database_failure_is_plain_words_and_nothing_is_written(engine) -> None:
    before = committee_names(engine)

    def change(connection: Connection) -> None:
        add_committee(connection, "Licensing Committee")
        connection.execute(text("UPDATE no_such_table SET secret = :value"), {"value": "x-77"})

    with pytest.raises(shell.WriteFailed) as failed:
        shell.write(change, "add the committee")
    message = str(failed.value)
    assert message.startswith("The database could not add the committee (no such table")
    assert "Nothing was changed" in message
    assert "UPDATE" not in message and "x-77" not in message
    assert committee_names(engine) == before


def test_read_now_is_not_cached(engine) -> None:
    assert shell.read_now(count_committees) == len(committee_names(engine))
    assert cache.query(count_committees) == len(committee_names(engine))  # now cached
    with engine.begin() as connection:
        add_committee(connection, "Licensing Committee")
    assert shell.read_now(count_committees) == len(committee_names(engine))
    assert cache.query(count_committees) == len(committee_names(engine)) - 1  # the cached one
