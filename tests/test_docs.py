"""The README documents what users configure and where they go."""

from __future__ import annotations

from pathlib import Path

from domain.settings import DEFAULT_THRESHOLDS, SETTINGS, Thresholds
from ui.navigation import PAGES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [setting.name for setting in SETTINGS if f"`{setting.name}`" not in README]
    assert not missing, f"settings not described in README.md: {missing}"


def test_settings_defaults_are_the_thresholds_in_force() -> None:
    assert {s.name: s.default for s in SETTINGS} == DEFAULT_THRESHOLDS.__dict__
    assert set(Thresholds.__dataclass_fields__) == {s.name for s in SETTINGS}


def test_every_page_is_described_in_the_readme() -> None:
    missing = [page.title for page in PAGES if f"**{page.title}**" not in README]
    assert not missing, f"pages not described in README.md: {missing}"


def test_readme_gives_exactly_two_commands() -> None:
    fenced_shell_blocks = README.split("```sh")[1:]
    assert len(fenced_shell_blocks) == 2
