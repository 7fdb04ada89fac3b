"""Opening the store (data_access/db.py, demo/bootstrap.py) and showing text as text."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

import data_access.db as db
import demo.bootstrap as bootstrap
from data_access.db import (
    DEFAULT_DATABASE_URL,
    DatabaseProblem,
    configured_url,
    make_engine,
    mask_url,
    open_tracker,
    schema_state,
)
from data_access.models import SCHEMA_VERSION, Base, Recommendation, TrackerMeta
from data_access.seed import load_seed
from ui.text import plain

# The models' tables, and Alembic's stamp of the schema revision (docs/migrations.md).
TRACKER_TABLES = set(Base.metadata.tables) | {"alembic_version"}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in Base.metadata.tables.items()
        }


def assert_officer_friendly(message: str) -> None:
    """One plain sentence or two: no traceback, no library internals."""
    assert message.strip()
    assert "\n" not in message
    assert "Traceback" not in message
    assert "sqlalchemy." not in message.lower()  # no module paths
    assert not re.search(r"\b\w+(Error|Exception)\b", message), message  # no class names
    assert "Background on this error" not in message
    assert "[SQL:" not in message


# Which database --------------------------------------------------------------------------


def test_configured_url_honours_database_url() -> None:
    url = "postgresql+psycopg://tracker@db.example/tracker"
    assert configured_url({"DATABASE_URL": url}) == url
    assert configured_url({"DATABASE_URL": f"  {url}\n"}) == url


@pytest.mark.parametrize("environ", [{}, {"DATABASE_URL": ""}, {"DATABASE_URL": "   "}])
def test_configured_url_defaults_to_the_embedded_file(environ: dict[str, str]) -> None:
    assert configured_url(environ) == DEFAULT_DATABASE_URL
    assert db.is_embedded_default(configured_url(environ))


def test_configured_url_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert configured_url() == "sqlite:////tmp/elsewhere.db"
    monkeypatch.delenv("DATABASE_URL")
    assert configured_url() == DEFAULT_DATABASE_URL
    assert DEFAULT_DATABASE_URL.startswith("sqlite:///")
    assert DEFAULT_DATABASE_URL.endswith(os.path.join("data", "tracker.db"))


# Masking passwords -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://tracker:s3cret@db.example:5432/tracker", ("tracker", "db.example")),
        ("postgresql+psycopg://tracker:p%40ss%3Aword@db.example/tracker", ("tracker",)),
        ("mysql://u:s3cret@h/db?charset=utf8mb4", ("charset=utf8mb4",)),
        ("postgresql://tracker:s3cret@db.example:notaport/tracker", ("tracker", "db.example")),
        ("weird scheme://tracker:s3cret@db.example/tracker", ("tracker", "db.example")),
    ],
)
def test_mask_url_hides_the_password(url: str, shown: tuple[str, ...]) -> None:
    masked = mask_url(url)
    assert "s3cret" not in masked
    assert "p%40ss" not in masked and "word" not in masked
    assert "***" in masked
    for part in shown:
        assert part in masked


@pytest.mark.parametrize(
    "url", ["sqlite:///data/tracker.db", "sqlite://", "postgresql://db.example/tracker", "nonsense"]
)
def test_mask_url_leaves_urls_without_a_password_alone(url: str) -> None:
    assert mask_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["postgresql:/tracker:s3cret@db.example/tracker", "tracker:s3cret@db.example/tracker"],
)
def test_mask_url_hides_the_password_of_a_url_missing_its_slashes(url: str) -> None:
    assert "s3cret" not in mask_url(url)


def test_mask_url_hides_a_password_containing_an_at_sign() -> None:
    masked = mask_url("postgresql+psycopg://tracker:s3cret@home@db.example/tracker")
    assert "s3cret" not in masked
    assert "home" not in masked


# Making an engine ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "not a valid database URL"),
        ("://nothing", "not a valid database URL"),
        ("nosuchdialect://tracker:s3cret@db.example/tracker", "not supported"),
        ("mysql://tracker:s3cret@db.example/tracker", "not installed"),
    ],
)
def test_make_engine_explains_a_bad_url(url: str, words: str) -> None:
    with pytest.raises(DatabaseProblem) as problem:
        make_engine(url)
    message = str(problem.value)
    assert words in message
    assert "s3cret" not in message
    assert_officer_friendly(message)


def test_make_engine_suggests_a_url_that_works() -> None:
    with pytest.raises(DatabaseProblem, match=r"sqlite:///path/to/tracker\.db"):
        make_engine("not a url")


def test_make_engine_masks_the_password_of_an_invalid_url() -> None:
    with pytest.raises(DatabaseProblem) as problem:
        make_engine("postgresql:/tracker:s3cret@db.example/tracker")
    assert "s3cret" not in str(problem.value)


def test_make_engine_in_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    with pytest.raises(DatabaseProblem) as problem:
        make_engine(sqlite_url(missing / "tracker.db"))
    message = str(problem.value)
    assert "folder" in message and str(missing) in message
    assert_officer_friendly(message)
    assert not missing.exists()


def test_a_folder_given_as_the_database_file_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "tracker.db"
    folder.mkdir()
    with pytest.raises(DatabaseProblem) as problem:
        open_tracker(sqlite_url(folder))
    message = str(problem.value)
    assert "Could not open the database" in message and "nothing has been changed" in message
    assert_officer_friendly(message)
    assert list(folder.iterdir()) == []


# What the database holds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"SQLite format 3\x00" + os.urandom(4080),  # right header, garbage after
        "Minutes of the meeting of 12 February 2019\n" * 200,
        "not a database",
    ],
    ids=["random-bytes", "bad-sqlite", "long-text", "short-text"],
)
def test_a_file_that_is_not_a_database_is_left_alone(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "tracker.db"
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem) as problem:
        open_tracker(sqlite_url(path))
    message = str(problem.value)
    assert "is not a database" in message
    assert_officer_friendly(message)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.db"]


def _foreign_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE minutes (id INTEGER PRIMARY KEY, item TEXT)")
        connection.execute("INSERT INTO minutes (item) VALUES ('Apologies for absence')")
    connection.close()


def test_a_database_of_something_else_is_refused_and_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _foreign_database(path)
    with pytest.raises(DatabaseProblem) as problem:
        open_tracker(sqlite_url(path))
    message = str(problem.value)
    assert "not a Recommendation Tracker database" in message
    assert "Nothing was changed" in message
    assert_officer_friendly(message)
    assert table_names(path) == {"minutes"}
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT item FROM minutes").fetchall() == [
            ("Apologies for absence",)
        ]
    connection.close()


def test_a_database_of_something_else_is_byte_for_byte_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _foreign_database(path)
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem):
        open_tracker(sqlite_url(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_tracker_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE tracker_meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO tracker_meta VALUES ('schema_version', 'ancient')")
    connection.close()
    with pytest.raises(DatabaseProblem, match="not a Recommendation Tracker database"):
        open_tracker(sqlite_url(path))
    assert table_names(path) == {"tracker_meta"}


@pytest.mark.parametrize("exists", [False, True], ids=["new-file", "empty-file"])
def test_an_empty_database_gets_the_schema_and_stays_empty(tmp_path: Path, exists: bool) -> None:
    path = tmp_path / "tracker.db"
    if exists:
        path.write_bytes(b"")
    engine, state = open_tracker(sqlite_url(path))
    try:
        assert state == "tracker"
        assert schema_state(engine) == "tracker"
        assert table_names(path) == TRACKER_TABLES
        counts = row_counts(engine)
        assert counts.pop(TrackerMeta.__tablename__) == 1
        assert set(counts.values()) == {0}, "no demo data in a database given by URL"
        with engine.connect() as connection:
            marker = connection.execute(select(TrackerMeta.key, TrackerMeta.value)).all()
        assert marker == [("schema_version", SCHEMA_VERSION)]
    finally:
        engine.dispose()
    # Opening it again finds the tracker and changes nothing.
    engine, state = open_tracker(sqlite_url(path))
    try:
        assert state == "tracker"
        assert row_counts(engine)[TrackerMeta.__tablename__] == 1
    finally:
        engine.dispose()


def test_schema_state_names_what_it_finds(tmp_path: Path) -> None:
    empty = make_engine(sqlite_url(tmp_path / "empty.db"))
    other_path = tmp_path / "other.db"
    _foreign_database(other_path)
    other = make_engine(sqlite_url(other_path))
    try:
        assert schema_state(empty) == "empty"
        assert schema_state(other) == "foreign"
    finally:
        empty.dispose()
        other.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(empty_db) -> None:
    _, engine = empty_db
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            insert(Recommendation).values(
                source_id=999,
                committee_id=999,
                ref="1",
                wording="Orphan",
                made_on=date(2024, 1, 1),
            )
        )


# Start-up --------------------------------------------------------------------------------


@pytest.fixture
def no_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The embedded default moved into tmp_path, and any demo build made to fail loudly."""
    default_path = tmp_path / "embedded" / "tracker.db"

    def refuse(*_args, **_kwargs):
        raise AssertionError("the demo must not be built here")

    monkeypatch.setattr(bootstrap, "DEFAULT_DATABASE_PATH", default_path)
    monkeypatch.setattr(bootstrap, "build_demo_file", refuse)
    return default_path


def test_prepare_database_never_puts_demo_data_in_a_given_database(
    no_demo: Path, tmp_path: Path
) -> None:
    path = tmp_path / "given.db"
    url = sqlite_url(path)
    assert not bootstrap.needs_demo(url)
    engine = bootstrap.prepare_database(url)
    try:
        counts = row_counts(engine)
        counts.pop(TrackerMeta.__tablename__)
        assert set(counts.values()) == {0}
    finally:
        engine.dispose()
    assert not no_demo.exists()


def test_prepare_database_keeps_the_data_of_a_given_tracker(no_demo: Path, seed_db) -> None:
    url, seeded = seed_db
    before = row_counts(seeded)
    engine = bootstrap.prepare_database(url)
    try:
        assert row_counts(engine) == before
    finally:
        engine.dispose()


def test_prepare_database_refuses_a_foreign_database(no_demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _foreign_database(path)
    with pytest.raises(DatabaseProblem, match="not a Recommendation Tracker database"):
        bootstrap.prepare_database(sqlite_url(path))
    assert table_names(path) == {"minutes"}


def _fake_demo(url: str, **_kwargs) -> None:
    """A quick stand-in for the demo generator: the seed only."""
    engine, _ = open_tracker(url)
    try:
        with engine.begin() as connection:
            load_seed(connection)
    finally:
        engine.dispose()


def test_a_first_embedded_start_builds_the_demo_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import demo.generator as demo

    default_path = tmp_path / "data" / "tracker.db"
    default_url = sqlite_url(default_path)
    monkeypatch.setattr(db, "DEFAULT_DATABASE_URL", default_url)
    monkeypatch.setattr(bootstrap, "DEFAULT_DATABASE_PATH", default_path)
    builds: list[str] = []

    def fake(url: str, **kwargs) -> None:
        builds.append(url)
        _fake_demo(url, **kwargs)

    monkeypatch.setattr(demo, "build_demo_database", fake)
    assert bootstrap.needs_demo(default_url)
    for _ in range(2):
        engine = bootstrap.prepare_database(default_url)
        try:
            assert row_counts(engine)["recommendations"] == 6
        finally:
            engine.dispose()
    assert len(builds) == 1
    assert builds[0] != default_url, "built elsewhere, then moved into place"
    assert not bootstrap.needs_demo(default_url)


def test_build_demo_file_writes_one_complete_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import demo.generator as demo

    monkeypatch.setattr(demo, "build_demo_database", _fake_demo)
    target = tmp_path / "data" / "tracker.db"
    bootstrap.build_demo_file(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["tracker.db"]
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("SELECT count(*) FROM recommendations").fetchone() == (6,)
    connection.close()


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("already_there", [False, True], ids=["first-build", "rebuild"])
def test_build_demo_file_leaves_nothing_behind_when_interrupted(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    interruption: type[BaseException],
    already_there: bool,
) -> None:
    import demo.generator as demo

    folder = tmp_path / "data"
    target = folder / "tracker.db"
    if already_there:
        folder.mkdir()
        target.write_bytes(b"the previous file")
    written_to: list[str] = []

    def interrupted(url: str, **_kwargs) -> None:
        written_to.append(url)
        engine, _ = open_tracker(url)
        try:
            with engine.begin() as connection:
                load_seed(connection)
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM progress_updates"))
                raise interruption("power cut halfway through the build")
        finally:
            engine.dispose()

    monkeypatch.setattr(demo, "build_demo_database", interrupted)
    with pytest.raises(interruption):
        bootstrap.build_demo_file(target)
    assert written_to and not written_to[0].endswith(str(target))
    if already_there:
        assert target.read_bytes() == b"the previous file"
        assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]
    else:
        assert not target.exists()
        assert list(folder.iterdir()) == []


# Text is text ----------------------------------------------------------------------------

# Characters CommonMark (and Streamlit's extensions: LaTeX, colours, emoji) can give meaning.
MARKUP_CHARACTERS = set("\\`*_{}[]()#+-.!|<>$~&=:\"'")
ASCII_PUNCTUATION = re.compile(r"\\([!-/:-@\[-`{-~])")


def commonmark_text(escaped: str) -> str:
    """The text CommonMark shows for `escaped`: escapes dropped, hard breaks as newlines."""
    return ASCII_PUNCTUATION.sub(r"\1", escaped.replace("  \n", "\n"))


PLAIN_CASES = [
    "<script>alert('x')</script>",
    "**bold** and __bold__",
    "*italic* and _italic_",
    "[link](http://x)",
    "![image](http://x/y.png)",
    "$x$ and $$x^2$$",
    "C:\\Users\\officer\\report.docx",
    "\\*already escaped\\*",
    "trailing backslash \\",
    "# Not a heading",
    "1. Not a list",
    "- Not a bullet",
    "+ Not a bullet",
    "> Not a quote",
    "`code` and ```fence```",
    "~~struck~~",
    ":red[not red] :material/home: :smile:",
    "| a | b |\n|---|---|",
    "Fish &amp; chips &copy;",
    "Heading underline\n===",
    "snake_case_name and 100% sure",
    "SR (25/26) 01",
    "line one\nline two\n\nnew paragraph",
    "",
]


@pytest.mark.parametrize("original", PLAIN_CASES)
def test_plain_escapes_every_markup_character(original: str) -> None:
    escaped = plain(original)
    unescaped_markup = ASCII_PUNCTUATION.sub("", escaped)
    assert not MARKUP_CHARACTERS & set(unescaped_markup), unescaped_markup
    # A word joiner (invisible) breaks Streamlit's ":material/icon:" codes.
    assert commonmark_text(escaped).replace("\u2060", "") == original


def test_plain_breaks_material_icon_codes() -> None:
    assert ":material/" not in plain(":material/lock:").replace("\\", "")


def test_plain_keeps_line_breaks_as_hard_breaks() -> None:
    assert plain("one\ntwo") == "one  \ntwo"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (42, "42"), (3.5, "3\\.5"), ("<b>", "\\<b\\>"), ("**x**", "\\*\\*x\\*\\*")],
)
def test_plain_of_values(value: object, expected: str) -> None:
    assert plain(value) == expected
