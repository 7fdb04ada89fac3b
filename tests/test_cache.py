"""The query cache: results are reused, other arguments asked anew, failures reported."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from ui import cache

CALLS: list[str] = []


def count_recommendations(connection: Connection, label: str) -> int:
    CALLS.append(label)
    return connection.execute(text("SELECT count(*) FROM recommendations")).scalar_one()


def count_updates(connection: Connection, label: str) -> int:
    CALLS.append(label)
    return connection.execute(text("SELECT count(*) FROM progress_updates")).scalar_one()


def broken_question(connection: Connection, label: str) -> int:
    CALLS.append(label)
    return connection.execute(text("SELECT * FROM no_such_table")).scalar_one()


def test_answers_are_the_ones_asked_for_and_are_reused(seed_db, monkeypatch) -> None:
    url, engine = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    CALLS.clear()
    cache.query(count_recommendations, "a")
    cache.query(count_updates, "b")
    assert sorted(CALLS) == ["a", "b"]
    with engine.connect() as connection:
        recommendations = connection.execute(text("SELECT count(*) FROM recommendations")).scalar()
        updates = connection.execute(text("SELECT count(*) FROM progress_updates")).scalar()
    assert cache.query(count_recommendations, "a") == recommendations == 6
    assert cache.query(count_updates, "b") == updates == 6
    assert sorted(CALLS) == ["a", "b"], "answers should come from the cache"
    assert cache.query(count_recommendations, "c") == 6  # other arguments: asked anew
    assert sorted(CALLS) == ["a", "b", "c"]


def test_a_failing_question_is_reported_as_a_database_problem(seed_db, monkeypatch) -> None:
    url, _ = seed_db
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(cache.DatabaseProblem, match="could not answer.*no_such_table"):
        cache.query(broken_question, "x")
