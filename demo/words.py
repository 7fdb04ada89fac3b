"""The made-up council's words, read from the data files in `demo/data/`.

The word tables (people's names and job titles, committees, the areas reviews look at, and
what recommendations, responses and progress updates say) are data, kept in TOML beside this
module so they can be read and edited without reading the generator. This module loads them
once into the immutable tables the generator draws from, in the files' order (the order is
part of what a seed reproduces), and holds the generator's tuning by kind of source and the
few helpers that write dates the way committee papers do.
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from domain.vocabulary import ReportBack, SourceKind


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(files("demo").joinpath("data", name).read_text(encoding="utf-8"))


_COUNCIL = _load("council.toml")
_TOPICS = _load("topics.toml")
_WORDING = _load("wording.toml")

# Directorate -> job titles; the first is the accountable director, the second the assistant
# director named on sources.
OFFICER_TITLES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {name: tuple(titles) for name, titles in _COUNCIL["officer_titles"].items()}
)
DIRECTORATES = tuple(OFFICER_TITLES)
# Who writes up what the committee decided, and the directorate they work in.
SCRUTINY_TITLES: tuple[str, ...] = tuple(_COUNCIL["scrutiny_titles"])
SCRUTINY_DIRECTORATE: str = _COUNCIL["scrutiny_directorate"]
FIRST_NAMES: tuple[str, ...] = tuple(_COUNCIL["first_names"])
LAST_NAMES: tuple[str, ...] = tuple(_COUNCIL["last_names"])
# Committee -> weekday it meets (0 = Monday).
COMMITTEES: MappingProxyType[str, int] = MappingProxyType(dict(_COUNCIL["committee_weekdays"]))

K = SourceKind


@dataclass(frozen=True)
class Topic:
    """An area of the council's work that reviews, audits and inspections look at."""

    area: str
    directorate: str
    committee: str
    titles: dict[SourceKind, tuple[str, ...]]
    subjects: tuple[str, ...]
    staff: str
    people: str
    partners: str
    board: str


def _topic(entry: dict[str, Any]) -> Topic:
    return Topic(
        area=entry["area"],
        directorate=entry["directorate"],
        committee=entry["committee"],
        titles={SourceKind(kind): tuple(titles) for kind, titles in entry["titles"].items()},
        subjects=tuple(entry["subjects"]),
        staff=entry["staff"],
        people=entry["people"],
        partners=entry["partners"],
        board=entry["board"],
    )


TOPICS: tuple[Topic, ...] = tuple(_topic(entry) for entry in _TOPICS["topic"])
TOPICS_BY_KIND: dict[SourceKind, tuple[Topic, ...]] = {
    kind: tuple(topic for topic in TOPICS if kind in topic.titles) for kind in SourceKind
}

# How often each kind of source appears (relative weights).
KIND_WEIGHTS: dict[SourceKind, int] = {
    K.INTERNAL_AUDIT: 30,
    K.SCRUTINY_REVIEW: 16,
    K.INSPECTION: 10,
    K.PEER_REVIEW: 8,
    K.SAFEGUARDING_REVIEW: 10,
    K.OMBUDSMAN: 16,
    K.INDEPENDENT_REVIEW: 10,
}
# Relative number of recommendations a source of each kind makes (scaled to the total).
KIND_SIZES: dict[SourceKind, tuple[int, int]] = {
    K.INTERNAL_AUDIT: (4, 12),
    K.SCRUTINY_REVIEW: (6, 16),
    K.INSPECTION: (6, 16),
    K.PEER_REVIEW: (8, 16),
    K.SAFEGUARDING_REVIEW: (5, 12),
    K.OMBUDSMAN: (1, 4),
    K.INDEPENDENT_REVIEW: (8, 20),
}
KIND_REF_STYLES: dict[SourceKind, tuple[str, ...]] = {
    K.INTERNAL_AUDIT: ("IA-{n:02d}", "{n}", "R{n}"),
    K.SCRUTINY_REVIEW: ("SR ({yy}) {n:02d}", "R{n}", "{n}"),
    K.INSPECTION: ("{n}", "AFI {n}"),
    K.PEER_REVIEW: ("{n}", "R{n}"),
    K.SAFEGUARDING_REVIEW: ("{n}", "Rec {n}"),
    K.OMBUDSMAN: ("{letter}", "{n}"),
    K.INDEPENDENT_REVIEW: ("{n}", "R{n}", "4.{n}"),
}


def _texts(name: str) -> tuple[str, ...]:
    return tuple(_WORDING[name])


AUDIT_WORDING = _texts("audit_wording")
IMPROVEMENT_WORDING = _texts("improvement_wording")
INSPECTION_WORDING = _texts("inspection_wording")
OMBUDSMAN_WORDING = _texts("ombudsman_wording")
SAFEGUARDING_WORDING = _texts("safeguarding_wording")
WORDING_BY_KIND: dict[SourceKind, tuple[str, ...]] = {
    K.INTERNAL_AUDIT: AUDIT_WORDING,
    K.SCRUTINY_REVIEW: IMPROVEMENT_WORDING,
    K.INSPECTION: INSPECTION_WORDING + IMPROVEMENT_WORDING[:4],
    K.PEER_REVIEW: IMPROVEMENT_WORDING,
    K.SAFEGUARDING_REVIEW: SAFEGUARDING_WORDING,
    K.OMBUDSMAN: OMBUDSMAN_WORDING,
    K.INDEPENDENT_REVIEW: IMPROVEMENT_WORDING,
}
HOSTILE_WORDING: str = _WORDING["hostile_wording"]

ACTION_WORDING = _texts("action_wording")
RESPONSE_ACCEPTED = _texts("response_accepted")
RESPONSE_PARTIAL = _texts("response_partial")
RESPONSE_IN_PRINCIPLE = _texts("response_in_principle")
RESPONSE_NOTED = _texts("response_noted")
RESPONSE_NOT_ACCEPTED = _texts("response_not_accepted")
AWAITING_NARRATIVE = _texts("awaiting_narrative")
STARTED_NARRATIVE = _texts("started_narrative")
NOT_STARTED_NARRATIVE = _texts("not_started_narrative")
PROGRESS_SENTENCES = _texts("progress_sentences")
TARGET_REASONS = _texts("target_reasons")
IMPLEMENTED_NARRATIVE = _texts("implemented_narrative")
EVIDENCE_TEXT = _texts("evidence_text")
CLOSED_NARRATIVE = _texts("closed_narrative")
DEFERRED_NARRATIVE: str = _WORDING["deferred_narrative"]
SUPERSEDED_NARRATIVE = _texts("superseded_narrative")
NOT_IMPLEMENTED_NARRATIVE = _texts("not_implemented_narrative")
REPORT_BACK_NARRATIVE: dict[ReportBack, str] = {
    ReportBack(key): text for key, text in _WORDING["report_back_narrative"].items()
}
ACTION_DONE_NARRATIVE: str = _WORDING["action_done_narrative"]

MONTH_NAMES = tuple(calendar.month_name)


def long_date(day: date) -> str:
    """A date as committee papers write it: 12 February 2019."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def month_year(day: date) -> str:
    return f"{MONTH_NAMES[day.month]} {day.year}"


def financial_year(day: date) -> str:
    """The council's financial year (April to March) holding `day`, as 2019/20."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]
