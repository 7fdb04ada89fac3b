"""How numbers and dates read on screen and in papers (GOV.UK style)."""

from __future__ import annotations

from datetime import date


def long_date(day: date | None) -> str:
    """12 February 2019."""
    return "" if day is None else f"{day.day} {day:%B %Y}"


def short_date(day: date | None) -> str:
    """12 Feb 2019."""
    return "" if day is None else f"{day.day} {day:%b %Y}"


def count(number: int | float | None) -> str:
    return "" if number is None else f"{int(number):,}"


def percent(part: int, whole: int) -> str:
    """A whole percentage; "–" when there is nothing to divide by."""
    return "–" if not whole else f"{round(100 * part / whole)}%"


def plural(number: int, word: str, plural_word: str | None = None) -> str:
    return f"{number:,} {word if number == 1 else (plural_word or word + 's')}"
