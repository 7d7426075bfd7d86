import hashlib
from datetime import date

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from portal.models import Role, User
from proposals.models import (
    AgreementStatus,
    CollaborationAgreement,
    CollaborationDuty,
    CollaborationSubject,
    DecisionGround,
    Document,
    DocumentKind,
    Limb,
    LimbFinding,
    Proposal,
    Stage,
    StageStatus,
    Step,
    business_case_sections,
    finding_field,
    reasons_field,
)
from proposals.services import drafting
from proposals.services.drafting import proposal_stages_build

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)
    # The database ties Django admin to the site-admin role (user_staff_is_site_admin).
    is_staff = factory.LazyAttribute(lambda user: getattr(user, "role", "") == Role.SITE_ADMIN)


class ProposalFactory(DjangoModelFactory):
    """A new proposal as the drafting service makes it: its route's stages, the business case
    open."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Proposal {n}")
    governance_model = "governance"

    @factory.post_generation
    def stages(proposal, create, extracted, **kwargs):
        if create:
            proposal.fire_authorities.set(proposal.pcc.fire_authorities.all())
            Stage.objects.bulk_create(proposal_stages_build(proposal=proposal))


def attach_document(stage, kind, by, name="document.pdf", representation=None):
    """A stored document on `stage`, as if uploaded (the upload itself is tested elsewhere);
    a document of kind "representation" belongs to `representation`."""
    content = b"%PDF-1.4\n% test document\n%%EOF\n"
    document = Document(
        proposal=stage.proposal,
        stage=stage,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
        representation=representation,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def complete_business_case(proposal, by):
    """Write every section, address a duty and attach the business case document."""
    sections = business_case_sections(proposal.governance_model)
    for number, section in enumerate(sections):
        drafting.business_case_section_save(
            proposal=proposal,
            section=section.field,
            text=f"{section.label} evidence.",
            base_revision=number,
            by=by,
        )
    duty = CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)")
    drafting.business_case_duties_save(
        proposal=proposal,
        evidence={duty: "Joint estates review with the fire service."},
        base_revision=len(sections),
        by=by,
    )
    attach_document(stage_of(proposal, Step.BUSINESS_CASE), DocumentKind.BUSINESS_CASE, by)


def complete_consultation(proposal, by, objecting=()):
    """Record the consultation, every council's position (objecting ones by name), the report."""
    stage = stage_of(proposal, Step.CONSULTATION)
    drafting.stage_details_save(
        stage=stage,
        version="",
        by=by,
        values={
            "starts_on": date(2017, 2, 16),
            "ends_on": date(2017, 5, 10),
            "responses_received": 1200,
            "summary": "Most respondents agreed.",
        },
    )
    positions = {
        council: {
            "position": "objects" if council.name in objecting else "supports",
            "stated_on": date(2017, 5, 1),
            "evidence": "Council resolution.",
        }
        for council in proposal.pcc.local_authorities.all()
    }
    drafting.council_positions_save(stage=stage, positions=positions, version="", by=by)
    attach_document(stage, DocumentKind.CONSULTATION_REPORT, by)


#: A decision's findings on every limb that bear out an approval on economy, efficiency and
#: effectiveness (FRSA 2004 s.4A(5)(a)), as a record's values or a form's data alike.
LIMBS_FOUND = {
    "ground": DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS,
    **{
        finding_field(limb): LimbFinding.NO_ADVERSE_EFFECT
        if limb == Limb.PUBLIC_SAFETY
        else LimbFinding.IN_THE_INTERESTS
        for limb in Limb
    },
    **{reasons_field(limb): f"Reasons on {limb.label.lower()}." for limb in Limb},
}


def at_decision(proposal, reviewer):
    """`proposal` at its decision, the assessment skipped (no council objected), with the
    decision letter uploaded by `reviewer`."""
    Stage.objects.filter(proposal=proposal, step__lt=Step.DECISION).update(
        status=StageStatus.APPROVED
    )
    Stage.objects.filter(proposal=proposal, step=Step.INDEPENDENT_ASSESSMENT).update(
        status=StageStatus.SKIPPED, skip_reason="No consulted council objected."
    )
    Stage.objects.filter(proposal=proposal, step=Step.DECISION).update(
        status=StageStatus.IN_PROGRESS
    )
    attach_document(stage_of(proposal, Step.DECISION), DocumentKind.DECISION_LETTER, reviewer)
    return proposal


def stage_of(proposal, step):
    return proposal.stages.get(step=step)


class NotificationFactory(DjangoModelFactory):
    """An in-app notification, as the dispatcher makes them (see services.notifications)."""

    class Meta:
        model = "proposals.Notification"

    title = factory.Sequence(lambda n: f"Due in 7 working days: notification {n}")
    body = "The business case stage of Essex governance (Essex) is due on 9 December 2026."
    link = "/overview/"


def representation_of(proposal, consultee, position="objects", reasons="It costs too much."):
    """The representation of `consultee`'s body on `proposal`, as if lodged (the lodging
    itself, with its rules, is tested in tests/test_representations.py)."""
    from django.utils import timezone

    from proposals.models import Representation

    return Representation.objects.create(
        proposal=proposal,
        local_authority=consultee.local_authority,
        fire_authority=consultee.fire_authority,
        position=position,
        reasons=reasons,
        lodged_by=consultee,
        lodged_at=timezone.now(),
    )


class AgreementFactory(DjangoModelFactory):
    """An agreement in force between an area's police and its first fire authority."""

    class Meta:
        model = CollaborationAgreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    subject = CollaborationSubject.ESTATES
    status = AgreementStatus.IN_FORCE
    starts_on = date(2020, 4, 1)
    review_on = date(2027, 4, 1)

    @factory.post_generation
    def parties(agreement, create, extracted, **kwargs):
        if create:
            agreement.fire_authorities.set(agreement.pcc.fire_authorities.all()[:1])


def transferred_proposal(pcc, *, transfer_date, title="Transferred proposal"):
    """A proposal whose order has transferred governance on `transfer_date`, with its
    implementation checklist as the transfer makes it (the route there is tested in
    test_workflow and test_implementation_checklist)."""
    from proposals.models import ProposalStatus, StageStatus, StatutoryOrder
    from proposals.services.implementation import checklist_create

    proposal = ProposalFactory(pcc=pcc, title=title)
    Stage.objects.filter(proposal=proposal).update(status=StageStatus.APPROVED)
    StatutoryOrder.objects.create(
        proposal=proposal,
        si_number="2017/864",
        made_on=transfer_date,
        laid_on=transfer_date,
        in_force_on=transfer_date,
        transfer_date=transfer_date,
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.TRANSFERRED)
    proposal.refresh_from_db()
    checklist_create(proposal=proposal)
    return proposal
