"""What a report's words say about one recommendation: its status, its acceptance, and a
promise to report back to committee.

The rule is conservative: a status is proposed only from words that say it (a status cell, or
a sentence such as "This recommendation has now been implemented", "officers are drafting",
"four have been installed", "75% complete"), and the evidence quotes them; otherwise it is
"unclear" and the officer chooses. The words a cell or a label holds (statuses, acceptance,
dates) are read with the one vocabulary, `importing.words`; only the sentence patterns are
kept here. `with_status` turns what a layout found (wording, response, labelled fields) into a
`ProposedRecommendation`.
"""

from __future__ import annotations

import re

from domain.vocabulary import Status
from importing.report_patterns import DASHES
from importing.report_text import CELL_LINE_BREAK
from importing.report_types import UNCLEAR, ProposedRecommendation
from importing.words import acceptance_of_word, find_date, normalise_words, status_of_word

__all__ = [
    "SENTENCE_END",
    "acceptance_in_words",
    "cell_status",
    "report_back_sentence",
    "status_from_words",
    "with_status",
]

_NOT_BEFORE = re.compile(
    r"\b(?:once|when|until|unless|if|before|after|ensure|ensuring|to be|will be|would be|"
    r"should be|must be|can be|could be|not|yet|awaiting|expected|planned|intended|aim)\W+"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
_COUNT = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|some|several|"
          r"many|most|half|\d{1,4})")  # fmt: skip
# Sentence patterns: the first that a sentence matches gives its status. A pattern that is
# `guarded` does not count after "once", "when", "not", "will be"... ("once it has been
# implemented" says nothing has been).
_PHRASES: tuple[tuple[Status, bool, re.Pattern[str]], ...] = tuple(
    (status, guarded, re.compile(pattern, re.IGNORECASE))
    for status, guarded, pattern in (
        (Status.CLOSED, True, r"\b(?:recommendations?|items?|actions?)\s+(?:is|are|was|were|"
         r"has been|have been)\s+(?:now\s+)?(?:formally\s+)?closed\b"),
        (Status.CLOSED, True, r"\bcommittee\s+(?:agreed|approved|accepted)\s+(?:to close|the "
         r"closure|that\b.{0,60}\b(?:closed|complete))"),
        (Status.IMPLEMENTED, False, r"\bawaiting\s+(?:the\s+)?(?:committee'?s?\s+)?"
         r"sign[- ]?off\b"),
        (Status.SUPERSEDED, True, r"\b(?:has been |was |is |now )?superseded\b"),
        (Status.SUPERSEDED, True, r"\bno longer (?:relevant|applicable|required)\b"),
        (Status.NOT_IMPLEMENTED, False, r"\bwill not be (?:implemented|taken forward|"
         r"progressed)\b"),
        (Status.NOT_IMPLEMENTED, False, r"\b(?:decided|agreed) not to (?:implement|proceed|"
         r"take (?:this|it) forward)\b"),
        (Status.NOT_STARTED, False, r"\b(?:has|have|had) not (?:yet )?(?:been )?(?:started|"
         r"commenced|begun)\b"),
        (Status.NOT_STARTED, False, r"\bnot yet (?:started|commenced|begun)\b"),
        (Status.NOT_STARTED, False, r"\byet to (?:start|begin|commence)\b"),
        (Status.NOT_STARTED, False, r"\bwork (?:is due to|will) (?:start|begin|commence)\b"),
        (Status.NOT_STARTED, False, r"\bno progress (?:to date|yet|has been made|had been "
         r"made)\b"),
        # Part of the work done is work still going on: "four have been installed",
        # "75% complete", "phase one has been completed".
        (Status.IN_PROGRESS, False, r"\bpartially (?:implemented|complete(?:d)?)\b"),
        (Status.IN_PROGRESS, True, rf"\b{_COUNT}\s+(?:of\s+(?:the|these|them)\s+(?:\w+\s+){{0,2}})?"
         r"(?:has|have|had)\s+(?:now\s+|already\s+)?been\s+\w+(?:ed|en|t)\b"),
        (Status.IN_PROGRESS, False, r"\bphase (?:one|1|two|2)\b.{0,40}\b(?:complete|completed|"
         r"implemented)\b"),
        (Status.IN_PROGRESS, False, r"\b(?:[1-9]\d?)\s?%\s*(?:complete|completed|done|"
         r"implemented|achieved)\b"),
        (Status.IN_PROGRESS, False, r"\bprogress (?:has|had) reached (?:[1-9]\d?)\s?%"),
        (Status.IN_PROGRESS, False, r"\b(?:required|requires|requested|requesting|needs?|"
         r"needed)\s+(?:an?\s+|a\s+further\s+)?(?:time\s+)?extension\b"),
        (Status.IN_PROGRESS, False, r"\bextensions?\s+(?:was|were|has been|have been|had been|"
         r"is|are)\s+(?:being\s+)?(?:requested|granted|agreed|sought)\b"),
        (Status.IMPLEMENTED, True, r"\b(?:has|have|had)\s+(?:now\s+|also\s+|already\s+)?been\s+"
         r"(?:fully\s+)?(?:implemented|completed|achieved|delivered)\b"),
        (Status.IMPLEMENTED, True, r"\b(?:is|are|was|were)\s+(?:now\s+)?(?:fully\s+)?"
         r"(?:implemented|complete|completed)\b"),
        (Status.IMPLEMENTED, True, r"\bnow (?:fully )?(?:implemented|complete)\b"),
        (Status.IN_PROGRESS, False, r"\bin progress\b"),
        (Status.IN_PROGRESS, False, r"\b(?:is|are) (?:currently )?being\s+\w+"),
        (Status.IN_PROGRESS, False, r"\bunder ?way\b"),
        (Status.IN_PROGRESS, False, r"\bongoing\b|\bon-going\b"),
        (Status.IN_PROGRESS, False, r"\bon (?:track|target)\b"),
        (Status.IN_PROGRESS, False, r"\b(?:is|are) progressing\b"),
        (Status.IN_PROGRESS, False, r"\bin the process of\b"),
        (Status.IN_PROGRESS, False, r"\bwork (?:has|have|had) (?:now )?(?:started|begun|"
         r"commenced)\b"),
        # Someone is doing it now: "officers are drafting", "the team is reviewing".
        (Status.IN_PROGRESS, False, r"\b(?:officers?|staff|we|colleagues|commissioners|"
         r"managers|partners|providers|(?:the\s+)?(?:council|service|team|department|authority|"
         r"directorate|force|board|partnership|working group|work))\s+(?:is|are)\s+"
         r"(?:currently\s+|now\s+|actively\s+|still\s+)?(?!going\b|being\b)[a-z]{3,}ing\b"),
        (Status.IN_PROGRESS, False, r"\b(?:would|will)\s+be\s+(?:completed|finished|complete)"
         r"\s+(?:by|in|prior to|before|within)\b"),
        (Status.IN_PROGRESS, False, r"\bexpected to be (?:completed|finished|complete)\b"),
    )
)  # fmt: skip
_ABOUT_THE_RECOMMENDATION = re.compile(r"\b(?:recommendation|actions?)\b", re.IGNORECASE)
_REPORT_BACK = re.compile(
    r"\b(?:(?:will|to) be (?:reported|brought|presented|provided|submitted|taken)\s+(?:back\s+)?"
    r"to|report(?:ed|ing)? back to|(?:return|come back) to)\s+(?:the\s+|a\s+)?(?:next\s+)?"
    r"(?:[\w'&-]+\s+){0,6}?(?:committee|meeting|panel|board|members)\b"
    r"|\bfurther (?:update|report) (?:will be|to be) (?:provided|brought|presented|given)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'\u2018\u201c])")
_CATEGORY_NUMBER = re.compile(rf"^\(?\d{{1,2}}\)?\s*[-.){DASHES}]?\s*(?=[A-Za-z])")
# A government's or council's answer in a sentence: "The Government agrees", "We do not accept
# this recommendation", "The Council partially accepts". The verb is read with importing.words.
_ANSWER_SENTENCE = re.compile(
    r"\b(?:the\s+)?(?:government|council|cabinet|executive|department|administration|"
    r"management|commissioner|service|force|authority|we)\s+(?:therefore\s+|fully\s+)?"
    r"(?P<verb>accepts?\s+in\s+principle|agrees?\s+in\s+principle|partially\s+accepts?|"
    r"partially\s+agrees?|does\s+not\s+accept|do\s+not\s+accept|does\s+not\s+agree|"
    r"do\s+not\s+agree|accepts?|agrees?|rejects?|disagrees?|notes?)\b",
    re.IGNORECASE,
)


def cell_status(text: str) -> tuple[str, str] | None:
    """(status, evidence) when the whole text is a status word, as a status cell holds it
    ("Complete", "2 – On Track", "Open"); None otherwise."""
    found = status_of_word(text) or status_of_word(_CATEGORY_NUMBER.sub("", text))
    if found is None:
        return None
    return found.status.value, text


def status_from_words(text: str) -> tuple[str, str]:
    """(status, evidence) from what a narrative or a status cell says; ("unclear", "")
    when the words do not say.

    A status cell's words decide (read with `importing.words`). In a narrative, a sentence
    about the recommendation or its actions ("This recommendation has now been implemented")
    decides, the last such sentence winning; otherwise the other sentences must agree, except
    that finished work beside work still going on is in progress (the item is not done)."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    if not clean:
        return UNCLEAR, ""
    whole = cell_status(clean)
    if whole is not None:
        return whole
    strong: list[tuple[Status, str]] = []
    weak: list[tuple[Status, str]] = []
    for sentence in SENTENCE_END.split(clean):
        status = _sentence_status(sentence)
        if status is None:
            continue
        if _ABOUT_THE_RECOMMENDATION.search(sentence):
            strong.append((status, sentence))
        else:
            weak.append((status, sentence))
    if strong:
        status, sentence = strong[-1]
        return status.value, sentence
    found = {status for status, _ in weak}
    if len(found) == 1:
        status, sentence = weak[-1]
        return status.value, sentence
    if found == {Status.IMPLEMENTED, Status.IN_PROGRESS}:
        sentence = next(s for status, s in reversed(weak) if status is Status.IN_PROGRESS)
        return Status.IN_PROGRESS.value, sentence
    return UNCLEAR, ""


def _needles(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Words one of which a sentence must hold for the pattern to match: a cheap test first,
    so that a long report's background paragraphs are read quickly."""
    text = pattern.pattern.lower()
    if "officers" in text:
        return (" is ", " are ")  # someone is doing it now ("officers are drafting")
    for words in (("clos",), ("sign",), ("supersed",), ("no longer",), ("not",),
                  ("no progress",), ("partial",), ("phase",), ("%",), ("extension",),
                  ("been",), ("implement", "complet"), ("progress",), ("being",), ("way",),
                  ("going",), ("track", "target"), ("process",), ("work",), ("ing",)):  # fmt: skip
        if all(word in text for word in words):
            return words
    return ("",)


_PHRASE_NEEDLES = tuple(_needles(pattern) for _, _, pattern in _PHRASES)


def _sentence_status(sentence: str) -> Status | None:
    lower = sentence.lower()
    for (status, guarded, pattern), needles in zip(_PHRASES, _PHRASE_NEEDLES, strict=True):
        if not any(needle in lower for needle in needles):
            continue
        for match in pattern.finditer(sentence):
            if guarded and _NOT_BEFORE.search(sentence[: match.start()]):
                continue
            return status
    return None


def acceptance_in_words(text: str) -> str:
    """The answer a response gives, as words `importing.words.acceptance_of_word` reads: a
    whole cell ("Accepted", "Yes", "In part"), the words it starts with ("Noted for further
    action"), or a sentence ("The Government agrees that..."); "" when it gives none."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    if not clean:
        return ""
    if acceptance_of_word(clean) is not None:
        return clean
    words = clean.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        lead = " ".join(words[:size]).rstrip(".,;:")
        if size == 1 and normalise_words(lead) in {
            "yes",
            "no",
            "y",
            "n",
            "note",
            "true",
            "false",
            "support",
            "partial",
        }:
            continue  # "No response", "Yes, but...": a lone word starting a phrase is not it
        if acceptance_of_word(lead) is not None:
            return lead
    if match := _ANSWER_SENTENCE.search(clean[:400]):
        verb = " ".join(match["verb"].split())
        if acceptance_of_word(verb) is not None:
            return verb
    return ""


def report_back_sentence(text: str) -> str:
    """The sentence committing the item to come back to committee, or ""."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    for sentence in SENTENCE_END.split(clean):
        if _REPORT_BACK.search(sentence):
            return sentence
    return ""


def with_status(
    ref: str, text: str, narrative: str, fields: dict[str, str]
) -> ProposedRecommendation:
    status, evidence = UNCLEAR, ""
    if fields.get("status"):
        status, evidence = status_from_words(fields["status"])
    if status == UNCLEAR and narrative:
        status, evidence = status_from_words(narrative)
    due = " ".join(fields.get("due", "").split())
    if due and find_date(due) is None:
        # A timescale cell holding a status ("On-going") says how it is going, not when.
        in_due = cell_status(due)
        if in_due is not None and status == UNCLEAR:
            status, evidence = in_due
        if in_due is not None or due.strip("-\u2013 ") == "":
            due = ""
    acceptance = fields.get("acceptance", "").strip()
    if acceptance and acceptance_of_word(acceptance) is None:
        acceptance = acceptance_in_words(acceptance)
    if not acceptance and narrative:
        acceptance = acceptance_in_words(narrative.split("\n\n")[0])
    report_back = report_back_sentence(narrative)
    return ProposedRecommendation(
        ref=ref,
        text=text,
        response=narrative,
        status=status,
        report_back=bool(report_back),
        owner=" ".join(fields.get("owner", "").split()),
        due=due,
        evidence=evidence,
        acceptance=acceptance,
        report_back_evidence=report_back,
        directorate=" ".join(fields.get("directorate", "").split()),
    )
