"""One generated recommendation's history: its response, progress updates and actions.

A `History` collects the updates in date order (same-day updates in a sensible order) so that
`data_access.writes.current_state_columns`, replaying them, gives the recommendation's
current state; the stored state and the history cannot disagree.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from data_access.models import Action, ProgressUpdate
from demo.words import (
    ACTION_DONE_NARRATIVE,
    ACTION_WORDING,
    AWAITING_NARRATIVE,
    CLOSED_NARRATIVE,
    DEFERRED_NARRATIVE,
    EVIDENCE_TEXT,
    IMPLEMENTED_NARRATIVE,
    NOT_IMPLEMENTED_NARRATIVE,
    NOT_STARTED_NARRATIVE,
    PROGRESS_SENTENCES,
    REPORT_BACK_NARRATIVE,
    RESPONSE_ACCEPTED,
    RESPONSE_IN_PRINCIPLE,
    RESPONSE_NOT_ACCEPTED,
    RESPONSE_NOTED,
    RESPONSE_PARTIAL,
    STARTED_NARRATIVE,
    SUPERSEDED_NARRATIVE,
    TARGET_REASONS,
    end_of_month,
    long_date,
    month_year,
)
from domain.vocabulary import Acceptance, ActionStatus, ReportBack, Status

if TYPE_CHECKING:
    from demo.council import Calendar, Council, Person


class History:
    """Builds one recommendation's progress updates (and actions) in date order."""

    def __init__(
        self,
        council: Council,
        rec_id: int,
        calendar_: Calendar,
        writer: Person,
        words: dict[str, Any],
        made_on: date,
    ) -> None:
        self.council = council
        self.rng = council.rng
        self.today = council.today
        self.rec_id = rec_id
        self.calendar = calendar_
        self.writer = writer
        self.words = words
        self.made_on = made_on
        # (date, phase, sequence, row); phase orders same-day updates sensibly.
        self.entries: list[tuple[date, int, int, dict[str, Any]]] = []
        self.unsaid = list(PROGRESS_SENTENCES)  # so one history does not repeat itself

    def add(
        self,
        day: date,
        phase: int,
        narrative: str,
        *,
        status: Status | None = None,
        target: date | None = None,
        reason: str | None = None,
        report_back: ReportBack | None = None,
        evidence: str | None = None,
        meeting_id: int | None = None,
        action_id: int | None = None,
        author: str | None = None,
    ) -> None:
        assert self.made_on <= day <= self.today
        if report_back is not None:
            narrative = f"{narrative} {REPORT_BACK_NARRATIVE[report_back]}"
        minutes = self.rng.randint(8 * 60, 18 * 60)
        row = {
            "id": 0,
            "recommendation_id": self.rec_id,
            "action_id": action_id,
            "update_date": day,
            "author": author or self.writer.name,
            "narrative": narrative
            if "{" not in narrative
            else narrative.format(**self.words, day=long_date(day), month=month_year(day)),
            "new_status": status.value if status else None,
            "new_target_date": target,
            "target_change_reason": reason,
            "report_back": report_back.value if report_back else None,
            "evidence": evidence,
            "meeting_id": meeting_id,
            "recorded_at": datetime.combine(day, time(minutes // 60, minutes % 60)),
        }
        self.entries.append((day, phase, len(self.entries), row))

    def rows(self) -> list[dict[str, Any]]:
        """The updates in order, with ids in the same order (the SQL replay's tie-break)."""
        self.entries.sort(key=lambda entry: entry[:3])
        rows = [entry[3] for entry in self.entries]
        first_id = self.council.take_ids(ProgressUpdate, len(rows))
        for offset, row in enumerate(rows):
            row["id"] = first_id + offset
        return rows

    def _scrutiny_officer(self) -> str:
        return self.rng.choice(self.council.scrutiny_officers).name

    # -- the stories ---------------------------------------------------------------------

    def awaiting_response(self) -> None:
        earliest = self.made_on + timedelta(days=3)
        if earliest <= self.today and self.rng.random() < 0.3:
            day = earliest + timedelta(days=self.rng.randint(0, (self.today - earliest).days))
            self.add(day, 0, self.rng.choice(AWAITING_NARRATIVE))

    def respond(
        self,
        acceptance: Acceptance,
        in_principle: bool,
        issued: date,
        original_target: date | None,
    ) -> date:
        """The management response: at the first meeting after issue, or a few weeks on."""
        rng = self.rng
        answer = {
            Acceptance.ACCEPTED: RESPONSE_IN_PRINCIPLE if in_principle else RESPONSE_ACCEPTED,
            Acceptance.PARTIALLY_ACCEPTED: RESPONSE_PARTIAL,
            Acceptance.NOTED: RESPONSE_NOTED,
            Acceptance.NOT_ACCEPTED: RESPONSE_NOT_ACCEPTED,
        }[acceptance]
        narrative = rng.choice(answer)
        if original_target is not None and acceptance is not Acceptance.NOT_ACCEPTED:
            narrative += f" Target date: {long_date(original_target)}."
        meeting = self.calendar.next_on_or_after(issued + timedelta(days=14))
        if meeting and meeting[0] <= issued + timedelta(days=63) and rng.random() < 0.5:
            day, meeting_id = meeting
        else:
            day = issued + timedelta(days=rng.randint(14, 56))
            meeting_id = None
        day = min(day, self.today)
        report_back = ReportBack.TO_COMMITTEE if meeting_id and rng.random() < 0.3 else None
        self.add(day, 0, narrative, meeting_id=meeting_id, report_back=report_back)
        return day

    def close_without_action(self, responded: date) -> None:
        meeting = self.calendar.next_on_or_after(responded)
        if meeting and meeting[0] <= self.today and self.rng.random() < 0.85:
            self.add(
                meeting[0],
                7,
                self.rng.choice(NOT_IMPLEMENTED_NARRATIVE),
                status=Status.NOT_IMPLEMENTED,
                meeting_id=meeting[1],
                author=self._scrutiny_officer(),
            )

    def deliver(
        self, accepted_on: date, original_target: date | None, planned_days: int
    ) -> list[dict[str, Any]]:
        """An accepted recommendation: started, progressed, perhaps slipped, done, signed off.

        Each step below draws from the random generator in turn; their order is the order of
        the draws, so it stays as it is (the same seed gives the same rows)."""
        today = self.today
        day = timedelta(days=1)
        start = self._start_on(accepted_on)
        done_on = self._done_on(start, planned_days)
        stopped, done_on = self._stopped_updating(accepted_on, done_on)
        ending = self._overtaken(start, done_on, stopped)
        active_until = min(
            done_on - day if done_on != date.max else today,
            stopped or today,
            ending[0] - day if ending else today,
            today,
        )
        if start <= active_until:
            self.add(start, 1, self.rng.choice(STARTED_NARRATIVE), status=Status.IN_PROGRESS)
        target = self._revise_targets(original_target, start, done_on, active_until)
        self._report_progress(accepted_on, active_until, start)
        completed = done_on <= today and ending is None
        if completed:
            self._complete(done_on)
        elif ending is not None:
            self._end_overtaken(ending)
        return self._delivery_actions(
            accepted_on,
            start,
            done_on,
            target,
            completed,
            ending is not None,
            done_on if completed else active_until,
        )

    def _start_on(self, accepted_on: date) -> date:
        """When the work starts: soon after acceptance, a few much later."""
        rng = self.rng
        start = accepted_on + timedelta(days=rng.randint(0, 75))
        if rng.random() < 0.1:
            start += timedelta(days=rng.randint(60, 200))
        return start

    def _done_on(self, start: date, planned_days: int) -> date:
        """How long the work really takes, against the plan."""
        rng = self.rng
        factor = rng.choices(
            (
                rng.uniform(0.55, 1.0),
                rng.uniform(1.0, 1.6),
                rng.uniform(1.6, 2.6),
                rng.uniform(2.6, 5.0),
            ),
            (20, 28, 27, 25),
        )[0]
        return max(
            self.made_on + timedelta(days=round(planned_days * factor)),
            start + timedelta(days=21),
        )

    def _stopped_updating(self, accepted_on: date, done_on: date) -> tuple[date | None, date]:
        """Some owners stop updating: the item goes stale, and the work stalls with it
        (then it is never done: `date.max`)."""
        rng = self.rng
        stopped: date | None = None
        if rng.random() < 0.2:
            stopped = max(accepted_on, self.today - timedelta(days=rng.randint(91, 540)))
            if done_on > stopped:
                done_on = date.max
        return stopped, done_on

    def _overtaken(
        self, start: date, done_on: date, stopped: date | None
    ) -> tuple[date, int, Status] | None:
        """A few are overtaken by events: when, at which meeting, and superseded or not
        implemented."""
        rng, today = self.rng, self.today
        ending: tuple[date, int, Status] | None = None
        if rng.random() < 0.06:
            window = self.calendar.meetings_between(
                start + timedelta(days=60), min(done_on, stopped or today, today)
            )
            if window:
                when, meeting_id = rng.choice(window)
                ending = (
                    when,
                    meeting_id,
                    Status.SUPERSEDED if rng.random() < 0.65 else Status.NOT_IMPLEMENTED,
                )
        return ending

    def _revise_targets(
        self, original_target: date | None, start: date, done_on: date, active_until: date
    ) -> date | None:
        """Target revisions as each target is about to be missed (up to three); the last
        target set."""
        rng = self.rng
        target = original_target
        revisions = 0
        last_change = start
        while target is not None and revisions < 3 and target < done_on:
            when = target - timedelta(days=rng.randint(-20, 45))
            when = max(when, last_change + timedelta(days=30))
            if when > active_until or rng.random() > (0.3, 0.4, 0.4)[revisions]:
                break
            remaining = (done_on - when).days if done_on != date.max else rng.randint(90, 400)
            new_target = end_of_month(
                when + timedelta(days=max(30, round(remaining * rng.uniform(0.55, 1.25))))
            )
            if new_target <= target:
                new_target = end_of_month(target + timedelta(days=31))
            reason = rng.choice(TARGET_REASONS)
            self.add(
                when,
                2,
                f"The target date has been revised from {long_date(target)} to "
                f"{long_date(new_target)}. {reason}",
                target=new_target,
                reason=reason,
            )
            target, revisions, last_change = new_target, revisions + 1, when
        return target

    def _report_progress(self, accepted_on: date, active_until: date, start: date) -> None:
        """Progress reported to committee meetings, and notes in between."""
        rng = self.rng
        day = timedelta(days=1)
        for when, meeting_id in self.calendar.meetings_between(accepted_on + day, active_until):
            if rng.random() < 0.55:
                self._progress(when, meeting_id, start)
        span = (active_until - accepted_on).days
        for _ in range(int(rng.random() * span / 120)):
            self._progress(accepted_on + timedelta(days=rng.randint(1, span)), None, start)

    def _end_overtaken(self, ending: tuple[date, int, Status]) -> None:
        """The scrutiny officer records, at the meeting, that events overtook it."""
        narrative = (
            SUPERSEDED_NARRATIVE if ending[2] is Status.SUPERSEDED else NOT_IMPLEMENTED_NARRATIVE
        )
        self.add(
            ending[0],
            7,
            self.rng.choice(narrative),
            status=ending[2],
            meeting_id=ending[1],
            author=self._scrutiny_officer(),
        )

    def _progress(self, when: date, meeting_id: int | None, start: date) -> None:
        rng = self.rng
        if when < start:
            narrative = rng.choice(NOT_STARTED_NARRATIVE)
        else:
            if len(self.unsaid) < 2:
                self.unsaid = list(PROGRESS_SENTENCES)
            first, second = rng.sample(self.unsaid, 2)
            self.unsaid.remove(first)
            self.unsaid.remove(second)
            narrative = f"{first} {second}"
        report_back = None
        if meeting_id is not None and rng.random() < 0.2:
            report_back = rng.choice((ReportBack.NEXT_MEETING, ReportBack.TO_COMMITTEE))
        self.add(when, 3, narrative, meeting_id=meeting_id, report_back=report_back)

    def _complete(self, done_on: date) -> None:
        """Implemented, then signed off by the committee at a meeting (if one has happened)."""
        rng = self.rng
        evidence = self._evidence(done_on)
        meeting = self.calendar.next_on_or_after(done_on + timedelta(days=7))
        if meeting and meeting[0] <= self.today and rng.random() < 0.2:
            # Reported straight to the meeting as done, and closed there (as the seed was).
            self.add(
                meeting[0],
                7,
                f"{rng.choice(IMPLEMENTED_NARRATIVE)} {rng.choice(CLOSED_NARRATIVE)}",
                status=Status.CLOSED,
                evidence=evidence,
                meeting_id=meeting[1],
            )
            return
        report_back = ReportBack.NEXT_MEETING if rng.random() < 0.3 else None
        self.add(
            done_on,
            5,
            rng.choice(IMPLEMENTED_NARRATIVE),
            status=Status.IMPLEMENTED,
            evidence=evidence,
            report_back=report_back,
        )
        if rng.random() < 0.05:
            return  # never taken back to committee: still awaiting sign-off
        if meeting and meeting[0] <= self.today and rng.random() < 0.12:
            self.add(
                meeting[0],
                6,
                DEFERRED_NARRATIVE,
                meeting_id=meeting[1],
                report_back=ReportBack.NEXT_MEETING,
                author=self._scrutiny_officer(),
            )
            meeting = self.calendar.next_on_or_after(meeting[0] + timedelta(days=1))
        if meeting and meeting[0] <= self.today:
            self.add(
                meeting[0],
                7,
                rng.choice(CLOSED_NARRATIVE),
                status=Status.CLOSED,
                meeting_id=meeting[1],
                author=self._scrutiny_officer(),
            )

    def _evidence(self, when: date) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return (
                f"https://intranet.example.gov.uk/sites/tracker/evidence/{self.rec_id}-"
                f"{rng.randint(1, 9)}.pdf"
            )
        return rng.choice(EVIDENCE_TEXT).format(
            **self.words, day=long_date(when), month=month_year(when)
        )

    # -- actions -------------------------------------------------------------------------

    def idle_actions(
        self, count: int, due_by: date | None, status: ActionStatus
    ) -> list[dict[str, Any]]:
        """Actions that never progressed: proposed (not started) or cancelled."""
        rows = []
        first_id = self.council.take_ids(Action, count)
        for index in range(count):
            due = None
            if due_by is not None:
                due = self.made_on + (due_by - self.made_on) * (index + 1) // count
            rows.append(self._action_row(first_id + index, status, due, None, None))
        return rows

    def _action_row(
        self,
        action_id: int,
        status: ActionStatus,
        due: date | None,
        completed_on: date | None,
        evidence: str | None,
    ) -> dict[str, Any]:
        rng = self.rng
        staff = self.council.officers[self.writer.directorate]
        owner = self.writer if rng.random() < 0.6 else rng.choice(staff)
        return {
            "id": action_id,
            "recommendation_id": self.rec_id,
            "description": rng.choice(ACTION_WORDING).format(**self.words),
            "owner_id": owner.id,
            "due_date": due,
            "status": status.value,
            "completed_on": completed_on,
            "evidence": evidence,
        }

    def _delivery_actions(
        self,
        accepted_on: date,
        start: date,
        done_on: date,
        final_target: date | None,
        completed: bool,
        ended: bool,
        limit: date,
    ) -> list[dict[str, Any]]:
        """Actions in step with the recommendation: done by `limit` if their turn came."""
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), (4, 17, 34, 27, 18))[0]
        first_id = self.council.take_ids(Action, count)
        due_by = final_target or (accepted_on + timedelta(days=270))
        work_until = done_on if done_on != date.max else due_by + timedelta(days=365)
        work_until = max(work_until, start + timedelta(days=count))
        rows = []
        for index in range(count):
            share = (index + 1) / count
            due = accepted_on + timedelta(
                days=max(14, round((due_by - accepted_on).days * share * rng.uniform(0.8, 1.0)))
            )
            finish = start + timedelta(
                days=round((work_until - start).days * share * rng.uniform(0.75, 1.0))
            )
            if completed:
                finish = min(finish, done_on)
            status, completed_on, evidence = ActionStatus.NOT_STARTED, None, None
            if finish <= limit and (completed or not ended or rng.random() < 0.5):
                status, completed_on = ActionStatus.COMPLETED, finish
                evidence = self._evidence(finish)
                if completed and rng.random() < 0.04:
                    status, completed_on, evidence = ActionStatus.CANCELLED, None, None
            elif ended:
                status = ActionStatus.CANCELLED
            elif start <= limit:
                status = (
                    ActionStatus.IN_PROGRESS if rng.random() < 0.75 else ActionStatus.NOT_STARTED
                )
            row = self._action_row(first_id + index, status, due, completed_on, evidence)
            rows.append(row)
            if status is ActionStatus.COMPLETED and rng.random() < 0.3:
                self.add(
                    finish,
                    4,
                    ACTION_DONE_NARRATIVE.format(action=row["description"]),
                    evidence=evidence,
                    action_id=row["id"],
                )
        return rows
