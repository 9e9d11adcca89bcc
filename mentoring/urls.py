from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from cohorts import views as cohort_views

# The participant models moved from the matching app to the participants app; addresses in
# bookmarks and in emails already sent keep working.
MOVED_ADMIN = r"^admin/matching/(?P<rest>(?:attendance|calendarfeed|checkin|goal|goalprogressnote|pairingprogress|problemreport)/.*)$"  # noqa: E501

urlpatterns = [
    path("", cohort_views.home, name="home"),
    path("", include("cohorts.urls")),
    path("", include("applications.urls")),
    path("", include("participants.urls")),
    path("", include("assessment.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    re_path(
        MOVED_ADMIN, RedirectView.as_view(url="/admin/participants/%(rest)s", query_string=True)
    ),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
]
