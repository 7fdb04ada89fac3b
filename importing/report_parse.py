"""The recommendations in a committee report's text, as a proposal for an officer to review.

Reports are written by people, so this reads the layouts they use rather than one format:

- numbered headings, as in the seed: "2.2 Recommendation 2." then the wording's paragraph,
  then the response paragraphs, until the next recommendation or the next main section;
- lists: "R1 – Review the allocation policy (Accepted)", with "Response:", "Status:",
  "Lead officer:" and "Target date:" lines or paragraphs under each;
- references such as "14/2018/P" or "SR (25/26) 01" starting a line the same way;
- tables (tab-separated rows, as Word tables come out of `importing.report_text`) with a header
  naming a ref or recommendation column, and response, status, owner and date columns.

The rule is conservative: nothing is invented. A status is proposed only from words that say
it (a status column, or a sentence such as "This recommendation has now been implemented"),
and `evidence` quotes them; otherwise the status is `unclear` and the officer chooses. The
report's own recommendation to the committee ("1.1 That the Committee notes the progress…"),
section numbers and paragraph numbers are never taken for tracked recommendations.

DOMAIN.md's seed: items a report to the committee says are implemented, when the report asks
the committee to note that progress, were signed off (closed) at that meeting. So by default
implemented items of such a report are proposed as `closed`; `committee_met=False` (the
meeting has not happened yet) keeps them `implemented`, awaiting sign-off.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from domain.vocabulary import Acceptance, Status
from importing.report_text import CELL_LINE_BREAK

__all__ = [
    "ACCEPTANCE_WORDS",
    "JSON_FIELDS",
    "UNCLEAR",
    "ParsedReport",
    "ProposedRecommendation",
    "parse_report",
    "parse_uk_date",
    "status_from_words",
]

UNCLEAR = "unclear"
JSON_FIELDS = ("ref", "text", "response", "status", "report_back", "owner", "due", "evidence")


@dataclass(frozen=True)
class ProposedRecommendation:
    """One recommendation as the report gives it, before the officer reviews it.

    `status` is a `domain.vocabulary.Status` value or "unclear"; `evidence` quotes the words
    that justified it; `report_back_evidence` the words committing it to come back;
    `acceptance` the report's word on acceptance ("Accepted"), as printed."""

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
# References as councils print them: 1, 2a, 1.2, R3, REC4, 14/2018/P, SR (25/26) 01.
_SLASH_REF = r"\d{1,4}/\d{2,4}/[A-Z0-9]{1,4}"
_SESSION_REF = r"[A-Z]{1,4}\s?\(\d{2}/\d{2}\)\s?\d{1,3}"
_LETTER_REF = r"(?:R|REC|Rec)\s?\d{1,3}(?:\.\d{1,2})?[a-z]?"
_NUMBER_REF = r"\d{1,3}(?:\.\d{1,2})?[a-z]?"
_ANY_REF = f"(?:{_SESSION_REF}|{_SLASH_REF}|{_LETTER_REF}|{_NUMBER_REF})"
_SEP = rf"[.:{_DASHES}\-)]"

# "2.2 Recommendation 2." / "Recommendation 14/2018/P: wording" / "Rec 3 – wording"
_HEADING = re.compile(
    rf"^(?:[-\u2022*]\s*)?(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+)?"
    rf"(?:Recommendation|RECOMMENDATION|Rec\.?)\s+(?:No\.?\s*|number\s+)?({_ANY_REF})"
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
    r"status|current status|implementation status|rag status|"
    r"lead officer|responsible officer|officer responsible|owner|action owner|lead|"
    r"target date|due date|due|deadline|timescales?|target|completion date|"
    r"implementation date|recommendation|wording|acceptance|accepted\?|agreed\?)"
    rf"\s*(?:[:{_DASHES}]|\s-)\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_LABEL_KIND = {
    "response": "response",
    "update": "response",
    "progress": "response",
    "progress update": "response",
    "officer response": "response",
    "management response": "response",
    "comment": "response",
    "comments": "response",
    "current position": "response",
    "position": "response",
    "action taken": "response",
    "actions taken": "response",
    "progress to date": "response",
    "status": "status",
    "current status": "status",
    "implementation status": "status",
    "rag status": "status",
    "lead officer": "owner",
    "responsible officer": "owner",
    "officer responsible": "owner",
    "owner": "owner",
    "action owner": "owner",
    "lead": "owner",
    "target date": "due",
    "due date": "due",
    "due": "due",
    "deadline": "due",
    "timescale": "due",
    "timescales": "due",
    "target": "due",
    "completion date": "due",
    "implementation date": "due",
    "recommendation": "text",
    "wording": "text",
    "acceptance": "acceptance",
    "accepted?": "acceptance",
    "agreed?": "acceptance",
}
# The words a report prints for the council's answer, as (acceptance, in principle).
ACCEPTANCE_WORDS: dict[str, tuple[Acceptance, bool]] = {
    "accepted": (Acceptance.ACCEPTED, False),
    "agreed": (Acceptance.ACCEPTED, False),
    "accepted in principle": (Acceptance.ACCEPTED, True),
    "partially accepted": (Acceptance.PARTIALLY_ACCEPTED, False),
    "partly accepted": (Acceptance.PARTIALLY_ACCEPTED, False),
    "partially agreed": (Acceptance.PARTIALLY_ACCEPTED, False),
    "not accepted": (Acceptance.NOT_ACCEPTED, False),
    "not agreed": (Acceptance.NOT_ACCEPTED, False),
    "rejected": (Acceptance.NOT_ACCEPTED, False),
    "noted": (Acceptance.NOTED, False),
}
_ACCEPTANCE_WORD = re.compile(
    "^(?:" + "|".join(re.escape(word) for word in ACCEPTANCE_WORDS) + ")$", re.IGNORECASE
)
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


# --- Status words ---------------------------------------------------------------------------

_STATUS_CELLS = {
    Status.IMPLEMENTED: (
        "implemented", "complete", "completed", "done", "achieved", "delivered",
        "fully implemented", "implemented awaiting sign off", "complete awaiting sign off",
        "completed awaiting sign off", "awaiting sign off",
    ),
    Status.CLOSED: ("closed", "signed off", "complete closed", "completed closed"),
    Status.IN_PROGRESS: (
        "in progress", "ongoing", "on track", "partially implemented", "partly implemented",
        "started", "underway", "under way", "paused", "on hold", "behind schedule", "delayed",
        "in progress on track", "progressing",
    ),
    Status.NOT_STARTED: ("not started", "not yet started", "planned", "not yet due"),
    Status.SUPERSEDED: ("superseded", "no longer relevant", "no longer applicable"),
    Status.NOT_IMPLEMENTED: (
        "not implemented", "will not be implemented", "not to be implemented", "cancelled",
        "withdrawn",
    ),
}  # fmt: skip
_CELL_STATUS = {word: status for status, words in _STATUS_CELLS.items() for word in words}

_NOT_BEFORE = re.compile(
    r"\b(?:once|when|until|unless|if|before|after|ensure|ensuring|to be|will be|would be|"
    r"should be|must be|can be|could be|not|yet|awaiting|expected|planned|intended|aim)\W+"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
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
        (Status.NOT_STARTED, False, r"\b(?:has|have) not (?:yet )?(?:been )?(?:started|"
         r"commenced|begun)\b"),
        (Status.NOT_STARTED, False, r"\bnot yet (?:started|commenced|begun)\b"),
        (Status.NOT_STARTED, False, r"\byet to (?:start|begin|commence)\b"),
        (Status.NOT_STARTED, False, r"\bwork (?:is due to|will) (?:start|begin|commence)\b"),
        (Status.IN_PROGRESS, False, r"\bpartially (?:implemented|complete(?:d)?)\b"),
        (Status.IMPLEMENTED, True, r"\b(?:has|have)\s+(?:now\s+|also\s+|already\s+)?been\s+"
         r"(?:fully\s+)?(?:implemented|completed|achieved|delivered)\b"),
        (Status.IMPLEMENTED, True, r"\b(?:is|are|was|were)\s+(?:now\s+)?(?:fully\s+)?"
         r"(?:implemented|complete|completed)\b"),
        (Status.IMPLEMENTED, True, r"\bnow (?:fully )?(?:implemented|complete)\b"),
        (Status.IN_PROGRESS, False, r"\bin progress\b"),
        (Status.IN_PROGRESS, False, r"\b(?:is|are) (?:currently )?being\s+\w+"),
        (Status.IN_PROGRESS, False, r"\bunder ?way\b"),
        (Status.IN_PROGRESS, False, r"\bongoing\b"),
        (Status.IN_PROGRESS, False, r"\bon track\b"),
        (Status.IN_PROGRESS, False, r"\b(?:is|are) progressing\b"),
        (Status.IN_PROGRESS, False, r"\bin the process of\b"),
        (Status.IN_PROGRESS, False, r"\bwork (?:has|have) (?:now )?(?:started|begun|"
         r"commenced)\b"),
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


def status_from_words(text: str) -> tuple[str, str]:
    """(status, evidence) from what a narrative or a status cell says; ("unclear", "")
    when the words do not say.

    A status cell's single word decides. In a narrative, a sentence about the recommendation
    or its actions ("This recommendation has now been implemented") decides, the last such
    sentence winning; otherwise the other sentences must agree, except that finished work
    beside work still going on is in progress (the item is not done)."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    if not clean:
        return UNCLEAR, ""
    cell = re.sub(r"[^a-z ]+", " ", clean.lower().replace("-", " "))
    cell = " ".join(cell.split())
    if cell in _CELL_STATUS:
        return _CELL_STATUS[cell].value, clean
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


def _sentence_status(sentence: str) -> Status | None:
    for status, guarded, pattern in _PHRASES:
        for match in pattern.finditer(sentence):
            if guarded and _NOT_BEFORE.search(sentence[: match.start()]):
                continue
            return status
    return None


def _report_back(text: str) -> str:
    """The sentence committing the item to come back to committee, or ""."""
    clean = " ".join(text.replace(CELL_LINE_BREAK, " ").split())
    for sentence in _SENTENCE_END.split(clean):
        if _REPORT_BACK.search(sentence):
            return sentence
    return ""


# --- Dates ----------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MONTH_YEAR = re.compile(r"\b(?:end of\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_uk_date(text: str) -> date | None:
    """A date written the UK way: 12/02/2019, 12 February 2019, 12th Feb 2019, 2019-02-12, or
    "February 2019" (the month's last day). None when there is no such date."""
    text = text or ""
    try:
        if match := _ISO.search(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.search(text):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return date(year, int(match[2]), int(match[1]))
        if (match := _DAY_MONTH_YEAR.search(text)) and match[2].lower() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        for match in _MONTH_YEAR.finditer(text):
            if match[1].lower() in _MONTHS:
                year, month = int(match[2]), _MONTHS[match[1].lower()]
                return date(year, month, monthrange(year, month)[1])
    except ValueError:
        return None
    return None


# --- Reading the text -----------------------------------------------------------------------


@dataclass
class _Item:
    ref: str
    head: str = ""  # wording on the heading's own line
    lines: list[str] = field(default_factory=list)
    cells: dict[str, str] | None = None  # a table row


def _normalise(text: str) -> list[str]:
    text = text.replace("\u00a0", " ").replace("**", "").replace("__", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def parse_report(text: str, *, committee_met: bool = True) -> ParsedReport:
    """Read the report's recommendations and details; see the module docstring."""
    lines = _normalise(text)
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
    proposals = _merge([_proposal(item) for item in items])
    signed_off = committee_met and bool(
        own_recommendation and _NOTES_PROGRESS.search(own_recommendation)
    )
    if signed_off:
        proposals = [
            replace(p, status=Status.CLOSED.value) if p.status == Status.IMPLEMENTED else p
            for p in proposals
        ]
    committee, report_date, title = _report_details(lines)
    return ParsedReport(
        recommendations=tuple(proposals),
        committee_recommendation=own_recommendation,
        committee=committee,
        report_date=report_date,
        title=title,
        signed_off=signed_off and any(p.status == Status.CLOSED for p in proposals),
    )


def _proposal(item: _Item) -> ProposedRecommendation | None:
    if item.cells is not None:
        return _table_proposal(item)
    head, brackets = _trailing_brackets(item.head)
    fields: dict[str, str] = {}
    for word in brackets:
        if _ACCEPTANCE_WORD.match(word):
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
        if label and label["label"].lower() in _LABEL_KIND:
            kind = _LABEL_KIND[label["label"].lower()]
            value = label["value"].strip()
            if kind == "response":
                section = "response"
                response.append([value] if value else [])
            elif kind == "text":
                section = "text"
                wording = [value] if value else []
            else:
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
    text = " ".join(" ".join(wording).split())
    if not text or _OWN_RECOMMENDATION.match(text):
        return None
    narrative = "\n\n".join(" ".join(" ".join(p).split()) for p in response if p)
    if not narrative and not head:
        text, narrative = _split_run_on(text)
    return _with_status(item.ref, text, narrative, fields)


_BULLET = re.compile(r"^(?:[-\u2022*]\s+|\(?[a-z]\)\s+|\(?[ivx]{1,4}\)\s+)")


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
        if not (_ACCEPTANCE_WORD.match(inner) or inner.lower() in _CELL_STATUS):
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
    report_back = _report_back(narrative)
    return ProposedRecommendation(
        ref=ref,
        text=text,
        response=narrative,
        status=status,
        report_back=bool(report_back),
        owner=" ".join(fields.get("owner", "").split()),
        due=" ".join(fields.get("due", "").split()),
        evidence=evidence,
        acceptance=fields.get("acceptance", ""),
        report_back_evidence=report_back,
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
            for name in ("response", "owner", "due", "acceptance")
            if not getattr(first, name) and getattr(proposal, name)
        }
        if first.status == UNCLEAR and proposal.status != UNCLEAR:
            filled |= {"status": proposal.status, "evidence": proposal.evidence}
        if not first.report_back and proposal.report_back:
            filled |= {"report_back": True, "report_back_evidence": proposal.report_back_evidence}
        by_ref[key] = replace(first, **filled)
    return list(by_ref.values())


# --- Tables ---------------------------------------------------------------------------------

_REF_HEADERS = {
    "ref", "ref no", "reference", "no", "number", "rec", "rec no", "rec ref", "item",
    "recommendation no", "recommendation number", "recommendation ref", "rec number",
}  # fmt: skip
_TABLE_REF = re.compile(rf"^(?:Recommendation\s+|Rec\.?\s*)?({_ANY_REF})\.?$")


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
        elif "status" in key:
            columns.setdefault("status", index)
        elif any(word in key for word in ("accepted", "acceptance", "agreed")):
            columns.setdefault("acceptance", index)
        elif any(word in key for word in ("response", "update", "progress", "comment",
                                          "position", "action")):  # fmt: skip
            columns.setdefault("response", index)
        elif any(word in key for word in ("owner", "lead", "responsible", "officer")):
            columns.setdefault("owner", index)
        elif any(word in key for word in ("target", "due", "deadline", "timescale", "date")):
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
        ref = match[1] if match else ""
        if match:
            values["text"] = values["text"][match.end() :]
    if not values.get("text"):
        return None
    return _Item(ref=ref, cells=values)


def _table_proposal(item: _Item) -> ProposedRecommendation | None:
    cells = item.cells or {}
    text = " ".join(cells.get("text", "").split())
    if not text or _OWN_RECOMMENDATION.match(text):
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
            report_date = parse_uk_date(line) if _DAY_MONTH_YEAR.search(line) else None
        names_committee = re.search(r"\b(?:Committee|Cabinet|Panel)\b", line)
        if not committee and names_committee and len(line) <= 120 and not line.startswith("That"):
            committee = line
            following = top[index + 1] if index + 1 < len(top) else ""
            if following and ":" not in following and len(following) <= 150:
                title = following
    return committee, report_date, title
