"""The request pack: one email per owner asking for updates before a committee meets, as `.eml`
files (open one in Outlook or Thunderbird, check it, send it), a mail-merge CSV, and the zip
of both that the Update requests page offers. Sending them through a mail server, where one
is configured, is `send_requests`.

Pure apart from the network in `send_requests`: rows in (`data_access.queries.requests`
items, one owner's rows together), bytes out. No streamlit, no SQL. Each item is listed with
why an update is needed and a link to it in the tracker (the Recommendations page with
`?rec=<id>`). An exempt (Part 2) item's wording is left out of the email, which can be
forwarded: the link shows it to those cleared to see it.
"""

from __future__ import annotations

import io
import smtplib
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urlencode

import pandas as pd

from domain.exempt import EXEMPT_COLUMN
from domain.formatting import long_date, short_date
from exports.naming import file_name
from exports.table_files import table_csv

__all__ = [
    "MERGE_COLUMNS",
    "OwnerRequest",
    "RequestContext",
    "SmtpSettings",
    "item_link",
    "mail_merge_csv",
    "owner_requests",
    "request_message",
    "request_pack_zip",
    "send_requests",
]

EXEMPT_WORDING = "Exempt (Part 2): the wording is not included in email. Open the link to read it."
MERGE_COLUMNS = {
    "owner": "Owner",
    "email": "Email",
    "committee": "Committee",
    "meeting": "Meeting",
    "updates_due": "Updates due by",
    "item_count": "Number of items",
    "items": "Items",
}


@dataclass(frozen=True)
class RequestContext:
    """What every email of one pack shares."""

    committee: str
    meeting_date: date | None
    updates_due_on: date | None
    app_url: str  # the tracker's address, e.g. "https://tracker.council.gov.uk"
    sender: str  # the From address (the mail settings'), or the scrutiny officer's identity
    signed: str  # the name the email is signed with


@dataclass(frozen=True)
class OwnerRequest:
    """One owner's request: who, their address (None when the tracker has none), the rows."""

    owner_id: int
    owner: str
    email: str | None
    items: pd.DataFrame

    def file_name(self, today: date) -> str:
        """ "2026-12-04 Update request for A Smith.eml": sorts by date, safe everywhere."""
        return file_name(today, f"Update request for {self.owner}", "eml")


@dataclass(frozen=True)
class SmtpSettings:
    """The `[smtp]` section of `.streamlit/secrets.toml`."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False


def item_link(app_url: str, recommendation_id: int) -> str:
    """The item on the Recommendations page, as a bookmark or an emailed link opens it."""
    return f"{app_url.rstrip('/')}/register?{urlencode({'rec': recommendation_id})}"


def owner_requests(items: pd.DataFrame) -> list[OwnerRequest]:
    """The items split by owner, in the order given (owner name, then ref)."""
    requests = []
    for owner_id, rows in items.groupby("owner_id", sort=False):
        first = rows.iloc[0]
        email = first["owner_email"] if isinstance(first["owner_email"], str) else None
        requests.append(OwnerRequest(int(owner_id), str(first["owner"]), email or None, rows))
    return requests


def _deadline_words(context: RequestContext) -> str:
    if context.meeting_date is None:
        return f"for the {context.committee}"
    due = f" by {long_date(context.updates_due_on)}" if context.updates_due_on else ""
    return f"{due} for the {context.committee} on {long_date(context.meeting_date)}"


def _item_lines(row: pd.Series, app_url: str) -> list[str]:
    wording = EXEMPT_WORDING if row[EXEMPT_COLUMN] else " ".join(str(row["wording"]).split())
    target = row["current_target_date"]
    target_words = short_date(target.date()) if not pd.isna(target) else "none"
    return [
        f"Recommendation {row['ref']} – {row['source']}",
        f"  {wording}",
        f"  Status: {row['status']}. Current target: {target_words}.",
        f"  Why an update is needed: {row['why']}.",
        f"  Open it: {item_link(app_url, int(row['id']))}",
        "",
    ]


def request_message(request: OwnerRequest, context: RequestContext, today: date) -> EmailMessage:
    """The email asking one owner for updates on each of their items."""
    message = EmailMessage()
    count = len(request.items)
    noun = "recommendation" if count == 1 else "recommendations"
    message["Subject"] = f"Updates needed{_deadline_words(context)}: {count} {noun}"
    message["From"] = context.sender
    if request.email:
        message["To"] = formataddr((request.owner, request.email))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="recommendation-tracker.local")
    # Outlook opens a message with this header as a draft to check and send.
    message["X-Unsent"] = "1"
    lines = [
        f"Dear {request.owner},",
        "",
        f"Please record a progress update{_deadline_words(context)} on each of the "
        f"{count} {noun} you own listed below. Each is due back at the meeting, overdue, "
        "or has had no update for a while. Follow its link to record the update in the "
        "tracker.",
        "",
    ]
    for _, row in request.items.iterrows():
        lines += _item_lines(row, context.app_url)
    lines += [
        f"Listed as at {long_date(today)}.",
        "",
        "Thank you,",
        context.signed,
    ]
    message.set_content("\n".join(lines))
    return message


def mail_merge_csv(requests: Sequence[OwnerRequest], context: RequestContext) -> bytes:
    """One row per owner for a mail merge: name, address, meeting, deadline, and the items
    (one per line: ref, why, link). Written by the one table writer (`table_csv`)."""
    rows = []
    for request in requests:
        items = "\n".join(
            f"{row['ref']}: {row['why']} – {item_link(context.app_url, int(row['id']))}"
            for _, row in request.items.iterrows()
        )
        rows.append(
            {
                "owner": request.owner,
                "email": request.email or "",
                "committee": context.committee,
                "meeting": context.meeting_date,
                "updates_due": context.updates_due_on,
                "item_count": len(request.items),
                "items": items,
            }
        )
    frame = pd.DataFrame.from_records(rows, columns=list(MERGE_COLUMNS))
    return table_csv(frame, column_labels=MERGE_COLUMNS)


def request_pack_zip(
    requests: Sequence[OwnerRequest], context: RequestContext, today: date
) -> bytes:
    """A zip of one `.eml` per owner and the mail-merge CSV."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for request in requests:
            name = request.file_name(today)
            if name in used:  # two owners of the same name
                name = f"{name.removesuffix('.eml')} {request.owner_id}.eml"
            used.add(name)
            pack.writestr(name, request_message(request, context, today).as_bytes())
        pack.writestr(
            file_name(today, f"Update requests mail merge {context.committee}", "csv"),
            mail_merge_csv(requests, context),
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class SendResult:
    owner_id: int
    sent_to: str | None
    sent_at: datetime | None
    problem: str | None = None


def send_requests(
    requests: Sequence[OwnerRequest],
    context: RequestContext,
    settings: SmtpSettings,
    today: date,
    *,
    on_sent: Callable[[OwnerRequest, str, datetime], None],
    now: Callable[[], datetime] = datetime.now,
) -> list[SendResult]:
    """Send each owner's email through the mail server, calling `on_sent` as each is
    accepted (the caller records it). An owner with no address is skipped and said so; a
    server that cannot be reached or refuses stops the run with the reason, and those
    already sent stay sent (and recorded)."""
    results: list[SendResult] = []
    to_send = [r for r in requests if r.email]
    results += [
        SendResult(r.owner_id, None, None, "no email address in the tracker")
        for r in requests
        if not r.email
    ]
    if not to_send:
        return results
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as server:
            if settings.starttls:
                server.starttls()
            if settings.user:
                server.login(settings.user, settings.password or "")
            for request in to_send:
                message = request_message(request, replace_sender(context, settings), today)
                del message["X-Unsent"]
                server.send_message(message)
                sent_at = now()
                on_sent(request, str(request.email), sent_at)
                results.append(SendResult(request.owner_id, request.email, sent_at))
    except (smtplib.SMTPException, OSError) as error:
        sent = {result.owner_id for result in results if result.sent_at}
        results += [
            SendResult(r.owner_id, r.email, None, f"not sent: {error}")
            for r in to_send
            if r.owner_id not in sent
        ]
    return results


def replace_sender(context: RequestContext, settings: SmtpSettings) -> RequestContext:
    """The context with the mail server's From address (the server may accept no other)."""
    return RequestContext(
        committee=context.committee,
        meeting_date=context.meeting_date,
        updates_due_on=context.updates_due_on,
        app_url=context.app_url,
        sender=settings.sender,
        signed=context.signed,
    )
