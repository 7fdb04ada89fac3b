"""The README documents what users configure and where they go."""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from pathlib import Path

from domain.settings import DEFAULT_THRESHOLDS, SETTINGS, Thresholds
from ui.navigation import PAGES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [setting.name for setting in SETTINGS if f"`{setting.name}`" not in README]
    assert not missing, f"settings not described in README.md: {missing}"


def test_the_readme_gives_each_setting_the_default_in_force() -> None:
    """The README's table of thresholds (`| `name` | default | meaning |`) says what the
    code does: the same names, and each default as `Thresholds()` has it."""
    table = dict(re.findall(r"^\| `(\w+)` \| (\d+) \|", README, flags=re.MULTILINE))
    assert table == {name: str(value) for name, value in asdict(DEFAULT_THRESHOLDS).items()}
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Thresholds)]


def test_every_page_is_described_in_the_readme() -> None:
    missing = [page.title for page in PAGES if f"**{page.title}**" not in README]
    assert not missing, f"pages not described in README.md: {missing}"


def test_readme_gives_exactly_two_commands() -> None:
    fenced_shell_blocks = README.split("```sh")[1:]
    assert len(fenced_shell_blocks) == 2
