"""The one vocabulary (importing/words.py): the published words of each family a council or
public body tracks recommendations in, read onto DOMAIN.md's statuses as an officer would."""

from __future__ import annotations

from datetime import date

import pytest

from domain.vocabulary import Acceptance, Priority, Status
from importing.words import (
    ACCEPTANCE_WORDS,
    STATUS_NOTES,
    STATUS_WORDS,
    StatusReading,
    ValueProblem,
    acceptance_of_word,
    find_date,
    read_date,
    read_priority,
    read_status,
    status_of_word,
)

# (cell as printed in a real tracker, status an officer would record, whether a note is shown)
FAMILIES = [
    # council scrutiny trackers
    ("Complete", Status.IMPLEMENTED, False),
    ("On track", Status.IN_PROGRESS, False),
    ("Not started", Status.NOT_STARTED, False),
    ("Signed off", Status.CLOSED, False),
    ("Off track", Status.IN_PROGRESS, True),
    # internal audit follow-up
    ("Partially implemented", Status.IN_PROGRESS, True),
    ("Not yet due", Status.NOT_STARTED, True),
    ("Risk accepted", Status.NOT_IMPLEMENTED, True),
    ("Superseded", Status.SUPERSEDED, False),
    ("Outstanding", Status.IN_PROGRESS, True),
    ("Overdue", Status.IN_PROGRESS, True),
    # NAO / Treasury Minutes
    ("Work in progress", Status.IN_PROGRESS, False),
    ("Not accepted", Status.NOT_IMPLEMENTED, True),
    # UN Board of Auditors
    ("Under implementation", Status.IN_PROGRESS, False),
    ("Overtaken by events", Status.SUPERSEDED, True),
    ("Implemented", Status.IMPLEMENTED, False),
    # US GAO
    ("Open", Status.IN_PROGRESS, True),
    ("Open - partially addressed", Status.IN_PROGRESS, True),
    ("Closed - Implemented", Status.CLOSED, False),
    ("Closed - Not Implemented", Status.NOT_IMPLEMENTED, False),
    # the owner's claim against the auditor's check
    ("Closure requested", Status.IMPLEMENTED, True),
    ("Awaiting verification", Status.IMPLEMENTED, True),
    ("Verified", Status.CLOSED, True),
    # inspectorate action plans
    ("Action complete", Status.IMPLEMENTED, False),
    ("Not yet started", Status.NOT_STARTED, False),
]


@pytest.mark.parametrize(("word", "status", "noted"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_each_family_word_is_read_as_an_officer_would(
    word: str, status: Status, noted: bool
) -> None:
    reading = read_status(word)
    assert isinstance(reading, StatusReading)
    assert reading.status is status
    assert (reading.note is not None) is noted
    if noted:
        # The note says what it was read as, and why.
        assert status.label in reading.note and word in reading.note
    # The report reader uses the same words through status_of_word.
    assert status_of_word(word) == reading


def test_a_word_is_either_a_synonym_or_a_judgement_never_both() -> None:
    assert not set(STATUS_WORDS) & set(STATUS_NOTES)


def test_only_the_overseeing_bodys_words_close_an_item() -> None:
    closing = {word for word, status in STATUS_WORDS.items() if status is Status.CLOSED}
    assert closing and all("clos" in word or "signed" in word for word in closing)
    assert read_status("Completed").status is Status.IMPLEMENTED


def test_rag_colours_and_unknown_words_are_problems_that_say_what_to_do() -> None:
    rag = read_status("Amber")
    assert isinstance(rag, ValueProblem) and "RAG" in rag.message
    unknown = read_status("Fizzled")
    assert isinstance(unknown, ValueProblem) and "Fizzled" in unknown.message
    assert read_status("   ") is None


def test_the_officers_own_reading_wins() -> None:
    assert read_status("Fizzled", {"fizzled": Status.SUPERSEDED}).status is Status.SUPERSEDED
    assert read_status("Open", {"open": Status.NOT_STARTED}).status is Status.NOT_STARTED


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("High", Priority.HIGH),
        ("P1", Priority.HIGH),
        ("Fundamental", Priority.HIGH),
        ("Significant", Priority.MEDIUM),
        ("Merits attention", Priority.LOW),
        ("3", Priority.LOW),
        ("Yes", Priority.HIGH),
        ("No", Priority.MEDIUM),
    ],
)
def test_priority_words_and_flags(cell: str, expected: Priority) -> None:
    assert read_priority(cell) is expected


def test_a_yes_no_priority_flag_is_a_priority_not_an_error() -> None:
    assert read_priority("Yes") is Priority.HIGH
    assert read_priority("N") is Priority.MEDIUM
    assert read_priority("Low") is Priority.LOW
    assert isinstance(read_priority("Perhaps"), ValueProblem)
    assert read_priority("Perhaps", {"perhaps": Priority.LOW}) is Priority.LOW


@pytest.mark.parametrize(
    ("words", "acceptance", "in_principle"),
    [
        ("Accepted", Acceptance.ACCEPTED, False),
        ("Agreed", Acceptance.ACCEPTED, False),
        ("Concurred", Acceptance.ACCEPTED, False),
        ("Partially accepted", Acceptance.PARTIALLY_ACCEPTED, False),
        ("Accepted in part", Acceptance.PARTIALLY_ACCEPTED, False),
        ("Did not concur", Acceptance.NOT_ACCEPTED, False),
        ("Not agreed", Acceptance.NOT_ACCEPTED, False),
        ("Accepted in principle", Acceptance.ACCEPTED, True),
        ("Noted", Acceptance.NOTED, False),
        ("Awaiting response", Acceptance.AWAITING_RESPONSE, False),
    ],
)
def test_acceptance_words(words: str, acceptance: Acceptance, in_principle: bool) -> None:
    reading = acceptance_of_word(words)
    assert reading is not None
    assert (reading.acceptance, reading.in_principle) == (acceptance, in_principle)


def test_every_acceptance_is_reachable_by_some_word() -> None:
    assert {reading.acceptance for reading in ACCEPTANCE_WORDS.values()} == set(Acceptance)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/02/2019", date(2019, 2, 12)),
        ("12 Feb 2019", date(2019, 2, 12)),
        ("Mar 5, 2020", date(2020, 3, 5)),
        ("March 5th 2020", date(2020, 3, 5)),
        ("end of March 2024", date(2024, 3, 31)),
        ("Feb-19", date(2019, 2, 28)),
        (43508, date(2019, 2, 12)),
    ],
)
def test_dates_in_a_cell(cell: object, expected: date) -> None:
    assert read_date(cell) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Target date: end of March 2024 (revised)", date(2024, 3, 31)),
        ("to be completed by 31/03/2024.", date(2024, 3, 31)),
        ("Reported on 12 February 2019 to the committee", date(2019, 2, 12)),
        ("GAO-20-279, Mar 5, 2020", date(2020, 3, 5)),
        ("Recommendation 3 2019", None),
        ("by 31/02/2024", None),
        ("no date given", None),
        ("", None),
    ],
)
def test_dates_in_running_text(text: str, expected: date | None) -> None:
    assert find_date(text) == expected
