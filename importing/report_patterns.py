"""The patterns every report layout shares: how councils print references, where a
recommendation's section ends, and the report's own recommendation to the committee (which
is never a tracked recommendation). Used by `importing.report_layouts`, `importing.report_tables`
and the reading loop in `importing.report_parse`.
"""

from __future__ import annotations

import re

__all__ = [
    "ANY_REF",
    "BULLETS",
    "DASHES",
    "END_HEADINGS",
    "LETTER_REF",
    "MAIN_SECTION",
    "NUMBER_REF",
    "OWN_RECOMMENDATION",
    "SEP",
    "SESSION_REF",
    "SLASH_REF",
]

DASHES = "\u2013\u2014\u2012\u2212"
BULLETS = "\u2022\u00b7\u25aa\u25cf\u2023o"
# References as councils print them: 1, 2a, 1.2, R3, REC4, 14/2018/P, SR (25/26) 01.
SLASH_REF = r"\d{1,4}/\d{2,4}/[A-Z0-9]{1,4}"
SESSION_REF = r"[A-Z]{1,4}\s?\(\d{2}/\d{2}\)\s?\d{1,4}"
LETTER_REF = r"(?:R|REC|Rec)\s?\d{1,4}(?:\.\d{1,2})?[a-z]?"
NUMBER_REF = r"\d{1,4}(?:\.\d{1,2})?[a-z]?"
ANY_REF = f"(?:{SESSION_REF}|{SLASH_REF}|{LETTER_REF}|{NUMBER_REF})"
SEP = rf"[.:{DASHES}\-)]"


# A main section heading ends a recommendation's text: "3. Reasons for Recommendation".
MAIN_SECTION = re.compile(r"^\d{1,2}\.?\s+[A-Z][^.!?]{1,100}$")
END_HEADINGS = re.compile(
    r"^(?:background papers|appendices|appendix\b|report author|implications|financial "
    r"implications|legal implications|reasons for recommendations?|consultation|contact "
    r"officers?|glossary|next steps|conclusions?)\b",
    re.IGNORECASE,
)


# The report's own recommendation to the committee: "1.1 That the Committee notes ..."
OWN_RECOMMENDATION = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(That\s+(?:the\s+)?(?:[\w'&,-]+\s+){0,8}?"
    r"(?:Committee|Cabinet|Council|Members|Board|Panel|Sub-Committee|Executive)\s+"
    r"(?:notes?|agrees?|approves?|accepts?|endorses?|considers?|comments?|reviews?|"
    r"scrutinises?|is asked|are asked)\b.*)$",
    re.IGNORECASE,
)
