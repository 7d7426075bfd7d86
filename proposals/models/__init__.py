from .business_case import (
    BUSINESS_CASE_SECTIONS,
    SECTIONS_BY_FIELD,
    BusinessCaseRevision,
    DutyEvidence,
    Section,
)
from .choices import CLOSED_STAGE_STATUSES, GovernanceModel, ProposalStatus, StageStatus, Step
from .money import Allocation, Fund, Payment
from .notifications import Notification, ReminderDelivery
from .proposal import (
    FINISHED_PROPOSAL_STATUSES,
    MADE_BEFORE_DECISION,
    SI_NUMBER,
    Assessment,
    Consultation,
    CouncilPosition,
    Decision,
    Proposal,
    Stage,
    StatutoryOrder,
)
from .records import AuditEvent, Comment, Document, DocumentKind
from .reference import (
    AmbulanceTrust,
    CollaborationDuty,
    Confidence,
    FireAuthority,
    LocalAuthority,
    Pcc,
)

__all__ = [
    "BUSINESS_CASE_SECTIONS",
    "CLOSED_STAGE_STATUSES",
    "FINISHED_PROPOSAL_STATUSES",
    "MADE_BEFORE_DECISION",
    "SECTIONS_BY_FIELD",
    "SI_NUMBER",
    "Allocation",
    "AmbulanceTrust",
    "Assessment",
    "AuditEvent",
    "BusinessCaseRevision",
    "CollaborationDuty",
    "Comment",
    "Confidence",
    "Consultation",
    "CouncilPosition",
    "Decision",
    "Document",
    "DocumentKind",
    "DutyEvidence",
    "FireAuthority",
    "Fund",
    "GovernanceModel",
    "LocalAuthority",
    "Notification",
    "Payment",
    "Pcc",
    "Proposal",
    "ProposalStatus",
    "ReminderDelivery",
    "Section",
    "Stage",
    "StageStatus",
    "StatutoryOrder",
    "Step",
]
