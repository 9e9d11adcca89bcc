import datetime as dt

import factory

from matching.models import Exclusion, MatchRun, Pairing
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory


class PairingFactory(factory.django.DjangoModelFactory):
    """A pairing of two accepted applicants of the same cohort (proposed by default)."""

    class Meta:
        model = Pairing

    cohort = factory.SubFactory(CohortFactory, phase="matching")
    mentor = factory.SubFactory(
        ApplicationFactory,
        cohort=factory.SelfAttribute("..cohort"),
        role="mentor",
        status="accepted",
    )
    mentee = factory.SubFactory(
        ApplicationFactory,
        cohort=factory.SelfAttribute("..cohort"),
        role="mentee",
        status="accepted",
    )
    status = Pairing.Status.PROPOSED
    source = Pairing.Source.ENGINE
    score = 10.0


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    cohort = factory.SubFactory(CohortFactory, phase="matching")
    status = MatchRun.Status.DONE


class ExclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exclusion

    cohort = factory.SubFactory(CohortFactory, phase="matching")
    mentee = factory.SubFactory(
        ApplicationFactory, cohort=factory.SelfAttribute("..cohort"), role="mentee"
    )
    mentor = factory.SubFactory(
        ApplicationFactory, cohort=factory.SelfAttribute("..cohort"), role="mentor"
    )
    reason = "Same department."


class AnnouncedPairingFactory(PairingFactory):
    """A pairing the partners know of, in a cohort where formal mentoring is under way."""

    cohort = factory.SubFactory(CohortFactory, phase="in_progress")
    status = Pairing.Status.ACTIVE
    announced_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.cohort.pairings_notified, dt.time(10), o.cohort.tz)
    )
