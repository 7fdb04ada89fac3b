"""Whole-database facts that are not about a filtered view."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from data_access.models import Recommendation, Source


@dataclass(frozen=True)
class TrackerCounts:
    recommendations: int
    sources: int


def tracker_counts(connection: Connection) -> TrackerCounts:
    return TrackerCounts(
        recommendations=connection.execute(select(func.count(Recommendation.id))).scalar_one(),
        sources=connection.execute(select(func.count(Source.id))).scalar_one(),
    )
