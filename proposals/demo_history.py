"""What happened to each of the nine proposals, from shared/domain/FACTS.md section 4.

Demo data only (`manage.py seed_demo`). Every date and figure carries its source; where FACTS.md
found no date, none is given. Anything invented says so in the proposal's summary.
"""

from dataclasses import dataclass
from datetime import date

from .models import (
    ChecklistItemKind,
    CouncilPosition,
    Decision,
    GovernanceModel,
    ProposalStatus,
    StageStatus,
)

A, S, P, N = (
    StageStatus.APPROVED,
    StageStatus.SKIPPED,
    StageStatus.IN_PROGRESS,
    StageStatus.NOT_STARTED,
)
SUPPORTS, OBJECTS = CouncilPosition.Position.SUPPORTS, CouncilPosition.Position.OBJECTS

NO_OBJECTION = "No consulted council objected, so no independent assessment was needed."


@dataclass(frozen=True)
class Consultation:
    starts_on: date | None
    ends_on: date | None
    responses_received: int | None
    summary: str
    source_url: str = ""


@dataclass(frozen=True)
class Position:
    council: str
    position: str
    evidence: str
    source_url: str = ""


@dataclass(frozen=True)
class Outcome:
    outcome: str
    decided_on: date | None
    summary: str
    source_url: str = ""


@dataclass(frozen=True)
class Order:
    si_number: str
    made_on: date | None
    laid_on: date | None
    in_force_on: date | None
    transfer_date: date | None
    source_url: str


@dataclass(frozen=True)
class Done:
    """An item of the implementation checklist after the order, as the public record has it.
    `illustrative` when the record gives the fact but not the date shown."""

    kind: str
    done_on: date
    note: str
    source_url: str
    illustrative: bool = False


@dataclass(frozen=True)
class History:
    pcc: str
    title: str
    stages: tuple  # one StageStatus per statutory step, in order
    summary: str
    governance_model: str = GovernanceModel.GOVERNANCE
    status: str = ProposalStatus.ACTIVE
    status_reason: str = ""
    assessment_skip_reason: str = ""
    consultation: Consultation | None = None
    positions: tuple = ()
    decision: Outcome | None = None
    order: Order | None = None
    submitted_on: date | None = None
    after_the_order: tuple = ()  # Done items; the rest of a transferred checklist is illustrative


#: Essex's implementation checklist from the public record (issue 14). Searched for in the
#: sources below; where a date was not found, the date shown is marked illustrative.
ESSEX_AFTER_THE_ORDER = (
    Done(
        ChecklistItemKind.TRANSFER_SCHEMES,
        date(2017, 10, 1),
        "S.I. 2017/864 transferred Essex Fire Authority's property, rights, liabilities and "
        "staff to the new fire and rescue authority on 1 October 2017 and abolished the old "
        "authority (art 17).",
        "https://www.legislation.gov.uk/uksi/2017/864",
    ),
    Done(
        ChecklistItemKind.PFCC_TITLE,
        date(2017, 10, 1),
        "Roger Hirst became the first Police, Fire and Crime Commissioner in England in "
        "October 2017 (the PFCC's Fire and Rescue Plan, introduction); the order names the "
        "Police, Fire and Crime Commissioner for Essex Fire and Rescue Authority.",
        "https://www.essex.pfcc.police.uk/what-we-are-doing/fire-rescue-strategy/",
    ),
    Done(
        ChecklistItemKind.PANEL,
        date(2017, 10, 1),
        "Essex County Council: the Essex Police and Crime Panel 'became known as the Essex "
        "Police, Fire and Crime Panel in 2017'. The exact date was not found: the date shown "
        "is the transfer date, when FRSA 2004 Sch A2 applied (illustrative).",
        "https://www.essex.gov.uk/get-involved/police-fire-and-crime-panel",
        illustrative=True,
    ),
    Done(
        ChecklistItemKind.CHIEF_FIRE_OFFICER,
        date(2018, 1, 22),
        "Jo Turton confirmed as Chief Fire Officer/Chief Executive of Essex County Fire and "
        "Rescue Service by the Police, Fire and Crime Panel on 22 January 2018; she started "
        "in April 2018.",
        "https://www.essex.pfcc.police.uk/news/new-chief-fire-officer-chief-executive-for-essex-"
        "county-fire-and-rescue-service-confirmed/",
    ),
    Done(
        ChecklistItemKind.FIRE_PLAN,
        date(2019, 3, 1),
        "The Fire and Rescue Plan 2019 to 2024, launched on 1 March 2019: the first fire and "
        "rescue plan produced by a Police, Fire and Crime Commissioner.",
        "https://www.essexalliance.co.uk/essex-launches-first-ever-fire-and-rescue-plan",
    ),
    Done(
        ChecklistItemKind.FIRE_PRECEPT,
        date(2018, 2, 28),
        "The 2018/19 fire precept was £70.38 for a Band D property (the PFCC's 2019/20 precept "
        "page: 'a rise from £70.38 to £72.45'). The day it was set was not found: the date "
        "shown is illustrative, the last day a precept may be issued for the year (Local "
        "Government Finance Act 1992 s.40).",
        "https://www.essex.pfcc.police.uk/finance/policing-precept/",
        illustrative=True,
    ),
)


HISTORY = (
    History(
        pcc="essex",
        title="Essex: PCC to become the fire and rescue authority",
        stages=(A, A, A, S, A, A),
        status=ProposalStatus.TRANSFERRED,
        assessment_skip_reason=NO_OBJECTION,
        consultation=Consultation(
            date(2017, 2, 16),
            date(2017, 5, 10),
            None,
            "12-week public consultation (heart.co.uk). Essex Fire Authority voted to abolish itself.",
        ),
        positions=(
            Position("Essex County Council", SUPPORTS, "Endorsed the proposal (gov.uk)."),
            Position(
                "Southend-on-Sea Borough Council", SUPPORTS, "Endorsed the proposal (gov.uk)."
            ),
            Position("Thurrock Council", SUPPORTS, "Endorsed the proposal (gov.uk)."),
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED, date(2017, 7, 25), "Approved by the Home Secretary (gov.uk)."
        ),
        order=Order(
            "2017/864",
            date(2017, 9, 6),
            date(2017, 9, 8),
            date(2017, 10, 1),
            date(2017, 10, 1),
            "https://www.legislation.gov.uk/uksi/2017/864",
        ),
        summary="The first Police, Fire and Crime Commissioner in England, from 1 October 2017. "
        "The exact submission date was not found.",
        after_the_order=ESSEX_AFTER_THE_ORDER,
    ),
    History(
        pcc="staffordshire",
        title="Staffordshire: PCC to become the fire and rescue authority",
        stages=(A, A, A, A, A, A),
        status=ProposalStatus.TRANSFERRED,
        consultation=Consultation(
            date(2017, 7, 10), date(2017, 9, 4), 2323, "8-week consultation (melresearch)."
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED, date(2018, 3, 26), "Approved (gov.uk, 26 March 2018)."
        ),
        order=Order(
            "2018/696",
            date(2018, 6, 6),
            date(2018, 6, 8),
            date(2018, 8, 1),
            date(2018, 8, 1),
            "https://www.legislation.gov.uk/uksi/2018/696",
        ),
        summary="Local authorities opposed the proposal, so CIPFA was commissioned in November 2017 "
        "to make an independent assessment. An earlier planned transfer date of 1 June 2018 was not "
        "used. The PFCC is styled the Staffordshire Commissioner.",
    ),
    History(
        pcc="north-yorkshire",
        title="North Yorkshire: PCC to become the fire and rescue authority",
        stages=(A, A, A, A, A, A),
        status=ProposalStatus.TRANSFERRED,
        consultation=Consultation(
            date(2017, 7, 17),
            date(2017, 9, 22),
            None,
            "More than 2,500 responses; 71% favoured a PCC-led model (cravenherald).",
        ),
        positions=(
            Position(
                "North Yorkshire County Council",
                OBJECTS,
                "Opposed; preferred the representation model.",
            ),
            Position(
                "City of York Council", OBJECTS, "Opposed; preferred the representation model."
            ),
        ),
        submitted_on=date(2017, 10, 18),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 6, 13),
            "Approved by Sajid Javid (harrogate-news; BBC).",
        ),
        order=Order(
            "2018/970",
            None,
            None,
            None,
            date(2018, 11, 15),
            "https://www.legislation.gov.uk/uksi/2018/970",
        ),
        summary="Submitted on 18 October 2017 according to the PCC's site (some press said September). "
        "CIPFA made the independent assessment (November 2017). A Lords regret motion was debated "
        "on 21 November 2018. Fire functions passed to the York and North Yorkshire Combined "
        "Authority on 7 May 2024 (S.I. 2023/1432).",
    ),
    History(
        pcc="northamptonshire",
        title="Northamptonshire: PCC to become the fire and rescue authority",
        stages=(A, A, A, S, A, A),
        status=ProposalStatus.TRANSFERRED,
        assessment_skip_reason=NO_OBJECTION,
        consultation=Consultation(
            None,
            None,
            1212,
            "8 weeks in 2017: 60.8% agreed, and 92% of fire staff agreed. Exact dates not found.",
        ),
        positions=(
            Position(
                "Northamptonshire County Council", SUPPORTS, "Agreed to the proposal (gov.uk)."
            ),
        ),
        decision=Outcome(Decision.Outcome.APPROVED, date(2018, 4, 11), "Approved (gov.uk)."),
        order=Order(
            "2018/1072",
            date(2018, 10, 10),
            date(2018, 10, 12),
            date(2019, 1, 1),
            date(2019, 1, 1),
            "https://www.legislation.gov.uk/uksi/2018/1072",
        ),
        summary="Submitted by 1 September 2017. The PFCC replaced the county council as fire and "
        "rescue authority on 1 January 2019.",
    ),
    History(
        pcc="cambridgeshire",
        title="Cambridgeshire: PCC to become the fire and rescue authority (option 3)",
        stages=(A, A, A, A, A, P),
        consultation=Consultation(
            None, date(2017, 9, 4), None, "Consultation closed on 4 September 2017."
        ),
        positions=(
            Position("Cambridgeshire County Council", OBJECTS, "Opposed the proposal."),
            Position("Peterborough City Council", OBJECTS, "Opposed the proposal."),
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 3, 26),
            "Approved after CIPFA's assessment (December 2017).",
        ),
        summary="Submitted in October 2017. Judicial review by Cambridgeshire & Peterborough Fire "
        "Authority dismissed on 29 July 2019 ([2019] EWHC 1967 (Admin)); the Court of Appeal "
        "refused permission in March 2020. No order was made: the Home Office then required an "
        "updated business case, not to be considered before the 2021 PCC elections.",
    ),
    History(
        pcc="west-mercia",
        title="West Mercia: PCC to become the fire and rescue authority for both fire authorities",
        stages=(A, A, A, A, A, P),
        consultation=Consultation(
            date(2017, 6, 12),
            date(2017, 9, 11),
            None,
            "12 weeks; more than 1,300 responses, 60.7% in support.",
        ),
        positions=(Position("Worcestershire County Council", OBJECTS, "Opposed unanimously."),),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 3, 26),
            "Approved after CIPFA's assessment (November 2017).",
        ),
        summary="Submitted in October 2017 (policeprofessional, 12 October 2017). Judicial review by "
        "Shropshire & Wrekin and Hereford & Worcester fire authorities dismissed on 29 July 2019: "
        "the three Es must be tested separately, but relief was refused. In June 2020 the policing "
        "minister wrote that a fresh business case was needed and no transfer could happen before "
        "May 2021 (shropshirestar).",
    ),
    History(
        pcc="hertfordshire",
        title="Hertfordshire: PCC to become the fire and rescue authority",
        stages=(A, A, A, N, N, N),
        status=ProposalStatus.SUSPENDED,
        status_reason="Suspended at the PCC's request after an MoU with Hertfordshire County "
        "Council, to be withdrawn later (about September 2018).",
        consultation=Consultation(
            None,
            date(2017, 8, 14),
            None,
            "Outline business case in March 2017; consultation ended on 14 August 2017.",
        ),
        positions=(
            Position(
                "Hertfordshire County Council",
                OBJECTS,
                "The county council (the fire authority) opposed unanimously.",
            ),
        ),
        summary="Submitted in August 2017 (LGC's 'March 2017' is probably the outline business case). "
        "No independent assessment was found. In June 2021 the PCC said he would act only if "
        "mandated by government (hitchin.nub.news).",
    ),
    History(
        pcc="sussex",
        title="Sussex: options for fire governance",
        stages=(P, N, N, N, N, N),
        status=ProposalStatus.NOT_PURSUED,
        status_reason="The PCC dropped the plan on 14 July 2017 and said she would review it in two years.",
        summary="An independent options report; no proposal was submitted. East Sussex Fire "
        "Authority and West Sussex County Council opposed a change. The report did not settle on "
        "a model: 'governance' is shown for illustration only.",
    ),
    History(
        pcc="gloucestershire",
        title="Gloucestershire: PCC to become the fire and rescue authority",
        stages=(A, A, A, N, P, N),
        consultation=Consultation(
            date(2018, 11, 7),
            date(2018, 12, 21),
            None,
            "A 2017 exercise, then a second consultation with 55% in favour.",
            "https://www.gloucestershire-pcc.gov.uk/majority-call-for-change-in-who-governs-fire-rescue-service/",
        ),
        positions=(
            Position(
                "Gloucestershire County Council",
                OBJECTS,
                "The county council (the fire authority) voted against.",
            ),
        ),
        decision=Outcome(
            Decision.Outcome.DEFERRED,
            None,
            "The policing minister wrote that no decision was possible before the May 2020 elections.",
        ),
        summary="Submitted in 2019 (exact date not found). No independent assessment was found. "
        "The whole process cost local taxpayers just over £30k after the Home Office funding.",
    ),
)
