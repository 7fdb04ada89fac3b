"""File names that sort by date and survive every file system and e-mail client.

"2026-11-26 Overdue recommendations by directorate.png": the ISO date first, so a folder of
downloads sorts into the order they were made for; then the subject in plain words.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = ["MAX_SUBJECT", "file_name", "safe_file_name"]

MAX_SUBJECT = 120  # keeps the whole name well under every file system's limit
# Characters Windows, macOS or a mail client refuse or treat specially in a name.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def safe_file_name(subject: str, ext: str, *, fallback: str = "Recommendation Tracker") -> str:
    """ "Subject.ext" with characters unsafe in a file name replaced by spaces: the project's
    one rule for making a name safe (charts, tables, the briefing pack, the tracker file).

    Apostrophes, ampersands and accents stay ("Children's Services OSC briefing"): they are
    safe everywhere and are how the committee is named. `fallback` stands in for a subject
    with nothing safe left in it.
    """
    text = unicodedata.normalize("NFC", subject)
    text = _UNSAFE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > MAX_SUBJECT:
        text = text[:MAX_SUBJECT].rstrip(" .")
    extension = re.sub(r"[^A-Za-z0-9]", "", ext)
    return f"{text or fallback}.{extension}"


def file_name(as_at: date, subject: str, ext: str) -> str:
    """ "YYYY-MM-DD Subject.ext": the ISO date first, then the subject made safe."""
    return f"{as_at.isoformat()} {safe_file_name(subject, ext)}"
