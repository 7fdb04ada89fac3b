"""The report layouts other than tables: how each is recognised and read into proposals.

- headings and lists ("2.2 Recommendation 2.", "R1 – wording (Accepted)", "14/2018/P: ...")
  with the response paragraphs and labelled fields under each ("Response:", "Status:",
  "Lead officer:", "Target date:", an audit body's "Corrective Action:");
- numbered paragraphs, as parliamentary committees print "Conclusions and recommendations"
  ("1. We recommend ... (Paragraph 14)"), with the government's response under each;
- minutes that name references in running text ("recommendation 38", "24 AGS 06 was 75%
  completed").

The reading loop (`importing.report_parse`) finds headings and lists line by line with
`HEADING`, `LIST_ITEM` and `LABEL`; tables are in `importing.report_tables`.
"""

from __future__ import annotations

import re

from importing.report_patterns import (
    ANY_REF,
    BULLETS,
    DASHES,
    END_HEADINGS,
    LETTER_REF,
    OWN_RECOMMENDATION,
    SEP,
    SESSION_REF,
    SLASH_REF,
)
from importing.report_sentences import (
    SENTENCE_END,
    acceptance_in_words,
    report_back_sentence,
    status_from_words,
    with_status,
)
from importing.report_types import UNCLEAR, ProposedRecommendation, ReportItem
from importing.words import acceptance_of_word, normalise_words, status_of_word

__all__ = [
    "HEADING",
    "LABEL",
    "LIST_ITEM",
    "headed_proposal",
    "numbered_proposal",
    "read_numbered_paragraphs",
    "read_prose",
]

# --- Headings, lists and labelled fields -----------------------------------------------------


# "2.2 Recommendation 2." / "Recommendation 14/2018/P: wording" / "Rec 3 – wording" /
# "Rec. No.: 1" (an audit body's summary of management's response)
HEADING = re.compile(
    rf"^(?:[-\u2022*]\s*)?(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+)?"
    rf"(?:Recommendation|RECOMMENDATION|Rec\.?)\s+(?:No\.?\s*:?\s*|number\s+)?({ANY_REF})"
    rf"(?:\s*$|\s*{SEP}\s*(.*)$|\s+(\(.*)$)"
)
# "R1 – wording (Accepted)", "14/2018/P – wording", "SR (25/26) 01: wording"
LIST_ITEM = re.compile(
    rf"^(?:[-\u2022*]\s*)?({SESSION_REF}|{SLASH_REF}|{LETTER_REF})"
    rf"(?:\s*{SEP}\s*|\t+|\s+(?=\())(.+)$"
)
LABEL = re.compile(
    r"^(?P<label>response|update|progress(?: update)?|officer response|management response|"
    r"comments?|current position|position|action taken|actions taken|progress to date|"
    r"corrective action(?:s)?(?: taken or planned)?|agreed action|management action|"
    r"status|current status|implementation status|rag status|open or closed[a-z]?|"
    r"lead officer|responsible officer|officer responsible|owner|action owner|lead|"
    r"directorate|service|service area|department|"
    r"target date|due date|due|deadline|timescales?|target|completion date|"
    r"expected completion date|implementation date|recommendation|wording|acceptance|"
    r"accepted\?|agreed\?|monetary benefits|resolved[a-z]?(?: yes or no)?)"
    rf"\s*(?:[:{DASHES}]|\s-)\s*(?P<value>.*)$",
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


def _label_kind(label: str) -> str | None:
    key = " ".join(label.lower().rstrip("?").split())
    key = re.sub(r"^(open or closed|resolved)[a-z]?\b.*$", r"\1", key)
    return _LABEL_KIND.get(key)


def headed_proposal(item: ReportItem) -> ProposedRecommendation | None:
    """A recommendation under a heading or list item: its wording, then its response
    paragraphs and labelled fields ("Response:", "Status:", "Lead officer:"...); the
    status or acceptance in brackets after the wording ("R1 – wording (Accepted)")."""
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
        label = LABEL.match(line)
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
    if not text or OWN_RECOMMENDATION.match(text):
        return None
    narrative = "\n\n".join(paragraphs)
    if not narrative and not head:
        text, narrative = _split_run_on(text)
    return with_status(item.ref, text, narrative, fields)


_BULLET = re.compile(rf"^(?:[-{BULLETS}*]\s+|\(?[a-z]\)\s+|\(?[ivx]{{1,4}}\)\s+)")


def _strip_marker(line: str) -> str:
    """A bullet or paragraph number is layout, not text: "- a) The NSPCC" -> "a) The NSPCC"."""
    line = re.sub(r"^[-\u2022*]\s+", "", line)
    return re.sub(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\s+(?=[A-Z])", "", line)


def _split_run_on(text: str) -> tuple[str, str]:
    """Wording and response run together (a PDF lost the gap between them): when the
    sentences after the first plainly report progress, they are the response."""
    sentences = SENTENCE_END.split(text)
    for cut in range(1, len(sentences)):
        rest = " ".join(sentences[cut:])
        reports_progress = status_from_words(rest)[0] != UNCLEAR or bool(report_back_sentence(rest))
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
    rf"\((?:paragraphs?|paras?)\.?\s+\d{{1,4}}(?:\s*[-{DASHES},and ]+\s*\d{{1,4}})*\)\.?",
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


def read_numbered_paragraphs(lines: list[str]) -> list[ReportItem]:
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
    items: list[ReportItem] = []
    last_order = 0
    for index, ref, order, body in chunks:
        if cited < 2 and first_gate is not None and index < first_gate:
            continue
        if order <= last_order:
            continue
        text = " ".join(" ".join(body).split())
        if not text or END_HEADINGS.match(text):
            continue
        last_order = order
        items.append(ReportItem(ref=ref, lines=body, numbered=True))
    return items


def numbered_proposal(item: ReportItem) -> ProposedRecommendation | None:
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
        if not text or OWN_RECOMMENDATION.match(text):
            return None
        # A flattened table row: wording to its first sentence's end, the cells after it.
        glued = re.search(r"(?<=[a-z)])\.(?=[A-Z])", text)
        if glued:
            text, after = text[: glued.start() + 1], text[glued.end() :]
            fields["acceptance"] = acceptance_in_words(after)
        return with_status(item.ref, text, "", fields)
    flat = " ".join(" ".join(lines[:cut]).split())
    citation = _CITATION.search(flat)
    text, same_line = flat[: citation.start()].strip(), flat[citation.end() :].strip()
    if not text or OWN_RECOMMENDATION.match(text):
        return None
    paragraphs = _response_paragraphs(lines[cut:])
    if same_line:  # the response begins on the citation's own line (a flattened table row)
        paragraphs = [" ".join([same_line, *paragraphs[:1]]), *paragraphs[1:]]
    narrative = "\n\n".join(paragraphs)
    fields["acceptance"] = acceptance_in_words(paragraphs[0]) if paragraphs else ""
    return with_status(item.ref, text, narrative, fields)


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
    rf"^[-{BULLETS}*]\s+(?P<ref>\d{{2}}\s+[A-Z][A-Z&]*\b(?:\s+(?:&\s+)?[A-Z][A-Z&]*\b)*"
    r"(?:\s+\d{2}\b)?)\s+(?P<rest>[A-Z].*)$"
)
_PLACEHOLDER = "Xrefx"
_NOT_CODES = frozenset({"covid", "item", "minute", "table", "appendix", "page", "part", "annex"})


def read_prose(lines: list[str]) -> list[ProposedRecommendation]:
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
        for sentence in SENTENCE_END.split(_strip_bullet(line)):
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
    return re.sub(rf"^[-{BULLETS}*]\s+", "", line)


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
