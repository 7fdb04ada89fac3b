"""The recommendations in a committee report's text, as a proposal for an officer to review.

Reports are written by people, so this reads the layouts they use rather than one format:

- numbered headings, as in the seed: "2.2 Recommendation 2." then the wording's paragraph,
  then the response paragraphs, until the next recommendation or the next main section;
- lists: "R1 – Review the allocation policy (Accepted)", with "Response:", "Status:",
  "Lead officer:" and "Target date:" lines or paragraphs under each;
- references such as "14/2018/P" or "SR (25/26) 01" starting a line the same way;
- tables (tab-separated rows, as Word tables and CSV exports come out of `importing.report_text`)
  with a header naming a ref or recommendation column, and response, status, owner and date
  columns; and the same tables as web pages and PDFs flatten them: cells separated by " / ",
  one cell per line, or run together after a header that names the columns;
- numbered paragraphs, as parliamentary committees print "Conclusions and recommendations"
  ("1. We recommend ... (Paragraph 14)", also "(i)", "(ii)"), and government responses that
  answer each under it ("The Government agrees ...");
- labelled fields per recommendation, as audit bodies summarise management's response
  ("Rec. No.: 1", "Corrective Action:", "Expected Completion Date:", "Open or Closed:");
- minutes that name references in running text when nothing else is structured
  ("recommendation 38", "24 AGS 06 was 75% completed", "recommendations 1, 2 and 9").

The rule is conservative: nothing is invented. A status is proposed only from words that say
it (a status column, or a sentence such as "This recommendation has now been implemented",
"officers are drafting", "four have been installed", "75% complete"), and `evidence` quotes
them; otherwise the status is `unclear` and the officer chooses. The words a cell or a label
holds (statuses, acceptance, dates) are read with the one vocabulary, `importing.words`; only
the sentence patterns are kept here. The
report's own recommendation to the committee ("1.1 That the Committee notes the progress…"),
section numbers and paragraph numbers are never taken for tracked recommendations.

DOMAIN.md's seed: items a report to the committee says are implemented, when the report asks
the committee to note that progress, were signed off (closed) at that meeting. So by default
implemented items of such a report are proposed as `closed`; `committee_met=False` (the
meeting has not happened yet) keeps them `implemented`, awaiting sign-off.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from domain.vocabulary import Status
from importing.report_text import CELL_LINE_BREAK
from importing.words import acceptance_of_word, find_date, normalise_words, status_of_word

__all__ = [
    "JSON_FIELDS",
    "UNCLEAR",
    "ParsedReport",
    "ProposedRecommendation",
    "acceptance_in_words",
    "parse_report",
    "status_from_words",
]

UNCLEAR = "unclear"
JSON_FIELDS = (
    "ref", "text", "response", "status", "report_back", "owner", "directorate", "due",
    "acceptance", "evidence",
)  # fmt: skip


@dataclass(frozen=True)
class ProposedRecommendation:
    """One recommendation as the report gives it, before the officer reviews it.

    `status` is a `domain.vocabulary.Status` value or "unclear"; `evidence` quotes the words
    that justified it; `report_back_evidence` the words committing it to come back;
    `acceptance` the report's word on acceptance ("Accepted"), as printed; `owner` and
    `directorate` the lead officer and service the report names."""

    ref: str
    text: str
    response: str = ""
    status: str = UNCLEAR
    report_back: bool = False
    owner: str = ""
    due: str = ""
    evidence: str = ""
    acceptance: str = ""
    report_back_evidence: str = ""
    directorate: str = ""

    def as_json(self) -> dict[str, object]:
        """The fields `python -m data_access.report_import FILE --json` prints."""
        values = asdict(self)
        return {name: values[name] for name in JSON_FIELDS}


@dataclass(frozen=True)
class ParsedReport:
    """What the report says: its recommendations and a few facts for the source's details."""

    recommendations: tuple[ProposedRecommendation, ...]
    committee_recommendation: str = ""  # the report's own recommendation, not tracked
    committee: str = ""
    report_date: date | None = None
    title: str = ""
    signed_off: bool = False  # implemented items proposed as closed (see the module docstring)


# --- References and layouts -------------------------------------------------------------------

_DASHES = "\u2013\u2014\u2012\u2212"
_BULLETS = "\u2022\u00b7\u25aa\u25cf\u2023o"
# References as councils print them: 1, 2a, 1.2, R3, REC4, 14/2018/P, SR (25/26) 01.
_SLASH_REF = r"\d{1,4}/\d{2,4}/[A-Z0-9]{1,4}"
_SESSION_REF = r"[A-Z]{1,4}\s?\(\d{2}/\d{2}\)\s?\d{1,4}"
_LETTER_REF = r"(?:R|REC|Rec)\s?\d{1,4}(?:\.\d{1,2})?[a-z]?"
_NUMBER_REF = r"\d{1,4}(?:\.\d{1,2})?[a-z]?"
_ANY_REF = f"(?:{_SESSION_REF}|{_SLASH_REF}|{_LETTER_REF}|{_NUMBER_REF})"
_SEP = rf"[.:{_DASHES}\-)]"

# "2.2 Recommendation 2." / "Recommendation 14/2018/P: wording" / "Rec 3 – wording" /
# "Rec. No.: 1" (an audit body's summary of management's response)
_HEADING = re.compile(
    rf"^(?:[-\u2022*]\s*)?(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+)?"
    rf"(?:Recommendation|RECOMMENDATION|Rec\.?)\s+(?:No\.?\s*:?\s*|number\s+)?({_ANY_REF})"
    rf"(?:\s*$|\s*{_SEP}\s*(.*)$|\s+(\(.*)$)"
)
# "R1 – wording (Accepted)", "14/2018/P – wording", "SR (25/26) 01: wording"
_LIST_ITEM = re.compile(
    rf"^(?:[-\u2022*]\s*)?({_SESSION_REF}|{_SLASH_REF}|{_LETTER_REF})"
    rf"(?:\s*{_SEP}\s*|\t+|\s+(?=\())(.+)$"
)
# A main section heading ends a recommendation's text: "3. Reasons for Recommendation".
_MAIN_SECTION = re.compile(r"^\d{1,2}\.?\s+[A-Z][^.!?]{1,100}$")
_END_HEADINGS = re.compile(
    r"^(?:background papers|appendices|appendix\b|report author|implications|financial "
    r"implications|legal implications|reasons for recommendations?|consultation|contact "
    r"officers?|glossary|next steps|conclusions?)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?P<label>response|update|progress(?: update)?|officer response|management response|"
    r"comments?|current position|position|action taken|actions taken|progress to date|"
    r"corrective action(?:s)?(?: taken or planned)?|agreed action|management action|"
    r"status|current status|implementation status|rag status|open or closed[a-z]?|"
    r"lead officer|responsible officer|officer responsible|owner|action owner|lead|"
    r"directorate|service|service area|department|"
    r"target date|due date|due|deadline|timescales?|target|completion date|"
    r"expected completion date|implementation date|recommendation|wording|acceptance|"
    r"accepted\?|agreed\?|monetary benefits|resolved[a-z]?(?: yes or no)?)"
    rf"\s*(?:[:{_DASHES}]|\s-)\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_LABEL_KIND = {
    "response": "response", "update": "response", "progress": "response",
    "progress update": "response", "officer response": "response",
    "management response": "response", "comment": "response", "comments": "response",
    "current position": "response", "position": "response", "action taken": "response",
    "actions taken": "response", "progress to date": "response",
    "corrective action": "response", "corrective actions": "response",
    "agreed action": "response", "management action": "response",
    "status": "status", "current status": "status", "implementation status": "status",
    "rag status": "status", "open or closed": "status",
    "lead officer": "owner", "responsible officer": "owner", "officer responsible": "owner",
    "owner": "owner", "action owner": "owner", "lead": "owner",
    "directorate": "directorate", "service": "directorate", "service area": "directorate",
    "department": "directorate",
    "target date": "due", "due date": "due", "due": "due", "deadline": "due",
    "timescale": "due", "timescales": "due", "target": "due", "completion date": "due",
    "expected completion date": "due", "implementation date": "due",
    "recommendation": "text", "wording": "text",
    "acceptance": "acceptance", "accepted": "acceptance", "agreed": "acceptance",
    "monetary benefits": "ignore", "resolved": "ignore",
}  # fmt: skip
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]{2,40})\)\s*\.?\s*$")
# The report's own recommendation to the committee: "1.1 That the Committee notes ..."
_OWN_RECOMMENDATION = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(That\s+(?:the\s+)?(?:[\w'&,-]+\s+){0,8}?"
    r"(?:Committee|Cabinet|Council|Members|Board|Panel|Sub-Committee|Executive)\s+"
    r"(?:notes?|agrees?|approves?|accepts?|endorses?|considers?|comments?|reviews?|"
    r"scrutinises?|is asked|are asked)\b.*)$",
    re.IGNORECASE,
)
_NOTES_PROGRESS = re.compile(
    r"\b(?:notes?|accepts?|agrees?|endorses?|approves?)\b.{0,80}"
    r"\b(?:progress|implement\w*|update|complet\w*|clos\w*)",
    re.IGNORECASE,
)


def _label_kind(label: str) -> str | None:
    key = " ".join(label.lower().rstrip("?").split())
    key = re.sub(r"^(open or closed|resolved)[a-z]?\b.*$", r"\1", key)
    return _LABEL_KIND.get(key)


# --- Status and acceptance words ------------------------------------------------------------

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
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'\u2018\u201c])")
_CATEGORY_NUMBER = re.compile(rf"^\(?\d{{1,2}}\)?\s*[-.){_DASHES}]?\s*(?=[A-Za-z])")
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


def _cell_status(text: str) -> tuple[str, str] | None:
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
    whole = _cell_status(clean)
    if whole is not None:
        return whole
    strong: list[tuple[Status, str]] = []
    weak: list[tuple[Status, str]] = []
    for sentence in _SENTENCE_END.split(clean):
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


def _report_back(text: str) -> str:
    """The sentence committing the item to come back to committee, or ""."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    for sentence in _SENTENCE_END.split(clean):
        if _REPORT_BACK.search(sentence):
            return sentence
    return ""


# --- Tables flattened into text ---------------------------------------------------------------

_COLUMN_WORDS = re.compile(
    r"\b(?:no|ref|reference|recommendations?|priority|responsib\w*|agreed|accepted|"
    r"acceptance|comments?|date|status|owner|lead|officer|response|progress|action\w*|"
    r"timescales?|target|update|assessment|rag)\b",
    re.IGNORECASE,
)
_SLASH_CELL = re.compile(r"\s/\s")
_SLASH_ROW = re.compile(r"^\s*(\d{1,3}[a-z]?)\s*/\s")


def _header_cell(text: str) -> str:
    """A header cell as a short name: its text before any bracket, at most 40 characters."""
    return " ".join(text.split("(")[0].split())[:40].strip()


def _slash_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Rows of a table whose cells are separated by " / " (a PDF or web page of a Word
    table), from a header line at `start`; as tab lines, with the index after the table."""
    header = lines[start]
    if len(_SLASH_CELL.findall(header)) < 3 or "recommendation" not in header.lower():
        return None
    records: list[list[str]] = [[header]]
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _SLASH_ROW.match(line):
            records.append([line])
        elif line.strip() and _END_HEADINGS.match(line.strip()):
            break
        elif line.strip():
            records[-1].append(line.strip())
        index += 1
    if len(records) < 2:
        return None
    out = []
    for number, record in enumerate(records):
        joined = (" " if number == 0 else CELL_LINE_BREAK).join(part.strip() for part in record)
        cells = [cell.strip(f" {CELL_LINE_BREAK}") for cell in _SLASH_CELL.split(joined)]
        if number == 0:
            cells = [_header_cell(cell.replace(CELL_LINE_BREAK, " ")) for cell in cells]
        out.append("\t".join(cells))
    return ["", *out, ""], index


def _cell_per_line_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Rows of a table printed one cell per line (an HTML table as text): a header of short
    column names, one a ref column and one "Recommendation", then rows of as many cells,
    each row starting with its reference; as tab lines, with the index after the table."""
    header: list[str] = []
    index = start
    while index < len(lines) and len(header) <= 12:
        cell = lines[index].strip()
        index += 1
        if not cell:
            continue
        if len(cell) > 30 or not _COLUMN_WORDS.search(cell):
            break
        header.append(cell)
    keys = _cell_keys(header)
    if len(header) < 4 or not (_REF_HEADERS & set(keys)) or "recommendation" not in keys:
        return None
    cells_at = [(i, line.strip()) for i, line in enumerate(lines[start:], start) if line.strip()]
    width = len(header)
    out = ["", "\t".join(header)]
    position = width
    end = cells_at[position - 1][0] + 1
    while position + width <= len(cells_at):
        row = [cell for _, cell in cells_at[position : position + width]]
        if _cell_keys(row) == keys:  # the header again, on a new page
            position += width
            continue
        if not re.fullmatch(rf"{_ANY_REF}\.?", row[0]):
            break
        out.append("\t".join(row))
        end = cells_at[position + width - 1][0] + 1
        position += width
    if len(out) < 3:
        return None
    return [*out, ""], end


def _unflatten_tables(lines: list[str]) -> list[str]:
    """The report's lines with tables that lost their cells' tabs given them back."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = None
        if " / " in line:
            found = _slash_table(lines, index)
        elif line.strip() and len(line.strip()) <= 30 and "\t" not in line:
            found = _cell_per_line_table(lines, index)
        if found is None:
            out.append(line)
            index += 1
            continue
        table_lines, index = found
        out.extend(table_lines)
    return out


# --- Reading the text -----------------------------------------------------------------------


@dataclass
class _Item:
    ref: str
    head: str = ""  # wording on the heading's own line
    lines: list[str] = field(default_factory=list)
    cells: dict[str, str] | None = None  # a table row
    numbered: bool = False  # a numbered paragraph ("1. We recommend ... (Paragraph 14)")


def _normalise(text: str) -> list[str]:
    text = text.replace("\u00a0", " ").replace("**", "").replace("__", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def parse_report(text: str, *, committee_met: bool = True) -> ParsedReport:
    """Read the report's recommendations and details; see the module docstring."""
    original = _normalise(text)
    lines = _unflatten_tables(original)
    items, own_recommendation = _read_structured(lines)
    items += _read_numbered_paragraphs(lines)
    proposals = _merge([_proposal(item) for item in items])
    if not proposals:
        proposals = _merge(_read_prose(lines))
    signed_off = committee_met and bool(
        own_recommendation and _NOTES_PROGRESS.search(own_recommendation)
    )
    if signed_off:
        proposals = [
            replace(p, status=Status.CLOSED.value) if p.status == Status.IMPLEMENTED else p
            for p in proposals
        ]
    committee, report_date, title = _report_details(original)
    return ParsedReport(
        recommendations=tuple(proposals),
        committee_recommendation=own_recommendation,
        committee=committee,
        report_date=report_date,
        title=title,
        signed_off=signed_off and any(p.status == Status.CLOSED for p in proposals),
    )


def _read_structured(lines: list[str]) -> tuple[list[_Item], str]:
    """Headings, lists, labelled fields and tables; and the report's own recommendation."""
    items: list[_Item] = []
    own_recommendation = ""
    current: _Item | None = None
    table: dict[str, int] | None = None
    table_header: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if current is not None:
                current.lines.append("")
            continue
        if "\t" in line:
            cells = [cell.strip() for cell in line.split("\t")]
            columns = _table_columns(cells)
            if columns is not None:
                table, table_header, current = columns, _cell_keys(cells), None
                continue
            if table is not None:
                if _cell_keys(cells) == table_header:
                    continue  # the header repeated on a new page
                row = _table_row(cells, table, items[-1] if items else None)
                if row is not None:
                    items.append(row)
                continue
        table = None
        own = _OWN_RECOMMENDATION.match(line)
        if own:
            own_recommendation = own_recommendation or own[1]
            current = None
            continue
        heading = _HEADING.match(line)
        listed = None if heading else _LIST_ITEM.match(line)
        if heading or listed:
            match = heading or listed
            ref = " ".join(match[1].split())
            rest = (match[2] or "") if heading else match[2]
            if heading and heading[3]:
                rest = heading[3]
            current = _Item(ref=ref, head=rest.strip())
            items.append(current)
            continue
        if current is None:
            continue
        ends_item = bool(_MAIN_SECTION.match(line) or _END_HEADINGS.match(line))
        if ends_item and not _LABEL.match(line) and (not current.lines or current.lines[-1] == ""):
            current = None
            continue
        current.lines.append(line)
    return items, own_recommendation


def _proposal(item: _Item) -> ProposedRecommendation | None:
    if item.cells is not None:
        return _table_proposal(item)
    if item.numbered:
        return _numbered_proposal(item)
    head, brackets = _trailing_brackets(item.head)
    fields: dict[str, str] = {}
    for word in brackets:
        if acceptance_of_word(word) is not None:
            fields.setdefault("acceptance", word)
        else:
            fields.setdefault("status", word)
    wording: list[str] = [head] if head else []
    response: list[list[str]] = []
    section = "text" if head else "text-first"
    blank_before = False
    for line in item.lines:
        if not line:
            if section in {"text", "text-first"} and (wording or section == "text"):
                section = "response"
            blank_before = True
            continue
        new_paragraph, blank_before = blank_before, False
        label = _LABEL.match(line)
        kind = _label_kind(label["label"]) if label else None
        if kind is not None:
            value = label["value"].strip()
            if kind == "response":
                section = "response"
                response.append([value] if value else [])
            elif kind == "text":
                section = "text"
                wording = [value] if value else []
            elif kind != "ignore":
                fields[kind] = value
            continue
        bullet = bool(_BULLET.match(line))
        line = _strip_marker(line)
        if section in {"text", "text-first"}:
            wording.append(line)
            section = "text"
        else:
            if not response or (response[-1] and (new_paragraph or bullet)):
                response.append([])
            response[-1].append(line)
    paragraphs = [" ".join(" ".join(p).split()) for p in response if p]
    text = " ".join(" ".join(wording).split())
    if not text and paragraphs:
        # Labelled fields with no wording of their own (an audit body's "Corrective Action:")
        text = paragraphs[0]
    if not text or _OWN_RECOMMENDATION.match(text):
        return None
    narrative = "\n\n".join(paragraphs)
    if not narrative and not head:
        text, narrative = _split_run_on(text)
    return _with_status(item.ref, text, narrative, fields)


_BULLET = re.compile(rf"^(?:[-{_BULLETS}*]\s+|\(?[a-z]\)\s+|\(?[ivx]{{1,4}}\)\s+)")


def _strip_marker(line: str) -> str:
    """A bullet or paragraph number is layout, not text: "- a) The NSPCC" -> "a) The NSPCC"."""
    line = re.sub(r"^[-\u2022*]\s+", "", line)
    return re.sub(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\s+(?=[A-Z])", "", line)


def _split_run_on(text: str) -> tuple[str, str]:
    """Wording and response run together (a PDF lost the gap between them): when the
    sentences after the first plainly report progress, they are the response."""
    sentences = _SENTENCE_END.split(text)
    for cut in range(1, len(sentences)):
        rest = " ".join(sentences[cut:])
        reports_progress = status_from_words(rest)[0] != UNCLEAR or bool(_report_back(rest))
        if reports_progress and status_from_words(" ".join(sentences[:cut]))[0] == UNCLEAR:
            return " ".join(sentences[:cut]), rest
    return text, ""


def _trailing_brackets(text: str) -> tuple[str, list[str]]:
    found = []
    while match := _TRAILING_BRACKET.search(text):
        inner = match[1].strip()
        if acceptance_of_word(inner) is None and status_of_word(inner) is None:
            break
        found.insert(0, inner)
        text = text[: match.start()].rstrip()
    return text, found


def _with_status(
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
        in_due = _cell_status(due)
        if in_due is not None and status == UNCLEAR:
            status, evidence = in_due
        if in_due is not None or due.strip("-\u2013 ") == "":
            due = ""
    acceptance = fields.get("acceptance", "").strip()
    if acceptance and acceptance_of_word(acceptance) is None:
        acceptance = acceptance_in_words(acceptance)
    if not acceptance and narrative:
        acceptance = acceptance_in_words(narrative.split("\n\n")[0])
    report_back = _report_back(narrative)
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


def _merge(proposals: list[ProposedRecommendation | None]) -> list[ProposedRecommendation]:
    """One proposal per ref, in the order first met; a later mention (a summary listed before
    the detail) fills what the first left blank."""
    by_ref: dict[str, ProposedRecommendation] = {}
    for proposal in proposals:
        if proposal is None:
            continue
        key = proposal.ref.casefold()
        if key not in by_ref:
            by_ref[key] = proposal
            continue
        first = by_ref[key]
        filled = {
            name: getattr(proposal, name)
            for name in ("response", "owner", "due", "acceptance", "directorate")
            if not getattr(first, name) and getattr(proposal, name)
        }
        if first.status == UNCLEAR and proposal.status != UNCLEAR:
            filled |= {"status": proposal.status, "evidence": proposal.evidence}
        if not first.report_back and proposal.report_back:
            filled |= {"report_back": True, "report_back_evidence": proposal.report_back_evidence}
        by_ref[key] = replace(first, **filled)
    return list(by_ref.values())


# --- Numbered paragraphs: conclusions and recommendations ------------------------------------

_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
# "1. We recommend", "1.  Our overall impression", "2." alone, "11.That ...", "(iv) We concur",
# "1. (Recommendation 1) We are grateful".
_NUMBERED = re.compile(
    rf"^(?:(?P<number>\d{{1,4}})\.(?!\d)\s*|\((?P<roman>{_ROMAN})\)\s+)"
    r"(?:\((?:Recommendation|Rec\.?)\s+(?P<inner>\d{1,4}[a-z]?)\)\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
# "(Paragraph 14)", "(paragraphs 12–14)", "(para 207)", "(Para 301)", "(Paragraph\n23)".
_CITATION = re.compile(
    rf"\((?:paragraphs?|paras?)\.?\s+\d{{1,4}}(?:\s*[-{_DASHES},and ]+\s*\d{{1,4}})*\)\.?",
    re.IGNORECASE,
)
_CONCLUSIONS_HEADING = re.compile(
    r"^(?:\d{1,2}\.?\s+)?(?:summary of\s+)?(?:the\s+)?(?:committee'?s\s+)?conclusions and "
    r"recommendations\s*:?$",
    re.IGNORECASE,
)
# A table's header flattened into one line ("YearReportRecommendationAcceptanceComment...",
# "Recommendations and undertakings Government Response Committee Response/Follow-up Notes").
_GLUED_HEADER = re.compile(
    r"recommendations?(?:\s+and\s+undertakings)?\s*(?:acceptance|government\s*response|"
    r"status|progress|response|owner|responsib)",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.!?:;)][\"'\u2019\u201d]?$")


def _roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        following = values[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _read_numbered_paragraphs(lines: list[str]) -> list[_Item]:
    """Numbered paragraphs where a report gathers its conclusions and recommendations.

    Only where the report shows that is what they are: a "Conclusions and recommendations"
    heading, a table header naming a recommendation column run into one line, or at least
    two numbered paragraphs citing the paragraph they come from ("(Paragraph 14)"). Numbers
    must rise."""
    starts: list[tuple[int, str, int, str]] = []  # (line index, ref, order, rest)
    for index, raw in enumerate(lines):
        match = _NUMBERED.match(raw.strip())
        if not match or "\t" in raw:
            continue
        if match["roman"] is not None and not match["roman"]:
            continue
        order = int(match["number"]) if match["number"] else _roman_value(match["roman"].lower())
        ref = match["inner"] or match["number"] or match["roman"].lower()
        starts.append((index, ref, order, match["rest"]))
    if not starts:
        return []
    if len(_CITATION.findall("\n".join(lines))) < 2 and not any(
        _CONCLUSIONS_HEADING.match(raw.strip()) or _GLUED_HEADER.search(raw) for raw in lines
    ):
        return []  # nothing shows these numbered paragraphs are recommendations
    gate_lines = {
        index
        for index, raw in enumerate(lines)
        if _CONCLUSIONS_HEADING.match(raw.strip())
        or (len(raw) < 200 and _GLUED_HEADER.search(raw) and not _SENTENCE_STOP.search(raw))
    }
    chunks = []
    for number, (index, ref, order, rest) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        body = [rest, *(line.strip() for line in lines[index + 1 : end])]
        chunks.append((index, ref, order, body))
    cited = sum(1 for _, _, _, body in chunks if _CITATION.search(" ".join(body)))
    first_gate = min(gate_lines) if gate_lines else None
    if cited < 2 and first_gate is None:
        return []
    items: list[_Item] = []
    last_order = 0
    for index, ref, order, body in chunks:
        if cited < 2 and first_gate is not None and index < first_gate:
            continue
        if order <= last_order:
            continue
        text = " ".join(" ".join(body).split())
        if not text or _END_HEADINGS.match(text):
            continue
        last_order = order
        items.append(_Item(ref=ref, lines=body, numbered=True))
    return items


def _numbered_proposal(item: _Item) -> ProposedRecommendation | None:
    """A numbered paragraph: its wording up to the paragraph it cites; after that, the
    response printed under it (a government's reply), headings between sections left out."""
    lines = [line for line in item.lines]
    cut = None
    for count in range(1, len(lines) + 1):
        if _CITATION.search(" ".join(" ".join(lines[:count]).split())):
            cut = count
            break
    fields: dict[str, str] = {}
    if cut is None:
        text = " ".join(" ".join(lines).split())
        if not text or _OWN_RECOMMENDATION.match(text):
            return None
        # A flattened table row: wording to its first sentence's end, the cells after it.
        glued = re.search(r"(?<=[a-z)])\.(?=[A-Z])", text)
        if glued:
            text, after = text[: glued.start() + 1], text[glued.end() :]
            fields["acceptance"] = acceptance_in_words(after)
        return _with_status(item.ref, text, "", fields)
    flat = " ".join(" ".join(lines[:cut]).split())
    citation = _CITATION.search(flat)
    text, same_line = flat[: citation.start()].strip(), flat[citation.end() :].strip()
    if not text or _OWN_RECOMMENDATION.match(text):
        return None
    paragraphs = _response_paragraphs(lines[cut:])
    if same_line:  # the response begins on the citation's own line (a flattened table row)
        paragraphs = [" ".join([same_line, *paragraphs[:1]]), *paragraphs[1:]]
    narrative = "\n\n".join(paragraphs)
    fields["acceptance"] = acceptance_in_words(paragraphs[0]) if paragraphs else ""
    return _with_status(item.ref, text, narrative, fields)


def _response_paragraphs(lines: list[str]) -> list[str]:
    """The paragraphs printed after a numbered paragraph's citation: its response. A short
    line with no sentence end, followed by nothing or by a new sentence, is a heading between
    sections, not part of it; wrapped lines are joined."""
    clean = [line.strip() for line in lines]
    paragraphs: list[list[str]] = [[]]
    for index, line in enumerate(clean):
        if not line:
            paragraphs.append([])
            continue
        following = next((later for later in clean[index + 1 :] if later), "")
        heading = (
            len(line) <= 80
            and not _SENTENCE_STOP.search(line)
            and (not following or re.match(r"^[A-Z0-9(]", following) is not None)
        )
        if heading:
            paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    return [" ".join(" ".join(p).split()) for p in paragraphs if p]


# --- References named in running text (minutes) ----------------------------------------------

# "recommendation 38", "Recommendations 1, 2 and 9", "Recommendation 17 SRR 08"
_AUDIT_CODE = r"(?:\d{2}\s)?[A-Z][A-Z0-9&]*(?:\s(?:&\s)?[A-Z][A-Z0-9&]*)?\s\d{2}(?![\d/])\b"
_NAMED = re.compile(
    rf"\brecommendations?\s+(?:no\.?\s*)?(?P<refs>{_AUDIT_CODE}|\d{{1,4}}[a-z]?"
    r"(?:\s*(?:,|and|&)\s*\d{1,4}[a-z]?)*)\b",
    re.IGNORECASE,
)
# An internal audit reference written into a sentence: "24 AGS 06", "H&S 05", "SC19 O 03".
_CODE_IN_TEXT = re.compile(rf"(?<![\w&/-])(?P<ref>{_AUDIT_CODE})(?![\w&/-])")
# A bullet that starts with such a reference, which may lack its number: "21 CSM&R Expected..."
# (A bullet is required: a line such as "90 BBC Engagement..." in a contents list is not one.)
_CODE_FIRST = re.compile(
    rf"^[-{_BULLETS}*]\s+(?P<ref>\d{{2}}\s+[A-Z][A-Z&]*\b(?:\s+(?:&\s+)?[A-Z][A-Z&]*\b)*"
    r"(?:\s+\d{2}\b)?)\s+(?P<rest>[A-Z].*)$"
)
_PLACEHOLDER = "Xrefx"
_NOT_CODES = frozenset({"covid", "item", "minute", "table", "appendix", "page", "part", "annex"})


def _read_prose(lines: list[str]) -> list[ProposedRecommendation]:
    """References that minutes name in their sentences, when the report has no structured
    recommendations: each with the words of its own line or sentence as its update (in a
    sentence naming several, the clause that follows each: "24 AGS 03 had been completed,
    and 24 AGS 06 was 75% completed")."""
    found: list[ProposedRecommendation] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        first = _CODE_FIRST.match(line)
        if first and _is_code(first["ref"]):
            ref = " ".join(first["ref"].split())
            found.append(_prose_proposal(ref, first["rest"].strip()))
            continue
        for sentence in _SENTENCE_END.split(_strip_bullet(line)):
            spans: list[tuple[int, int, str]] = []
            for match in _NAMED.finditer(sentence):
                spans += [(match.start(), match.end(), ref) for ref in _refs_in(match["refs"])]
            for match in _CODE_IN_TEXT.finditer(sentence):
                ref = " ".join(match["ref"].split())
                if _is_code(ref) and not any(s <= match.start() < e for s, e, _ in spans):
                    spans.append((match.start(), match.end(), ref))
            spans.sort()
            starts = sorted({start for start, _, _ in spans})
            for start, end, ref in dict.fromkeys(spans):
                if len(starts) == 1:
                    words = sentence
                else:
                    later = [s for s in starts if s > start]
                    words = sentence[start : later[0] if later else len(sentence)]
                    if re.fullmatch(
                        r"[\s,;&]*(?:and|or)?[\s,;&]*", sentence[end : later[0]] if later else "x"
                    ):
                        # "H&S 05 and CSM&R 15 would be completed": the same predicate
                        following = [s for s in starts if s > later[0]]
                        words = (
                            ref
                            + " "
                            + sentence[later[0] : following[0] if following else len(sentence)]
                        )
                found.append(_prose_proposal(ref, words))
    return found


def _strip_bullet(line: str) -> str:
    return re.sub(rf"^[-{_BULLETS}*]\s+", "", line)


def _refs_in(text: str) -> list[str]:
    """The references a mention names: one audit code ("17 SRR 08"), or numbers in a list
    ("1, 2 and 9")."""
    if re.search(r"[A-Z]{2}", text) or ("&" in text and re.search(r"[A-Z]", text)):
        return [" ".join(text.split())] if _is_code(text) else []
    return [part for part in re.split(r"\s*(?:,|and|&)\s*", text.strip()) if part]


def _is_code(ref: str) -> bool:
    words = normalise_words(ref).split()
    return not any(word in _NOT_CODES for word in words)


def _prose_proposal(ref: str, words: str) -> ProposedRecommendation:
    clean = " ".join(words.split())
    # The reference's own digits are not a count ("24 AGS 03 had been completed").
    status, evidence = status_from_words(clean.replace(ref, _PLACEHOLDER))
    evidence = evidence.replace(_PLACEHOLDER, ref)
    return ProposedRecommendation(
        ref=ref,
        text="",  # minutes name it without its wording: the officer gives it in the review
        response=clean,
        status=status,
        evidence=evidence,
    )


# --- Tables ---------------------------------------------------------------------------------

_REF_HEADERS = {
    "ref", "ref no", "reference", "no", "number", "rec", "rec no", "rec ref", "item",
    "recommendation no", "recommendation number", "recommendation ref", "rec number",
}  # fmt: skip
_TABLE_REF = re.compile(rf"^(?:Recommendation\s+|Rec\.?\s*)?({_ANY_REF})\.?$")
_REF_AT_END = re.compile(r"\s*\((?:Recommendation|Rec\.?)\s+(\d{1,4}[a-z]?)\)\s*\.?$")


def _cell_keys(cells: list[str]) -> list[str]:
    return [" ".join(re.sub(r"[^a-z0-9?]+", " ", cell.lower()).split()) for cell in cells]


def _table_columns(cells: list[str]) -> dict[str, int] | None:
    """The meaning of each column if this row is a recommendations table's header."""
    keys = _cell_keys(cells)
    if any(len(key) > 40 for key in keys):
        return None
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in _REF_HEADERS or key.rstrip("?") in _REF_HEADERS:
            columns.setdefault("ref", index)
        elif "recommendation" in key and "text" not in columns:
            columns["text"] = index
        elif "status" in key or "assessment" in key:
            columns.setdefault("status", index)
        elif any(word in key for word in ("accepted", "acceptance", "agreed")):
            columns.setdefault("acceptance", index)
        elif any(word in key for word in ("response", "update", "progress", "comment",
                                          "position", "action")):  # fmt: skip
            columns.setdefault("response", index)
        elif any(word in key for word in ("owner", "lead", "responsib", "officer")):
            columns.setdefault("owner", index)
        elif any(word in key for word in ("directorate", "service", "department")):
            columns.setdefault("directorate", index)
        elif any(word in key for word in ("target", "due", "deadline", "timescale")) or (
            "date" in key and not any(word in key for word in ("issued", "publication", "exec"))
        ):
            columns.setdefault("due", index)
    if "text" in columns and ({"ref", "response", "status"} & columns.keys()):
        return columns
    return None


def _table_row(cells: list[str], columns: dict[str, int], previous: _Item | None) -> _Item | None:
    values = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
    values = {name: value.replace(CELL_LINE_BREAK, "\n").strip() for name, value in values.items()}
    if "ref" in columns:
        ref_cell = values.pop("ref")
        match = _TABLE_REF.match(ref_cell)
        if not ref_cell:
            if previous is not None and previous.cells is not None:
                for name, value in values.items():  # a row continuing the one above
                    if value:
                        joined = f"{previous.cells.get(name, '')}\n{value}".strip()
                        previous.cells[name] = joined
            return None
        if not match:
            return None
        ref = match[1]
    else:
        match = re.match(
            rf"^({_LETTER_REF}|{_SLASH_REF}|{_NUMBER_REF})\s*{_SEP}?\s+", values["text"]
        )
        at_end = _REF_AT_END.search(values["text"])
        if match:
            ref = match[1]
            values["text"] = values["text"][match.end() :]
        elif at_end:
            ref = at_end[1]
            values["text"] = values["text"][: at_end.start()]
        else:
            return None  # a row with no reference of its own is not proposed
    if not values.get("text"):
        return None
    return _Item(ref=ref, cells=values)


def _table_proposal(item: _Item) -> ProposedRecommendation | None:
    """A table row: a recommendation whatever its wording ("That the Council consider...")."""
    cells = item.cells or {}
    text = " ".join(cells.get("text", "").split())
    if not text:
        return None
    paragraphs = [" ".join(p.split()) for p in cells.get("response", "").split("\n")]
    narrative = "\n\n".join(p for p in paragraphs if p)
    return _with_status(item.ref, text, narrative, cells)


# --- The report's own details ---------------------------------------------------------------


def _report_details(lines: list[str]) -> tuple[str, date | None, str]:
    """The committee, the date and the title printed at the top of the report, if any."""
    top = [" ".join(line.split()) for line in lines if line.strip()][:20]
    committee, report_date, title = "", None, ""
    for index, line in enumerate(top):
        if report_date is None and len(line) < 80:
            report_date = find_date(line)
        names_committee = re.search(r"\b(?:Committee|Cabinet|Panel)\b", line)
        if not committee and names_committee and len(line) <= 120 and not line.startswith("That"):
            committee = line
            following = top[index + 1] if index + 1 < len(top) else ""
            if following and ":" not in following and len(following) <= 150:
                title = following
    return committee, report_date, title
