"""How wide a line of chart text is, before a browser draws it (an upper bound).

Plotly sets aside room for axis labels once it has drawn them ("automargin"), and when the
margins it was given are too small it draws the whole figure a second time. That second
drawing was a third of the Overview's chart time in the browser. `charts.style` gives each
figure margins wide enough from the start, measured here, and keeps automargin on only as
a safety net for a label wider than measured.

The charts ask for "Arial, Helvetica, sans-serif". Windows and Macs have Arial or
Helvetica (the same widths: Adobe's Helvetica metrics); Linux servers, headless Chromium and
kaleido's exports fall back to DejaVu Sans, wider for most letters. Each width below is the
wider of the two, in thousandths of an em (DejaVu's read with Pillow's
`ImageFont.getlength` from DejaVuSans.ttf at 1,000 px), so a width from this table is never
short on either. Other characters count as wide as the widest here.
"""

from __future__ import annotations

__all__ = ["text_width"]

# Printable ASCII, from " " (32) to "~" (126), sixteen to a line.
# fmt: off
_ASCII_WIDTHS: tuple[int, ...] = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556,
    1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787,
    667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 556,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
# fmt: on
_FIRST = 32
_WIDE = 1015  # thousandths of an em, for any character not in the table: the widest here
_KNOWN: dict[str, int] = {"…": 1000, "·": 318, "–": 500, "—": 1000, "‘": 318, "’": 318, "£": 636}


def _char_width(character: str) -> int:
    index = ord(character) - _FIRST
    if 0 <= index < len(_ASCII_WIDTHS):
        return _ASCII_WIDTHS[index]
    return _KNOWN.get(character, _WIDE)


def text_width(text: str, font_size: float) -> float:
    """Pixels `text` takes on one line at `font_size` px, at most."""
    return sum(_char_width(character) for character in text) * font_size / 1000
