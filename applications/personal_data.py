"""The applications app's part of "Your data" and of deleting an account (accounts.services)."""

from django.utils.translation import gettext as _

from accounts.personal_data import Section

from .models import Application
from .summary import answer_summary

# Answers that name or reach the person, or that a reader could recognize them by. Blanked when
# the account is deleted; the rest (role, status, library type, region, areas, preferences)
# stays for the association's reports.
IDENTIFYING_FIELDS = (
    "full_name",
    "pronouns",
    "email",
    "job_title",
    "employer",
    "membership_number",
    "children_service_connection",
    "mentee_goals",
    "mentor_offer",
    "previous_mentoring",
    "committee_notes",
)


def _applications(user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__program")
        .prefetch_related("areas")
        .order_by("cohort__applications_open", "pk")
    )


def section(*, user) -> Section:
    return Section(
        "applications",
        _("Your applications"),
        [
            {
                "program": a.cohort.program.name,
                "cohort": a.cohort.name,
                "role": a.get_role_display() if a.role else "",
                "status": a.get_status_display(),
                "created": a.created_at,
                "submitted": a.submitted_at,
                "withdrawn": a.withdrawn_at,
                "decided": a.decided_at,
                "answers": {
                    title: dict(rows)
                    for title, rows in answer_summary(a, include_demographics=True)
                },
            }
            for a in _applications(user)
        ],
    )


def full_names(*, user) -> set[str]:
    """Every name the person gave on an application (for erasing it from other apps' text)."""
    names = set(Application.objects.filter(applicant=user).values_list("full_name", flat=True))
    names.add(user.full_name)
    return {name for name in names if name and len(name) >= 3}


def erase(*, user) -> None:
    """Remove the name and contact details from the person's applications; keep the rest."""
    Application.objects.filter(applicant=user).update(
        **dict.fromkeys(IDENTIFYING_FIELDS, ""), membership_attested=False
    )
