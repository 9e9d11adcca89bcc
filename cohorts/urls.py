from django.urls import path, re_path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path(
        "programs/<slug:program_slug>/cohorts/<slug:slug>/",
        views.cohort_detail,
        name="cohort_detail",
    ),
    path("programs/<slug:slug>/tell-me/", views.subscribe, name="subscribe"),
    path("programs/<slug:slug>/tell-me/sent/", views.subscription_sent, name="subscription_sent"),
    re_path(
        r"^subscriptions/(?P<token>[A-Za-z0-9_\-]{20,64})/confirm/$",
        views.subscription_confirm,
        name="subscription_confirm",
    ),
    re_path(
        r"^subscriptions/(?P<token>[A-Za-z0-9_\-]{20,64})/unsubscribe/$",
        views.subscription_unsubscribe,
        name="subscription_unsubscribe",
    ),
]
