from django.urls import path

from . import views

app_name = "therapists"

urlpatterns = [
    path("", views.FinderView.as_view(), name="finder"),
]
