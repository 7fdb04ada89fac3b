"""The product's one palette: the GOV.UK Design System colours, for charts, the Word and HTML
briefing pack, Excel tables and the app's theme.

Colours are written here once, as "#rrggbb"; `hex_digits` gives the "RRGGBB" that Word and
Excel files want. `.streamlit/config.toml` cannot import Python, so a test checks its theme
uses these values. RAG colours always come with their word (STYLE.md): `RAG_TEXT_COLOURS`
is the colour that word is printed in on each fill (Amber is light, so its word is black;
the others white, each with a contrast of at least 4.5:1).
"""

from __future__ import annotations

from domain.vocabulary import Rag, Status

__all__ = [
    "ACCENT",
    "BLACK",
    "BLUE",
    "DARK_GREY",
    "GREEN",
    "GRID_GREY",
    "LIGHT_GREY",
    "ORANGE",
    "PALE_GREY",
    "RAG_COLOURS",
    "RAG_TEXT_COLOURS",
    "RED",
    "SEQUENTIAL",
    "STATUS_COLOURS",
    "WHITE",
    "hex_digits",
]

BLACK = "#0b0c0c"  # text
DARK_GREY = "#505a5f"  # secondary text; "not applicable" in RAG
MID_GREY = "#b1b4b6"
GRID_GREY = "#d8dcdd"  # chart grid lines
LIGHT_GREY = "#f3f2f1"  # table headings, the app's sidebar
PALE_GREY = "#f8f8f8"  # a progress update's shading in the briefing pack
WHITE = "#ffffff"
RED = "#d4351c"
ORANGE = "#f47738"
GREEN = "#00703c"
BLUE = "#1d70b8"
LIGHT_BLUE = "#5694ca"
LIGHT_GREEN = "#85994b"
LIGHT_PURPLE = "#6f72af"
DARK_RED = "#942514"
ACCENT = BLUE  # links, the theme's primary colour, a chart's one series

RAG_COLOURS: dict[Rag, str] = {
    Rag.RED: RED,
    Rag.AMBER: ORANGE,
    Rag.GREEN: GREEN,
    Rag.BLUE: BLUE,
    Rag.GREY: DARK_GREY,
}
RAG_TEXT_COLOURS: dict[Rag, str] = {rag: BLACK if rag is Rag.AMBER else WHITE for rag in Rag}

STATUS_COLOURS: dict[Status, str] = {
    Status.NOT_STARTED: MID_GREY,
    Status.IN_PROGRESS: LIGHT_BLUE,
    Status.IMPLEMENTED: LIGHT_GREEN,
    Status.CLOSED: GREEN,
    Status.SUPERSEDED: LIGHT_PURPLE,
    Status.NOT_IMPLEMENTED: DARK_GREY,
}

# A sequential scale for ordered categories (e.g. ageing buckets), light to dark.
SEQUENTIAL = ("#f4b9a9", "#e8846c", RED, DARK_RED)


def hex_digits(colour: str) -> str:
    """ "#d4351c" as "D4351C", the form Word's shading and Excel's fills take."""
    return colour.lstrip("#").upper()
