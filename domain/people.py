"""Who is using the tracker: the person every write is recorded against, and their role.

Issue 9's contract between sign-in (`ui/identity.py`) and everything that writes or shows
exempt items. Pure: no streamlit, no SQL. Where the person comes from (a signed-in OpenID
Connect user with a role kept in the database, or the embedded single-user default) is the
UI's business; what they may do is decided from this record only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The four roles of issue 9, from least to most trusted."""

    VIEWER = "viewer"  # reads public items
    OFFICER = "officer"  # records updates on items they own or their directorate's
    SCRUTINY_OFFICER = "scrutiny officer"  # all updates, sign-off, committees, briefing packs
    ADMIN = "admin"  # users, roles, imports, undo


@dataclass(frozen=True)
class Person:
    """The person using the app now.

    `identity` is what every write records as its author (an email address when signed in);
    `display_name` is what screens show. `signed_in` is False only for the embedded
    single-user default, which runs on 127.0.0.1 for one person at their own machine.
    """

    identity: str
    display_name: str
    role: Role
    cleared_for_exempt: bool
    signed_in: bool
    officer_id: int | None = None
    directorate_id: int | None = None


LOCAL_USER = Person(
    identity="local user (not signed in)",
    display_name="Local user (not signed in)",
    role=Role.ADMIN,
    cleared_for_exempt=True,
    signed_in=False,
)
"""The embedded default's one user: the person at the machine the app runs on (127.0.0.1)."""
