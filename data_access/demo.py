"""A made-up council's tracker, generated deterministically: the demo and the benchmark data.

`build_demo_database` creates a new database holding the seed report plus a generated council:
directorates, officers, committees with their meeting calendars, sources of every kind, and
recommendations with their actions and progress updates (the history), all dated relative to
`today` so the demo always looks current. The same arguments always give the same rows
(only `random.Random(seed)` is used).

The current-state columns of each recommendation come from `data_access.writes.
current_state_columns`, replaying the very update rows that are written, so the stored state
and the history cannot disagree. Rows are written with Core executemany in chunks of
`CHUNK_SIZE` recommendations, with explicit ids, so 200,000 recommendations fit in memory.

Command line (a thin client of the library):

    python -m data_access.demo --out FILE --recommendations N [--seed S] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import sys
import time as clock
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from data_access.db import create_schema, make_engine, schema_state
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
from data_access.seed import SEED_COMMITTEE, SEED_DIRECTORATE, load_seed
from data_access.writes import current_state_columns
from domain.names import name_key
from domain.rules import response_due_on
from domain.vocabulary import (
    Acceptance,
    ActionStatus,
    Confidentiality,
    Priority,
    ReportBack,
    SourceKind,
    Status,
)

__all__ = ["CHUNK_SIZE", "DemoSummary", "build_demo_database", "generate_council", "main"]

CHUNK_SIZE = 5_000
RECOMMENDATIONS_PER_SOURCE = 10
HISTORY_YEARS = 3
# Sources issued this recently have no response yet (it is due two months after issue).
AWAITING_RESPONSE_DAYS = 70

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    """Rows in the database after generation (the seed's included) and how long it took."""

    recommendations: int
    actions: int
    updates: int
    seconds: float


# --------------------------------------------------------------------------------------------
# The council's vocabulary: made-up people, real-sounding English local-government words.
# --------------------------------------------------------------------------------------------

AHH = "Adults, Housing and Health"
CHILDREN = SEED_DIRECTORATE  # "Children's Services", shared with the seed
PLACE = "Place"
RPD = "Resources and Place Delivery"
CORPORATE = "Corporate Services"
PUBLIC_HEALTH = "Public Health"
FINANCE = "Finance"
SEG = "Strategy, Engagement and Growth"

# Directorate -> job titles; the first is the accountable director, the second the assistant
# director named on sources.
OFFICER_TITLES: dict[str, tuple[str, ...]] = {
    AHH: (
        "Corporate Director, Adults, Housing and Health",
        "Assistant Director, Adult Social Care",
        "Assistant Director, Housing",
        "Head of Housing Solutions",
        "Head of Housing Repairs and Maintenance",
        "Strategic Lead, Adult Safeguarding",
        "Principal Social Worker (Adults)",
        "Service Manager, Commissioning",
        "Occupational Therapy Team Manager",
    ),
    CHILDREN: (
        "Executive Director, Children's Services",
        "Assistant Director, Children and Families",
        "Assistant Director, Education and Skills",
        "Head of Children's Social Care",
        "Head of SEND",
        "Principal Social Worker (Children)",
        "Service Manager, Youth Justice",
        "Head of Corporate Parenting",
        "Team Manager, Assessment and Intervention",
    ),
    PLACE: (
        "Corporate Director, Place",
        "Assistant Director, Highways and Transportation",
        "Assistant Director, Planning",
        "Head of Environmental Services",
        "Planning Enforcement Manager",
        "Emergency Planning Manager",
        "Community Safety Manager",
        "Parking Services Manager",
        "Waste and Recycling Manager",
    ),
    RPD: (
        "Corporate Director, Resources and Place Delivery",
        "Assistant Director, Regeneration",
        "Head of Property and Assets",
        "Programme Director, Town Centre Regeneration",
        "Capital Programme Manager",
        "Facilities Manager",
    ),
    CORPORATE: (
        "Director of Corporate Services",
        "Assistant Director, Law and Governance (Monitoring Officer)",
        "Head of HR and Organisational Development",
        "Head of ICT and Digital",
        "Information Governance Manager",
        "Complaints and Customer Feedback Manager",
        "Democratic Services Manager",
        "Senior Scrutiny Officer",
        "Scrutiny Officer",
    ),
    PUBLIC_HEALTH: (
        "Director of Public Health",
        "Consultant in Public Health",
        "Public Health Commissioning Manager",
        "Health Improvement Lead",
    ),
    FINANCE: (
        "Director of Finance (Section 151 Officer)",
        "Head of Internal Audit",
        "Head of Revenues and Benefits",
        "Strategic Lead, Procurement",
        "Payroll and Pensions Manager",
        "Finance Business Partner",
    ),
    SEG: (
        "Director of Strategy, Engagement and Growth",
        "Assistant Director, Economic Growth",
        "Head of Communications and Engagement",
        "Customer Services Manager",
        "Performance and Insight Manager",
        "Head of Policy",
        "Economic Development Officer",
    ),
}
DIRECTORATES = tuple(OFFICER_TITLES)
# Who writes up what the committee decided.
SCRUTINY_TITLES = ("Senior Scrutiny Officer", "Scrutiny Officer", "Democratic Services Manager")

# fmt: off
FIRST_NAMES = (
    "Aisha", "Alan", "Amrit", "Andrew", "Angela", "Anita", "Ben", "Bernadette", "Bukola",
    "Carl", "Caroline", "Chloe", "Claire", "Colin", "Daniel", "Deborah", "Declan", "Dipa",
    "Eleanor", "Emma", "Fatima", "Fiona", "Gareth", "Gemma", "Graham", "Hannah", "Harjit",
    "Helen", "Ian", "Imran", "Jacqui", "James", "Janet", "Joanne", "Jonathan", "Karen",
    "Kwame", "Laura", "Leanne", "Lee", "Lucy", "Marcus", "Mark", "Michelle", "Mohammed",
    "Natalie", "Neil", "Nicola", "Oliver", "Olu", "Paul", "Priya", "Rachel", "Rebecca",
    "Richard", "Ruth", "Sadia", "Samantha", "Sarah", "Simon", "Sophie", "Stephen", "Tariq",
    "Tom", "Tracey", "Usha", "Victoria", "Wendy", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adeyemi", "Ahmed", "Allen", "Atkinson", "Baker", "Barnes", "Begum", "Bennett", "Bird",
    "Bradley", "Brennan", "Carter", "Chapman", "Chaudhry", "Clarke", "Coleman", "Cooper",
    "Dawson", "Dixon", "Doherty", "Edwards", "Ellis", "Evans", "Fletcher", "Foster",
    "Gallagher", "Gill", "Gordon", "Graham", "Griffiths", "Hall", "Harrison", "Hayes", "Hughes",
    "Hussain", "Jackson", "Jenkins", "Kaur", "Kelly", "Khan", "Lawrence", "Lloyd", "Lowe",
    "Marshall", "Mason", "McCarthy", "Mensah", "Mitchell", "Morgan", "Murray", "Nolan",
    "Okafor", "Owen", "Palmer", "Parry", "Patel", "Pearson", "Quinn", "Reid", "Reynolds",
    "Robinson", "Shah", "Sharma", "Sheppard", "Singh", "Stevens", "Sullivan", "Thornton",
    "Turner", "Walsh", "Ward", "Webb", "Whitfield", "Wilkinson", "Wright", "Young",
)
# fmt: on

CHILDREN_OSC = SEED_COMMITTEE
CORPORATE_OSC = "Corporate Overview and Scrutiny Committee"
HOUSING_OSC = "Housing Overview and Scrutiny Committee"
HEALTH_OSC = "Health and Wellbeing Overview and Scrutiny Committee"
PTR_OSC = "Planning, Transport and Regeneration Overview and Scrutiny Committee"
CGS_OSC = "Cleaner, Greener and Safer Overview and Scrutiny Committee"
AUDIT = "Standards and Audit Committee"
# Committee -> weekday it meets (0 = Monday).
COMMITTEES: dict[str, int] = {
    CHILDREN_OSC: 1,
    CORPORATE_OSC: 2,
    HOUSING_OSC: 1,
    HEALTH_OSC: 3,
    PTR_OSC: 0,
    CGS_OSC: 2,
    AUDIT: 3,
}

K = SourceKind


@dataclass(frozen=True)
class _Topic:
    """An area of the council's work that reviews, audits and inspections look at."""

    area: str
    directorate: str
    committee: str
    titles: dict[SourceKind, tuple[str, ...]]
    subjects: tuple[str, ...]
    staff: str
    people: str
    partners: str
    board: str


# Title placeholders: {area} {fy} {last_fy} {year} {month_year} {letter} {number} {lgsco} {hos}.
# fmt: off
TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "Adult social care assessments", AHH, HEALTH_OSC,
        {
            K.INSPECTION: ("CQC assessment of adult social care",),
            K.INTERNAL_AUDIT: ("Internal audit: Direct payments {fy}",),
            K.PEER_REVIEW: ("LGA adult social care peer challenge",),
            K.SCRUTINY_REVIEW: (
                "Scrutiny task and finish group: Waiting times for care assessments",
            ),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the waiting list for Care Act assessments", "carers' assessments",
            "annual reviews of care and support plans", "the take-up of direct payments",
            "information and advice at the front door",
            "transitions from children's to adult services", "the financial assessment process",
        ),
        "social workers and occupational therapists",
        "people who draw on care and support, and their carers",
        "the NHS integrated care board", "Adult Social Care Leadership Team",
    ),
    _Topic(
        "Safeguarding adults", AHH, HEALTH_OSC,
        {
            K.SAFEGUARDING_REVIEW: ("Safeguarding adults review: Adult {letter}",),
            K.INTERNAL_AUDIT: ("Internal audit: Adult safeguarding {fy}",),
        },
        (
            "the timeliness of section 42 enquiries", "Making Safeguarding Personal",
            "information sharing between agencies", "the quality of safeguarding case records",
            "the escalation of concerns about care providers",
            "the response to self-neglect and hoarding",
        ),
        "safeguarding practitioners", "adults at risk and their families",
        "the Safeguarding Adults Board partners", "Safeguarding Adults Board",
    ),
    _Topic(
        "Temporary accommodation", AHH, HOUSING_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny task and finish group: Temporary accommodation",),
            K.INTERNAL_AUDIT: ("Internal audit: Temporary accommodation payments {fy}",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the use of bed and breakfast accommodation for families",
            "out-of-area placements", "the procurement of temporary accommodation",
            "reviews of the suitability of accommodation",
            "the cost of nightly-paid accommodation", "moves on to settled homes",
        ),
        "housing options officers", "households in temporary accommodation",
        "registered providers and private landlords", "Housing Improvement Board",
    ),
    _Topic(
        "Housing repairs", AHH, HOUSING_OSC,
        {
            K.OMBUDSMAN: ("Housing Ombudsman: determination {hos}",),
            K.INSPECTION: ("Regulator of Social Housing inspection",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Damp and mould in council homes",),
            K.INTERNAL_AUDIT: ("Internal audit: Housing repairs contract {fy}",),
        },
        (
            "the handling of damp and mould reports", "repairs response times",
            "the stock condition survey", "the complaints process for tenants",
            "the management of the repairs contractor", "the tenant satisfaction measures",
            "record keeping on fire safety checks",
        ),
        "repairs surveyors and call handlers", "tenants and leaseholders",
        "the repairs contractor", "Housing Improvement Board",
    ),
    _Topic(
        "Homelessness prevention", AHH, HOUSING_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Homelessness prevention",),
            K.PEER_REVIEW: ("LGA homelessness and rough sleeping peer review",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "personal housing plans", "the rough sleeping pathway",
            "casework under the prevention duty", "joint working with probation and health",
            "the housing allocations policy",
        ),
        "housing options officers", "people at risk of homelessness",
        "the probation service and health partners", "Homelessness Reduction Board",
    ),
    _Topic(
        "Home care commissioning", AHH, HEALTH_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Home care contract management {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: The home care market",),
            K.INDEPENDENT_REVIEW: ("Independent review of the home care framework",),
        },
        (
            "the home care framework", "quality monitoring of care providers",
            "the fee-setting process", "contract management of care providers",
            "the recruitment and retention of care workers",
        ),
        "commissioning officers", "people who receive home care",
        "care providers", "Adult Social Care Leadership Team",
    ),
    _Topic(
        "Children's social care", CHILDREN, CHILDREN_OSC,
        {
            K.INSPECTION: (
                "Ofsted inspection of local authority children's services (ILACS)",
                "Ofsted focused visit: Children in need and child protection",
            ),
            K.PEER_REVIEW: ("Children's services peer review (ADCS)",),
            K.INDEPENDENT_REVIEW: ("Independent review of the children's social care front door",),
            K.INTERNAL_AUDIT: ("Internal audit: Children's social care placements {fy}",),
        },
        (
            "the quality of supervision for social workers",
            "management oversight of child in need plans",
            "the timeliness of initial child protection conferences",
            "the recruitment and retention of social workers",
            "the quality of return home interviews", "the voice of the child in assessments",
            "the use of section 20 accommodation", "the quality of chronologies",
        ),
        "social workers and team managers", "children and families",
        "the safeguarding partnership", "Children's Services Improvement Board",
    ),
    _Topic(
        "Child safeguarding practice", CHILDREN, CHILDREN_OSC,
        {
            K.SAFEGUARDING_REVIEW: ("Local child safeguarding practice review: Child {letter}",),
        },
        (
            "information sharing between agencies", "the response to neglect",
            "professional curiosity", "the use of the graded care profile",
            "escalation between agencies", "the response to domestic abuse in families",
            "the involvement of fathers in assessments",
        ),
        "practitioners in all agencies", "children and families",
        "the safeguarding partners", "Local Safeguarding Children Partnership",
    ),
    _Topic(
        "Special educational needs and disabilities", CHILDREN, CHILDREN_OSC,
        {
            K.INSPECTION: ("Area SEND inspection (Ofsted and CQC)",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
            K.SCRUTINY_REVIEW: (
                "Scrutiny task and finish group: Education, health and care plans",
            ),
        },
        (
            "the timeliness of education, health and care plans",
            "the quality of education, health and care plans",
            "annual reviews of education, health and care plans", "the local offer",
            "preparation for adulthood", "communication with parents and carers",
        ),
        "SEND caseworkers and educational psychologists",
        "children with special educational needs and their parents",
        "schools and health partners", "SEND Partnership Board",
    ),
    _Topic(
        "Home to school transport", CHILDREN, CHILDREN_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Home to school transport",),
            K.INTERNAL_AUDIT: ("Internal audit: Home to school transport {fy}",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the home to school transport eligibility policy", "route planning",
            "the commissioning of taxi contracts", "independent travel training",
            "appeals against transport decisions",
        ),
        "transport officers", "pupils and their parents",
        "transport operators", "Children's Services Leadership Team",
    ),
    _Topic(
        "Children in care and care leavers", CHILDREN, CHILDREN_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Support for care leavers",),
            K.INTERNAL_AUDIT: ("Internal audit: Care leavers' allowances {fy}",),
            K.PEER_REVIEW: ("Corporate parenting peer review",),
        },
        (
            "placement sufficiency", "pathway plans for care leavers",
            "health assessments for children in care", "the local offer for care leavers",
            "placement stability",
        ),
        "personal advisers and social workers", "children in care and care leavers",
        "health partners and housing providers", "Corporate Parenting Board",
    ),
    _Topic(
        "Youth justice", CHILDREN, CHILDREN_OSC,
        {
            K.INSPECTION: ("HM Inspectorate of Probation inspection of youth justice services",),
        },
        (
            "out-of-court disposals", "the resettlement offer",
            "assessments of risk of harm", "education for children in the youth justice system",
        ),
        "youth justice workers", "children in the youth justice system",
        "the police and probation service", "Youth Justice Management Board",
    ),
    _Topic(
        "Waste and recycling", PLACE, CGS_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Waste and recycling",),
            K.INTERNAL_AUDIT: ("Internal audit: Waste fleet management {fy}",),
        },
        (
            "missed bin collections", "the recycling contamination rate",
            "the fleet replacement programme", "fly-tipping enforcement",
            "the garden waste subscription service",
        ),
        "waste crews and supervisors", "residents",
        "the waste disposal authority", "Environment Programme Board",
    ),
    _Topic(
        "Highways maintenance", PLACE, PTR_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Highways maintenance contract {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Potholes and road repairs",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the pothole repair programme", "the highways asset management plan",
            "insurance claims for highways defects", "the winter gritting service",
            "the inspection of footways",
        ),
        "highways inspectors", "residents and road users",
        "the highways contractor", "Highways Programme Board",
    ),
    _Topic(
        "Planning service", PLACE, PTR_OSC,
        {
            K.PEER_REVIEW: ("LGA planning service peer challenge",),
            K.INTERNAL_AUDIT: ("Internal audit: Section 106 agreements {fy}",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the planning enforcement backlog", "the local plan timetable",
            "the validation of planning applications", "the pre-application advice service",
            "the monitoring of section 106 contributions",
        ),
        "planning officers", "applicants and residents",
        "parish councils and developers", "Planning Committee",
    ),
    _Topic(
        "Flood response", PLACE, CGS_OSC,
        {
            K.INDEPENDENT_REVIEW: (
                "Independent review of the response to the flooding of {month_year}",
            ),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Flood risk management",),
        },
        (
            "the council's emergency plan", "communication with residents during incidents",
            "the maintenance of drainage assets", "the sandbag policy",
            "arrangements with the Environment Agency", "the recovery support for households",
        ),
        "emergency planning and highways staff", "residents and businesses in flood risk areas",
        "the Environment Agency and the water company", "Local Resilience Forum",
    ),
    _Topic(
        "Parking services", PLACE, CGS_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Parking income {fy}",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "cash collection from car parks", "the handling of penalty charge notice appeals",
            "the issue of resident parking permits", "the enforcement contract",
        ),
        "civil enforcement officers", "motorists and residents",
        "the enforcement contractor", "Place Leadership Team",
    ),
    _Topic(
        "Community safety", PLACE, CGS_OSC,
        {
            K.SAFEGUARDING_REVIEW: ("Domestic homicide review: DHR {number}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Anti-social behaviour",),
        },
        (
            "the multi-agency risk assessment conference", "awareness of coercive control",
            "referral pathways to specialist domestic abuse services",
            "the response to anti-social behaviour reports", "the community trigger process",
        ),
        "front-line staff in all agencies", "victims and survivors",
        "the Community Safety Partnership members", "Community Safety Partnership",
    ),
    _Topic(
        "Town centre regeneration", RPD, PTR_OSC,
        {
            K.INDEPENDENT_REVIEW: ("Independent review of the town centre regeneration programme",),
            K.INTERNAL_AUDIT: ("Internal audit: Regeneration programme governance {fy}",),
        },
        (
            "programme governance", "the gateway review process", "cost control",
            "the programme risk register", "the benefits realisation plan",
            "reporting to members on the programme",
        ),
        "programme managers", "businesses and residents in the town centre",
        "the development partner", "Regeneration Programme Board",
    ),
    _Topic(
        "Property and assets", RPD, CORPORATE_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Corporate landlord compliance {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Use of council buildings",),
        },
        (
            "the asset register", "fire safety checks in council buildings",
            "legionella and asbestos management", "the disposal of surplus assets",
            "the management of leases",
        ),
        "facilities and property staff", "building users",
        "the facilities management contractor", "Asset Management Board",
    ),
    _Topic(
        "Capital programme", RPD, AUDIT,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Capital programme management {fy}",),
            K.INDEPENDENT_REVIEW: ("External auditor: value for money report {last_fy}",),
        },
        (
            "capital project business cases", "the monitoring of capital spend",
            "slippage in the capital programme", "project closure reports",
        ),
        "project managers", "residents", "delivery partners", "Capital Programme Board",
    ),
    _Topic(
        "Information governance", CORPORATE, AUDIT,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Information governance {fy}",),
            K.INSPECTION: ("Information Commissioner's Office data protection audit",),
        },
        (
            "the handling of subject access requests", "freedom of information response times",
            "data protection impact assessments", "the records retention schedule",
            "mandatory data protection training", "the reporting of data breaches",
        ),
        "all staff", "residents", "data processors", "Information Governance Board",
    ),
    _Topic(
        "Cyber security", CORPORATE, AUDIT,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Cyber security {fy}",),
            K.INDEPENDENT_REVIEW: ("Independent review of the council's cyber resilience",),
        },
        (
            "the patching of servers", "privileged access management",
            "the ICT disaster recovery plan", "phishing awareness training",
            "supplier access to the council's network", "multi-factor authentication",
        ),
        "ICT staff", "staff and members", "the ICT managed service provider",
        "Information Governance Board",
    ),
    _Topic(
        "Workforce", CORPORATE, CORPORATE_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Recruitment and pre-employment checks {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Recruitment and retention",),
        },
        (
            "sickness absence management", "the recruitment process", "agency worker spend",
            "the whistleblowing policy", "compliance with mandatory training",
            "exit interviews", "pre-employment checks",
        ),
        "managers", "staff", "the trade unions", "Corporate Leadership Team",
    ),
    _Topic(
        "Complaints handling", CORPORATE, AUDIT,
        {
            K.OMBUDSMAN: (
                "Local Government and Social Care Ombudsman: complaint {lgsco}",
                "Local Government and Social Care Ombudsman: annual review letter {year}",
            ),
            K.INTERNAL_AUDIT: ("Internal audit: Complaints handling {fy}",),
        },
        (
            "the corporate complaints procedure", "learning from complaints",
            "the time taken to respond to stage 2 complaints",
            "the remedies agreed with the Ombudsman", "complaint records",
        ),
        "complaints officers and service managers", "complainants",
        "services across the council", "Corporate Leadership Team",
    ),
    _Topic(
        "Governance and decision-making", SEG, CORPORATE_OSC,
        {
            K.PEER_REVIEW: (
                "LGA corporate peer challenge", "LGA corporate peer challenge: progress review",
            ),
            K.INDEPENDENT_REVIEW: ("Independent governance review",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: The effectiveness of scrutiny",),
        },
        (
            "the member-officer protocol", "the scheme of delegation",
            "the forward plan of key decisions", "the corporate performance framework",
            "the member development programme", "the constitution",
            "the council's organisational culture",
        ),
        "senior officers and members", "residents", "partners across the borough",
        "Corporate Leadership Team",
    ),
    _Topic(
        "Public health commissioning", PUBLIC_HEALTH, HEALTH_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Public health grant {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Drug and alcohol services",),
        },
        (
            "the sexual health contract", "drug and alcohol treatment services",
            "the NHS Health Check programme", "the stop smoking service",
            "the monitoring of the public health grant",
        ),
        "commissioning officers", "service users", "NHS providers",
        "Health and Wellbeing Board",
    ),
    _Topic(
        "Health inequalities", PUBLIC_HEALTH, HEALTH_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Health inequalities",),
            K.PEER_REVIEW: ("Public health peer review",),
        },
        (
            "the joint strategic needs assessment", "the healthy weight strategy",
            "access to primary care in deprived wards", "the uptake of childhood immunisations",
        ),
        "public health staff", "residents in the most deprived wards",
        "the integrated care board and voluntary sector", "Health and Wellbeing Board",
    ),
    _Topic(
        "Payroll", FINANCE, AUDIT,
        {K.INTERNAL_AUDIT: ("Internal audit: Payroll controls {fy}",)},
        (
            "the processing of starters and leavers", "overtime and allowance claims",
            "payroll exception reports", "separation of duties in payroll",
            "the reconciliation of payroll to the general ledger",
        ),
        "payroll officers and managers", "employees", "the payroll provider",
        "Finance Leadership Team",
    ),
    _Topic(
        "Procurement and contract management", FINANCE, AUDIT,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Contract management {fy}",),
            K.INDEPENDENT_REVIEW: ("Independent review of procurement practice",),
        },
        (
            "the contracts register", "waivers of the contract procedure rules",
            "the purchase card policy", "contract management training",
            "supplier due diligence", "the management of contract variations",
        ),
        "budget holders and contract managers", "suppliers", "other councils in the consortium",
        "Commercial Board",
    ),
    _Topic(
        "Revenues and benefits", FINANCE, AUDIT,
        {
            K.INTERNAL_AUDIT: ("Internal audit: Council tax and business rates {fy}",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
        },
        (
            "the recovery of council tax arrears", "single person discount reviews",
            "business rates reliefs", "the council tax support scheme",
            "the handling of enforcement agent referrals",
        ),
        "revenues and benefits officers", "council tax payers",
        "enforcement agents", "Finance Leadership Team",
    ),
    _Topic(
        "Financial resilience", FINANCE, CORPORATE_OSC,
        {
            K.PEER_REVIEW: ("LGA finance peer review",),
            K.INDEPENDENT_REVIEW: ("External auditor: value for money report {last_fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Budget setting {fy}",),
        },
        (
            "budget monitoring in directorates", "the tracking of savings delivery",
            "the reserves strategy", "the medium-term financial strategy",
            "financial training for budget holders",
        ),
        "budget holders", "residents", "the external auditor", "Corporate Leadership Team",
    ),
    _Topic(
        "Customer services", SEG, CORPORATE_OSC,
        {
            K.SCRUTINY_REVIEW: ("Scrutiny review: Customer contact",),
            K.OMBUDSMAN: ("Local Government and Social Care Ombudsman: complaint {lgsco}",),
            K.INTERNAL_AUDIT: ("Internal audit: Customer contact centre {fy}",),
        },
        (
            "telephone waiting times at the contact centre", "the online customer portal",
            "support for residents who cannot get online", "the accessibility of the website",
            "the resident consultation and engagement strategy",
        ),
        "customer service advisers", "residents", "services across the council",
        "Customer Experience Board",
    ),
    _Topic(
        "Economic growth", SEG, PTR_OSC,
        {
            K.INTERNAL_AUDIT: ("Internal audit: UK Shared Prosperity Fund {fy}",),
            K.SCRUTINY_REVIEW: ("Scrutiny review: Support for small businesses",),
        },
        (
            "the adult skills offer", "support for small businesses",
            "the monitoring of grant-funded projects", "the inward investment strategy",
        ),
        "economic development officers", "local businesses",
        "the chamber of commerce and colleges", "Growth Board",
    ),
)
# fmt: on

TOPICS_BY_KIND: dict[SourceKind, tuple[_Topic, ...]] = {
    kind: tuple(topic for topic in TOPICS if kind in topic.titles) for kind in SourceKind
}
KIND_WEIGHTS: dict[SourceKind, int] = {
    K.INTERNAL_AUDIT: 30,
    K.SCRUTINY_REVIEW: 16,
    K.INSPECTION: 10,
    K.PEER_REVIEW: 8,
    K.SAFEGUARDING_REVIEW: 10,
    K.OMBUDSMAN: 16,
    K.INDEPENDENT_REVIEW: 10,
}
# Relative number of recommendations a source of each kind makes (scaled to the total).
KIND_SIZES: dict[SourceKind, tuple[int, int]] = {
    K.INTERNAL_AUDIT: (4, 12),
    K.SCRUTINY_REVIEW: (6, 16),
    K.INSPECTION: (6, 16),
    K.PEER_REVIEW: (8, 16),
    K.SAFEGUARDING_REVIEW: (5, 12),
    K.OMBUDSMAN: (1, 4),
    K.INDEPENDENT_REVIEW: (8, 20),
}
KIND_REF_STYLES: dict[SourceKind, tuple[str, ...]] = {
    K.INTERNAL_AUDIT: ("IA-{n:02d}", "{n}", "R{n}"),
    K.SCRUTINY_REVIEW: ("SR ({yy}) {n:02d}", "R{n}", "{n}"),
    K.INSPECTION: ("{n}", "AFI {n}"),
    K.PEER_REVIEW: ("{n}", "R{n}"),
    K.SAFEGUARDING_REVIEW: ("{n}", "Rec {n}"),
    K.OMBUDSMAN: ("{letter}", "{n}"),
    K.INDEPENDENT_REVIEW: ("{n}", "R{n}", "4.{n}"),
}

AUDIT_WORDING = (
    "Management should ensure that {subject} is reviewed at least annually and that evidence "
    "of the review is retained.",
    "A documented procedure covering {subject} should be produced, approved by the service "
    "manager and communicated to {staff}.",
    "Monthly exception reports on {subject} should be produced and reviewed by a manager "
    "independent of the process.",
    "Responsibilities for {subject} should be set out clearly, with appropriate separation "
    "of duties.",
    "Management should address the weaknesses in {subject} identified by this audit and "
    "confirm the action taken to Internal Audit.",
    "A complete and accurate record of {subject} should be kept and reconciled to the "
    "financial system each month.",
    "Training on {subject} should be provided to {staff}, and completion monitored.",
    "The service risk register should cover the risks relating to {subject}, with named "
    "owners and controls.",
)
IMPROVEMENT_WORDING = (
    "Improve {subject}, with clear measures of success reported to the {board} every quarter.",
    "Review {subject} with {partners} and agree a joint action plan.",
    "Ensure that the views of {people} shape any changes to {subject}.",
    "Strengthen management oversight of {subject}, including regular case audits.",
    "Provide training and clear guidance for {staff} on {subject}.",
    "Develop a costed plan to address {subject} and report it to the {committee}.",
    "Publish clear information for {people} about {subject}.",
    "Set up a performance dashboard covering {subject} and share it with members quarterly.",
    "Carry out a review of {subject} and report the findings to members within six months.",
    "Make sure that senior leaders have a clear understanding of {subject} through regular "
    "reporting and visits to front-line teams.",
)
INSPECTION_WORDING = (
    "{Subject}.",
    "The effectiveness of management oversight of {subject}.",
    "The consistency of {subject} across teams.",
    "Leaders should ensure that {subject} improves, and that {people} see the difference.",
)
OMBUDSMAN_WORDING = (
    "Apologise to the complainant and pay £{amount} to acknowledge the distress and "
    "uncertainty caused by the fault identified.",
    "Review {subject} to ensure decisions are made within the timescales set out in law and "
    "guidance, and tell the Ombudsman what action has been taken.",
    "Remind {staff} of the council's duties in relation to {subject}.",
    "Provide evidence to the Ombudsman that the service improvements relating to {subject} "
    "have been made.",
    "Within one month, reconsider the complainant's case and write to them with a decision.",
)
SAFEGUARDING_WORDING = (
    "Partners should seek assurance that {subject} reflects the learning from this review, "
    "and report to the {board}.",
    "The partnership should hold a multi-agency learning event on {subject}.",
    "All agencies should review their guidance on {subject} in the light of this review.",
    "The {board} should audit {subject} across agencies within twelve months.",
    "Ensure that {staff} understand how to escalate concerns about {subject}.",
)
WORDING_BY_KIND: dict[SourceKind, tuple[str, ...]] = {
    K.INTERNAL_AUDIT: AUDIT_WORDING,
    K.SCRUTINY_REVIEW: IMPROVEMENT_WORDING,
    K.INSPECTION: INSPECTION_WORDING + IMPROVEMENT_WORDING[:4],
    K.PEER_REVIEW: IMPROVEMENT_WORDING,
    K.SAFEGUARDING_REVIEW: SAFEGUARDING_WORDING,
    K.OMBUDSMAN: OMBUDSMAN_WORDING,
    K.INDEPENDENT_REVIEW: IMPROVEMENT_WORDING,
}
# Exercises the UI's escaping: officers do paste text from web pages into the tracker.
HOSTILE_WORDING = (
    "Publish plain guidance for residents on the website. Text pasted from the current web "
    'page for reference: "<b>not bold</b> & <script>alert(1)</script>" should be replaced.'
)

ACTION_WORDING = (
    "Draft revised guidance on {subject} and agree it with the service management team.",
    "Deliver briefing sessions on {subject} for {staff}.",
    "Audit a sample of 20 cases to test {subject}.",
    "Report progress on {subject} to the {board}.",
    "Agree a joint protocol on {subject} with {partners}.",
    "Update the service risk register for {subject}.",
    "Specify and test the system changes needed to support {subject}.",
    "Consult {people} on proposed changes to {subject}.",
    "Publish the updated information on the council's website.",
    "Recruit to the vacant posts in the team.",
    "Present the revised policy to Cabinet for approval.",
    "Add measures on {subject} to the quarterly performance report.",
)
RESPONSE_ACCEPTED = (
    "Accepted. The {title} will lead this work, reporting to the {board}.",
    "Accepted. An action plan has been agreed with the service and is attached.",
    "Accepted. This will be taken forward as part of the service improvement plan.",
)
RESPONSE_PARTIAL = (
    "Partially accepted. The council agrees with the aim of this recommendation but will "
    "meet it through existing arrangements rather than a new policy.",
    "Partially accepted. The second part of the recommendation cannot be funded this year; "
    "the first part will be delivered.",
)
RESPONSE_IN_PRINCIPLE = (
    "Accepted in principle, subject to funding being identified in the budget for {fy}.",
    "Accepted in principle; the detailed proposal will go to Cabinet for a decision.",
)
RESPONSE_NOTED = (
    "Noted. The council will consider this as part of the wider review of {subject}.",
    "Noted. Partners have been asked to consider this recommendation.",
)
RESPONSE_NOT_ACCEPTED = (
    "Not accepted. The council's current approach already meets the statutory requirement.",
    "Not accepted. The cost could not be met within the current budget.",
    "Not accepted. This would duplicate work already under way with partners.",
)
AWAITING_NARRATIVE = (
    "A management response is being prepared and will be reported to the {committee}.",
    "The draft response is being discussed with the {title} before it is agreed.",
)
STARTED_NARRATIVE = (
    "Work has started. A project group chaired by the {title} has been set up.",
    "Work has started on {subject}; the first meeting with {partners} took place on {day}.",
    "Initial scoping is complete and the work is now under way.",
)
NOT_STARTED_NARRATIVE = (
    "Work has not yet started because of competing priorities in the service.",
    "Awaiting the appointment of a lead officer before work can start.",
)
PROGRESS_SENTENCES = (
    "A project group chaired by the {title} meets monthly to oversee this work.",
    "Draft proposals on {subject} were discussed with {partners} in {month}.",
    "{Staff} have been briefed on the changes and further sessions are planned.",
    "A dip-sample audit of 25 cases in {month} found improvement, although recording remains "
    "inconsistent.",
    "The revised approach to {subject} is being piloted in two teams before it is rolled out.",
    "Performance is now reported monthly to the {board}.",
    "Recruitment to the two vacant posts in the team was completed in {month}.",
    "Feedback from {people} has been gathered through a survey and two focus groups.",
    "Work is on track against the action plan.",
    "The new procedure has been drafted and is out for consultation with staff and the trade "
    "unions.",
    "The system changes needed have been specified and are scheduled with the supplier.",
    "Progress has been slower than planned, but the main actions remain achievable.",
    "The {board} reviewed progress in {month} and was satisfied with the direction of travel.",
)
TARGET_REASONS = (
    "Delayed by the restructure of the service.",
    "The supplier could not deliver the system changes until its next release.",
    "Vacancies in the team have slowed progress.",
    "Awaiting national guidance from the government department.",
    "Consultation with the trade unions took longer than planned.",
    "The work has been aligned with the wider transformation programme.",
    "The procurement had to be run again after no compliant bids were received.",
    "Cabinet approval is now scheduled for a later meeting.",
    "Partner agencies asked for more time to agree the joint protocol.",
    "Winter pressures in the service delayed the work.",
)
IMPLEMENTED_NARRATIVE = (
    "All actions are complete and this recommendation has been implemented.",
    "This recommendation has now been implemented.",
    "The changes are in place and have been embedded in day-to-day practice.",
)
EVIDENCE_TEXT = (
    "The revised policy was approved by the {board} on {day}.",
    "An audit of 30 cases in {month} found 90% compliance with the new procedure.",
    "The new procedure is published on the intranet and all {staff} have been briefed.",
    "Quarterly performance reports to the {board} now include this measure.",
    "Training records show 95% of {staff} completed the course by {day}.",
)
CLOSED_NARRATIVE = (
    "The committee noted that this recommendation has been implemented and agreed that it "
    "can be closed.",
    "Signed off by the committee as complete.",
    "The committee was satisfied with the evidence provided and agreed to close this "
    "recommendation.",
)
DEFERRED_NARRATIVE = (
    "The committee asked for evidence that the changes have been embedded before signing "
    "this recommendation off."
)
SUPERSEDED_NARRATIVE = (
    "This recommendation has been superseded by the service improvement plan agreed by "
    "Cabinet; the remaining actions have been transferred to it.",
    "Superseded by the recommendations of the later inspection, which are tracked separately.",
    "Superseded by the new corporate plan; the committee agreed to close it.",
)
NOT_IMPLEMENTED_NARRATIVE = (
    "The committee agreed to close this recommendation without further action.",
    "The committee noted that this recommendation will not be implemented and agreed to close it.",
)
REPORT_BACK_NARRATIVE = {
    ReportBack.NEXT_MEETING: "Implementation of this recommendation will be reported to the "
    "next committee.",
    ReportBack.TO_COMMITTEE: "Progress will be reported to the {committee}.",
}
ACTION_DONE_NARRATIVE = "Action complete: {action}"

MONTH_NAMES = tuple(calendar.month_name)


def _long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def _month_year(day: date) -> str:
    return f"{MONTH_NAMES[day.month]} {day.year}"


def _financial_year(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


@dataclass
class _Person:
    id: int
    name: str
    title: str
    directorate: str


@dataclass
class _Calendar:
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
class _PlannedSource:
    id: int
    kind: SourceKind
    topic: _Topic
    date_issued: date
    size: int
    ref_style: str
    exempt: bool
    title: str


class _Council:
    """Everything the generator needs while it writes: ids, people, calendars, the rng."""

    def __init__(self, connection: Connection, rng: random.Random, today: date) -> None:
        self.connection = connection
        self.rng = rng
        self.today = today
        self.next_id = {
            model: (connection.execute(select(func.max(model.id))).scalar() or 0) + 1
            for model in (
                Directorate,
                Officer,
                Committee,
                Meeting,
                Source,
                Recommendation,
                Action,
                ProgressUpdate,
            )
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
        _insert(connection, Directorate, new_rows)

        taken = {
            (name, title)
            for name, title in connection.execute(select(Officer.name, Officer.job_title))
        }
        used_names = {name for name, _ in taken}
        self.officers: dict[str, list[_Person]] = {name: [] for name in DIRECTORATES}
        officer_rows = []
        for directorate, titles in OFFICER_TITLES.items():
            for title in titles:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                while name in used_names:
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                used_names.add(name)
                person = _Person(self.take_ids(Officer), name, title, directorate)
                self.officers[directorate].append(person)
                officer_rows.append(
                    {
                        "id": person.id,
                        "name": name,
                        "job_title": title,
                        "directorate_id": self.directorate_ids[directorate],
                    }
                )
        _insert(connection, Officer, officer_rows)
        self.scrutiny_officers = [
            person for person in self.officers[CORPORATE] if person.title in SCRUTINY_TITLES
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
        _insert(connection, Committee, committee_rows)

        booked: dict[int, set[date]] = {}
        for committee_id, day in connection.execute(
            select(Meeting.committee_id, Meeting.meeting_date)
        ):
            booked.setdefault(committee_id, set()).add(day)
        self.calendars: dict[str, _Calendar] = {}
        meeting_rows = []
        for name, weekday in COMMITTEES.items():
            committee_id = committee_ids[name]
            dates = self._meeting_dates(weekday, booked.get(committee_id, set()))
            ids = [self.take_ids(Meeting) for _ in dates]
            meeting_rows.extend(
                {"id": meeting_id, "committee_id": committee_id, "meeting_date": day}
                for meeting_id, day in zip(ids, dates, strict=True)
            )
            self.calendars[name] = _Calendar(committee_id, name, dates, ids)
        _insert(connection, Meeting, meeting_rows)

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

    def plan_sources(self, recommendations: int) -> list[_PlannedSource]:
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
                _PlannedSource(
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

    def _title(self, kind: SourceKind, topic: _Topic, issued: date) -> str:
        rng = self.rng
        pattern = rng.choice(topic.titles[kind])
        flood = issued - timedelta(days=rng.randint(60, 200))
        return pattern.format(
            area=topic.area,
            fy=_financial_year(issued),
            last_fy=_financial_year(issued - timedelta(days=365)),
            year=issued.year,
            month_year=_month_year(flood),
            letter=rng.choice("ABCDEFGHJKLMNPRSTW"),
            number=f"{rng.randint(1, 24):02d}",
            lgsco=f"{issued.year % 100:02d} {rng.randint(0, 19):03d} {rng.randint(0, 999):03d}",
            hos=f"{issued.year}{rng.randint(1, 99999):05d}",
        )

    def source_row(self, source: _PlannedSource) -> dict[str, Any]:
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

    def wording_plan(self, source: _PlannedSource) -> list[tuple[str, str]]:
        """(template, subject) pairs in a random order, so a source does not repeat itself."""
        pairs = [
            (template, subject)
            for template in WORDING_BY_KIND[source.kind]
            for subject in source.topic.subjects
        ]
        self.rng.shuffle(pairs)
        return pairs

    def recommendation(
        self, source: _PlannedSource, number: int, wording: tuple[str, str], hostile: bool
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        rng, today = self.rng, self.today
        topic = source.topic
        calendar_ = self.calendars[topic.committee]
        made_on = source.date_issued
        rec_id = self.take_ids(Recommendation)
        directorate = topic.directorate
        if rng.random() < 0.08:
            directorate = rng.choice(DIRECTORATES)  # cross-cutting recommendations
        staff = self.officers[directorate]
        owner = None if rng.random() < 0.02 else rng.choice(staff[1:] if len(staff) > 1 else staff)
        writer = owner or rng.choice(staff[1:] if len(staff) > 1 else staff)
        template, subject = wording
        words = {
            "subject": subject,
            "Subject": _capitalised(subject),
            "staff": topic.staff,
            "Staff": _capitalised(topic.staff),
            "people": topic.people,
            "partners": topic.partners,
            "board": topic.board,
            "committee": calendar_.name,
            "title": writer.title,
            "fy": _financial_year(made_on + timedelta(days=200)),
            "amount": rng.choice((150, 200, 250, 300, 500, 750, 1000)),
        }
        wording_text = HOSTILE_WORDING if hostile else template.format(**words)
        priority = rng.choices((Priority.HIGH, Priority.MEDIUM, Priority.LOW), (3, 5, 2))[0].value
        if source.kind is K.OMBUDSMAN:
            priority = Priority.HIGH.value

        awaiting = (today - made_on).days < AWAITING_RESPONSE_DAYS
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
        planned_days = round(rng.triangular(91, 548, 150))  # 3 to 18 months, mostly short
        original_target: date | None = _end_of_month(made_on + timedelta(days=planned_days))
        if acceptance is Acceptance.NOT_ACCEPTED or rng.random() < 0.03:
            original_target = None

        history = _History(self, rec_id, calendar_, writer, words, made_on)
        actions: list[dict[str, Any]] = []
        accepted_on: date | None = None
        if awaiting:
            history.awaiting_response()
            actions = history.idle_actions(
                rng.randint(1, 3), original_target, ActionStatus.NOT_STARTED
            )
        else:
            accepted_on = history.respond(
                acceptance, in_principle, source.date_issued, original_target
            )
            if acceptance is Acceptance.NOT_ACCEPTED or (
                acceptance is Acceptance.NOTED and rng.random() < 0.4
            ):
                history.close_without_action(accepted_on)
                if rng.random() < 0.5:
                    actions = history.idle_actions(1, None, ActionStatus.CANCELLED)
            else:
                actions = history.deliver(accepted_on, original_target, planned_days)

        updates = history.rows()
        state = current_state_columns(original_target, updates)
        closed_at = None
        if state["status"] == Status.CLOSED.value:
            closed_at = next(
                update["meeting_id"]
                for update in reversed(updates)
                if update["new_status"] == Status.CLOSED.value
            )
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
            "closed_at_meeting_id": closed_at,
            **state,
        }
        return row, actions, updates


class _History:
    """Builds one recommendation's progress updates (and actions) in date order."""

    def __init__(
        self,
        council: _Council,
        rec_id: int,
        calendar_: _Calendar,
        writer: _Person,
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
            else narrative.format(**self.words, day=_long_date(day), month=_month_year(day)),
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
            narrative += f" Target date: {_long_date(original_target)}."
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
        """An accepted recommendation: started, progressed, perhaps slipped, done, signed off."""
        rng, today, made_on = self.rng, self.today, self.made_on
        day = timedelta(days=1)
        start = accepted_on + timedelta(days=rng.randint(0, 75))
        if rng.random() < 0.1:
            start += timedelta(days=rng.randint(60, 200))
        # How long the work really takes, against the plan.
        factor = rng.choices(
            (
                rng.uniform(0.55, 1.0),
                rng.uniform(1.0, 1.6),
                rng.uniform(1.6, 2.6),
                rng.uniform(2.6, 5.0),
            ),
            (20, 28, 27, 25),
        )[0]
        done_on = max(
            made_on + timedelta(days=round(planned_days * factor)), start + timedelta(days=21)
        )
        # Some owners stop updating: the item goes stale, and the work stalls with it.
        stopped: date | None = None
        if rng.random() < 0.2:
            stopped = max(accepted_on, today - timedelta(days=rng.randint(91, 540)))
            if done_on > stopped:
                done_on = date.max
        # A few are overtaken by events.
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
        active_until = min(
            done_on - day if done_on != date.max else today,
            stopped or today,
            ending[0] - day if ending else today,
            today,
        )
        if start <= active_until:
            self.add(start, 1, rng.choice(STARTED_NARRATIVE), status=Status.IN_PROGRESS)
        target = original_target
        # Target revisions as each target is about to be missed.
        revisions = 0
        last_change = start
        while target is not None and revisions < 3 and target < done_on:
            when = target - timedelta(days=rng.randint(-20, 45))
            when = max(when, last_change + timedelta(days=30))
            if when > active_until or rng.random() > (0.3, 0.4, 0.4)[revisions]:
                break
            remaining = (done_on - when).days if done_on != date.max else rng.randint(90, 400)
            new_target = _end_of_month(
                when + timedelta(days=max(30, round(remaining * rng.uniform(0.55, 1.25))))
            )
            if new_target <= target:
                new_target = _end_of_month(target + timedelta(days=31))
            reason = rng.choice(TARGET_REASONS)
            self.add(
                when,
                2,
                f"The target date has been revised from {_long_date(target)} to "
                f"{_long_date(new_target)}. {reason}",
                target=new_target,
                reason=reason,
            )
            target, revisions, last_change = new_target, revisions + 1, when
        # Progress reported to committee meetings, and notes in between.
        for when, meeting_id in self.calendar.meetings_between(accepted_on + day, active_until):
            if rng.random() < 0.55:
                self._progress(when, meeting_id, start)
        span = (active_until - accepted_on).days
        for _ in range(int(rng.random() * span / 120)):
            self._progress(accepted_on + timedelta(days=rng.randint(1, span)), None, start)

        completed = done_on <= today and ending is None
        if completed:
            self._complete(done_on)
        elif ending is not None:
            narrative = (
                SUPERSEDED_NARRATIVE
                if ending[2] is Status.SUPERSEDED
                else NOT_IMPLEMENTED_NARRATIVE
            )
            self.add(
                ending[0],
                7,
                rng.choice(narrative),
                status=ending[2],
                meeting_id=ending[1],
                author=self._scrutiny_officer(),
            )
        return self._delivery_actions(
            accepted_on,
            start,
            done_on,
            target,
            completed,
            ending is not None,
            done_on if completed else active_until,
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
            **self.words, day=_long_date(when), month=_month_year(when)
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


def _author(kind: SourceKind, title: str, topic: _Topic) -> str:
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


def _ref(source: _PlannedSource, number: int) -> str:
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


def _scale_sizes(sources: Sequence[_PlannedSource], total: int) -> None:
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


def _insert(connection: Connection, model, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(model.__table__), rows)


def _fix_sequences(connection: Connection) -> None:
    """PostgreSQL: explicit ids leave the id sequences behind; move them past the rows."""
    if connection.dialect.name != "postgresql":
        return
    for model in (
        Directorate,
        Officer,
        Committee,
        Meeting,
        Source,
        Recommendation,
        Action,
        ProgressUpdate,
    ):
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def _counts(connection: Connection, seconds: float) -> DemoSummary:
    def count(model) -> int:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()

    return DemoSummary(
        recommendations=count(Recommendation),
        actions=count(Action),
        updates=count(ProgressUpdate),
        seconds=round(seconds, 2),
    )


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def generate_council(
    connection: Connection,
    recommendations: int,
    seed: int,
    today: date,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write a generated council into an existing tracker schema, in the caller's transaction.

    Directorates and committees that already exist (the seed's) are reused by name, and
    meetings already booked are not duplicated. Writes `recommendations` recommendations in
    chunks of CHUNK_SIZE, calling `progress(done, total)` after each. Returns the row counts
    now in the database (including anything that was there before) and the seconds taken.
    """
    started = clock.perf_counter()
    council = _Council(connection, random.Random(seed), today)
    council.write_reference_data()
    sources = council.plan_sources(recommendations)
    _insert(connection, Source, [council.source_row(source) for source in sources])

    hostile_at = min(1, recommendations - 1)
    rec_rows: list[dict[str, Any]] = []
    action_rows: list[dict[str, Any]] = []
    update_rows: list[dict[str, Any]] = []
    done = 0

    def flush() -> None:
        _insert(connection, Recommendation, rec_rows)
        _insert(connection, Action, action_rows)
        _insert(connection, ProgressUpdate, update_rows)
        rec_rows.clear()
        action_rows.clear()
        update_rows.clear()
        if progress is not None:
            progress(done, recommendations)

    for source in sources:
        plan = council.wording_plan(source)
        for number in range(1, source.size + 1):
            row, actions, updates = council.recommendation(
                source, number, plan[(number - 1) % len(plan)], done == hostile_at
            )
            rec_rows.append(row)
            action_rows.extend(actions)
            update_rows.extend(updates)
            done += 1
            if len(rec_rows) >= CHUNK_SIZE:
                flush()
    if rec_rows or done == 0:
        flush()
    _fix_sequences(connection)
    return _counts(connection, clock.perf_counter() - started)


def build_demo_database(
    url: str,
    recommendations: int = 400,
    seed: int = 2019,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create the schema in a new, empty database; load the seed and a generated council.

    Raises ValueError if the database already has tables (it never changes an existing one).
    """
    started = clock.perf_counter()
    today = today or date.today()
    engine = make_engine(url)
    try:
        if schema_state(engine) != "empty":
            raise ValueError("The demo database must be built into a new, empty database.")
        create_schema(engine)
        with engine.begin() as connection:
            load_seed(connection)
            summary = generate_council(connection, recommendations, seed, today, progress)
    finally:
        engine.dispose()
    return DemoSummary(
        recommendations=summary.recommendations,
        actions=summary.actions,
        updates=summary.updates,
        seconds=round(clock.perf_counter() - started, 2),
    )


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.demo",
        description="Build a new SQLite database holding a generated council's tracker.",
    )
    parser.add_argument("--out", required=True, type=Path, help="the SQLite file to create")
    parser.add_argument(
        "--recommendations", type=int, default=400, help="how many to generate (default 400)"
    )
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the date the demo is current at, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    out: Path = args.out.resolve()
    if args.recommendations < 0:
        print("error: --recommendations must be 0 or more", file=sys.stderr)
        return 2
    if out.is_dir():
        print(f"error: {out} is a folder; give a file name for --out", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(
            f"error: {out} already exists; nothing was changed (use --force to replace it)",
            file=sys.stderr,
        )
        return 2
    if not out.parent.is_dir():
        print(f"error: the folder {out.parent} does not exist", file=sys.stderr)
        return 2
    building = out.with_name(f".{out.name}.building-{os.getpid()}")
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)
    started = clock.perf_counter()

    def report(done: int, total: int) -> None:
        elapsed = clock.perf_counter() - started
        print(f"  {done:,} / {total:,} recommendations ({elapsed:.1f} s)", file=sys.stderr)

    print(f"Building {out} ...", file=sys.stderr)
    try:
        summary = build_demo_database(
            f"sqlite:///{building}", args.recommendations, args.seed, args.today, report
        )
        for stale in _sqlite_files(out)[1:]:
            stale.unlink(missing_ok=True)  # the journal of a database being replaced
        os.replace(building, out)
    finally:
        for leftover in _sqlite_files(building):
            leftover.unlink(missing_ok=True)
    print(
        f"Built {out}: {summary.recommendations:,} recommendations, {summary.actions:,} "
        f"actions, {summary.updates:,} progress updates in {summary.seconds:.1f} s"
    )
    return 0


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


if __name__ == "__main__":
    sys.exit(main())
