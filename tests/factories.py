import hashlib
from datetime import date

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from portal.models import Role, User
from proposals.models import (
    BUSINESS_CASE_SECTIONS,
    CollaborationDuty,
    Document,
    DocumentKind,
    Proposal,
    Stage,
    Step,
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
    """A new proposal as the drafting service makes it: six stages, the business case open."""

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


def attach_document(stage, kind, by, name="document.pdf"):
    """A stored document on `stage`, as if uploaded (the upload itself is tested elsewhere)."""
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
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def complete_business_case(proposal, by):
    """Write every section, address a duty and attach the business case document."""
    for number, section in enumerate(BUSINESS_CASE_SECTIONS):
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
        base_revision=len(BUSINESS_CASE_SECTIONS),
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


def stage_of(proposal, step):
    return proposal.stages.get(step=step)


class NotificationFactory(DjangoModelFactory):
    """An in-app notification, as the dispatcher makes them (see services.notifications)."""

    class Meta:
        model = "proposals.Notification"

    title = factory.Sequence(lambda n: f"Due in 7 working days: notification {n}")
    body = "The business case stage of Essex governance (Essex) is due on 9 December 2026."
    link = "/overview/"


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
