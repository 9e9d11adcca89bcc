"""Pairs under way for the match-health tests, built from one anchor: the introduction."""

import datetime as dt

from django.utils import timezone

from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory


def introduced_pair(program=None, *, days_ago: int = 20, cohort=None, signed_in: bool = True):
    """An active pairing introduced `days_ago` days ago, both partners signed in since."""
    cohort = cohort or CohortFactory(program=program, phase="in_progress")
    pairing = AnnouncedPairingFactory(cohort=cohort)
    pairing.announced_at = timezone.now() - dt.timedelta(days=days_ago)
    pairing.save(update_fields=["announced_at"])
    if signed_in:
        for application in (pairing.mentor, pairing.mentee):
            application.applicant.last_login = timezone.now()
            application.applicant.save(update_fields=["last_login"])
    return pairing
