"""Reading the wording councils use for progress and acceptance, and saving what it implies.

The layouts themselves are tested on real documents in tests/test_report_corpus.py; these
tests pin the sentence readings and the acceptance rule an officer relies on."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from data_access.models import Recommendation
from data_access.names import committee_id
from data_access.report_import import acceptance_for, read_report, save_proposal
from data_access.writes import NewSource
from domain.vocabulary import Acceptance, SourceKind, Status
from importing.report_parse import parse_report
from importing.report_sentences import acceptance_in_words, status_from_words
from importing.report_text import ReportUnreadable
from importing.report_types import ProposedRecommendation

MEETING = date(2024, 3, 12)


@pytest.mark.parametrize(
    ("words", "status"),
    [
        # Work plainly going on is in progress, not unclear.
        ("Four have been installed and the remaining two are on order.", "in_progress"),
        ("Officers are drafting the revised policy.", "in_progress"),
        ("Two of the six posts have been filled.", "in_progress"),
        ("The review is 75% complete.", "in_progress"),
        ("A time extension was requested to March.", "in_progress"),
        ("No progress to date; it is now in the service plan.", "not_started"),
        # Finished work is still implemented, and descriptions are not progress.
        ("This recommendation has now been implemented.", "implemented"),
        ("The new procedure had been completed by the end of the year.", "implemented"),
        ("Explore whether processes are operating effectively.", "unclear"),
        ("Once four have been installed we will review the scheme.", "unclear"),
    ],
)
def test_progress_sentences(words: str, status: str) -> None:
    assert status_from_words(words)[0] == status


def test_the_status_evidence_quotes_the_words_that_justified_it() -> None:
    status, evidence = status_from_words(
        "The policy was agreed in May. Officers are drafting the guidance."
    )
    assert (status, evidence) == ("in_progress", "Officers are drafting the guidance.")


@pytest.mark.parametrize(
    ("response", "acceptance"),
    [
        ("Accepted", "Accepted"),
        ("In part", "In part"),
        ("Noted for further action (HC 1198)", "Noted"),
        ("The Government agrees that the sessions are valuable.", "agrees"),
        ("We do not accept this recommendation: the role exists.", "do not accept"),
        ("No response", ""),
        ("The Council will consider the matter.", ""),
    ],
)
def test_acceptance_is_read_from_the_response(response: str, acceptance: str) -> None:
    assert acceptance_in_words(response) == acceptance


def test_owner_and_service_are_read_from_labels() -> None:
    report = parse_report(
        "R1 – Review the lettings policy\n"
        "Lead officer: Jane Smith\n"
        "Directorate: Housing and Communities\n"
        "Status: In progress\n"
    )
    (row,) = report.recommendations
    assert (row.owner, row.directorate, row.status) == (
        "Jane Smith",
        "Housing and Communities",
        "in_progress",
    )


def test_a_cover_report_with_numbered_paragraphs_is_not_taken_for_recommendations() -> None:
    cover = (
        "Scrutiny Committee: 17th January, 2018\n\n"
        "1. To advise Members of progress in relation to the Committee's recommendations.\n\n"
        "2. That the views of the Committee on the status of the actions be sought.\n\n"
        "3. To maintain effective tracking of the Committee's recommendations.\n"
    )
    with pytest.raises(ReportUnreadable, match="No recommendations were found"):
        read_report(cover.encode(), "cover.txt")


@pytest.mark.parametrize(
    ("status", "words", "expected"),
    [
        (Status.CLOSED.value, "", (Acceptance.ACCEPTED, False)),
        (Status.IMPLEMENTED.value, "", (Acceptance.ACCEPTED, False)),
        (Status.IN_PROGRESS.value, "", (Acceptance.AWAITING_RESPONSE, False)),
        (Status.NOT_IMPLEMENTED.value, "Not accepted", (Acceptance.NOT_ACCEPTED, False)),
        (Status.IMPLEMENTED.value, "accepted in principle", (Acceptance.ACCEPTED, True)),
        (Status.CLOSED.value, "Noted", (Acceptance.NOTED, False)),
    ],
)
def test_acceptance_for_a_reviewed_row(status: str, words: str, expected: tuple) -> None:
    row = ProposedRecommendation(ref="1", text="Do it.", status=status, acceptance=words)
    found = acceptance_for(row)
    assert found is not None and (found.acceptance, found.in_principle) == expected


def test_acceptance_for_an_unknown_word_is_refused() -> None:
    row = ProposedRecommendation(ref="1", text="Do it.", status="closed", acceptance="maybe")
    assert acceptance_for(row) is None


CLOSED_REPORT = """Corporate Overview and Scrutiny Committee
12 March 2024
Update on the recommendations of the libraries review

1.1 That the Committee notes the progress made in implementing the recommendations.

2.1 Recommendation 1.

Install self-service kiosks in the four branch libraries.

All four kiosks have been installed and are in use. This recommendation has now been
implemented and the Committee is asked to close it.

2.2 Recommendation 2.

Review opening hours with library users.

Officers are drafting a consultation on opening hours.
"""


def _source(engine) -> NewSource:
    with engine.begin() as connection:
        committee = committee_id(
            connection, "Corporate Overview and Scrutiny Committee", create=True
        )
    return NewSource(
        title="Libraries review (2023)",
        kind=SourceKind.SCRUTINY_REVIEW,
        date_issued=date(2023, 11, 1),
        committee_id=committee,
    )


def test_an_item_the_report_closes_is_saved_accepted_and_closed(empty_db) -> None:
    _, engine = empty_db
    rows = parse_report(CLOSED_REPORT.replace("been\nimplemented", "been implemented"))
    assert [(r.ref, r.status, r.acceptance) for r in rows.recommendations] == [
        ("1", "closed", ""),
        ("2", "in_progress", ""),
    ]
    source = _source(engine)
    with engine.begin() as connection:
        save_proposal(connection, source, rows.recommendations, "Scrutiny officer", MEETING)
    with engine.connect() as connection:
        saved = connection.execute(
            select(Recommendation.ref, Recommendation.status, Recommendation.acceptance,
                   Recommendation.accepted_on).order_by(Recommendation.ref)
        ).all()  # fmt: skip
    assert [tuple(row) for row in saved] == [
        ("1", "closed", "accepted", MEETING),
        ("2", "in_progress", "awaiting_response", None),
    ]


def test_a_later_report_of_implementation_answers_an_awaited_response(empty_db) -> None:
    _, engine = empty_db
    source = _source(engine)
    first = [ProposedRecommendation(ref="1", text="Install kiosks.", status="in_progress",
                                    response="Kiosks are on order.")]  # fmt: skip
    with engine.begin() as connection:
        result = save_proposal(connection, source, first, "Officer", date(2024, 1, 9))
    later = [ProposedRecommendation(ref="1", text="Install kiosks.", status="implemented",
                                    response="All kiosks have been installed.")]  # fmt: skip
    with engine.begin() as connection:
        save_proposal(connection, result.source_id, later, "Officer", MEETING)
    with engine.connect() as connection:
        acceptance, accepted_on = connection.execute(
            select(Recommendation.acceptance, Recommendation.accepted_on)
        ).one()
    assert (acceptance, accepted_on) == ("accepted", MEETING)


def test_the_review_table_shows_the_acceptance_saving_will_write() -> None:
    from views.import_report_view import proposal_frame

    rows = (
        ProposedRecommendation(ref="1", text="Do it.", status="closed"),
        ProposedRecommendation(ref="2", text="Do that.", status="in_progress"),
        ProposedRecommendation(ref="3", text="And this.", status="unclear", acceptance="In part"),
    )
    assert list(proposal_frame(rows)["acceptance"]) == [
        "Accepted",
        "Awaiting response",
        "Partially accepted",
    ]


def test_owner_and_directorate_are_kept_from_review_to_database(empty_db) -> None:
    from sqlalchemy import text

    from views.import_report_view import proposal_frame, rows_from_frame

    _, engine = empty_db
    proposed = parse_report(
        "R1 – Review the lettings policy\n"
        "Lead officer: Jane Smith\n"
        "Service: Housing Needs\n"
        "Update: Officers are drafting the policy.\n"
    ).recommendations
    reviewed = rows_from_frame(proposal_frame(proposed))
    assert [(r.owner, r.directorate, r.status) for r in reviewed] == [
        ("Jane Smith", "Housing Needs", "in_progress")
    ]
    with engine.begin() as connection:
        save_proposal(connection, _source(engine), reviewed, "Officer", MEETING)
    with engine.connect() as connection:
        saved = connection.execute(
            text(
                "SELECT o.name, d.name FROM recommendations r "
                "JOIN officers o ON o.id = r.owner_id "
                "JOIN directorates d ON d.id = r.directorate_id"
            )
        ).all()
    assert [tuple(row) for row in saved] == [("Jane Smith", "Housing Needs")]
