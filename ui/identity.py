"""The person using the app now, for every page and every write.

Two ways to run (README, "Sign-in and roles"):

- **Embedded single-user default**: no `[auth]` section in the secrets. The app serves
  127.0.0.1 only (`.streamlit/config.toml`), says on every page that it is local and unsigned,
  and the person is `domain.people.LOCAL_USER`. Served on a network address, or reached from
  another machine, it refuses to show anything unless `TRACKER_ALLOW_UNSIGNED_NETWORK=1` forces
  it (then every page carries a warning).
- **Signed in**: an `[auth]` section configures Streamlit's own OpenID Connect sign-in
  (`st.login`, `st.user`; Microsoft Entra ID or any provider). The person is the signed-in user,
  with the role and clearance kept in the database (`data_access.users`); a first sign-in
  registers them with the role their claims name (viewer if none). Addresses in `[access]
  admin_emails` (or `TRACKER_ADMIN_EMAILS`, comma-separated) are always admins.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from data_access.users import person_for, sign_in
from domain.access import cleared_by_claims, role_from_claims
from domain.people import LOCAL_USER, Person, Role
from ui import cache

__all__ = [
    "FORCE_UNSIGNED_ENV",
    "SIGNED_OUT",
    "admin_emails",
    "current_person",
    "forget_person",
    "network_refusal",
    "sign_in_configured",
]

FORCE_UNSIGNED_ENV = "TRACKER_ALLOW_UNSIGNED_NETWORK"
ADMIN_EMAILS_ENV = "TRACKER_ADMIN_EMAILS"
ACCESS_SECTION = "access"
DEFAULT_ROLES_CLAIMS = ("roles", "groups")
_SESSION_PERSON = "_signed_in_person"
PERSON_REFRESH_SECONDS = 30
_log = logging.getLogger(__name__)

SIGNED_OUT = Person(
    identity="not signed in",
    display_name="Not signed in",
    role=Role.VIEWER,
    cleared_for_exempt=False,
    signed_in=False,
)
"""Someone who has not signed in where sign-in is required: allowed nothing but the sign-in
screen (the shell stops before any page runs)."""


def _secrets() -> Mapping[str, Any]:
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets


def sign_in_configured() -> bool:
    """True when the secrets configure OpenID Connect sign-in (an `[auth]` section)."""
    return "auth" in _secrets()


def _access_setting(name: str, default: Any) -> Any:
    section = _secrets().get(ACCESS_SECTION) or {}
    return section.get(name, default)


def admin_emails() -> tuple[str, ...]:
    """The addresses that are always admins: `[access] admin_emails` and the environment."""
    listed = list(_access_setting("admin_emails", []) or [])
    listed += [a for a in os.environ.get(ADMIN_EMAILS_ENV, "").split(",") if a.strip()]
    return tuple(a.strip().lower() for a in listed if str(a).strip())


def _claim_values(name: str) -> list[str]:
    value = st.user.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _signed_in_person() -> Person:
    """The signed-in user as the database knows them, registered on their first sign-in.

    Looked up by email (indexed) at most every PERSON_REFRESH_SECONDS per session, never per
    row; a role changed meanwhile still counts at once where it matters, because every write
    reads the role again in its own transaction (data_access.permissions.ensure_allowed)."""
    if not st.user.is_logged_in:
        return SIGNED_OUT
    email = str(st.user.get("email") or "").strip().lower()
    if not email:
        return SIGNED_OUT
    remembered = st.session_state.get(_SESSION_PERSON)
    now = time.monotonic()
    if remembered is not None:
        person, looked_up = remembered
        if person.identity == email and now - looked_up < PERSON_REFRESH_SECONDS:
            return person
        with cache.engine().connect() as connection:
            person = person_for(connection, email)
        if person is not None:
            st.session_state[_SESSION_PERSON] = (person, now)
            return person
    claims: list[str] = []
    for name in _access_setting("roles_claims", DEFAULT_ROLES_CLAIMS):
        claims += _claim_values(str(name))
    with cache.engine().begin() as connection:
        person = sign_in(
            connection,
            email,
            str(st.user.get("name") or email),
            claimed_role=role_from_claims(claims),
            claimed_cleared=cleared_by_claims(claims),
            admin_emails=admin_emails(),
        )
    st.session_state[_SESSION_PERSON] = (person, now)
    return person


def forget_person() -> None:
    """Look the signed-in person up again on the next run (after their record changed)."""
    st.session_state.pop(_SESSION_PERSON, None)


def current_person() -> Person:
    """The person every write made in this session is recorded against."""
    if not sign_in_configured():
        return LOCAL_USER
    return _signed_in_person()


def _is_loopback(address: str) -> bool:
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _remote_visitor(ip_address: object) -> bool:
    """A visitor on another machine (Streamlit gives None for one on this machine)."""
    return isinstance(ip_address, str) and bool(ip_address) and not _is_loopback(ip_address)


def unsigned_network_forced() -> bool:
    return os.environ.get(FORCE_UNSIGNED_ENV, "").strip().lower() in {"1", "true", "yes"}


def network_refusal() -> str | None:
    """Why this unsigned app must not serve this visitor; None when it may.

    Without sign-in the app is for the person at the machine: it refuses when Streamlit is
    told to listen on a network address, or when the visitor connects from another machine
    (Streamlit's default, with no address set, listens on every interface), unless forced."""
    if sign_in_configured() or unsigned_network_forced():
        return None
    address = st.get_option("server.address")
    if address and not _is_loopback(str(address)):
        where = f"the network address {address}"
    elif _remote_visitor(st.context.ip_address):
        where = "a network address (this visitor is on another machine)"
    else:
        return None
    message = (
        f"This tracker is being served on {where} without sign-in, so anyone who can reach "
        "it could read exempt items and change the record. It shows nothing until sign-in "
        "is configured (an [auth] section in .streamlit/secrets.toml: see the README, "
        "“Sign-in and roles”), or it is served on 127.0.0.1 only. To serve it unsigned "
        f"anyway, on a network you trust, set {FORCE_UNSIGNED_ENV}=1."
    )
    _log.warning(message)
    return message
