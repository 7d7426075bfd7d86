"""The API's endpoints: thin, like the pages. Reads go through the same QuerySets and
selectors (`visible_to`: another PCC's objects answer 404), writes through the same services
(so the same checks, history and hand-off messages), permissions through the same rules."""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, workflow
from ..filters import ProposalFilter
from ..models import (
    SECTIONS_BY_FIELD,
    AuditEvent,
    CollaborationDuty,
    Pcc,
    Proposal,
    Step,
    business_case_sections,
)
from ..services import drafting
from ..services import workflow as workflow_services
from ..services.audit import recorded_via
from . import serializers
from .errors import UNKNOWN_VERSION, Refused, StaleVersion
from .pagination import EventCursorPagination, PageNumberPagination
from .schema import STEP_SLUGS

CREATE_ONLY_PCC_PEOPLE = "Only PCC staff and signatories create proposals, for their own PCC."
VIA_SESSION = "API (signed-in browser)"
VIA_TOKEN = "API token “{name}”"


def api_via(request) -> str:
    """How the history names a change made through this request."""
    name = getattr(request.auth, "name", None) if request.auth is not None else None
    return VIA_TOKEN.format(name=name) if name else VIA_SESSION


class ApiMixin:
    """Every API view: the changes it makes are recorded as made through the API (and by
    which token), for the length of the request."""

    def dispatch(self, request, *args, **kwargs):
        # Reset however the request ends, an unexpected error included: the thread goes on to
        # serve pages, whose changes must not be recorded as the API's.
        before = recorded_via.set("")
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            recorded_via.reset(before)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates: request.auth is known
        recorded_via.set(api_via(request))

    @property
    def today(self):
        return timezone.localdate()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today}


class PccViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """The nine PCCs (PCC people: their own), with their fire and rescue authorities and
    the councils consulted."""

    serializer_class = serializers.PccSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Pcc.objects.visible_to(self.request.user)
            .prefetch_related("fire_authorities", "local_authorities")
            .order_by("name")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Proposals, with the overview's filters",
        description="Every proposal the caller may see (PCC people: their PCC's), with its "
        "stages, statuses and due dates; filtered as the overview is.",
    ),
    create=extend_schema(summary="Create a proposal (PCC staff and signatories)"),
)
class ProposalViewSet(
    ApiMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        return selectors.proposals_with_stages(
            Proposal.objects.visible_to(self.request.user)
            .select_related("pcc", "case_officer")
            .order_by("pcc__name", "created_at", "pk")
        )

    def create(self, request, *args, **kwargs):
        if not rules.has_perm("proposals.create_proposal", request.user):
            raise PermissionDenied(CREATE_ONLY_PCC_PEOPLE)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        proposal = drafting.proposal_create(
            pcc=self.request.user.pcc,
            title=data["title"],
            governance_model=data["governance_model"],
            fire_authorities=data["fire_authorities"],
            by=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=proposal.pk)


class ProposalChildMixin(ApiMixin):
    """An endpoint under one proposal the caller may see (else 404)."""

    @cached_property
    def proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.visible_to(self.request.user).select_related("pcc"),
            pk=self.kwargs["pk"],
        )


class ProposalHistoryView(ProposalChildMixin, generics.ListAPIView):
    """The proposal's history (every stage change, save and decision), newest first, as on
    its page: Home Office-only entries are left out for PCC people."""

    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn without a proposal
            return AuditEvent.objects.none()
        return selectors.proposal_history(proposal=self.proposal, user=self.request.user)


def _business_case(proposal) -> dict:
    latest = drafting.business_case_latest(proposal)
    return {
        "version": latest.number if latest else 0,
        "sections": [
            {
                "section": section.field,
                "label": section.label,
                "text": getattr(latest, section.field) if latest else "",
            }
            for section in business_case_sections(proposal.governance_model)
        ],
    }


class BusinessCaseView(ProposalChildMixin, APIView):
    @extend_schema(
        summary="The business case's latest revision, section by section",
        responses=serializers.BusinessCaseSerializer,
    )
    def get(self, request, pk):
        return Response(serializers.BusinessCaseSerializer(_business_case(self.proposal)).data)


class SectionView(ProposalChildMixin, APIView):
    """One section of the business case: PUT saves it as a new revision, as its page does."""

    @cached_property
    def section(self):
        section = SECTIONS_BY_FIELD.get(self.kwargs["section"])
        if section not in business_case_sections(self.proposal.governance_model):
            raise Http404
        return section

    @extend_schema(
        summary="Save one section of the business case (PCC staff and signatories)",
        description="Send the business case `version` you started from. If someone saved "
        "since, nothing is saved and the answer is 409 with `current_version`: read the "
        "business case again, make your change to it, and send it with that version.",
        request=serializers.SectionUpdateSerializer,
        responses=serializers.SectionSavedSerializer,
        parameters=[
            OpenApiParameter(
                "section",
                str,
                OpenApiParameter.PATH,
                enum=list(SECTIONS_BY_FIELD),
                description="The section; the single employer model has one more.",
            )
        ],
    )
    def put(self, request, pk, section):
        stage = self.proposal.stages.get(step=Step.BUSINESS_CASE)
        if not workflow.may_ever_edit(stage, request.user):
            raise PermissionDenied(workflow.ONLY_PCC_PEOPLE)
        incoming = serializers.SectionUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        version = incoming.validated_data["version"]
        saved = True
        try:
            revision = drafting.business_case_section_save(
                proposal=self.proposal,
                section=self.section.field,
                text=incoming.validated_data["text"],
                base_revision=version,
                by=request.user,
            )
        except drafting.StaleEdit as stale:
            current = stale.current.number if stale.current else 0
            if version > current:  # not stale: a version that never was
                raise ValidationError(
                    {"version": [UNKNOWN_VERSION.format(sent=version, current=current)]}
                ) from None
            raise StaleVersion(sent=version, current=current) from None
        except drafting.NothingChanged:
            saved, revision = False, drafting.business_case_latest(self.proposal)
        return Response(
            serializers.SectionSavedSerializer(
                {
                    "version": revision.number if revision else 0,
                    "section": self.section.field,
                    "label": self.section.label,
                    "text": getattr(revision, self.section.field) if revision else "",
                    "saved": saved,
                }
            ).data
        )


STEP_PARAMETER = OpenApiParameter("step", str, OpenApiParameter.PATH, enum=STEP_SLUGS)


class StageActionView(ProposalChildMixin, APIView):
    """POST: one workflow action on a stage, through the service the stage page's buttons use,
    so the same checks apply and the same people are told."""

    transition: str

    @cached_property
    def stage(self):
        try:
            step = Step.from_slug(self.kwargs["step"])
        except ValueError:
            raise Http404 from None
        return get_object_or_404(self.proposal.stages.select_related("proposal"), step=step)

    def reason(self, request) -> str:
        return ""

    def post(self, request, pk, step):
        method = getattr(self.stage, self.transition)
        if not workflow.may_ever(method, request.user):
            raise PermissionDenied(workflow.refused_reason(method))
        reason = self.reason(request)
        try:
            stage = workflow_services.stage_transition(
                stage=self.stage, action=self.transition, by=request.user, reason=reason
            )
        except workflow.TransitionRefused as refusal:
            raise Refused(refusal.reasons) from None
        told = getattr(stage, "told", None)
        result = {"stage": stage, "told": told.sentence if told else ""}
        return Response(
            serializers.StageActionResultSerializer(result, context={"today": self.today}).data
        )


def stage_action_schema(summary: str, request=None):
    """The schema of one stage action's POST."""
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            request=request,
            parameters=[STEP_PARAMETER],
            responses=serializers.StageActionResultSerializer,
        )
    )


@stage_action_schema("Submit a stage for review (PCC staff and signatories)")
class StageSubmitView(StageActionView):
    transition = "submit"


@stage_action_schema("Reopen a returned stage to revise it (PCC staff and signatories)")
class StageReviseView(StageActionView):
    transition = "revise"


@stage_action_schema("Approve a submitted stage (reviewers)")
class StageApproveView(StageActionView):
    transition = "approve"


@stage_action_schema(
    "Return a submitted stage to the PCC with reasons (reviewers)",
    request=serializers.ReturnSerializer,
)
class StageReturnView(StageActionView):
    transition = "return_to_pcc"

    def reason(self, request) -> str:
        incoming = serializers.ReturnSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data["reason"]


class CollaborationDutyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """The Act's duties with how many proposals address each, by PCC; a duty's `evidence`:
    how each proposal's latest business case addresses it, a page at a time."""

    serializer_class = serializers.CollaborationDutySerializer
    queryset = CollaborationDuty.objects.all()
    pagination_class = None

    def list(self, request, *args, **kwargs):
        duties = selectors.duties_with_coverage(user=request.user)
        return Response(self.get_serializer(duties, many=True).data)

    def get_object(self):
        duty = super().get_object()
        return next(
            each
            for each in selectors.duties_with_coverage(user=self.request.user)
            if each.pk == duty.pk
        )

    @extend_schema(
        summary="How each proposal's latest business case addresses the duty",
        responses=serializers.DutyEvidenceSerializer(many=True),
    )
    @action(detail=True, pagination_class=PageNumberPagination)
    def evidence(self, request, pk=None):
        duty = get_object_or_404(CollaborationDuty, pk=pk)
        page = self.paginate_queryset(selectors.duty_evidence(duty=duty, user=request.user))
        return self.get_paginated_response(serializers.DutyEvidenceSerializer(page, many=True).data)


class FundView(ApiMixin, APIView):
    @extend_schema(
        summary="The fund and each PCC's allocation, paid and remaining (read-only)",
        responses=serializers.FundSerializer,
    )
    def get(self, request):
        if not rules.has_perm("proposals.view_funding", request.user):
            raise PermissionDenied
        summary = selectors.funding_summary(user=request.user)
        return Response(serializers.FundSerializer(summary).data)


@extend_schema_view(
    list=extend_schema(
        summary="Audit events the caller may see, oldest first",
        description="Follow the portal's changes: read the pages with `next`, and keep the "
        "last `next` to ask again later for what happened since.",
    )
)
class EventViewSet(ApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.EventSerializer
    pagination_class = EventCursorPagination

    def get_queryset(self):
        return selectors.events_visible_to(user=self.request.user)
