"""Who may do what: the permission rules of issue 9, as pure functions.

One table of rules, read by the pages (to hide a form or refuse a page) and again by the write
path (`data_access.permissions.ensure_allowed`, inside the write's transaction), so a form
that was on screen when a role changed, or a request built by hand, is still refused.

Roles are ordered, each allowed what the one before it is and more (domain.people.Role):

- viewer: reads public items, downloads public tables and charts;
- officer: also records progress updates on items they own or their directorate's (never a
  committee's sign-off, which closes an item);
- scrutiny officer: updates on every item, sign-off at a meeting, committees and calendars,
  briefing packs, the audit trail, correcting a recommendation's or source's details (wording,
  owner, directorate, priority, acceptance), and sending owners requests for updates;
- admin: also users and roles, imports and their undo.

Exempt (Part 2) items are a separate clearance (`Person.cleared_for_exempt`), not a role: no
action on an exempt item is allowed to someone not cleared for it, whatever their role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.people import Person, Role

__all__ = [
    "Action",
    "ItemScope",
    "NotAllowed",
    "ROLE_ORDER",
    "may",
    "refusal",
    "require",
]

ROLE_ORDER: tuple[Role, ...] = (Role.VIEWER, Role.OFFICER, Role.SCRUTINY_OFFICER, Role.ADMIN)


class Action(StrEnum):
    """Everything the app lets someone do: pages, writes and downloads."""

    # Reading
    VIEW_PUBLIC = "read public items"
    VIEW_EXEMPT = "read exempt (Part 2) items"
    DOWNLOAD_TABLES = "download tables and charts"
    # Writing against one recommendation
    RECORD_UPDATE = "record a progress update"
    SIGN_OFF = "sign off (close) at a meeting"
    EDIT_DETAILS = "correct a recommendation's or source's details"
    # Committee business
    MANAGE_COMMITTEES = "edit committees and calendars"
    BRIEFING_PACK = "build a briefing pack"
    VIEW_AUDIT = "read and download the audit trail"
    SEND_REQUESTS = "ask owners for updates"
    # Administration
    IMPORT = "import trackers and reports"
    UNDO_IMPORT = "undo an import"
    MANAGE_USERS = "manage users and roles"


# The least trusted role allowed each action (roles above it are allowed too).
_LEAST_ROLE: dict[Action, Role] = {
    Action.VIEW_PUBLIC: Role.VIEWER,
    Action.VIEW_EXEMPT: Role.VIEWER,  # and cleared: see may()
    Action.DOWNLOAD_TABLES: Role.VIEWER,
    Action.RECORD_UPDATE: Role.OFFICER,  # an officer only on their own items: see may()
    Action.SIGN_OFF: Role.SCRUTINY_OFFICER,
    Action.EDIT_DETAILS: Role.SCRUTINY_OFFICER,
    Action.SEND_REQUESTS: Role.SCRUTINY_OFFICER,
    Action.MANAGE_COMMITTEES: Role.SCRUTINY_OFFICER,
    Action.BRIEFING_PACK: Role.SCRUTINY_OFFICER,
    Action.VIEW_AUDIT: Role.SCRUTINY_OFFICER,
    Action.IMPORT: Role.ADMIN,
    Action.UNDO_IMPORT: Role.ADMIN,
    Action.MANAGE_USERS: Role.ADMIN,
}


@dataclass(frozen=True)
class ItemScope:
    """What the rules need to know about one recommendation: whose it is, and whether it
    is exempt. Read with the item (no extra query per row)."""

    owner_id: int | None
    directorate_id: int | None
    exempt: bool = False


class NotAllowed(Exception):
    """A write refused because the person may not make it; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _a(role: Role) -> str:
    return ("an " if role.value[0] in "aeiou" else "a ") + role.value


def _rank(role: Role) -> int:
    return ROLE_ORDER.index(role)


def _is_theirs(person: Person, item: ItemScope) -> bool:
    """The officer's own item, or one of their directorate's."""
    own = person.officer_id is not None and item.owner_id == person.officer_id
    directorate = person.directorate_id is not None and item.directorate_id == person.directorate_id
    return own or directorate


def refusal(person: Person, action: Action, item: ItemScope | None = None) -> str | None:
    """Why `person` may not do `action` (to `item`, when it concerns one); None if they may.

    The reason is a sentence for the screen: it names the role needed, never anything about
    an item the person may not see."""
    if action is Action.VIEW_EXEMPT and not person.cleared_for_exempt:
        return "Exempt (Part 2) items are shown only to people cleared for them."
    if item is not None and item.exempt and not person.cleared_for_exempt:
        return "This item is withheld: it is exempt (Part 2), and you are not cleared for it."
    least = _LEAST_ROLE[action]
    if _rank(person.role) < _rank(least):
        return f"Only {_a(least)} or above may {action.value}; you are {_a(person.role)}."
    if action is Action.RECORD_UPDATE and person.role is Role.OFFICER:
        if item is None:
            return None  # the page may show the form; the item decides each save
        if not _is_theirs(person, item):
            return (
                "An officer records updates only on items they own or their directorate's; "
                "ask the owner or a scrutiny officer."
            )
    return None


def may(person: Person, action: Action, item: ItemScope | None = None) -> bool:
    """True when `person` may do `action` (to `item`, when it concerns one)."""
    return refusal(person, action, item) is None


def require(person: Person, action: Action, item: ItemScope | None = None) -> None:
    """Raise NotAllowed (with the reason) unless `person` may do `action`."""
    reason = refusal(person, action, item)
    if reason is not None:
        raise NotAllowed(reason)


CLEARED_CLAIM = "cleared_for_exempt"


def _claim_word(value: str) -> str:
    """'Scrutiny_Officer', 'tracker.scrutiny-officer' -> 'scrutiny officer'."""
    word = value.strip().lower().rsplit(".", 1)[-1]
    return word.replace("_", " ").replace("-", " ")


def role_from_claims(values: list[str] | tuple[str, ...]) -> Role | None:
    """The most trusted tracker role named in a sign-in claim (Entra ID app roles, or a
    provider's groups), or None when it names none.

    App-role values cannot hold spaces, so 'scrutiny_officer', 'tracker.scrutiny-officer' and
    'Scrutiny officer' all read as the scrutiny officer role."""
    words = {_claim_word(str(value)) for value in values}
    named = [role for role in ROLE_ORDER if role.value in words]
    return named[-1] if named else None


def cleared_by_claims(values: list[str] | tuple[str, ...]) -> bool:
    """True when the claim names the exempt clearance ('cleared_for_exempt')."""
    return _claim_word(CLEARED_CLAIM) in {_claim_word(str(value)) for value in values}
