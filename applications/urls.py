from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path(
        "programs/<slug:program_slug>/cohorts/<slug:cohort_slug>/apply/",
        views.apply,
        name="apply",
    ),
    path(
        "programs/<slug:program_slug>/cohorts/<slug:cohort_slug>/apply/draft/",
        views.autosave,
        name="autosave",
    ),
    path("my/applications/", views.application_list, name="mine"),
    path("my/applications/<int:pk>/", views.application_detail, name="detail"),
    path("my/applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
]
