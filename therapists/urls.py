from django.urls import path

from . import views

app_name = "therapists"

urlpatterns = [
    path("", views.FinderView.as_view(), name="finder"),
    path("<slug:slug>/", views.TherapistDetailView.as_view(), name="detail"),
    path("<slug:slug>/report/", views.ReportOutdatedInfoView.as_view(), name="report"),
]
