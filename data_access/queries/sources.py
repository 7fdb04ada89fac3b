"""The sources an import can write into, for the shared source picker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from data_access.models import Committee, Source
from data_access.queries.options import _public, _unique_labels


@dataclass(frozen=True)
class SourceChoices:
    """Every source (id -> label, unique; and id -> title) and the name of every committee
    still in use (a retired committee is not offered for new items)."""

    labels: dict[int, str]
    titles: dict[int, str]
    committees: tuple[str, ...]


def source_choices(connection: Connection, public_only: bool = False) -> SourceChoices:
    """All sources, newest first (not only the filter's most recent), and the committees not
    retired. `public_only` (someone not cleared for exempt items) leaves out exempt (Part 2)
    sources, whose titles are themselves withheld."""
    rows = connection.execute(
        select(Source.id, Source.title, Source.date_issued)
        .where(*_public(public_only))
        .order_by(Source.date_issued.desc(), Source.id.desc())
    ).all()
    labels = _unique_labels([(i, title, issued.strftime("%d %b %Y")) for i, title, issued in rows])
    committees = tuple(
        connection.execute(
            select(Committee.name).where(Committee.retired_on.is_(None)).order_by(Committee.name)
        ).scalars()
    )
    return SourceChoices(labels, {i: title for i, title, _ in rows}, committees)
