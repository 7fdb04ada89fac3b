"""Finding the Chromium (or Chrome) on this computer: one rule for chart images, the PDF of
the briefing pack, the browser tests and the bench.

`BROWSER_PATH` (the setting kaleido reads too) names the browser. When it is set it must name
a program, or no browser is used: falling back to another one would make a mistaken setting
silently do nothing. Otherwise the first of `BROWSER_NAMES` on PATH is used (Debian's package
`chromium` installs /usr/bin/chromium). Nothing is ever downloaded. Chart images pass the path
found here to kaleido, so kaleido and the PDF print with the same browser.
"""

from __future__ import annotations

import os
import shutil

__all__ = ["BROWSER_NAMES", "browser_setting_problem", "chromium_path"]

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _is_program(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def browser_setting_problem() -> str | None:
    """What is wrong with BROWSER_PATH ("BROWSER_PATH is set to X, which is not a program"),
    or None when it is unset or names a program."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and not _is_program(configured):
        return f"BROWSER_PATH is set to {configured}, which is not a program"
    return None


def chromium_path() -> str | None:
    """The browser to drive: BROWSER_PATH when set (None if it names no program), else the
    first Chromium or Chrome on PATH, else None."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if _is_program(configured) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None
