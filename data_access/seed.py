"""The real example the product starts from, as data.

The report to the Children's Services Overview and Scrutiny Committee of 12 February 2019
(shared/seed/social-care-review-update-2019-02-12.txt), loaded exactly as DOMAIN.md's last
section describes: recommendations 1, 4, 5 and 6 closed at that meeting; 2 in progress and
to be reported to the next committee; 3 in progress with progress to be reported.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from data_access.models import (
    Committee,
    Directorate,
    Meeting,
    Officer,
    ProgressUpdate,
    Recommendation,
    Source,
)
from data_access.writes import current_state_columns
from domain.rules import response_due_on
from domain.vocabulary import Acceptance, Confidentiality, Priority, ReportBack, SourceKind, Status

SEED_COMMITTEE = "Children's Services Overview and Scrutiny Committee"
SEED_SOURCE_TITLE = "Independent investigation into whistleblowing allegations (2018)"
SEED_DIRECTORATE = "Children's Services"
SEED_MEETING = date(2019, 2, 12)
SEED_ISSUED = date(2018, 11, 30)
SEED_AUTHOR = "Rory Patterson, Corporate Director Children's Services"
# The committee's calendar from 2018, so a next meeting after 12 February 2019 exists.
SEED_MEETINGS = (
    date(2018, 6, 12),
    date(2018, 9, 11),
    date(2018, 11, 13),
    date(2019, 1, 15),
    SEED_MEETING,
    date(2019, 3, 12),
    date(2019, 6, 11),
    date(2019, 9, 10),
    date(2019, 11, 12),
    date(2020, 1, 14),
    date(2020, 3, 10),
)

# (ref, wording, response narrative, status, report-back)
SEED_RECOMMENDATIONS: tuple[tuple[str, str, str, Status, ReportBack | None], ...] = (
    (
        "1",
        "Liaise with the LSCB regarding the terms of reference for the Serious Case Review to "
        "ensure these include consideration of the 2 points of closure identified.",
        "This recommendation was considered by the LSCB Executive and the terms of reference "
        "for the Serious Case Review now include the period referred to in the report. This "
        "work will be overseen by the Serious Case Review Sub-Group which has an independent "
        "chair and independent report author. The action associated with this recommendation "
        "has now been implemented.",
        Status.CLOSED,
        None,
    ),
    (
        "2",
        "Consider any issues that may arise from the ongoing Court Proceedings regarding the "
        "child's accommodation. In any event to consider whether additional training or "
        "guidance for staff would be appropriate.",
        "The child is in care proceedings where issues about the child's accommodation by the "
        "local authority have been addressed. Further training is being provided to social "
        "workers to ensure they are clear about the appropriate use of accommodation under "
        "Section 20 of the Children Act 1989. This will take place on a rolling basis this year "
        "through supervision and as part of the service's regular practice workshops. Quality "
        "of practice is monitored through our regular case auditing process. Implementation of "
        "this recommendation will be reported to the next committee.",
        Status.IN_PROGRESS,
        ReportBack.NEXT_MEETING,
    ),
    (
        "3",
        "Explore whether the nature of the communications between staff are effective in "
        "promoting good outcomes for children or whether there are any concerns about how "
        "professionals interact with each other which may impact on the Council's ability to "
        "fulfil its duties under Sections 10 and 11 of the Children Act 2004.",
        "Working Together 2018 has established new safeguarding arrangements and this has "
        "addressed concerns about how professionals work together by ensuring there is a clear "
        "dispute resolution process. A programme of multi-agency training is in place to ensure "
        "services continue to work together effectively. All staff are being reminded of the "
        "dispute resolution procedures and the effectiveness of this will be monitored through "
        "the new safeguarding arrangements. Progress will be reported to the Overview and "
        "Scrutiny Committee.",
        Status.IN_PROGRESS,
        ReportBack.TO_COMMITTEE,
    ),
    (
        "4",
        "Explore whether there is clarity within the current processes, and those to be "
        "implemented, to capture and disseminate learning both on a single agency and "
        "multi-agency basis.",
        "The process for disseminating learning has been reviewed as part of the move to new "
        "safeguarding arrangements in Thurrock. These include regular learning events across "
        "all agencies. This recommendation has now been implemented. Further details on this "
        "is provided under recommendation 5 below.",
        Status.CLOSED,
        None,
    ),
    (
        "5",
        "Ensure that the criteria for a Serious Case Review or a Local Safeguarding Practice "
        "Review are widely understood.",
        "Under new safeguarding arrangements, safeguarding partners must make arrangements to "
        "identify and review serious child safeguarding cases which, in their view, raise "
        "issues of importance in relation to their area. They must commission and oversee the "
        "review of those cases, where they consider it appropriate for a review to be "
        "undertaken. Clear criteria has been published for undertaking such reviews which are "
        "designed to draw the learning from serious safeguarding incidents involving a child. "
        "This information is being distributed to all safeguarding partners to be disseminated "
        "more widely to the partnership.\n\n"
        "There is a two part process for Local and national reviews which will continue under "
        "the new arrangements.\n\n"
        "a) The NSPCC sends the Business Team a monthly alert of the latest published national "
        "reviews for that month. They assess them for local relevance and cascade anything of "
        "note that would apply to any authority area. We also have sent the link to the NSPCC "
        "SCR website page to our partner agencies so they can also get the updates direct and "
        "I know health, for example, check them as well for any internal learning.\n\n"
        "b) For each of the multi-agency reviews the Board has action plan for each review, "
        "split as generic actions for all agencies and then individual action plans for the "
        "relevant agencies. This is then followed up by the SCR sub-group for completion and "
        "then the Board conducts an annual audit through the Audit Group to assess impact. "
        "This is enhanced with two face to face multi agency learning events each year (next "
        "one in February) where the learning from our local reviews and anything of national "
        "interest is also shared. Where the Board publishes an anonymous review, it makes "
        "reference to a similar national review findings. The Board also sends out a mini "
        "booklet of the reviews with just a summary of the case, which is designed in this way "
        "for front line staff, who do not have the time and capacity to read a full review.\n\n"
        "This recommendation is implemented.",
        Status.CLOSED,
        None,
    ),
    (
        "6",
        "Explore whether the procedures and processes for record keeping are operating "
        "effectively in relation to access to records, timeliness of updating and inputting "
        "information in LCS.",
        "Additional resources have been provided to ensure that LCS is regularly upgraded. "
        "Workflow has been arranged to ensure information on the files is updated in a timely "
        "manner. This is monitored through our quality assurance framework. This recommendation "
        "has now been implemented.",
        Status.CLOSED,
        None,
    ),
)


def _id_of(connection: Connection, model, **where: Any) -> int:
    query = select(model.id).filter_by(**where)
    found = connection.execute(query).scalar()
    if found is not None:
        return found
    return connection.execute(insert(model).values(**where).returning(model.id)).scalar_one()


def load_seed(connection: Connection) -> int:
    """Write the seed report into an open transaction; returns the source's id."""
    directorate_id = _id_of(connection, Directorate, name=SEED_DIRECTORATE)
    committee_id = _id_of(connection, Committee, name=SEED_COMMITTEE)
    meeting_ids = {
        day: _id_of(connection, Meeting, committee_id=committee_id, meeting_date=day)
        for day in SEED_MEETINGS
    }
    director_id = _id_of(
        connection,
        Officer,
        name="Rory Patterson",
        job_title="Corporate Director, Children's Services",
        directorate_id=directorate_id,
    )
    assistant_id = _id_of(
        connection,
        Officer,
        name="Sheila Murphy",
        job_title="Assistant Director of Children and Families",
        directorate_id=directorate_id,
    )
    source_id = connection.execute(
        insert(Source)
        .values(
            title=SEED_SOURCE_TITLE,
            kind=SourceKind.INDEPENDENT_REVIEW.value,
            date_issued=SEED_ISSUED,
            response_due_on=response_due_on(SEED_ISSUED),
            author="Independent safeguarding barrister",
            accountable_director="Rory Patterson, Corporate Director of Children's Services",
            assistant_director="Sheila Murphy, Assistant Director of Children and Families",
            document_url=None,
            confidentiality=Confidentiality.PUBLIC.value,
            committee_id=committee_id,
        )
        .returning(Source.id)
    ).scalar_one()
    for ref, wording, response, status, report_back in SEED_RECOMMENDATIONS:
        update = {
            "update_date": SEED_MEETING,
            "author": SEED_AUTHOR,
            "narrative": response,
            "new_status": status.value,
            "report_back": report_back.value if report_back else None,
            "meeting_id": meeting_ids[SEED_MEETING],
            "recorded_at": datetime(2019, 2, 12, 18, 0),
        }
        recommendation_id = connection.execute(
            insert(Recommendation)
            .values(
                source_id=source_id,
                committee_id=committee_id,
                ref=ref,
                wording=wording,
                made_on=SEED_ISSUED,
                acceptance=Acceptance.ACCEPTED.value,
                accepted_on=SEED_ISSUED,
                accepted_in_principle=False,
                owner_id=assistant_id if ref in {"2", "3"} else director_id,
                directorate_id=directorate_id,
                priority=Priority.HIGH.value,
                original_target_date=None,
                closed_at_meeting_id=meeting_ids[SEED_MEETING] if status is Status.CLOSED else None,
                **current_state_columns(None, [update]),
            )
            .returning(Recommendation.id)
        ).scalar_one()
        connection.execute(
            insert(ProgressUpdate).values(recommendation_id=recommendation_id, **update)
        )
    return source_id
