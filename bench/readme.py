"""`python -m bench --browser --readme`: the README's first-glance table, rewritten from the run.

The table sits between two marker comments in README.md; only what is between them changes,
so the prose around it stays as written. A README without the markers is an error (said
plainly), never a guess at where the table is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import ROOT

README = ROOT / "README.md"
START = "<!-- bench --browser --readme: start -->"
END = "<!-- bench --browser --readme: end -->"


class MarkersMissing(ValueError):
    """The README has no (or broken) markers around the first-glance table."""


def browser_table(entries: list[dict[str, Any]], when: date) -> str:
    """The marked block: how and when it was measured, then one row per size."""
    rows = [e for e in entries if "tiles_s" in e and e.get("baseline_s")]
    loads = [e["load_average"] for e in rows if e.get("load_average") is not None]
    load = f", load average {max(loads):.1f} as it began" if loads else ""
    lines = [
        f"Measured {when.day} {when:%B %Y} (`python -m bench --browser --readme`{load}):",
        "",
        "| recommendations | Streamlit's one-line page (s) | Overview tiles (s) "
        "| tiles ÷ floor | all charts (s) | charts ÷ floor |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for e in rows:
        floor = e["baseline_s"]
        lines.append(
            f"| {e['recommendations']:,} | {floor:.2f} | {_seconds(e['tiles_s'])} "
            f"| {_times(e['tiles_s'], floor)} | {_seconds(e['charts_s'])} "
            f"| {_times(e['charts_s'], floor)} |"
        )
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _times(value: float | None, floor: float) -> str:
    return "—" if value is None else f"{value / floor:.2f}×"


def replace_marked(text: str, block: str) -> str:
    """`text` with what lies between the markers replaced by `block`."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start or text.count(START) != 1 or text.count(END) != 1:
        raise MarkersMissing(
            f"README.md needs one '{START}' line and, after it, one '{END}' line around the "
            "first-glance table; nothing was changed"
        )
    return text[: start + len(START)] + "\n" + block + "\n" + text[end:]


def rewrite_readme(entries: list[dict[str, Any]], when: date, readme: Path = README) -> bool:
    """Rewrite the marked table from `entries`; False (README untouched) when the run has no
    browser timing to write."""
    if not any("tiles_s" in e and e.get("baseline_s") for e in entries):
        return False
    readme.write_text(replace_marked(readme.read_text(), browser_table(entries, when)))
    return True
