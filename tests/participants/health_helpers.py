"""Pairs under way for the match-health tests, built from one anchor: the introduction."""

import datetime as dt

from django.utils import timezone

from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory


def introduced_pair(program=None, *, days_ago: int = 20, cohort=None, signed_in: bool = True):
    """An active pairing introduced `days_ago` days ago, both partners signed in since.

    Counted in program time, as match health counts: the introduction's date is exactly
    `days_ago` days before today there, at this time of day, whatever daylight saving time
    did in between (24-hour days from now are a day short across a November change, near
    local midnight)."""
    cohort = cohort or CohortFactory(program=program, phase="in_progress")
    pairing = AnnouncedPairingFactory(cohort=cohort)
    now = timezone.now().astimezone(cohort.tz)
    introduced = dt.datetime.combine(now.date() - dt.timedelta(days=days_ago), now.time())
    pairing.announced_at = introduced.replace(tzinfo=cohort.tz)
    pairing.save(update_fields=["announced_at"])
    if signed_in:
        for application in (pairing.mentor, pairing.mentee):
            application.applicant.last_login = timezone.now()
            application.applicant.save(update_fields=["last_login"])
    return pairing
