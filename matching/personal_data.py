"""The matching app's part of "Your data" and of deleting an account (accounts.services)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.personal_data import Section
from applications.personal_data import full_names

from .models import AuditEntry, Pairing

FORMER_PARTICIPANT = "a former participant"


def _pairings(user):
    return (
        Pairing.objects.filter(Q(mentor__applicant=user) | Q(mentee__applicant=user))
        .filter(status__in=Pairing.ANNOUNCED_STATUSES)
        .select_related("cohort__program", "mentor", "mentee")
        .order_by("cohort__mentoring_starts", "pk")
    )


def section(*, user) -> Section:
    """The person's announced pairings: only what they were told (no scores or committee work)."""
    rows = []
    for pairing in _pairings(user):
        mine_as_mentor = pairing.mentor.applicant_id == user.pk
        partner = pairing.mentee if mine_as_mentor else pairing.mentor
        rows.append(
            {
                "program": pairing.cohort.program.name,
                "cohort": pairing.cohort.name,
                "your_role": "mentor" if mine_as_mentor else "mentee",
                "partner": partner.full_name,
                "status": pairing.get_status_display(),
                "announced": pairing.announced_at,
                "reasons": list(pairing.reasons or []),
            }
        )
    return Section("pairings", _("Your pairings"), rows)


def erase(*, user) -> None:
    """Replace the person's name in the committee's audit trail of their cohorts."""
    names = sorted(full_names(user=user), key=len, reverse=True)
    if not names:
        return
    cohorts = user.applications.values("cohort_id")
    for entry in AuditEntry.objects.filter(cohort_id__in=cohorts).only("pk", "summary"):
        summary = entry.summary
        for name in names:
            summary = summary.replace(name, FORMER_PARTICIPANT)
        if summary != entry.summary:
            AuditEntry.objects.filter(pk=entry.pk).update(summary=summary)
