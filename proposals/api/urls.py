"""/api/v1/: the endpoints; /api/schema/ and /api/docs/ are in portal/urls.py."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import views
from .errors import api_not_found

app_name = "api"

router = SimpleRouter()
router.register("pccs", views.PccViewSet, basename="pcc")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("collaboration-duties", views.CollaborationDutyViewSet, basename="duty")
router.register("events", views.EventViewSet, basename="event")

PROPOSAL = "proposals/<int:pk>/"
STAGE = PROPOSAL + "stages/<str:step>/"

urlpatterns = [
    path("", include(router.urls)),
    path(PROPOSAL + "history/", views.ProposalHistoryView.as_view(), name="proposal-history"),
    path(PROPOSAL + "business-case/", views.BusinessCaseView.as_view(), name="business-case"),
    path(
        PROPOSAL + "business-case/sections/<str:section>/",
        views.SectionView.as_view(),
        name="business-case-section",
    ),
    path(STAGE + "submit/", views.StageSubmitView.as_view(), name="stage-submit"),
    path(STAGE + "revise/", views.StageReviseView.as_view(), name="stage-revise"),
    path(STAGE + "approve/", views.StageApproveView.as_view(), name="stage-approve"),
    path(STAGE + "return/", views.StageReturnView.as_view(), name="stage-return"),
    path("fund/", views.FundView.as_view(), name="fund"),
    # Anything else under /api/v1/: a problem, not the HTML 404 page.
    re_path(r"^.*$", api_not_found),
]
