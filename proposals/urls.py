from django.urls import path

from .views import (
    business_case,
    collaboration,
    documents,
    funding,
    implementation,
    pages,
    proposal,
    representations,
    stage,
)

app_name = "proposals"

PROPOSAL = "proposals/<int:pk>/"
STAGE = PROPOSAL + "stages/<slug:step>/"
CHECKLIST_ITEM = PROPOSAL + "after-the-order/<slug:kind>/"

urlpatterns = [
    path("overview/", pages.OverviewView.as_view(), name="overview"),
    path("overview/proposals.csv", pages.OverviewCsvView.as_view(), name="overview-csv"),
    path("duties/", pages.DutiesView.as_view(), name="duties-list"),
    path("duties/<int:pk>/", pages.DutyView.as_view(), name="duty"),
    path("collaboration/", collaboration.RegisterView.as_view(), name="collaboration"),
    path(
        "collaboration/register.csv",
        collaboration.RegisterCsvView.as_view(),
        name="collaboration-csv",
    ),
    path(
        "collaboration/new/", collaboration.AgreementCreateView.as_view(), name="agreement-create"
    ),
    path("collaboration/<int:pk>/", collaboration.AgreementDetailView.as_view(), name="agreement"),
    path(
        "collaboration/<int:pk>/change/",
        collaboration.AgreementEditView.as_view(),
        name="agreement-edit",
    ),
    path(
        "collaboration/<int:pk>/considerations/",
        collaboration.ConsiderationsView.as_view(),
        name="agreement-considerations",
    ),
    path("calendar/", pages.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", pages.CalendarFeedView.as_view(), name="calendar-feed"),
    path("funding/", funding.FundingView.as_view(), name="funding"),
    path("funding/funding.csv", funding.FundingCsvView.as_view(), name="funding-csv"),
    path("funding/<slug:slug>/", funding.PccFundingView.as_view(), name="pcc-funding"),
    path(
        "funding/<slug:slug>/allocation/",
        funding.AllocationEditView.as_view(),
        name="allocation-edit",
    ),
    path(
        "funding/<slug:slug>/payments/new/",
        funding.PaymentCreateView.as_view(),
        name="payment-create",
    ),
    path(
        "funding/<slug:slug>/payments/<int:payment_pk>/reverse/",
        funding.PaymentReverseView.as_view(),
        name="payment-reverse",
    ),
    path("review/", pages.ReviewQueueView.as_view(), name="review-queue"),
    path("your-proposals/", representations.YourProposalsView.as_view(), name="your-proposals"),
    path("pccs/<slug:slug>/", pages.PccView.as_view(), name="pcc"),
    path("proposals/new/", proposal.ProposalCreateView.as_view(), name="create"),
    path(PROPOSAL, proposal.ProposalDetailView.as_view(), name="detail"),
    path(
        PROPOSAL + "withdraw/",
        proposal.ProposalActionView.as_view(action="withdraw"),
        name="withdraw",
    ),
    path(
        PROPOSAL + "suspend/", proposal.ProposalActionView.as_view(action="suspend"), name="suspend"
    ),
    path(PROPOSAL + "resume/", proposal.ProposalActionView.as_view(action="resume"), name="resume"),
    path(
        PROPOSAL + "legal-challenge/", proposal.LegalChallengeView.as_view(), name="legal-challenge"
    ),
    path(PROPOSAL + "case-officer/", proposal.CaseOfficerView.as_view(), name="case-officer"),
    path(PROPOSAL + "model/", proposal.ProposalModelView.as_view(), name="model"),
    path(PROPOSAL + "comments/", proposal.CommentCreateView.as_view(), name="comment"),
    path(PROPOSAL + "public/", representations.PublicRecordView.as_view(), name="public-record"),
    path(PROPOSAL + "assessors/", representations.AssessorsView.as_view(), name="assessors"),
    path(
        PROPOSAL + "representation/",
        representations.RepresentationView.as_view(),
        name="representation",
    ),
    path(
        PROPOSAL + "representations/<int:representation_pk>/respond/",
        representations.RepresentationRespondView.as_view(),
        name="representation-respond",
    ),
    path(PROPOSAL + "business-case/", business_case.TaskListView.as_view(), name="business-case"),
    path(PROPOSAL + "business-case/duties/", business_case.DutiesEditView.as_view(), name="duties"),
    path(
        PROPOSAL + "business-case/check/",
        business_case.CheckAnswersView.as_view(),
        name="check-answers",
    ),
    path(
        PROPOSAL + "business-case/<slug:section>/",
        business_case.SectionEditView.as_view(),
        name="section",
    ),
    path(PROPOSAL + "revisions/", business_case.RevisionsView.as_view(), name="revisions"),
    path(PROPOSAL + "history.csv", proposal.HistoryCsvView.as_view(), name="history-csv"),
    path(
        PROPOSAL + "decision-record.pdf",
        stage.DecisionRecordPdfView.as_view(),
        name="decision-record-pdf",
    ),
    path(PROPOSAL + "revisions/compare/", business_case.CompareView.as_view(), name="compare"),
    path(
        CHECKLIST_ITEM + "done/",
        implementation.ChecklistItemDoneView.as_view(),
        name="checklist-done",
    ),
    path(
        CHECKLIST_ITEM + "due-date/",
        implementation.ChecklistItemDueDateView.as_view(),
        name="checklist-due-date",
    ),
    path(STAGE, stage.StageDetailView.as_view(), name="stage"),
    path(STAGE + "return/", stage.StageReturnView.as_view(), name="stage-return"),
    path(STAGE + "sign-off/", stage.SignOffView.as_view(), name="sign-off"),
    path(STAGE + "submission-pack/", stage.SubmissionPackView.as_view(), name="submission-pack"),
    path(STAGE + "due-date/", stage.DueDateView.as_view(), name="due-date"),
    path(STAGE + "details/", stage.StageDetailsView.as_view(), name="stage-details"),
    path(STAGE + "councils/", stage.CouncilPositionsView.as_view(), name="council-positions"),
    path(STAGE + "documents/new/", documents.DocumentUploadView.as_view(), name="document-upload"),
    path(STAGE + "<slug:action>/", stage.StageActionView.as_view(), name="stage-action"),
    path(
        PROPOSAL + "documents/<int:document_pk>/",
        documents.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        PROPOSAL + "documents/<int:document_pk>/remove/",
        documents.DocumentRemoveView.as_view(),
        name="document-remove",
    ),
    path(
        PROPOSAL + "documents/<int:document_pk>/replace/",
        documents.DocumentReplaceView.as_view(),
        name="document-replace",
    ),
]
