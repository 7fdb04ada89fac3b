"""Users and roles (issue 9): who signs in, with what role, linked to which officer.

Roles are kept here, in the database, and managed on the Users page by an admin; a sign-in
provider's claims only set them the first time someone signs in (docs/decisions.md, "Sign-in
and roles"). The email addresses in `admin_emails` (secrets `[access] admin_emails`, or the
`TRACKER_ADMIN_EMAILS` environment variable) are always admins: that is how the first admin
gets in, and how an admin who locked themselves out gets back.

Every change here is recorded in `audit_events` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update

from data_access.models import AuditEvent, Directorate, Officer, User
from data_access.permissions import ensure_allowed
from domain.access import Action
from domain.people import Person, Role

__all__ = [
    "UserChangeRefused",
    "UserDraft",
    "normalise_email",
    "person_for",
    "record_event",
    "save_user",
    "sign_in",
    "users_table",
]

MAX_EMAIL = 320
MAX_NAME = 200


class UserChangeRefused(Exception):
    """A change to a user that cannot be made; nothing was written."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class UserDraft:
    """A user as the Users page's form gives it."""

    email: str
    display_name: str
    role: Role
    cleared_for_exempt: bool = False
    officer_id: int | None = None
    directorate_id: int | None = None


def normalise_email(email: str) -> str:
    """Email addresses compare without case or surrounding spaces."""
    return (email or "").strip().lower()


def _person(row) -> Person:
    return Person(
        identity=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        cleared_for_exempt=bool(row.cleared_for_exempt),
        signed_in=True,
        officer_id=row.officer_id,
        directorate_id=row.directorate_id,
    )


def person_for(connection: Connection, email: str) -> Person | None:
    """The registered user with that email address, as a Person; None if not registered."""
    row = connection.execute(select(User).where(User.email == normalise_email(email))).first()
    return None if row is None else _person(row)


def record_event(
    connection: Connection, person: str, kind: str, subject: str, detail: str | None = None
) -> None:
    """One line of the audit trail for a change that has no record of its own."""
    connection.execute(
        insert(AuditEvent).values(
            person=person, kind=kind, subject=subject[:500], detail=detail, recorded_at=_now()
        )
    )


def _now() -> datetime:
    """UTC, without a zone, as import batches store it (data_access.import_batches)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def sign_in(
    connection: Connection,
    email: str,
    display_name: str,
    claimed_role: Role | None = None,
    claimed_cleared: bool = False,
    admin_emails: Iterable[str] = (),
) -> Person:
    """The person signing in with this (verified) email address, registered if new.

    A new user takes the role their claims name (viewer if none); an address in
    `admin_emails` is an admin, always. After that the database decides."""
    address = normalise_email(email)
    bootstrap_admin = address in {normalise_email(a) for a in admin_emails}
    existing = connection.execute(select(User).where(User.email == address)).first()
    now = _now()
    if existing is None:
        role = Role.ADMIN if bootstrap_admin else (claimed_role or Role.VIEWER)
        connection.execute(
            insert(User).values(
                email=address,
                display_name=(display_name or address).strip()[:MAX_NAME],
                role=role.value,
                cleared_for_exempt=bool(claimed_cleared or bootstrap_admin),
                created_by="first sign-in",
                last_signed_in_at=now,
            )
        )
        record_event(
            connection,
            address,
            "user added",
            address,
            f"first sign-in; role {role.value}"
            + (", cleared for exempt items" if claimed_cleared or bootstrap_admin else ""),
        )
    else:
        changes: dict[str, object] = {"last_signed_in_at": now}
        if bootstrap_admin and existing.role != Role.ADMIN:
            changes["role"] = Role.ADMIN.value
            record_event(
                connection, address, "role changed", address, "admin (listed in admin_emails)"
            )
        connection.execute(update(User).where(User.email == address).values(**changes))
    person = person_for(connection, address)
    assert person is not None
    return person


def users_table(connection: Connection) -> pd.DataFrame:
    """Every user, for the Users page: email, name, role, clearance, officer, directorate."""
    rows = connection.execute(
        select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            User.cleared_for_exempt,
            User.officer_id,
            Officer.name.label("officer"),
            User.directorate_id,
            Directorate.name.label("directorate"),
            User.created_at,
            User.last_signed_in_at,
        )
        .outerjoin(Officer, Officer.id == User.officer_id)
        .outerjoin(Directorate, Directorate.id == User.directorate_id)
        .order_by(func.lower(User.display_name), User.email)
    ).mappings()
    return pd.DataFrame([dict(r) for r in rows], columns=_USER_COLUMNS)


_USER_COLUMNS = [
    "id",
    "email",
    "display_name",
    "role",
    "cleared_for_exempt",
    "officer_id",
    "officer",
    "directorate_id",
    "directorate",
    "created_at",
    "last_signed_in_at",
]


def _problems(connection: Connection, draft: UserDraft) -> list[str]:
    problems = []
    address = normalise_email(draft.email)
    if not address or "@" not in address or " " in address:
        problems.append(
            f"Email address “{draft.email}” is not an email address: enter the address the "
            "person signs in with, such as name@council.gov.uk."
        )
    elif len(address) > MAX_EMAIL:
        problems.append(f"The email address is longer than {MAX_EMAIL} characters.")
    if not draft.display_name.strip():
        problems.append("Enter the person's name, as screens should show it.")
    elif len(draft.display_name.strip()) > MAX_NAME:
        problems.append(f"The name is longer than {MAX_NAME} characters.")
    if (
        draft.officer_id is not None
        and not connection.execute(select(Officer.id).where(Officer.id == draft.officer_id)).first()
    ):
        problems.append(f"There is no officer with id {draft.officer_id}.")
    if (
        draft.directorate_id is not None
        and not connection.execute(
            select(Directorate.id).where(Directorate.id == draft.directorate_id)
        ).first()
    ):
        problems.append(f"There is no directorate with id {draft.directorate_id}.")
    return problems


def save_user(connection: Connection, by: Person, draft: UserDraft) -> None:
    """Add a user or change one (found by email), in the caller's transaction.

    Refuses (UserChangeRefused, nothing written) bad input, and a change that would leave no
    admin: someone must always be able to manage users."""
    ensure_allowed(connection, by, Action.MANAGE_USERS)
    problems = _problems(connection, draft)
    if problems:
        raise UserChangeRefused(problems)
    address = normalise_email(draft.email)
    values = {
        "display_name": draft.display_name.strip(),
        "role": draft.role.value,
        "cleared_for_exempt": bool(draft.cleared_for_exempt),
        "officer_id": draft.officer_id,
        "directorate_id": draft.directorate_id,
    }
    existing = connection.execute(select(User).where(User.email == address)).first()
    if existing is None:
        connection.execute(insert(User).values(email=address, created_by=by.identity, **values))
        record_event(connection, by.identity, "user added", address, _describe(values))
        return
    before = existing
    if before.role == Role.ADMIN and draft.role is not Role.ADMIN:
        admins = connection.execute(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)
        ).scalar_one()
        if admins <= 1:
            raise UserChangeRefused(
                [
                    f"{address} is the only admin: make someone else an admin first, so "
                    "that someone can still manage users."
                ]
            )
    changed = {
        name: (getattr(before, name), value)
        for name, value in values.items()
        if getattr(before, name) != value
    }
    if not changed:
        return
    connection.execute(update(User).where(User.email == address).values(**values))
    detail = "; ".join(f"{name}: {old} → {new}" for name, (old, new) in changed.items())
    kind = "role changed" if "role" in changed else "user changed"
    record_event(connection, by.identity, kind, address, detail)


def _describe(values: dict[str, object]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in values.items())
