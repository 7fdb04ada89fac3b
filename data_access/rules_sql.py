"""The DOMAIN.md rules as SQL expressions over the state columns (data_access/state.py).

Each mirrors its pure function in domain/rules.py; tests/test_rules_sql.py checks they agree
on every recommendation of a generated council. Dates are compared with bound parameters
computed in Python, so no date arithmetic is needed in SQL and any database can run them.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, or_
from sqlalchemy.sql.expression import ColumnClause

from data_access.models import Action
from domain.rules import stale_cutoff
from domain.settings import AGEING_BUCKETS, DEFAULT_THRESHOLDS, Thresholds
from domain.vocabulary import (
    COMPLETE_STATUSES,
    NOT_APPLICABLE_STATUSES,
    OPEN_ACTION_STATUSES,
    OPEN_STATUSES,
    Acceptance,
    Rag,
    Status,
)

_OPEN = [s.value for s in OPEN_STATUSES]
_COMPLETE = [s.value for s in COMPLETE_STATUSES]
_NOT_APPLICABLE = [s.value for s in NOT_APPLICABLE_STATUSES]
_OPEN_ACTIONS = [s.value for s in OPEN_ACTION_STATUSES]


def is_open(state) -> ColumnElement[bool]:
    return state.c.status.in_(_OPEN)


def is_overdue(state, as_at: date) -> ColumnElement[bool]:
    target = state.c.current_target_date
    return and_(is_open(state), target.isnot(None), target < as_at)


def is_slipped(state, as_at: date) -> ColumnElement[bool]:
    original, current = state.c.original_target_date, state.c.current_target_date
    return or_(
        state.c.revision_count > 0,
        and_(original.isnot(None), current.isnot(None), current > original),
        and_(is_open(state), original.isnot(None), original < as_at),
    )


def last_activity_on(state) -> ColumnElement[date]:
    return func.coalesce(state.c.last_update_on, state.c.made_on)


def is_stale(state, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ColumnElement:
    return and_(is_open(state), last_activity_on(state) <= stale_cutoff(as_at, thresholds))


def rag(state, as_at: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ColumnElement[str]:
    """The RAG value (red/amber/green/blue/grey), in the same order as domain.rules.rag_rating."""
    amber_by = as_at + timedelta(days=thresholds.amber_target_window_days)
    not_started_by = as_at + timedelta(days=thresholds.not_started_warning_days)
    target = state.c.current_target_date
    return case(
        (state.c.status.in_(_COMPLETE), literal(Rag.BLUE.value)),
        (state.c.status.in_(_NOT_APPLICABLE), literal(Rag.GREY.value)),
        (is_overdue(state, as_at), literal(Rag.RED.value)),
        (state.c.revision_count >= 2, literal(Rag.RED.value)),
        (is_stale(state, as_at, thresholds), literal(Rag.RED.value)),
        (target <= amber_by, literal(Rag.AMBER.value)),
        (is_slipped(state, as_at), literal(Rag.AMBER.value)),
        (
            and_(state.c.status == Status.NOT_STARTED.value, target <= not_started_by),
            literal(Rag.AMBER.value),
        ),
        else_=literal(Rag.GREEN.value),
    )


def ageing_bucket(state, as_at: date) -> ColumnElement[str]:
    """The ageing bucket label of an overdue item (NULL when not overdue)."""
    return case(
        (is_overdue(state, as_at), ageing_bucket_for_date(state.c.current_target_date, as_at)),
        else_=None,
    )


def ageing_bucket_for_date(due: ColumnClause, as_at: date) -> ColumnElement[str]:
    """The ageing bucket of a due date already known to be past (for actions)."""
    whens = []
    for label, _first_day, last_day in AGEING_BUCKETS:
        if last_day is None:
            whens.append((due < as_at, literal(label)))
        else:
            whens.append((due >= as_at - timedelta(days=last_day), literal(label)))
    return case(*whens, else_=None)


# Due back at the next committee: `next_meeting` is a column holding the committee's next
# meeting date as at the chosen date (NULL when none is scheduled).


def due_for_report_back(state, next_meeting) -> ColumnElement[bool]:
    return and_(next_meeting.isnot(None), state.c.report_back_pending)


def due_for_target(state, next_meeting) -> ColumnElement[bool]:
    return and_(
        next_meeting.isnot(None),
        is_open(state),
        state.c.current_target_date.isnot(None),
        state.c.current_target_date <= next_meeting,
    )


def due_for_overdue(state, next_meeting, as_at: date) -> ColumnElement[bool]:
    return and_(next_meeting.isnot(None), is_overdue(state, as_at))


def due_for_sign_off(state, next_meeting) -> ColumnElement[bool]:
    return and_(next_meeting.isnot(None), state.c.status == Status.IMPLEMENTED.value)


def due_for_response(state, next_meeting) -> ColumnElement[bool]:
    return and_(
        next_meeting.isnot(None),
        is_open(state),
        state.c.acceptance == Acceptance.AWAITING_RESPONSE.value,
        state.c.response_due_on <= next_meeting,
    )


def is_due_back(state, next_meeting, as_at: date) -> ColumnElement[bool]:
    return or_(
        due_for_report_back(state, next_meeting),
        due_for_target(state, next_meeting),
        due_for_overdue(state, next_meeting, as_at),
        due_for_sign_off(state, next_meeting),
        due_for_response(state, next_meeting),
    )


def is_complete(state) -> ColumnElement[bool]:
    return state.c.status.in_(_COMPLETE)


# Actions keep no history of their own.


def action_open_at(as_at: date) -> ColumnElement[bool]:
    """An action was open on `as_at` if it is open now, or was completed after that day.

    Actions keep no history of their status, so this is the best reading of the past: an
    action completed later was still open then; a cancelled action is treated as never open.
    """
    return or_(
        Action.status.in_(_OPEN_ACTIONS),
        and_(Action.completed_on.isnot(None), Action.completed_on > as_at),
    )


def action_overdue_at(as_at: date) -> ColumnElement[bool]:
    """Open on `as_at` (see `action_open_at`) and due before it."""
    return and_(action_open_at(as_at), Action.due_date < as_at)
