"""The person using the app now, for every page and every write.

Without sign-in configured the app is the embedded single-user default: it serves 127.0.0.1
only, and the person is `domain.people.LOCAL_USER`. Sign-in (issue 9) replaces this with the
signed-in user and their role from the database.
"""

from __future__ import annotations

from domain.people import LOCAL_USER, Person


def current_person() -> Person:
    """The person every write made in this session is recorded against."""
    return LOCAL_USER
