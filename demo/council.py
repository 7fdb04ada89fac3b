"""The generated council while it is written: its people, calendars, sources and recommendations.

`Council` holds what the generator needs across rows (the next free ids, the officers, each
committee's calendar, the one `random.Random`) and writes the reference data, plans the
sources and builds each recommendation's row; `demo.history.History` builds that
recommendation's actions and progress updates. The draws from the random generator happen in
a fixed order, so the same seed always gives the same rows.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

from data_access.models import (
    Action,
    Committee,
    Directorate,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.writes import current_state_columns
from demo.history import History
from demo.words import (
    COMMITTEES,
    DIRECTORATES,
    FIRST_NAMES,
    HOSTILE_WORDING,
    KIND_REF_STYLES,
    KIND_SIZES,
    KIND_WEIGHTS,
    LAST_NAMES,
    OFFICER_TITLES,
    SCRUTINY_DIRECTORATE,
    SCRUTINY_TITLES,
    TOPICS_BY_KIND,
    WORDING_BY_KIND,
    K,
    Topic,
    capitalised,
    end_of_month,
    financial_year,
    month_year,
)
from domain.names import name_key
from domain.rules import response_due_on
from domain.vocabulary import (
    Acceptance,
    ActionStatus,
    Confidentiality,
    Priority,
    SourceKind,
    Status,
)

RECOMMENDATIONS_PER_SOURCE = 10
HISTORY_YEARS = 3
# Sources issued this recently have no response yet (it is due two months after issue).
AWAITING_RESPONSE_DAYS = 70
# The tables the generator writes, with ids it chooses itself.
GENERATED_MODELS = (
    Directorate,
    Officer,
    Committee,
    Meeting,
    Source,
    Recommendation,
    Action,
    ProgressUpdate,
)


@dataclass
class Person:
    id: int
    name: str
    title: str
    directorate: str


@dataclass
class Calendar:
    """One committee's meetings, sorted, for 'next meeting on or after' look-ups."""

    committee_id: int
    name: str
    dates: list[date]
    ids: list[int]

    def meetings_between(self, first: date, last: date) -> list[tuple[date, int]]:
        """Meetings with first <= date <= last."""
        start, end = bisect_left(self.dates, first), bisect_right(self.dates, last)
        return list(zip(self.dates[start:end], self.ids[start:end], strict=True))

    def next_on_or_after(self, day: date) -> tuple[date, int] | None:
        index = bisect_left(self.dates, day)
        if index == len(self.dates):
            return None
        return self.dates[index], self.ids[index]


@dataclass
class PlannedSource:
    id: int
    kind: SourceKind
    topic: Topic
    date_issued: date
    size: int
    ref_style: str
    exempt: bool
    title: str


class Council:
    """Everything the generator needs while it writes: ids, people, calendars, the rng."""

    def __init__(self, connection: Connection, rng: random.Random, today: date) -> None:
        self.connection = connection
        self.rng = rng
        self.today = today
        self.next_id = {
            model: (connection.execute(select(func.max(model.id))).scalar() or 0) + 1
            for model in GENERATED_MODELS
        }

    def take_ids(self, model, count: int = 1) -> int:
        first = self.next_id[model]
        self.next_id[model] = first + count
        return first

    # -- reference data ------------------------------------------------------------------

    def write_reference_data(self) -> None:
        connection, rng = self.connection, self.rng
        self.directorate_ids: dict[str, int] = {}
        existing = dict(connection.execute(select(Directorate.name, Directorate.id)).all())
        new_rows = []
        for name in DIRECTORATES:
            if name in existing:
                self.directorate_ids[name] = existing[name]
            else:
                self.directorate_ids[name] = self.take_ids(Directorate)
                new_rows.append({"id": self.directorate_ids[name], "name": name})
        insert_rows(connection, Directorate, new_rows)

        taken = {
            (name, title)
            for name, title in connection.execute(select(Officer.name, Officer.job_title))
        }
        used_names = {name for name, _ in taken}
        self.officers: dict[str, list[Person]] = {name: [] for name in DIRECTORATES}
        officer_rows = []
        for directorate, titles in OFFICER_TITLES.items():
            for title in titles:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                while name in used_names:
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                used_names.add(name)
                person = Person(self.take_ids(Officer), name, title, directorate)
                self.officers[directorate].append(person)
                officer_rows.append(
                    {
                        "id": person.id,
                        "name": name,
                        "job_title": title,
                        "directorate_id": self.directorate_ids[directorate],
                    }
                )
        insert_rows(connection, Officer, officer_rows)
        self.scrutiny_officers = [
            person
            for person in self.officers[SCRUTINY_DIRECTORATE]
            if person.title in SCRUTINY_TITLES
        ]

        existing = dict(connection.execute(select(Committee.name, Committee.id)).all())
        committee_rows = []
        committee_ids: dict[str, int] = {}
        for name in COMMITTEES:
            if name in existing:
                committee_ids[name] = existing[name]
            else:
                committee_ids[name] = self.take_ids(Committee)
                committee_rows.append({"id": committee_ids[name], "name": name})
        insert_rows(connection, Committee, committee_rows)

        booked: dict[int, set[date]] = {}
        for committee_id, day in connection.execute(
            select(Meeting.committee_id, Meeting.meeting_date)
        ):
            booked.setdefault(committee_id, set()).add(day)
        self.calendars: dict[str, Calendar] = {}
        meeting_rows = []
        for name, weekday in COMMITTEES.items():
            committee_id = committee_ids[name]
            dates = self._meeting_dates(weekday, booked.get(committee_id, set()))
            ids = [self.take_ids(Meeting) for _ in dates]
            meeting_rows.extend(
                {"id": meeting_id, "committee_id": committee_id, "meeting_date": day}
                for meeting_id, day in zip(ids, dates, strict=True)
            )
            self.calendars[name] = Calendar(committee_id, name, dates, ids)
        insert_rows(connection, Meeting, meeting_rows)

    def _meeting_dates(self, weekday: int, booked: set[date]) -> list[date]:
        """Roughly every six to eight weeks, never in August or over Christmas."""
        rng = self.rng
        day = self.today - timedelta(days=HISTORY_YEARS * 365 + 120 + rng.randint(0, 27))
        day += timedelta(days=(weekday - day.weekday()) % 7)
        last = self.today + timedelta(days=400)
        dates: list[date] = []
        while day <= last:
            while (
                day.month == 8
                or (day.month == 12 and day.day > 18)
                or (day.month == 1 and day.day < 6)
            ):
                day += timedelta(days=7)
            if day not in booked:
                dates.append(day)
            day += timedelta(days=rng.choice((42, 49, 49, 56)))
        return dates

    # -- sources -------------------------------------------------------------------------

    def plan_sources(self, recommendations: int) -> list[PlannedSource]:
        """Every source with its date, kind, topic and number of recommendations."""
        rng, today = self.rng, self.today
        if recommendations <= 0:
            return []
        count = max(1, round(recommendations / RECOMMENDATIONS_PER_SOURCE))
        kinds = list(KIND_WEIGHTS)
        weights = list(KIND_WEIGHTS.values())
        planned = []
        for index in range(count):
            # The first seven cover every kind, so even a small council shows them all.
            kind = kinds[index] if index < len(kinds) else rng.choices(kinds, weights)[0]
            topic = rng.choice(TOPICS_BY_KIND[kind])
            if index == 0:
                days_ago = AWAITING_RESPONSE_DAYS - 4  # response late: due back at committee
            else:
                days_ago = rng.randint(0, HISTORY_YEARS * 365)
            issued = today - timedelta(days=days_ago)
            size_low, size_high = KIND_SIZES[kind]
            planned.append(
                PlannedSource(
                    id=0,
                    kind=kind,
                    topic=topic,
                    date_issued=issued,
                    size=rng.randint(size_low, size_high),
                    ref_style=rng.choice(KIND_REF_STYLES[kind]),
                    # Part 2 items: a few audits, reviews and safeguarding reviews.
                    exempt=(
                        index == 2
                        or (
                            kind in (K.INTERNAL_AUDIT, K.INDEPENDENT_REVIEW, K.SAFEGUARDING_REVIEW)
                            and rng.random() < 0.1
                        )
                    ),
                    title=self._title(kind, topic, issued),
                )
            )
        _scale_sizes(planned, recommendations)
        # A source is one per title and issue date (unique since revision 0002): a title drawn
        # twice for one day moves to the day before.
        taken = {
            (name_key(title), issued)
            for title, issued in self.connection.execute(select(Source.title, Source.date_issued))
        }
        for source in planned:
            while (name_key(source.title), source.date_issued) in taken:
                source.date_issued -= timedelta(days=1)
            taken.add((name_key(source.title), source.date_issued))
        planned.sort(key=lambda source: (source.date_issued, source.title))
        first_id = self.take_ids(Source, len(planned))
        for offset, source in enumerate(planned):
            source.id = first_id + offset
        return planned

    def _title(self, kind: SourceKind, topic: Topic, issued: date) -> str:
        rng = self.rng
        pattern = rng.choice(topic.titles[kind])
        flood = issued - timedelta(days=rng.randint(60, 200))
        return pattern.format(
            area=topic.area,
            fy=financial_year(issued),
            last_fy=financial_year(issued - timedelta(days=365)),
            year=issued.year,
            month_year=month_year(flood),
            letter=rng.choice("ABCDEFGHJKLMNPRSTW"),
            number=f"{rng.randint(1, 24):02d}",
            lgsco=f"{issued.year % 100:02d} {rng.randint(0, 19):03d} {rng.randint(0, 999):03d}",
            hos=f"{issued.year}{rng.randint(1, 99999):05d}",
        )

    def source_row(self, source: PlannedSource) -> dict[str, Any]:
        directorate = source.topic.directorate
        director, assistant = self.officers[directorate][0], self.officers[directorate][1]
        slug = "-".join(
            "".join(ch for ch in word.lower() if ch.isalnum()) for word in source.title.split()
        ).strip("-")
        if source.exempt:
            url = f"https://intranet.example.gov.uk/restricted/part-2/{source.id}-{slug}.pdf"
        else:
            url = f"https://democracy.example.gov.uk/documents/s{40000 + source.id}/{slug}.pdf"
        return {
            "id": source.id,
            "title": source.title,
            "kind": source.kind.value,
            "date_issued": source.date_issued,
            "response_due_on": response_due_on(source.date_issued),
            "author": _author(source.kind, source.title, source.topic),
            "accountable_director": f"{director.name}, {director.title}",
            "assistant_director": f"{assistant.name}, {assistant.title}",
            "document_url": url,
            "confidentiality": (
                Confidentiality.EXEMPT if source.exempt else Confidentiality.PUBLIC
            ).value,
            "committee_id": self.calendars[source.topic.committee].committee_id,
        }

    # -- one recommendation with its actions and history -------------------------------

    def wording_plan(self, source: PlannedSource) -> list[tuple[str, str]]:
        """(template, subject) pairs in a random order, so a source does not repeat itself."""
        pairs = [
            (template, subject)
            for template in WORDING_BY_KIND[source.kind]
            for subject in source.topic.subjects
        ]
        self.rng.shuffle(pairs)
        return pairs

    def recommendation(
        self, source: PlannedSource, number: int, wording: tuple[str, str], hostile: bool
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """One recommendation's row, actions and progress updates.

        The steps draw from the random generator in turn, in this order (the same seed gives
        the same rows): owner, wording, priority, response, plan, then its history."""
        topic = source.topic
        calendar_ = self.calendars[topic.committee]
        made_on = source.date_issued
        rec_id = self.take_ids(Recommendation)
        directorate, owner, writer = self._owner_and_writer(topic)
        template, subject = wording
        words = self._words(topic, calendar_, writer, made_on, subject)
        wording_text = HOSTILE_WORDING if hostile else template.format(**words)
        priority = self._priority(source)
        awaiting, acceptance, in_principle = self._response(made_on)
        planned_days, original_target = self._plan(made_on, acceptance)

        history = History(self, rec_id, calendar_, writer, words, made_on)
        actions: list[dict[str, Any]] = []
        accepted_on: date | None = None
        if awaiting:
            history.awaiting_response()
            actions = history.idle_actions(
                self.rng.randint(1, 3), original_target, ActionStatus.NOT_STARTED
            )
        else:
            accepted_on = history.respond(
                acceptance, in_principle, source.date_issued, original_target
            )
            actions = self._after_response(
                history, acceptance, accepted_on, original_target, planned_days
            )

        updates = history.rows()
        state = current_state_columns(original_target, updates)
        row = {
            "id": rec_id,
            "source_id": source.id,
            "committee_id": calendar_.committee_id,
            "ref": _ref(source, number),
            "wording": wording_text,
            "made_on": made_on,
            "acceptance": acceptance.value,
            "accepted_on": accepted_on,
            "accepted_in_principle": in_principle,
            "owner_id": owner.id if owner else None,
            "directorate_id": self.directorate_ids[directorate],
            "priority": priority,
            "original_target_date": original_target,
            "closed_at_meeting_id": _closed_at_meeting(state, updates),
            **state,
        }
        return row, actions, updates

    def _owner_and_writer(self, topic: Topic) -> tuple[str, Person | None, Person]:
        """The directorate (a few cut across), the owner (a few have none) and the officer
        whose title the wording names (the owner, or a colleague when there is none)."""
        rng = self.rng
        directorate = topic.directorate
        if rng.random() < 0.08:
            directorate = rng.choice(DIRECTORATES)  # cross-cutting recommendations
        staff = self.officers[directorate]
        owner = None if rng.random() < 0.02 else rng.choice(staff[1:] if len(staff) > 1 else staff)
        writer = owner or rng.choice(staff[1:] if len(staff) > 1 else staff)
        return directorate, owner, writer

    def _words(
        self, topic: Topic, calendar_: Calendar, writer: Person, made_on: date, subject: str
    ) -> dict[str, Any]:
        """What the wording templates (and the history's narratives) fill in."""
        return {
            "subject": subject,
            "Subject": capitalised(subject),
            "staff": topic.staff,
            "Staff": capitalised(topic.staff),
            "people": topic.people,
            "partners": topic.partners,
            "board": topic.board,
            "committee": calendar_.name,
            "title": writer.title,
            "fy": financial_year(made_on + timedelta(days=200)),
            "amount": self.rng.choice((150, 200, 250, 300, 500, 750, 1000)),
        }

    def _priority(self, source: PlannedSource) -> str:
        """Mostly medium; an ombudsman's recommendations are always high."""
        drawn = self.rng.choices((Priority.HIGH, Priority.MEDIUM, Priority.LOW), (3, 5, 2))[0]
        return Priority.HIGH.value if source.kind is K.OMBUDSMAN else drawn.value

    def _response(self, made_on: date) -> tuple[bool, Acceptance, bool]:
        """Whether the response is still awaited, the acceptance, and 'in principle'."""
        rng = self.rng
        awaiting = (self.today - made_on).days < AWAITING_RESPONSE_DAYS
        if awaiting:
            acceptance = Acceptance.AWAITING_RESPONSE
        else:
            acceptance = rng.choices(
                (
                    Acceptance.ACCEPTED,
                    Acceptance.PARTIALLY_ACCEPTED,
                    Acceptance.NOT_ACCEPTED,
                    Acceptance.NOTED,
                ),
                (84, 7, 4, 5),
            )[0]
        in_principle = acceptance is Acceptance.ACCEPTED and rng.random() < 0.04
        return awaiting, acceptance, in_principle

    def _plan(self, made_on: date, acceptance: Acceptance) -> tuple[int, date | None]:
        """The planned days of work and the original target (none when not accepted, and
        for a few others)."""
        rng = self.rng
        planned_days = round(rng.triangular(91, 548, 150))  # 3 to 18 months, mostly short
        original_target: date | None = end_of_month(made_on + timedelta(days=planned_days))
        if acceptance is Acceptance.NOT_ACCEPTED or rng.random() < 0.03:
            original_target = None
        return planned_days, original_target

    def _after_response(
        self,
        history: History,
        acceptance: Acceptance,
        accepted_on: date,
        original_target: date | None,
        planned_days: int,
    ) -> list[dict[str, Any]]:
        """Closed without action when not accepted (and some noted ones), else delivered."""
        rng = self.rng
        if acceptance is Acceptance.NOT_ACCEPTED or (
            acceptance is Acceptance.NOTED and rng.random() < 0.4
        ):
            history.close_without_action(accepted_on)
            if rng.random() < 0.5:
                return history.idle_actions(1, None, ActionStatus.CANCELLED)
            return []
        return history.deliver(accepted_on, original_target, planned_days)


def _closed_at_meeting(state: dict[str, Any], updates: list[dict[str, Any]]) -> int | None:
    """The meeting of the update that closed the recommendation, if it is closed."""
    if state["status"] != Status.CLOSED.value:
        return None
    return next(
        update["meeting_id"]
        for update in reversed(updates)
        if update["new_status"] == Status.CLOSED.value
    )


def _author(kind: SourceKind, title: str, topic: Topic) -> str:
    if kind is K.INSPECTION:
        for marker, body in (
            ("Ofsted and CQC", "Ofsted and the Care Quality Commission"),
            ("Ofsted", "Ofsted"),
            ("CQC", "Care Quality Commission"),
            ("Regulator of Social Housing", "Regulator of Social Housing"),
            ("Probation", "HM Inspectorate of Probation"),
            ("Information Commissioner", "Information Commissioner's Office"),
        ):
            if marker in title:
                return body
        return "Inspectorate"
    if kind is K.OMBUDSMAN:
        if title.startswith("Housing Ombudsman"):
            return "Housing Ombudsman Service"
        return "Local Government and Social Care Ombudsman"
    if kind is K.SCRUTINY_REVIEW:
        return f"Task and finish group of the {topic.committee}"
    if kind is K.PEER_REVIEW:
        return (
            "ADCS regional peer review team"
            if "ADCS" in title
            else "Local Government Association peer team"
        )
    if kind is K.SAFEGUARDING_REVIEW:
        if "adults" in title:
            return "Safeguarding Adults Board"
        if "homicide" in title:
            return "Community Safety Partnership"
        return "Local Safeguarding Children Partnership"
    if kind is K.INTERNAL_AUDIT:
        return "Internal Audit Service"
    if title.startswith("External auditor"):
        return "External auditor"
    return "Independent reviewer commissioned by the Chief Executive"


def _ref(source: PlannedSource, number: int) -> str:
    style = source.ref_style
    if "{letter}" in style and number > 26:
        style = "{n}"
    issued = source.date_issued
    start = issued.year if issued.month >= 4 else issued.year - 1
    return style.format(
        n=number,
        letter="abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26],
        yy=f"{start % 100:02d}/{(start + 1) % 100:02d}",
    )


def _scale_sizes(sources: Sequence[PlannedSource], total: int) -> None:
    """Scale the drawn sizes so they add up to exactly `total`, each at least 1."""
    weight = sum(source.size for source in sources)
    spare = total - len(sources)
    shares = [(source.size * spare / weight) for source in sources]
    sizes = [1 + int(share) for share in shares]
    remainder = total - sum(sizes)
    by_fraction = sorted(
        range(len(sources)), key=lambda i: (shares[i] - int(shares[i]), -i), reverse=True
    )
    for index in by_fraction[:remainder]:
        sizes[index] += 1
    for source, size in zip(sources, sizes, strict=True):
        source.size = size


def insert_rows(connection: Connection, model, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(model.__table__), rows)
