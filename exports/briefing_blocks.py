"""The pieces a briefing report is made of, for the Word and HTML renderers to lay out.

`exports.briefing_report` fills them with words; `exports.briefing_docx` and
`exports.briefing_html` draw each kind. Plain frozen values: no wording, no layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.vocabulary import Rag

__all__ = [
    "Block",
    "Bullets",
    "ChartImage",
    "Figure",
    "Heading",
    "ItemRow",
    "ItemsTable",
    "Masthead",
    "Paragraph",
    "Report",
    "Table",
]


@dataclass(frozen=True)
class Masthead:
    """The report's opening: meeting date and agenda item, committee, title, who, marking."""

    meeting: str
    item: str  # "ITEM: 8", or "" when the clerk gave no number
    committee: str
    title: str
    lines: tuple[tuple[str, str], ...]  # ("Report of", "Jo Bloggs, Scrutiny Officer"), ...
    marking: str
    exempt: bool


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: a numbered section; 2: a subsection or source
    exempt_mark: str = ""  # printed after the text, in red
    new_page: bool = False  # starts a page (the appendix)


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: str = ""  # "1.1": printed in a hanging indent
    label: str = ""  # a bold lead-in, e.g. "Implications verified by: "
    keep_with_next: bool = False


@dataclass(frozen=True)
class Bullets:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A small table of counts: number columns right-aligned, widths in cm."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: frozenset[int]


@dataclass(frozen=True)
class ItemRow:
    """One item due back: its cells in ITEM_HEADERS order, then its latest update."""

    ref: str
    exempt: bool
    wording: str
    owner: str
    status: str
    target: str
    rag: Rag
    rag_word: str
    rag_reason: str
    why: str
    update_heading: str
    update_text: str

    @property
    def cells(self) -> tuple[str, ...]:
        """The cells' words as the table prints them (the RAG reason under its word)."""
        return (
            self.ref,
            self.wording,
            self.owner,
            self.status,
            self.target,
            self.rag_word,
            self.why,
        )


@dataclass(frozen=True)
class ItemsTable:
    rows: tuple[ItemRow, ...]


@dataclass(frozen=True)
class Figure:
    number: int
    title: str
    words: str
    png: bytes | None
    problem: str | None  # why there is no picture


Block = Masthead | Heading | Paragraph | Bullets | Table | ItemsTable | Figure


@dataclass(frozen=True)
class Report:
    title: str
    committee: str
    footer: str  # the renderers add " · Page N of M"
    exempt: bool  # every page headed EXEMPT_HEADER
    author: str
    keywords: str
    blocks: tuple[Block, ...]


# (PNG at 16 cm and 300 dpi or None, its words, why there is no picture)
ChartImage = tuple[bytes | None, str, str | None]
