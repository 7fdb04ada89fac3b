"""The choices offered by the shared filters, with labels that are unique and readable.

Labels appear in the URL (filters are bound to query parameters by their label), so they
must be unique and stable: officers are "Name (Job title)"; duplicate source titles get
their issue date appended.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, func, or_, select

from data_access.models import Committee, Directorate, Officer, Recommendation, Source
from domain.vocabulary import Confidentiality

# The source filter lists at most this many sources (the most recent), plus any selected.
MAX_SOURCE_OPTIONS = 300

__all__ = ["MAX_SOURCE_OPTIONS", "FilterOptions", "count_sources", "filter_options"]


@dataclass(frozen=True)
class FilterOptions:
    committees: dict[int, str]
    sources: dict[int, str]
    directorates: dict[int, str]
    owners: dict[int, str]
    # Committees not retired: the ones offered for new items (the filter lists them all).
    current_committees: dict[int, str] = field(default_factory=dict)


def _unique_labels(rows: list[tuple[int, str, str]]) -> dict[int, str]:
    """rows of (id, label, disambiguator): append the disambiguator where labels repeat."""
    counts: dict[str, int] = {}
    for _, label, _ in rows:
        counts[label] = counts.get(label, 0) + 1
    labels: dict[int, str] = {}
    for row_id, label, extra in rows:
        labels[row_id] = f"{label} ({extra})" if counts[label] > 1 else label
    # Still repeated (same label and disambiguator): fall back to the id.
    seen: dict[str, int] = {}
    for row_id, label in list(labels.items()):
        if label in seen:
            labels[row_id] = f"{label} #{row_id}"
        seen[label] = row_id
    return labels


def filter_options(
    connection: Connection,
    chosen_source_ids: tuple[int, ...] = (),
    public_only: bool = False,
) -> FilterOptions:
    """Every filter's choices. The sources are the `MAX_SOURCE_OPTIONS` most recent plus
    `chosen_source_ids` (those a link or a chart bar has chosen), so a chosen older source
    is still offered under its title rather than dropped. `public_only` (for someone not
    cleared for exempt items) leaves out exempt (Part 2) sources, whose titles are themselves
    withheld, chosen ones included."""
    committee_rows = connection.execute(
        select(Committee.id, Committee.name, Committee.retired_on).order_by(Committee.name)
    ).all()
    committees = {row.id: row.name for row in committee_rows}
    current_committees = {row.id: row.name for row in committee_rows if row.retired_on is None}
    directorates = dict(
        connection.execute(
            select(Directorate.id, Directorate.name).order_by(Directorate.name)
        ).all()
    )
    officer_rows = connection.execute(
        select(Officer.id, Officer.name, func.coalesce(Officer.job_title, ""))
        .where(*_not_only_exempt_owners(public_only))
        .order_by(Officer.name)
    ).all()
    owners = _unique_labels([(i, name, title or f"#{i}") for i, name, title in officer_rows])
    source_rows = connection.execute(
        select(Source.id, Source.title, Source.date_issued)
        .where(*_public(public_only))
        .order_by(Source.date_issued.desc(), Source.id.desc())
        .limit(MAX_SOURCE_OPTIONS)
    ).all()
    listed = {row.id for row in source_rows}
    older = sorted(set(chosen_source_ids) - listed)
    if older:
        source_rows += connection.execute(
            select(Source.id, Source.title, Source.date_issued).where(
                Source.id.in_(older), *_public(public_only)
            )
        ).all()
    sources = _unique_labels(
        [(i, title, issued.strftime("%d %b %Y")) for i, title, issued in source_rows]
    )
    return FilterOptions(committees, sources, directorates, owners, current_committees)


def count_sources(connection: Connection, public_only: bool = False) -> int:
    return connection.execute(
        select(func.count(Source.id)).where(*_public(public_only))
    ).scalar_one()


def _not_only_exempt_owners(public_only: bool) -> list:
    """For someone not cleared: leave out the officers whose only items are exempt (Part 2),
    whose names would tell of Part 2 business (issue 9). Officers with no items stay."""
    if not public_only:
        return []
    exempt = Source.confidentiality == Confidentiality.EXEMPT.value

    def owners(condition):
        return (
            select(Recommendation.owner_id)
            .join(Source, Source.id == Recommendation.source_id)
            .where(condition, Recommendation.owner_id.is_not(None))
        )

    return [or_(Officer.id.not_in(owners(exempt)), Officer.id.in_(owners(~exempt)))]


def _public(public_only: bool) -> list:
    return [Source.confidentiality != Confidentiality.EXEMPT.value] if public_only else []


def has_exempt_items(connection: Connection) -> bool:
    """Whether any recommendation comes from an exempt source: what someone not cleared is
    told (that some items are withheld), and nothing more."""
    return (
        connection.execute(
            select(Recommendation.id)
            .join(Source, Source.id == Recommendation.source_id)
            .where(Source.confidentiality == Confidentiality.EXEMPT.value)
            .limit(1)
        ).first()
        is not None
    )
