from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("pccs/<slug:slug>/", views.PccView.as_view(), name="pcc"),
]
