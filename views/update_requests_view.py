"""Drawing "Update requests": the scrutiny officer's pack asking each owner for updates before a
committee's next meeting, to download (one `.eml` per owner and a mail-merge CSV, in a zip)
or, where a mail server is configured, to send, with a record of who was asked when.

The mail server is the `[smtp]` section of `.streamlit/secrets.toml` (host, port, from, and
optionally user, password, starttls). The links in the emails start from `[app] url` there,
else from the address this page was opened at. Sending is recorded as the signed-in person
(`ui.identity.current_person`); only a scrutiny officer or an admin may send them
(`Action.SEND_REQUESTS`, checked by `may_send` and again in each record's transaction).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access.committee_settings import record_update_request
from data_access.db import DatabaseProblem, error_detail
from data_access.permissions import NotAllowed, ensure_allowed
from data_access.queries.requests import RequestMeeting
from domain.access import Action, refusal
from domain.exempt import EXEMPT_COLUMN
from domain.formatting import long_date, plural
from exports.naming import file_name
from exports.update_requests import (
    OwnerRequest,
    RequestContext,
    SmtpSettings,
    owner_requests,
    request_pack_zip,
    send_requests,
)
from ui import cache
from ui.identity import current_person
from ui.text import plain

__all__ = [
    "COMMITTEE_KEY",
    "SEND_KEY",
    "app_url",
    "choose_committee",
    "may_send",
    "show_pack",
    "smtp_settings",
]

COMMITTEE_KEY = "update_requests_committee"
SEND_KEY = "update_requests_send"
_RESULT_KEY = "_update_requests_result"
TABLE_DATE = "D MMM YYYY"
OWNER_COLUMNS = {
    "owner": st.column_config.TextColumn("Owner"),
    "email": st.column_config.TextColumn("Email"),
    "items": st.column_config.NumberColumn("Items", format="%d"),
    "due_back": st.column_config.NumberColumn("Due back", format="%d"),
    "overdue": st.column_config.NumberColumn("Overdue", format="%d"),
    "stale": st.column_config.NumberColumn("No recent update", format="%d"),
}
SENT_COLUMNS = {
    "owner": st.column_config.TextColumn("Owner"),
    "sent_to": st.column_config.TextColumn("Sent to"),
    "sent_at": st.column_config.DatetimeColumn("Sent at", format="D MMM YYYY, HH:mm"),
    "sent_by": st.column_config.TextColumn("Sent by"),
    "item_count": st.column_config.NumberColumn("Items", format="%d"),
}


def may_send() -> str | None:
    """Why the person may not send requests, or None (domain.access: scrutiny officers and
    admins)."""
    return refusal(current_person(), Action.SEND_REQUESTS)


def smtp_settings() -> SmtpSettings | None:
    """The `[smtp]` secrets, or None when no mail server is configured (or it is incomplete,
    which the page says)."""
    try:
        section = st.secrets.get("smtp")
    except (FileNotFoundError, KeyError, OSError):
        return None
    except Exception:  # noqa: BLE001 - a malformed secrets file: no mail server
        return None
    if not section or not section.get("host") or not section.get("from"):
        return None
    return SmtpSettings(
        host=str(section["host"]),
        port=int(section.get("port", 25)),
        sender=str(section["from"]),
        user=section.get("user") or None,
        password=section.get("password") or None,
        starttls=bool(section.get("starttls", False)),
    )


def app_url() -> str:
    """The tracker's address for links in emails: `[app] url` in the secrets, else the
    scheme and host this page was opened at."""
    try:
        configured = (st.secrets.get("app") or {}).get("url")
    except Exception:  # noqa: BLE001 - no or malformed secrets: use the page's address
        configured = None
    if configured:
        return str(configured).rstrip("/")
    parts = urlsplit(st.context.url or "http://127.0.0.1:8501/")
    return f"{parts.scheme}://{parts.netloc}"


def choose_committee(committees: Mapping[int, str]) -> int | None:
    if not committees:
        st.info(
            "No current committees are recorded. Add them, with their meeting dates, on the "
            "Committees page.",
            icon=":material/groups:",
        )
        return None
    return st.selectbox(
        "Committee",
        list(committees),
        format_func=committees.get,
        key=COMMITTEE_KEY,
        bind="query-params",
    )


def _owner_table(requests: list[OwnerRequest]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            {
                "owner": r.owner,
                "email": r.email or "no address recorded",
                "items": len(r.items),
                "due_back": int(r.items["due_back"].sum()),
                "overdue": int(r.items["overdue"].sum()),
                "stale": int(r.items["stale"].sum()),
            }
            for r in requests
        ],
        columns=list(OWNER_COLUMNS),
    )


def show_pack(
    meeting: RequestMeeting,
    items: pd.DataFrame,
    sent: pd.DataFrame,
    as_at: date,
    *,
    smtp: SmtpSettings | None,
    link_base: str,
) -> None:
    """The meeting and deadline, who will be asked for what, the download, and sending."""
    _show_result()
    if meeting.meeting_date is None:
        st.warning(
            f"{plain(meeting.committee)} has no meeting on or after {long_date(as_at)}. Add "
            "its meeting dates on the Committees page to ask for updates before it.",
            icon=":material/event_busy:",
        )
        return
    st.markdown(
        f"Next meeting: **{long_date(meeting.meeting_date)}**. Updates are due by "
        f"**{long_date(meeting.updates_due_on)}** ({plural(meeting.days_before, 'day')} "
        "before; change this on the Committees page)."
    )
    if items.empty:
        st.success(
            f"No owned item of this committee needs an update as at {long_date(as_at)}: "
            "nothing is due back, overdue or without a recent update.",
            icon=":material/task_alt:",
        )
        return
    requests = owner_requests(items)
    st.subheader(f"{plural(len(requests), 'owner')} to ask about {plural(len(items), 'item')}")
    st.dataframe(
        _owner_table(requests), hide_index=True, column_config=OWNER_COLUMNS, placeholder="–"
    )
    if bool(items[EXEMPT_COLUMN].any()):
        st.caption(
            "Exempt (Part 2) items are listed in the emails by reference only: their wording "
            "stays in the tracker, behind the link."
        )
    person = current_person()
    context = RequestContext(
        committee=meeting.committee,
        meeting_date=meeting.meeting_date,
        updates_due_on=meeting.updates_due_on,
        app_url=link_base,
        sender=smtp.sender if smtp else person.identity,
        signed=person.display_name,
    )
    today = date.today()
    st.download_button(
        "Download the request pack (.eml per owner and a mail-merge CSV, zipped)",
        data=lambda: request_pack_zip(requests, context, today),
        file_name=file_name(today, f"Update requests {meeting.committee}", "zip"),
        mime="application/zip",
        icon=":material/download:",
        key="update_requests_download",
    )
    if smtp is None:
        st.caption(
            "No mail server is configured, so nothing is sent from here: open each .eml file "
            "in your mail program, check it and send it. To send from here, add an [smtp] "
            "section to .streamlit/secrets.toml (see the README)."
        )
    else:
        with_address = sum(1 for r in requests if r.email)
        st.button(
            f"Send {plural(with_address, 'email')} through {smtp.host}",
            type="primary",
            icon=":material/send:",
            key=SEND_KEY,
            disabled=with_address == 0,
            on_click=_send,
            args=(requests, context, smtp, meeting, today),
        )
    st.subheader("Requests sent for this meeting")
    if sent.empty:
        st.markdown("None yet.")
    else:
        st.dataframe(sent, hide_index=True, column_config=SENT_COLUMNS)


def _send(
    requests: list[OwnerRequest],
    context: RequestContext,
    smtp: SmtpSettings,
    meeting: RequestMeeting,
    today: date,
) -> None:
    """Button callback: send each email and record it as soon as the server accepts it."""
    refusal = may_send()
    if refusal:
        st.session_state[_RESULT_KEY] = ([], [refusal])
        return
    person = current_person()
    sender = person.identity
    problems: list[str] = []

    def record(request: OwnerRequest, sent_to: str, sent_at: datetime) -> None:
        try:
            with cache.engine().begin() as connection:
                ensure_allowed(connection, person, Action.SEND_REQUESTS)
                record_update_request(
                    connection,
                    owner_id=request.owner_id,
                    committee_id=meeting.committee_id,
                    meeting_id=meeting.meeting_id,
                    sent_to=sent_to,
                    sent_at=sent_at,
                    sent_by=sender,
                    item_count=len(request.items),
                )
        except NotAllowed as refused:
            problems.append(f"The email to {request.owner} was sent but not recorded: {refused}")
        except (DatabaseProblem, SQLAlchemyError) as error:
            problems.append(
                f"The email to {request.owner} was sent but could not be recorded "
                f"({error_detail(error)})."
            )

    results = send_requests(requests, context, smtp, today, on_sent=record)
    names = {r.owner_id: r.owner for r in requests}
    sent = [names[r.owner_id] for r in results if r.sent_at]
    problems += [f"{names[r.owner_id]}: {r.problem}" for r in results if r.problem]
    cache.invalidate()
    st.session_state[_RESULT_KEY] = (sent, problems)


def _show_result() -> None:
    result = st.session_state.pop(_RESULT_KEY, None)
    if result is None:
        return
    sent, problems = result
    if sent:
        st.success(
            f"Sent and recorded {plural(len(sent), 'request')}: {plain(', '.join(sent))}.",
            icon=":material/mark_email_read:",
        )
    if problems:
        lines = "\n".join(f"- {plain(problem)}" for problem in problems)
        st.error(f"Not everyone was asked:\n\n{lines}", icon=":material/error:")
