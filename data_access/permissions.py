"""The write path's own check of `domain.access`: run inside the write's transaction.

Pages hide what a person may not do; this checks again where the write happens, reading the
item's owner, directorate and confidentiality in the same transaction, so a stale form or a
hand-made request cannot get past a role.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from data_access.models import Recommendation, Source
from domain.access import Action, ItemScope, NotAllowed, require
from domain.people import Person
from domain.vocabulary import Confidentiality

__all__ = ["NotAllowed", "ensure_allowed", "item_scope"]


def item_scope(connection: Connection, recommendation_id: int) -> ItemScope | None:
    """Whose the recommendation is and whether it is exempt; None if there is no such item."""
    row = connection.execute(
        select(Recommendation.owner_id, Recommendation.directorate_id, Source.confidentiality)
        .join(Source, Source.id == Recommendation.source_id)
        .where(Recommendation.id == recommendation_id)
    ).first()
    if row is None:
        return None
    return ItemScope(
        owner_id=row.owner_id,
        directorate_id=row.directorate_id,
        exempt=row.confidentiality == Confidentiality.EXEMPT,
    )


def ensure_allowed(
    connection: Connection,
    person: Person,
    action: Action,
    recommendation_id: int | None = None,
) -> None:
    """Raise NotAllowed unless `person` may do `action` (to that recommendation).

    A signed-in person's role and clearance are read again here, in the write's
    transaction: a role an admin changed a moment ago counts, whatever the page remembered."""
    if person.signed_in:
        from data_access.users import person_for

        fresh = person_for(connection, person.identity)
        if fresh is None:
            raise NotAllowed(
                f"{person.identity} is no longer a user of this tracker; nothing was changed."
            )
        person = fresh
    item = None if recommendation_id is None else item_scope(connection, recommendation_id)
    if recommendation_id is not None and item is None:
        # Say nothing more: an unknown id and a withheld one must read the same.
        require(person, action, ItemScope(None, None, exempt=not person.cleared_for_exempt))
        raise NotAllowed("There is no such recommendation.")
    require(person, action, item)
