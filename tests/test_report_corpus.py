"""The report reader on real published documents (issue 8, item 4): the corpus in
tests/fixtures/reports, each excerpt beside the answer a person reads in it."""

from __future__ import annotations

import json

import pytest

from bench.report_corpus import (
    CORPUS,
    GOAL_FOUND,
    GOAL_INVENTED,
    GOAL_STATUSES,
    corpus_documents,
    normal_ref,
    read_document,
    score_corpus,
    score_document,
)
from domain.vocabulary import Acceptance, Status
from importing.report_types import ProposedRecommendation

DOCUMENTS = corpus_documents()


def test_the_corpus_is_real_public_documents_in_many_layouts() -> None:
    assert len(DOCUMENTS) >= 25
    assert len({document.layout for document in DOCUMENTS}) >= 8
    for text_path in sorted(CORPUS.glob("*.txt")):
        first, second = text_path.read_text(encoding="utf-8").split("\n")[:2]
        assert first.startswith(("Source: https://", "Source: http://")), text_path.name
        assert second.startswith("Layout: "), text_path.name
        assert len(text_path.read_bytes()) < 10_000, f"{text_path.name}: keep excerpts short"
    statuses = {status.value for status in Status}
    acceptances = {acceptance.value for acceptance in Acceptance}
    for answer_path in sorted(CORPUS.glob("*.json")):
        assert answer_path.with_suffix(".txt").exists(), answer_path.name
        for item in json.loads(answer_path.read_text(encoding="utf-8"))["recommendations"]:
            assert item["ref"].strip(), answer_path.name
            assert item["status"] in statuses | {None}, (answer_path.name, item)
            assert item["acceptance"] in acceptances | {None}, (answer_path.name, item)


def test_the_reader_meets_the_issue_goals_on_the_corpus() -> None:
    score = score_corpus()
    assert score.expected >= 50 and score.judged >= 10, "the corpus keeps its size"
    assert score.found_share >= GOAL_FOUND, score.summary()
    assert score.status_share >= GOAL_STATUSES, score.summary()
    assert score.invented <= GOAL_INVENTED, score.summary()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.slug)
def test_no_reference_is_invented(document) -> None:
    proposed = read_document(document).recommendations
    expected = {normal_ref(item["ref"]) for item in document.answer}
    invented = [row.ref for row in proposed if normal_ref(row.ref) not in expected]
    assert invented == [], f"{document.source}: not in the document: {invented}"


def test_the_score_counts_misses_wrong_statuses_and_inventions() -> None:
    document = next(d for d in DOCUMENTS if d.slug == "minutes-north-devon-2024-01-audit-tracker")
    proposed = [
        ProposedRecommendation(ref="21 BCFU 07", text="", status="implemented"),
        ProposedRecommendation(ref="99 XYZ 01", text="", status="in_progress"),
    ]
    score = score_document(document, proposed)
    assert (score.expected, score.found, score.judged, score.statuses_right) == (2, 1, 2, 0)
    assert score.invented == ["99 XYZ 01"] and score.missed == ["22 MAS 04"]


@pytest.mark.parametrize(
    ("printed", "same_as"),
    [("Recommendation 3.", "3"), ("(iv)", "iv"), ("24  AGS 06", "24 ags 06"), ("Rec. No. 2", "2")],
)
def test_references_compare_as_a_person_compares_them(printed: str, same_as: str) -> None:
    assert normal_ref(printed) == normal_ref(same_as)
