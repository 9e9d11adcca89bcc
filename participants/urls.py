from django.urls import path

from . import views
from .health import views as health_views

app_name = "participants"

urlpatterns = [
    path("my/mentoring/", views.my_mentoring, name="home"),
    path("my/mentoring/calendar/", views.calendar_settings, name="calendar"),
    path("my/mentoring/calendar/change/", views.calendar_feed_change, name="calendar_change"),
    path(
        "my/mentoring/pairings/<int:pairing_id>/goals/new/",
        views.goal_create,
        name="goal_create",
    ),
    path(
        "my/mentoring/pairings/<int:pairing_id>/goals/<int:goal_id>/edit/",
        views.goal_update,
        name="goal_update",
    ),
    path(
        "my/mentoring/pairings/<int:pairing_id>/goals/<int:goal_id>/progress/",
        views.progress_note_create,
        name="progress_note_create",
    ),
    path(
        "my/mentoring/pairings/<int:pairing_id>/check-ins/new/",
        views.check_in_create,
        name="check_in_create",
    ),
    path(
        "my/mentoring/pairings/<int:pairing_id>/flag-a-problem/",
        views.problem_report_create,
        name="problem_report_create",
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("pulse/<str:token>/", health_views.pulse, name="pulse"),
    path(
        "programs/<slug:program_slug>/cohorts/<slug:slug>/calendar.ics",
        views.cohort_calendar,
        name="cohort_calendar",
    ),
]
