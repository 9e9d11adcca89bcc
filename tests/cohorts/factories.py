import datetime as dt

import factory
from django.utils import timezone

from assessment.services import surveys_create_for_cohort
from cohorts.models import AreaOfInterest, Cohort, CommitteeMembership, Milestone, Program
from tests.accounts.factories import UserFactory

# Day offsets from today for each date of the timeline, by the phase the cohort should be in.
PHASE_OFFSETS = {
    "upcoming": dict(
        open=10, close=40, notified=70, orientation=80, starts=100, ends=280, assessment=310
    ),
    "accepting": dict(
        open=-10, close=20, notified=50, orientation=60, starts=75, ends=255, assessment=285
    ),
    "matching": dict(
        open=-60, close=-10, notified=20, orientation=25, starts=30, ends=210, assessment=240
    ),
    "orientation": dict(
        open=-90, close=-40, notified=-5, orientation=3, starts=10, ends=190, assessment=220
    ),
    "in_progress": dict(
        open=-150, close=-120, notified=-60, orientation=-50, starts=-30, ends=150, assessment=180
    ),
    "assessment": dict(
        open=-330, close=-300, notified=-260, orientation=-250, starts=-240, ends=-10, assessment=20
    ),
    "closed": dict(
        open=-400,
        close=-370,
        notified=-330,
        orientation=-320,
        starts=-310,
        ends=-40,
        assessment=-10,
    ),
}


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test Mentoring Program {n}")
    short_name = factory.Sequence(lambda n: f"TMP{n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    organization = "Test Library Association"
    description = "A mentoring program for tests."
    objectives = "Build skills\nBuild networks"
    guidelines = "Open to members only"
    time_zone = "America/Chicago"


class AreaOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaOfInterest

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    order = factory.Sequence(int)


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort whose whole dated timeline is built from today and the `phase` asked for."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    class Params:
        phase = "accepting"
        today = factory.LazyFunction(timezone.localdate)

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"{2030 + n} cohort")
    slug = factory.Sequence(lambda n: f"cohort-{n}")

    @factory.lazy_attribute
    def applications_open(self):
        return _day(self, "open")

    @factory.lazy_attribute
    def applications_close(self):
        return _day(self, "close")

    @factory.lazy_attribute
    def pairings_notified(self):
        return _day(self, "notified")

    @factory.lazy_attribute
    def orientation_date(self):
        return _day(self, "orientation")

    @factory.lazy_attribute
    def mentoring_starts(self):
        return _day(self, "starts")

    @factory.lazy_attribute
    def mentoring_ends(self):
        return _day(self, "ends")

    @factory.lazy_attribute
    def assessment_closes(self):
        return _day(self, "assessment")

    @factory.post_generation
    def surveys(obj, create, extracted, **kwargs):
        """`CohortFactory(surveys=True)` also gives the cohort the default mentor and mentee
        surveys, as cohorts.services.cohort_create does; without it the cohort has none."""
        if create and extracted:
            surveys_create_for_cohort(cohort=obj)


def _day(stub, key: str) -> dt.date:
    return stub.today + dt.timedelta(days=PHASE_OFFSETS[stub.phase][key])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    cohort = factory.SubFactory(CohortFactory)
    title = "Virtual networking session"
    kind = Milestone.Kind.NETWORKING
    date = factory.LazyAttribute(lambda o: o.cohort.mentoring_starts + dt.timedelta(days=30))


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = CommitteeMembership.Role.MEMBER
