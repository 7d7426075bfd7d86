"""Demo data: users for every role, the nine proposals' real history, and synthetic scale data.

Idempotent: running it again creates nothing that is already there.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from portal.models import Role

from .. import messaging, workflow
from ..demo_collaboration import AGREEMENTS
from ..demo_history import HISTORY, PROPOSED_MODELS, History
from ..models import (
    Allocation,
    Assessment,
    AuditEvent,
    BusinessCaseRevision,
    ChecklistItem,
    CollaborationAgreement,
    CollaborationDuty,
    Consultation,
    CouncilPosition,
    Decision,
    DecisionGround,
    Document,
    DocumentKind,
    DutyEvidence,
    FireAuthority,
    Fund,
    GovernanceModel,
    Limb,
    LimbFinding,
    LocalAuthority,
    MessageEvent,
    Notification,
    Pcc,
    Proposal,
    ProposalStatus,
    Representation,
    Stage,
    StageStatus,
    StatutoryOrder,
    Step,
    business_case_sections,
    finding_field,
    reasons_field,
)
from .audit import audit_event_build
from .governance import governance_change_record
from .notifications import stage_link

DEFAULT_DEMO_PASSWORD = "fire-governance-demo"
DEMO_PASSWORD_REQUIRED = (
    "Set DEMO_PASSWORD: the default demo password is only used when DJANGO_DEBUG is on."
)
SYNTHETIC_TITLE_PREFIX = "Illustrative proposal"
ILLUSTRATIVE_ALLOCATION = Decimal("100000.00")
HISTORY_SOURCE = (
    "Taken from the public record: Home Office and GOV.UK announcements, statutory instruments "
    "on legislation.gov.uk and the PCCs' own published papers, with each source linked beside "
    "what it supports."
)
BATCH_SIZE = 2000
RETURNED = "Illustrative: more evidence needed on the financial case."
ILLUSTRATIVE_CHECKLIST_NOTE = "Illustrative: not taken from the public record."
ILLUSTRATIVE_TEXT = "Illustrative: {section} for this made-up proposal."
ILLUSTRATIVE_DOCUMENT = b"%PDF-1.4\n% Illustrative document for the demo\n%%EOF\n"
ILLUSTRATIVE_DOCUMENT_NAME = "demo/illustrative-document.pdf"
ILLUSTRATIVE_DOCUMENT_SHA256 = hashlib.sha256(ILLUSTRATIVE_DOCUMENT).hexdigest()
#: Stages in these states have had their content submitted or recorded: it must be complete.
STAGES_WITH_CONTENT = (StageStatus.SUBMITTED, StageStatus.RETURNED, StageStatus.APPROVED)

User = get_user_model()


@dataclass(frozen=True)
class SeedReport:
    users_created: int
    history_created: int
    synthetic_created: int


def demo_password(*, debug: bool, configured: str) -> str:
    """DEMO_PASSWORD if set; the documented default only with debug on."""
    if configured:
        return configured
    if not debug:
        raise ImproperlyConfigured(DEMO_PASSWORD_REQUIRED)
    return DEFAULT_DEMO_PASSWORD


def demo_usernames() -> list[tuple[str, str, Pcc | None]]:
    """(username, role, pcc) for every demo user."""
    people = [
        ("admin", Role.SITE_ADMIN, None),
        ("reviewer", Role.REVIEWER, None),
        ("funding", Role.FUNDING_ADMIN, None),
    ]
    for pcc in Pcc.objects.order_by("name"):
        people.append((f"signatory-{pcc.slug}", Role.PCC_SIGNATORY, pcc))
        people.append((f"staff-{pcc.slug}", Role.PCC_STAFF, pcc))
    return people


@transaction.atomic
def demo_seed(*, password: str, extra_proposals: int = 0, today: date | None = None) -> SeedReport:
    """Create what is missing of the demo; `extra_proposals` is the wanted synthetic total."""
    today = today or timezone.localdate()
    users_created = _seed_users(password)
    _seed_allocations()
    history_created = sum(_seed_history(history, today=today) for history in HISTORY)
    synthetic_created = _seed_synthetic(wanted=extra_proposals, today=today)
    users_created += _seed_invited_users(password)
    synthetic_created += _seed_open_consultation(today=today)
    _seed_assessor_assignments()
    _seed_collaboration(today=today)
    return SeedReport(users_created, history_created, synthetic_created)


def _seed_collaboration(*, today: date) -> None:
    """The collaboration register's demo entries (demo_collaboration.py), each made once."""
    duties = {duty.provision: duty for duty in CollaborationDuty.objects.all()}
    pccs = {pcc.slug: pcc for pcc in Pcc.objects.prefetch_related("fire_authorities")}
    existing = set(CollaborationAgreement.objects.values_list("pcc__slug", "title"))
    for entry in AGREEMENTS:
        if (entry.pcc, entry.title) in existing:
            continue
        pcc = pccs[entry.pcc]
        agreement = CollaborationAgreement.objects.create(
            pcc=pcc,
            title=entry.title,
            subject=entry.subject,
            status=entry.status,
            summary=entry.summary,
            source_url=entry.source_url,
            starts_on=entry.starts_on,
            notified_on=entry.notified_on,
            review_on=None
            if entry.review_in_days is None
            else today + timedelta(days=entry.review_in_days),
            is_illustrative=entry.is_illustrative,
        )
        authorities = pcc.fire_authorities.all()
        if entry.fire_authorities is not None:
            authorities = [a for a in authorities if a.name in entry.fire_authorities]
        agreement.fire_authorities.set(authorities)
        if entry.ambulance:
            agreement.ambulance_trusts.set([pcc.ambulance_trust_id])
        agreement.duties.set([duties[provision] for provision in entry.provisions])


def _seed_users(password: str) -> int:
    existing = set(User.objects.values_list("username", flat=True))
    # One hash for all: the demo users share a password, and hashing twenty times is slow.
    hashed = make_password(password)
    new_users = [
        User(
            username=username,
            password=hashed,
            role=role,
            pcc=pcc,
            first_name=pcc.name if pcc else "Demo",
            last_name=Role(role).label,
            email=f"{username}@example.com",
            is_staff=role == Role.SITE_ADMIN,
            is_superuser=role == Role.SITE_ADMIN,
        )
        for username, role, pcc in demo_usernames()
        if username not in existing
    ]
    User.objects.bulk_create(new_users)
    return len(new_users)


#: Invited demo people: (username, role, the body a consultee speaks for or an assessor's
#: organisation). The bodies are the real ones of the reference data (FACTS.md); the people and
#: everything they lodge are illustrative.
INVITED_DEMO_USERS = [
    ("consultee-shropshire", Role.CONSULTEE, LocalAuthority, "Shropshire Council"),
    (
        "consultee-shropshire-wrekin-fire",
        Role.CONSULTEE,
        FireAuthority,
        "Shropshire and Wrekin Fire and Rescue Authority",
    ),
    ("assessor-cipfa", Role.ASSESSOR, None, "CIPFA"),
]
OPEN_CONSULTATION_TITLE = "West Mercia: consultation open"
OPEN_CONSULTATION_SUMMARY = (
    "Illustrative: a made-up current proposal whose consultation is in progress, so that the "
    "demo's consultees can lodge representations. West Mercia's real proposal was approved in "
    "2018 (see its own record)."
)
FIRE_AUTHORITY_REPRESENTATION = (
    "Illustrative: the fire authority objects that the case understates the cost of separating "
    "its support services, which bears on economy and efficiency."
)


def _seed_invited_users(password: str) -> int:
    existing = set(User.objects.values_list("username", flat=True))
    hashed = make_password(password)
    new_users = []
    for username, role, body_model, body_or_organisation in INVITED_DEMO_USERS:
        if username in existing:
            continue
        user = User(
            username=username,
            password=hashed,
            role=role,
            first_name="Demo",
            last_name=f"{Role(role).label} (illustrative)",
            email=f"{username}@example.com",
        )
        if body_model is LocalAuthority:
            user.local_authority = LocalAuthority.objects.get(name=body_or_organisation)
        elif body_model is FireAuthority:
            user.fire_authority = FireAuthority.objects.get(name=body_or_organisation)
        else:
            user.organisation = body_or_organisation
        new_users.append(user)
    User.objects.bulk_create(new_users)
    return len(new_users)


def _seed_open_consultation(*, today: date) -> int:
    """An illustrative West Mercia proposal whose business case is approved and whose
    consultation is in progress, with the fire authority's representation lodged and not yet
    answered; the councils have lodged nothing, so `consultee-shropshire` can."""
    if Proposal.objects.filter(title=OPEN_CONSULTATION_TITLE).exists():
        return 0
    pcc = Pcc.objects.get(slug="west-mercia")
    plan = _SyntheticPlan(0, pcc, today)
    plan.governance_model = GovernanceModel.GOVERNANCE
    plan.route = workflow.route(plan.governance_model)
    plan.open_place = plan.route.index(Step.CONSULTATION)
    plan.open_status = StageStatus.IN_PROGRESS
    plan.started_on = today - timedelta(days=plan.STAGE_SPAN_DAYS * (plan.open_place + 1) + 10)
    plan.paused = plan.has_case_officer = False
    proposal = plan.proposal()
    proposal.title, proposal.summary = OPEN_CONSULTATION_TITLE, OPEN_CONSULTATION_SUMMARY
    proposal.save()
    proposal.fire_authorities.set(pcc.fire_authorities.all())
    stages = Stage.objects.bulk_create(plan.stages(proposal))
    staff = {user.pcc_id: user for user in User.objects.filter(role=Role.PCC_STAFF, pcc=pcc)}
    _ContentKit(staff=staff, reviewer=None).add([plan], [proposal], stages)
    officer = User.objects.get(username="consultee-shropshire-wrekin-fire")
    lodged_at = _at_noon(today - timedelta(days=3))
    representation = Representation.objects.create(
        proposal=proposal,
        fire_authority=officer.fire_authority,
        position=Representation.Position.OBJECTS,
        reasons=FIRE_AUTHORITY_REPRESENTATION,
        lodged_by=officer,
        lodged_at=lodged_at,
    )
    events = plan.history(proposal, staff.get(pcc.pk), None)
    events.append(
        audit_event_build(
            actor=officer,
            action="representation.lodged",
            target=representation,
            proposal=proposal,
            after={"position": representation.position, "reasons": representation.reasons},
            created_at=lodged_at,
        )
    )
    AuditEvent.objects.bulk_create(events)
    return 1


def _seed_assessor_assignments() -> None:
    """`assessor-cipfa` on West Mercia's proposals (CIPFA assessed the real one, FACTS.md), and
    on one illustrative proposal whose independent assessment is in progress, if any."""
    assessor = User.objects.get(username="assessor-cipfa")
    proposals = list(
        Proposal.objects.filter(pcc__slug="west-mercia", is_illustrative=False)
        | Proposal.objects.filter(title=OPEN_CONSULTATION_TITLE)
    )
    in_progress = Proposal.objects.filter(
        is_illustrative=True,
        stages__step=Step.INDEPENDENT_ASSESSMENT,
        stages__status=StageStatus.IN_PROGRESS,
    ).first()
    if in_progress:
        proposals.append(in_progress)
    assessor.assessed_proposals.add(*proposals)


def _seed_allocations() -> None:
    fund = Fund.objects.get()
    have = set(Allocation.objects.filter(fund=fund).values_list("pcc_id", flat=True))
    Allocation.objects.bulk_create(
        Allocation(fund=fund, pcc=pcc, amount=ILLUSTRATIVE_ALLOCATION, is_illustrative=True)
        for pcc in Pcc.objects.exclude(pk__in=have)
    )


def _at_noon(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def _checklist_items(*, proposal, transfer_date: date, record=(), today: date) -> list:
    """A transferred proposal's implementation checklist for the demo, due as the workflow
    defaults it: the items in `record` (demo_history.Done) as the public record has them, the
    rest illustrative, done on their due date once it has passed and outstanding until then."""
    recorded = {done.kind: done for done in record}
    items = []
    for kind, due_on in workflow.checklist_due_dates(transfer_date).items():
        done = recorded.get(kind)
        done_on = done.done_on if done else (due_on if due_on < today else None)
        items.append(
            ChecklistItem(
                proposal=proposal,
                kind=kind,
                due_on=due_on,
                done_on=done_on,
                confirmed_at=_at_noon(done_on),
                note=done.note if done else ILLUSTRATIVE_CHECKLIST_NOTE,
                source_url=done.source_url if done else "",
                is_illustrative=done.illustrative if done else True,
            )
        )
    return items


def _seed_history(history: History, *, today: date) -> int:
    pcc = Pcc.objects.get(slug=history.pcc)
    proposal, created = Proposal.objects.get_or_create(
        pcc=pcc,
        title=history.title,
        defaults={
            "governance_model": PROPOSED_MODELS[history.pcc].model,
            "status": history.status,
            "status_reason": history.status_reason,
            "summary": history.summary,
        },
    )
    if not created:
        return 0
    proposal.fire_authorities.set(pcc.fire_authorities.all())
    route = workflow.route(proposal.governance_model)
    consultation = history.consultation
    decision = history.decision
    order = history.order
    closed_on = {
        Step.CONSULTATION: consultation and consultation.ends_on,
        Step.DECISION: decision and decision.decided_on,
        Step.ORDER: order and order.made_on,
    }
    Stage.objects.bulk_create(
        Stage(
            proposal=proposal,
            step=step,
            status=status,
            skip_reason=history.assessment_skip_reason if status == StageStatus.SKIPPED else "",
            submitted_at=_at_noon(history.submitted_on) if step == Step.SUBMISSION else None,
            closed_at=_at_noon(closed_on.get(step)) if status == StageStatus.APPROVED else None,
        )
        for step, status in zip(route, history.stages, strict=True)
    )
    if consultation:
        Consultation.objects.create(
            proposal=proposal,
            starts_on=consultation.starts_on,
            ends_on=consultation.ends_on,
            responses_received=consultation.responses_received,
            summary=consultation.summary,
            source_url=consultation.source_url,
        )
    councils = {council.name: council for council in LocalAuthority.objects.filter(pcc=pcc)}
    CouncilPosition.objects.bulk_create(
        CouncilPosition(
            proposal=proposal,
            local_authority=councils[position.council],
            position=position.position,
            evidence=position.evidence,
            source_url=position.source_url,
        )
        for position in history.positions
    )
    if history.assessment:
        _seed_assessment(proposal, history.assessment)
    if decision:
        Decision.objects.create(
            proposal=proposal,
            outcome=decision.outcome,
            decided_on=decision.decided_on,
            summary=decision.summary,
            source_url=decision.source_url,
            ground=decision.ground,
            **limb_values({item.limb: (item.finding, item.reasons) for item in decision.findings}),
        )
    if order:
        StatutoryOrder.objects.create(
            proposal=proposal,
            si_number=order.si_number,
            made_on=order.made_on,
            laid_on=order.laid_on,
            in_force_on=order.in_force_on,
            transfer_date=order.transfer_date,
            source_url=order.source_url,
        )
    for change in history.later_changes:
        governance_change_record(
            proposal=proposal,
            changed_on=change.changed_on,
            passed_to=change.passed_to,
            office_title=change.office_title,
            summary=change.summary,
            source_url=change.source_url,
            by=None,
            reason=HISTORY_SOURCE,
        )
    if (
        history.status == ProposalStatus.TRANSFERRED
        and proposal.governance_model in workflow.CHECKLIST_MODELS
        and order
        and order.transfer_date
    ):
        ChecklistItem.objects.bulk_create(
            _checklist_items(
                proposal=proposal,
                transfer_date=order.transfer_date,
                record=history.after_the_order,
                today=today,
            )
        )
    audit_event_build(
        actor=None,
        action="proposal.loaded",
        target=proposal,
        proposal=proposal,
        after={
            "status": proposal.status,
            "governance_model": GovernanceModel(proposal.governance_model).label,
            "stages": [[step, status] for step, status in zip(route, history.stages, strict=True)],
        },
        reason=HISTORY_SOURCE,
    ).save()
    return 1


def _seed_assessment(proposal: Proposal, assessment) -> None:
    """CIPFA's assessment; when the stage is done, a stand-in for the published report (the
    demo does not copy it), named as such, so the stage has what the workflow asks of it."""
    Assessment.objects.create(
        proposal=proposal,
        assessor=assessment.assessor,
        commissioned_on=assessment.commissioned_on,
        reported_on=assessment.reported_on,
        summary=assessment.summary,
        source_url=assessment.source_url,
        # The published reports' conclusions per limb are not in the sources used here.
        **_approving_limbs(
            lambda limb: (
                f"Illustrative: {assessment.assessor}'s conclusion on "
                f"{limb.label.lower()} is not in the public sources used here."
            )
        ),
    )
    if assessment.document_name:
        stage = proposal.stages.get(step=Step.INDEPENDENT_ASSESSMENT)
        _illustrative_document(
            stage,
            DocumentKind.ASSESSMENT,
            User.objects.filter(role=Role.REVIEWER).order_by("pk").first(),
            name=f"{assessment.document_name} (stand-in for the published report).pdf",
        ).save()


def _illustrative_document(stage, kind, by, *, name: str = "") -> Document:
    """An unsaved document of `kind` on `stage`, whose file is the demo's illustrative PDF."""
    if not default_storage.exists(ILLUSTRATIVE_DOCUMENT_NAME):
        default_storage.save(ILLUSTRATIVE_DOCUMENT_NAME, ContentFile(ILLUSTRATIVE_DOCUMENT))
    return Document(
        proposal_id=stage.proposal_id,
        stage=stage,
        kind=kind,
        file=ILLUSTRATIVE_DOCUMENT_NAME,
        original_name=name or f"{DocumentKind(kind).label} (illustrative).pdf",
        content_type="application/pdf",
        size_bytes=len(ILLUSTRATIVE_DOCUMENT),
        sha256=ILLUSTRATIVE_DOCUMENT_SHA256,
        uploaded_by=by,
    )


def limb_values(findings: dict) -> dict:
    """A record's fields for {limb: (finding, reasons)}."""
    values = {}
    for limb, (finding, reasons) in findings.items():
        values[finding_field(limb)] = finding
        values[reasons_field(limb)] = reasons
    return values


def _approving_limbs(reasons) -> dict:
    """Findings on every limb that bear out an approval on economy, efficiency and
    effectiveness, each with `reasons(limb)`."""
    return limb_values(
        {
            limb: (
                LimbFinding.NO_ADVERSE_EFFECT
                if limb == Limb.PUBLIC_SAFETY
                else LimbFinding.IN_THE_INTERESTS,
                reasons(limb),
            )
            for limb in Limb
        }
    )


def _illustrative_limbs(who: str) -> dict:
    """Approving findings in words that say they were made up."""
    return _approving_limbs(
        lambda limb: ILLUSTRATIVE_TEXT.format(section=f"{who} on {limb.label.lower()}")
    )


def _seed_synthetic(*, wanted: int, today: date) -> int:
    """Add illustrative proposals until there are `wanted`, spread over PCCs and stages."""
    have = Proposal.objects.filter(
        is_illustrative=True, title__startswith=SYNTHETIC_TITLE_PREFIX
    ).count()
    numbers = range(have + 1, wanted + 1)
    if not numbers:
        return 0
    pccs = list(Pcc.objects.order_by("name"))
    authorities = {}
    for authority in FireAuthority.objects.all():
        authorities.setdefault(authority.pcc_id, []).append(authority)
    staff = {user.pcc_id: user for user in User.objects.filter(role=Role.PCC_STAFF)}
    signatories = {user.pcc_id: user for user in User.objects.filter(role=Role.PCC_SIGNATORY)}
    reviewer = User.objects.filter(role=Role.REVIEWER).first()
    content = _ContentKit(staff=staff, reviewer=reviewer)
    for start in range(0, len(numbers), BATCH_SIZE):
        batch = numbers[start : start + BATCH_SIZE]
        plans = [_SyntheticPlan(number, pccs[number % len(pccs)], today) for number in batch]
        proposals = Proposal.objects.bulk_create(plan.proposal(reviewer) for plan in plans)
        stages = Stage.objects.bulk_create(
            stage
            for plan, proposal in zip(plans, proposals, strict=True)
            for stage in plan.stages(proposal, signatories.get(proposal.pcc_id))
        )
        content.add(plans, proposals, stages)
        Proposal.fire_authorities.through.objects.bulk_create(
            Proposal.fire_authorities.through(proposal=proposal, fireauthority=authority)
            for proposal in proposals
            for authority in authorities[proposal.pcc_id]
        )
        AuditEvent.objects.bulk_create(
            event
            for plan, proposal in zip(plans, proposals, strict=True)
            for event in plan.history(proposal, staff.get(proposal.pcc_id), reviewer)
        )
    _refresh_planner_statistics()
    return len(numbers)


class _ContentKit:
    """What the illustrative stages contain, so that each obeys the workflow: every stage that
    was submitted or recorded has what workflow.missing_content asks of it (every business
    case section, a duty addressed, each council's position, the records and documents); the
    reviewer has a notification of each stage waiting for review."""

    def __init__(self, *, staff: dict, reviewer):
        self.staff, self.reviewer = staff, reviewer
        self.duty = CollaborationDuty.objects.order_by("pk").first()
        self.councils = {}
        for council in LocalAuthority.objects.order_by("name"):
            self.councils.setdefault(council.pcc_id, []).append(council)

    def add(self, plans, proposals, stages) -> None:
        by_proposal = {}
        for stage in stages:
            by_proposal.setdefault(stage.proposal_id, {})[stage.step] = stage
        made = {model: [] for model in (Consultation, Assessment, Decision, StatutoryOrder)}
        revisions, positions, documents, notifications, checklist = [], [], [], [], []
        for plan, proposal in zip(plans, proposals, strict=True):
            staff = self.staff.get(proposal.pcc_id)
            done = {
                step: stage
                for step, stage in by_proposal[proposal.pk].items()
                if stage.status in STAGES_WITH_CONTENT
            }
            if Step.BUSINESS_CASE in done:
                revisions.append(plan.revision(proposal, staff))
                documents.append(
                    _illustrative_document(
                        done[Step.BUSINESS_CASE], DocumentKind.BUSINESS_CASE, staff
                    )
                )
            if Step.CONSULTATION in done:
                made[Consultation].append(plan.consultation(proposal))
                positions += plan.positions(proposal, self.councils.get(proposal.pcc_id, []))
                documents.append(
                    _illustrative_document(
                        done[Step.CONSULTATION], DocumentKind.CONSULTATION_REPORT, staff
                    )
                )
            for step, model, kind in (
                (Step.INDEPENDENT_ASSESSMENT, Assessment, DocumentKind.ASSESSMENT),
                (Step.DECISION, Decision, DocumentKind.DECISION_LETTER),
                (Step.ORDER, StatutoryOrder, None),
            ):
                if step in done:
                    made[model].append(plan.record(proposal, model))
                    if kind:
                        documents.append(_illustrative_document(done[step], kind, self.reviewer))
            for step, kind, uploader in (
                (Step.FIRE_AUTHORITY_CONSULTATION, DocumentKind.FIRE_AUTHORITY_RESPONSE, staff),
                (Step.FIRE_AUTHORITY_AGREEMENT, DocumentKind.FIRE_AUTHORITY_AGREEMENT, staff),
                (Step.STAFF_TRANSFER, DocumentKind.TRANSFER_SCHEME, self.reviewer),
            ):
                if step in done:
                    documents.append(_illustrative_document(done[step], kind, uploader))
            if (
                proposal.status == ProposalStatus.TRANSFERRED
                and proposal.governance_model in workflow.CHECKLIST_MODELS
            ):
                checklist += _checklist_items(
                    proposal=proposal, transfer_date=plan.transfer_date, today=plan.today
                )
            waiting = by_proposal[proposal.pk].get(plan.open_step)
            if self.reviewer and waiting is not None and waiting.status == StageStatus.SUBMITTED:
                notifications.append(self._submitted_notification(proposal, waiting, staff))
        BusinessCaseRevision.objects.bulk_create(revisions)
        if self.duty:
            DutyEvidence.objects.bulk_create(
                DutyEvidence(
                    revision=revision,
                    duty=self.duty,
                    evidence=ILLUSTRATIVE_TEXT.format(section="how the duty to collaborate is met"),
                )
                for revision in revisions
            )
        for model, records in made.items():
            model.objects.bulk_create(records)
        CouncilPosition.objects.bulk_create(positions)
        Document.objects.bulk_create(documents)
        Notification.objects.bulk_create(notifications)
        ChecklistItem.objects.bulk_create(checklist)

    def _submitted_notification(self, proposal, stage, staff) -> Notification:
        message = messaging.MESSAGES[MessageEvent.STAGE_SUBMITTED]
        words = {
            "stage": messaging.stage_name(stage),
            "proposal": proposal.title,
            "pcc": proposal.pcc.name,
            "actor": str(staff) if staff else "The PCC",
        }
        return Notification(
            user=self.reviewer,
            title=message.title.format(**words)[:300],
            body=message.body.format(**words),
            link=stage_link(stage),
            proposal=proposal,
            stage=stage,
        )


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL still plans for empty tables until autovacuum catches up,
    which can make dashboards hundreds of times slower: analyse the loaded tables now (the
    notifications too: unanalysed, the PCC home's few unread ones were found by sorting all of
    the reviewer's, 4 ms rather than 0.3 ms at 10,000 proposals)."""
    if connection.vendor != "postgresql":
        return
    loaded = (
        Proposal,
        Stage,
        AuditEvent,
        Proposal.fire_authorities.through,
        Notification,
        BusinessCaseRevision,
        DutyEvidence,
    )
    with connection.cursor() as cursor:
        for model in loaded:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


class _SyntheticPlan:
    """One illustrative proposal's made-up progress, the same every run for the same number."""

    STAGE_SPAN_DAYS = 40
    #: How likely each place on the route is to be the open one (then, weight 1, none open).
    OPEN_WEIGHTS = (4, 3, 3, 1, 2, 1, 1)

    def __init__(self, number: int, pcc: Pcc, today: date):
        rng = random.Random(number)
        self.number, self.pcc, self.today = number, pcc, today
        self.governance_model = rng.choice(list(GovernanceModel))
        self.route = workflow.route(self.governance_model)
        # The open stage's place on the route, or one past the last when every stage is
        # closed (governance transferred, or a representation complete).
        places = len(self.route)
        weights = [*self.OPEN_WEIGHTS[:places], 1]
        self.open_place = rng.choices(range(places + 1), weights=weights)[0]
        self.open_status = rng.choice(
            [
                StageStatus.IN_PROGRESS,
                StageStatus.IN_PROGRESS,
                StageStatus.SUBMITTED,
                StageStatus.RETURNED,
            ]
        )
        self.council_objected = rng.random() < 0.6
        self.due_in_days = rng.randint(-21, 35)  # open stages are due around today
        self.paused = rng.random() < 0.05
        self.has_case_officer = rng.random() < 0.5
        # As the workflow has it: no independent assessment unless a council objected, and the
        # Home Office's steps are recorded in progress, never submitted by anyone.
        if self.open_step == Step.INDEPENDENT_ASSESSMENT and not self.council_objected:
            self.open_place += 1
        if self.open_step is not None and not Step(self.open_step).is_pcc_step:
            self.open_status = StageStatus.IN_PROGRESS
        self.started_on = today - timedelta(days=self.STAGE_SPAN_DAYS * (self.open_place + 1) + 10)

    @property
    def open_step(self) -> Step | None:
        """The step of the open stage (None once every stage is closed)."""
        return self.route[self.open_place] if self.open_place < len(self.route) else None

    def proposal(self, reviewer=None) -> Proposal:
        if self.open_step is None:
            status = (
                ProposalStatus.TRANSFERRED
                if workflow.ends_in_transfer(self.governance_model)
                else ProposalStatus.COMPLETED
            )
        elif self.paused:
            status = ProposalStatus.SUSPENDED
        else:
            status = ProposalStatus.ACTIVE
        return Proposal(
            pcc=self.pcc,
            title=f"{SYNTHETIC_TITLE_PREFIX} {self.number:05d} ({self.pcc.name})",
            governance_model=self.governance_model,
            status=status,
            is_illustrative=True,
            summary="Synthetic data for demonstration and scale tests.",
            case_officer=reviewer if self.has_case_officer else None,
        )

    def _day(self, step: int, offset: int = 0) -> datetime:
        place = self.route.index(step)
        return _at_noon(self.started_on + timedelta(days=self.STAGE_SPAN_DAYS * place + offset))

    def _closed_status(self, step: Step) -> str:
        if step == Step.INDEPENDENT_ASSESSMENT and not self.council_objected:
            return StageStatus.SKIPPED
        return StageStatus.APPROVED

    def stages(self, proposal: Proposal, signatory=None) -> list[Stage]:
        stages = [
            Stage(proposal=proposal, step=step, **self._stage_fields(step)) for step in self.route
        ]
        submission = next((stage for stage in stages if stage.step == Step.SUBMISSION), None)
        # Submitted only once signed off; a returned submission is revised and signed again.
        if (
            signatory
            and submission
            and submission.status in (StageStatus.SUBMITTED, StageStatus.APPROVED)
        ):
            submission.signed_off_by = signatory
            submission.signed_off_at = submission.submitted_at - timedelta(days=1)
        return stages

    def _date(self, step: int, offset: int = 0) -> date:
        return timezone.localdate(self._day(step, offset))

    def revision(self, proposal: Proposal, staff) -> BusinessCaseRevision:
        sections = business_case_sections(self.governance_model)
        return BusinessCaseRevision(
            proposal=proposal,
            number=1,
            created_by=staff,
            created_at=self._day(Step.BUSINESS_CASE, 10),
            changed=sections[-1].field,
            **{
                section.field: ILLUSTRATIVE_TEXT.format(section=section.label.lower())
                for section in sections
            },
        )

    def consultation(self, proposal: Proposal) -> Consultation:
        return Consultation(
            proposal=proposal,
            starts_on=self._date(Step.CONSULTATION),
            ends_on=self._date(Step.CONSULTATION, 15),
            responses_received=100 + self.number % 900,
            summary=ILLUSTRATIVE_TEXT.format(section="what the consultation found"),
        )

    def positions(self, proposal: Proposal, councils) -> list[CouncilPosition]:
        return [
            CouncilPosition(
                proposal=proposal,
                local_authority=council,
                position=CouncilPosition.Position.OBJECTS
                if self.council_objected and index == 0
                else CouncilPosition.Position.SUPPORTS,
                stated_on=self._date(Step.CONSULTATION, 14),
                evidence=ILLUSTRATIVE_TEXT.format(section="the council's resolution"),
            )
            for index, council in enumerate(councils)
        ]

    def record(self, proposal: Proposal, model):
        if model is Assessment:
            step = Step.INDEPENDENT_ASSESSMENT
            return Assessment(
                proposal=proposal,
                assessor="CIPFA (illustrative)",
                commissioned_on=self._date(step),
                reported_on=self._date(step, 25),
                summary=ILLUSTRATIVE_TEXT.format(section="the assessment"),
                **_illustrative_limbs("the assessor's conclusion"),
            )
        if model is Decision:
            return Decision(
                proposal=proposal,
                outcome=Decision.Outcome.APPROVED,
                decided_on=self._date(Step.DECISION, 25),
                summary=ILLUSTRATIVE_TEXT.format(section="the Home Secretary's decision"),
                ground=DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,
                **_illustrative_limbs("the Home Secretary's finding"),
            )
        made = self._date(Step.ORDER, 5)
        return StatutoryOrder(
            proposal=proposal,
            si_number=f"2026/{self.number % 10000}",
            made_on=made,
            laid_on=made + timedelta(days=2),
            in_force_on=made + timedelta(days=23),
            transfer_date=self.transfer_date,
        )

    @property
    def transfer_date(self) -> date:
        return self._date(Step.ORDER, 5) + timedelta(days=24)

    def _stage_fields(self, step: Step) -> dict:
        place = self.route.index(step)
        if place < self.open_place:
            status = self._closed_status(step)
            fields = {
                "status": status,
                "started_at": self._day(step),
                "closed_at": self._day(step, 30),
            }
            if status == StageStatus.SKIPPED:
                fields["skip_reason"] = "No consulted council objected."
            else:
                fields["submitted_at"] = self._day(step, 20)
            return fields
        if place == self.open_place:
            fields = {
                "status": self.open_status,
                "started_at": self._day(step),
                "due_date": self.today + timedelta(days=self.due_in_days),
            }
            if self.open_status != StageStatus.IN_PROGRESS:
                fields["submitted_at"] = self._day(step, 20)
            if self.open_status == StageStatus.RETURNED:
                fields["return_reasons"] = RETURNED
            return fields
        return {}

    def history(self, proposal: Proposal, staff, reviewer) -> list[AuditEvent]:
        """The audit trail that this made-up progress would have left."""
        steps = [("proposal.created", staff, self._day(1), {"title": proposal.title}, "")]
        for stage in self.stages(proposal):
            if stage.status == StageStatus.NOT_STARTED:
                continue
            label = Step(stage.step).label
            steps.append(("stage.open", staff, stage.started_at, {"stage": label}, ""))
            if stage.status == StageStatus.SKIPPED:
                steps.append(
                    ("stage.skip", None, stage.closed_at, {"stage": label}, stage.skip_reason)
                )
                continue
            if stage.submitted_at:
                steps.append(("stage.submit", staff, stage.submitted_at, {"stage": label}, ""))
            if stage.status == StageStatus.RETURNED:
                returned_at = stage.submitted_at + timedelta(days=5)
                steps.append(
                    ("stage.return_to_pcc", reviewer, returned_at, {"stage": label}, RETURNED)
                )
            if stage.status == StageStatus.APPROVED:
                steps.append(("stage.approve", reviewer, stage.closed_at, {"stage": label}, ""))
        return [
            audit_event_build(
                actor=actor,
                action=action,
                target=proposal,
                proposal=proposal,
                after=after,
                reason=reason,
                created_at=when,
            )
            for action, actor, when, after, reason in steps
        ]
