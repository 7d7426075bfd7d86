"""What happened to each of the nine proposals, from shared/domain/FACTS.md section 4.

Demo data only (`manage.py seed_demo`). Every date and figure carries its source; where FACTS.md
found no date, none is given, unless a stage the workflow shows as done needs one: then a date
known only to its month is shown as the month's first day, and one not found at all is marked
illustrative, in the record's own summary. Anything invented says so in the proposal's summary.
"""

from dataclasses import dataclass
from datetime import date

from .models import (
    ChecklistItemKind,
    CouncilPosition,
    Decision,
    DecisionGround,
    GovernanceModel,
    Limb,
    LimbFinding,
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

#: GOV.UK news, 26 March 2018, "Three more PCCs to take on responsibility of local fire and
#: rescue services": the councils in Cambridgeshire, Staffordshire and West Mercia did not
#: support the transfer, so the Home Secretary commissioned CIPFA's assessments in November 2017.
THREE_MORE_PCCS = (
    "https://www.gov.uk/government/news/"
    "three-more-pccs-to-take-on-responsibility-of-local-fire-and-rescue-services"
)
NOT_SUPPORTED = (
    "Did not support the transfer (GOV.UK, 26 March 2018: the relevant local authorities in "
    "the PCC's area did not). This council's own resolution was not found."
)
#: Lords written answer HL5146, 1 February 2018: CIPFA was commissioned to assess the proposals
#: of Hertfordshire, Staffordshire, Cambridgeshire, North Yorkshire and West Mercia.
HL5146 = "https://parallelparliament.co.uk/question/HL5146/police-and-crime-commissioners-fire-and-rescue"
#: Sources give the month CIPFA was commissioned (November 2017), not the day.
CIPFA_COMMISSIONED = date(2017, 11, 1)
CIPFA = "CIPFA (Chartered Institute of Public Finance and Accountancy)"
CIPFA_COMMISSIONED_NOTE = (
    "Commissioned by the Home Secretary in November 2017 (GOV.UK, 26 March 2018; Lords written "
    "answer HL5146); only the month is known, so its first day is shown."
)


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
class Finding:
    """The decision's finding and reasons on one limb of the statutory test."""

    limb: str
    finding: str
    reasons: str


@dataclass(frozen=True)
class Outcome:
    outcome: str
    decided_on: date | None
    summary: str
    source_url: str = ""
    ground: str = ""
    findings: tuple = ()  # one Finding per limb


EEE = (Limb.ECONOMY, Limb.EFFICIENCY, Limb.EFFECTIVENESS)
SHROPSHIRE_JUDGMENT = (
    "Shropshire and Wrekin Fire Authority v SSHD [2019] EWHC 1967 (Admin), "
    "vlex.co.uk/vid/shropshire-and-wrekin-fire-818749361"
)


def approved_in_the_round() -> tuple:
    """The 26 March 2018 approvals of Cambridgeshire and West Mercia as the High Court described
    them; the wording of each finding is illustrative, the court's holdings are not."""
    return (
        *(
            Finding(
                limb,
                LimbFinding.IN_THE_INTERESTS,
                "Illustrative wording. The approval weighed economy, efficiency and "
                "effectiveness together, 'in the round'; the High Court held that each must be "
                "considered separately, but that the Home Secretary would highly likely have "
                f"reached the same decision, so relief was refused ({SHROPSHIRE_JUDGMENT}).",
            )
            for limb in EEE
        ),
        Finding(
            Limb.PUBLIC_SAFETY,
            LimbFinding.NO_ADVERSE_EFFECT,
            "Illustrative wording. The High Court held that public safety had been adequately "
            f"considered ({SHROPSHIRE_JUDGMENT}).",
        ),
    )


def approved_illustrative(source: str) -> tuple:
    """An approval whose letter's findings are not in the sources used here: illustrative
    findings consistent with the approval that `source` records."""
    reasons = (
        "Illustrative: the decision letter's finding on this limb is not in the public sources "
        f"used here; the approval itself is ({source})."
    )
    return (
        *(Finding(limb, LimbFinding.IN_THE_INTERESTS, reasons) for limb in EEE),
        Finding(Limb.PUBLIC_SAFETY, LimbFinding.NO_ADVERSE_EFFECT, reasons),
    )


@dataclass(frozen=True)
class IndependentAssessment:
    """CIPFA's assessment. `document_name` names the stand-in file seeded for the published
    report, which the demo does not copy."""

    commissioned_on: date
    reported_on: date | None
    summary: str
    source_url: str
    document_name: str = ""
    assessor: str = CIPFA


@dataclass(frozen=True)
class LaterChange:
    """Fire governance passing on after the transfer (a GovernanceChange)."""

    changed_on: date
    passed_to: str
    office_title: str
    summary: str
    source_url: str


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
    stages: tuple  # one StageStatus per step of its model's route (PROPOSED_MODELS), in order
    summary: str
    status: str = ProposalStatus.ACTIVE
    status_reason: str = ""
    assessment_skip_reason: str = ""
    consultation: Consultation | None = None
    positions: tuple = ()
    decision: Outcome | None = None
    order: Order | None = None
    submitted_on: date | None = None
    assessment: IndependentAssessment | None = None
    later_changes: tuple = ()
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
            Decision.Outcome.APPROVED,
            date(2017, 7, 25),
            "Approved by the Home Secretary (gov.uk).",
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,  # illustrative
            findings=approved_illustrative("gov.uk, 25 July 2017"),
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
        positions=(
            Position("Staffordshire County Council", OBJECTS, NOT_SUPPORTED, THREE_MORE_PCCS),
            Position("Stoke-on-Trent City Council", OBJECTS, NOT_SUPPORTED, THREE_MORE_PCCS),
        ),
        assessment=IndependentAssessment(
            CIPFA_COMMISSIONED,
            date(2018, 3, 1),
            f"{CIPFA_COMMISSIONED_NOTE} CIPFA gave the Home Secretary its opinion on the statutory "
            "tests after seeking the views of the police force, fire service and councils; it was "
            "published with the decision on 26 March 2018. The report's own date was not found: "
            "the date shown (1 March 2018) is illustrative.",
            THREE_MORE_PCCS,
            "CIPFA independent assessment, Staffordshire",
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 3, 26),
            "Approved (gov.uk, 26 March 2018).",
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,  # illustrative
            findings=approved_illustrative("gov.uk, 26 March 2018"),
        ),
        order=Order(
            "2018/696",
            date(2018, 6, 6),
            date(2018, 6, 8),
            date(2018, 8, 1),
            date(2018, 8, 1),
            "https://www.legislation.gov.uk/uksi/2018/696",
        ),
        summary="Staffordshire County Council and Stoke-on-Trent City Council did not support the "
        "proposal (GOV.UK, 26 March 2018), so CIPFA was commissioned in November 2017 to make an "
        "independent assessment. An earlier planned transfer date of 1 June 2018 was not "
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
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,  # illustrative
            findings=approved_illustrative("harrogate-news; BBC, 13 June 2018"),
        ),
        assessment=IndependentAssessment(
            CIPFA_COMMISSIONED,
            date(2018, 5, 1),
            f"{CIPFA_COMMISSIONED_NOTE} The report's own date was not found: the date shown "
            "(1 May 2018, before the decision of 13 June 2018) is illustrative.",
            HL5146,
            "CIPFA independent assessment, North Yorkshire",
        ),
        # S.I. 2018/970, the Police, Fire and Crime Commissioner for North Yorkshire (Fire and
        # Rescue Authority) Order 2018: in force, and the PFCC in office, from 15 November 2018
        # (northyorkshire-pfcc.gov.uk/news/fireoneyear). Made and laid: illustrative, see summary.
        order=Order(
            "2018/970",
            date(2018, 9, 3),
            date(2018, 9, 5),
            date(2018, 11, 15),
            date(2018, 11, 15),
            "https://www.legislation.gov.uk/uksi/2018/970",
        ),
        later_changes=(
            LaterChange(
                date(2024, 5, 7),
                "the Mayor of York and North Yorkshire (York and North Yorkshire Combined "
                "Authority)",
                "Mayor of York and North Yorkshire",
                "The York and North Yorkshire Combined Authority Order 2023 (S.I. 2023/1432) made "
                "the Combined Authority the fire and rescue authority, its fire functions "
                "exercisable only by the Mayor (arts 41(1) and 42, in force 7 May 2024); the "
                "Police, Fire and Crime Commissioner's police and fire functions passed to the "
                "Mayor the same day.",
                "https://www.legislation.gov.uk/uksi/2023/1432/article/42",
            ),
        ),
        summary="Submitted on 18 October 2017 according to the PCC's site (some press said September). "
        "CIPFA made the independent assessment (commissioned November 2017). S.I. 2018/970 came "
        "into force on 15 November 2018, when the PFCC took on the fire and rescue authority's "
        "role; the S.I.'s made and laid dates were not found in the sources checked, and the "
        "dates shown (3 and 5 September 2018) are illustrative. A Lords regret motion was debated "
        "on 21 November 2018. Fire governance passed to the Mayor of York and North Yorkshire "
        "on 7 May 2024 (S.I. 2023/1432).",
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
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 4, 11),
            "Approved (gov.uk).",
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,  # illustrative
            findings=approved_illustrative("gov.uk, 11 April 2018"),
        ),
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
        assessment=IndependentAssessment(
            CIPFA_COMMISSIONED,
            date(2017, 12, 1),
            f"{CIPFA_COMMISSIONED_NOTE} Assessed in December 2017 (the proposal was submitted in "
            "October 2017 and assessed in December 2017); only the month is known, so its first day is shown. "
            "Published with the decision on 26 March 2018.",
            THREE_MORE_PCCS,
            "CIPFA independent assessment, Cambridgeshire",
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 3, 26),
            "Approved after CIPFA's assessment (December 2017).",
            # The judicial review was of the s.4A(5)(a) test: the ground is derived from it.
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,
            findings=approved_in_the_round(),
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
        positions=(
            Position("Herefordshire Council", OBJECTS, NOT_SUPPORTED, THREE_MORE_PCCS),
            Position("Shropshire Council", OBJECTS, NOT_SUPPORTED, THREE_MORE_PCCS),
            Position("Telford & Wrekin Council", OBJECTS, NOT_SUPPORTED, THREE_MORE_PCCS),
            Position(
                "Worcestershire County Council",
                OBJECTS,
                "Worcestershire County Council opposed the proposal unanimously.",
                THREE_MORE_PCCS,
            ),
        ),
        assessment=IndependentAssessment(
            CIPFA_COMMISSIONED,
            date(2018, 3, 1),
            f"{CIPFA_COMMISSIONED_NOTE} The report's own date was not found: the date shown "
            "(1 March 2018, before the decision of 26 March 2018) is illustrative. The PCC "
            "publishes it with the decision letter.",
            "https://www.westmercia-pcc.gov.uk/west-mercia-fire-governance/",
            "CIPFA independent assessment, West Mercia",
        ),
        decision=Outcome(
            Decision.Outcome.APPROVED,
            date(2018, 3, 26),
            "Approved after CIPFA's independent assessment (commissioned November 2017).",
            THREE_MORE_PCCS,
            # The judicial review was of the s.4A(5)(a) test: the ground is derived from it.
            ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,
            findings=approved_in_the_round(),
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
        # Suspended with the independent assessment open: CIPFA was commissioned (HL5146).
        stages=(A, A, A, P, N, N),
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
        assessment=IndependentAssessment(
            CIPFA_COMMISSIONED,
            None,
            f"{CIPFA_COMMISSIONED_NOTE} No report was found: the proposal was suspended first.",
            HL5146,
        ),
        summary="Submitted in August 2017 (LGC's 'March 2017' is probably the outline business case). "
        "CIPFA was commissioned to assess it (Lords written answer HL5146, 1 February 2018); no "
        "report was found. In June 2021 the PCC said he would act only if "
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
        # The county council objected, so the Home Secretary needs an independent assessment
        # before deciding: no record of one was found, so it is open and the decision not started.
        stages=(A, A, A, P, N, N),
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
        summary="Submitted in 2019 (exact date not found). The county council objected, so an "
        "independent assessment is required before the decision; none was found, so it shows as "
        "in progress and the decision as not started. The policing minister, Nick Hurd, wrote "
        "that no decision was possible before the May 2020 elections (gloucestershire-pcc; "
        "wiltsglosstandard). The whole process cost local taxpayers just over £30k after the Home Office funding.",
    ),
)


@dataclass(frozen=True)
class ProposedModel:
    model: str
    source: str


#: The model each PCC's proposal was for, with the source (FACTS.md s.3.1 and s.4). Every one
#: was governance: "every approved order used the governance model" and none cites s.4H.
PROPOSED_MODELS = {
    "essex": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "S.I. 2017/864 is made under FRSA 2004 s.4A(1) and does not cite s.4H "
        "(legislation.gov.uk/uksi/2017/864).",
    ),
    "staffordshire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "S.I. 2018/696 is made under s.4A(1) and does not cite s.4H (legislation.gov.uk).",
    ),
    "north-yorkshire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "The PCC proposed governance (cravenherald); the county council, City of York and six of "
        "seven districts preferred the representation model instead. Made as S.I. 2018/970.",
    ),
    "northamptonshire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "S.I. 2018/1072 is made under s.4A(1) and does not cite s.4H (legislation.gov.uk).",
    ),
    "cambridgeshire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "Governance, option 3 of the PCC's business case (cambridgeshire-pcc.gov.uk).",
    ),
    "west-mercia": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "Governance over both fire and rescue authorities (GOV.UK, 26 March 2018, 'Three more "
        "PCCs to take on responsibility of local fire and rescue services').",
    ),
    "hertfordshire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "Governance with separate chief officers, the PCC setting strategy and budget "
        "(hertscommissioner.org).",
    ),
    "sussex": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "None: an independent options report, and no proposal (eastbourneherald; "
        "midsussextimes). Governance is shown for illustration only.",
    ),
    "gloucestershire": ProposedModel(
        GovernanceModel.GOVERNANCE,
        "Governance, chosen over status quo, representation and single employer "
        "(gloucestershire-pcc.gov.uk, fire governance options).",
    ),
}
