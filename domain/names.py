"""The one normalised form of a name, by which the tracker tells whether two names are the same.

Officers type "Children's  services" and "children's services" for one directorate; a second
import of a tracker must not make a second source because the title had an extra space. The
writers look names up by this key and the database holds it in an indexed column with a
unique index (docs/decisions.md, "Names are unique"), so two imports running at once cannot
both create the same one. Case is folded with `str.lower`, as the search and the name lookups
have always done, and runs of whitespace become one space.
"""

from __future__ import annotations

__all__ = ["name_key", "officer_key"]


def name_key(name: str | None) -> str | None:
    """The name as the tracker compares it (spacing and case ignored); None for a blank one."""
    clean = " ".join((name or "").split()).lower()
    return clean or None


def officer_key(name: str | None, job_title: str | None) -> str | None:
    """An officer is one person per name and job title (two officers may share a name)."""
    key = name_key(name)
    if key is None:
        return None
    return f"{key}|{name_key(job_title) or ''}"
