"""One palette (domain/palette.py) feeds charts, the Word and HTML briefing pack, Excel tables
and the app's theme; no other module writes a colour."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from domain import palette
from domain.vocabulary import Rag
from exports.table_files import RAG_FILLS

ROOT = Path(__file__).resolve().parent.parent
# "#d4351c" in CSS and plotly, "D4351C" in openpyxl and python-docx.
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|[\"'][0-9A-F]{6}[\"']")


def test_no_module_but_the_palette_writes_a_colour() -> None:
    found = []
    for folder in ("charts", "exports", "ui", "domain", "pages", "views"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "domain" / "palette.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if COLOUR_LITERAL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_theme_uses_the_palette() -> None:
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["primaryColor"] == palette.ACCENT
    assert theme["backgroundColor"] == palette.WHITE
    assert theme["secondaryBackgroundColor"] == palette.LIGHT_GREY
    assert theme["textColor"] == palette.BLACK


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_rag_word_reads_on_its_colour_everywhere() -> None:
    for rag in Rag:
        fill, text = palette.RAG_COLOURS[rag], palette.RAG_TEXT_COLOURS[rag]
        lighter, darker = sorted((_luminance(fill), _luminance(text)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, rag
        # Excel's fill is the same colour as the charts' and the briefing pack's.
        assert RAG_FILLS[rag.label] == (fill[1:].upper(), text[1:].upper())
