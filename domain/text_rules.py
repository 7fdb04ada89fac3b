"""What text the tracker can store and match: one check for every import, on both databases.

- A NUL character (U+0000) is stored by SQLite but refused by PostgreSQL, so a file that
  worked on a laptop would fail on the council's server. `storable_problem` refuses it (and
  text longer than the column holds, which PostgreSQL refuses and SQLite silently keeps)
  the same way on both, before anything is written.
- Invisible and direction characters (zero-width space, left-to-right and right-to-left
  marks, the byte-order mark…) arrive when refs and names are copied from web pages, PDFs
  and right-to-left text. "R1" with a zero-width space looks exactly like "R1" but would be a
  second recommendation, and "Jo\u200bBloggs" a second officer. `without_invisible` removes
  them from refs and names (never from wording, where they do no harm).
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE_CHARACTERS", "has_invisible", "storable_problem", "without_invisible"]

# Characters with no width and no meaning in a ref or a name (Unicode "Cf" format characters
# that editors and browsers insert): soft hyphen, Arabic letter mark, Mongolian vowel
# separator, zero-width space/non-joiner/joiner, left-to-right and right-to-left marks,
# embeddings and overrides, word joiner and invisible operators, isolates, byte-order mark.
INVISIBLE_CHARACTERS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


def without_invisible(text: str) -> str:
    """The text with invisible and direction characters removed."""
    return _INVISIBLE.sub("", text)


def has_invisible(text: str) -> bool:
    return bool(_INVISIBLE.search(text))


def storable_problem(
    text: str | None, limit: int | None = None, what: str = "The text"
) -> str | None:
    """Why `text` cannot be stored as it is (a NUL character, or longer than `limit`
    characters, the column's size), in a sentence saying what to do; None when it can."""
    if text is None:
        return None
    if "\x00" in text:
        return (
            f"{what} holds a NUL character (an invisible control character, character 0), "
            "which the database cannot store: delete it (retype the text) and try again."
        )
    if limit is not None and len(text) > limit:
        return f"{what} is {len(text):,} characters long; it can be at most {limit:,}."
    return None
