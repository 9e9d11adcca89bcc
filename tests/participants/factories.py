import factory
from django.utils import timezone

from participants.models import CheckIn, Goal, GoalProgressNote
from tests.matching.factories import AnnouncedPairingFactory


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    pairing = factory.SubFactory(AnnouncedPairingFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    specific = "Lead a storytime."
    measurable = "Three sessions held."
    achievable = "The branch runs storytimes weekly."
    relevant = "Early literacy is the mentee's focus."
    time_bound = "By the fourth month."
    target_date = factory.LazyAttribute(lambda o: o.pairing.cohort.mentoring_ends)
    created_by = factory.LazyAttribute(lambda o: o.pairing.mentee.applicant)


class GoalProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalProgressNote

    goal = factory.SubFactory(GoalFactory)
    author = factory.LazyAttribute(lambda o: o.goal.pairing.mentee.applicant)
    date = factory.LazyFunction(timezone.localdate)
    note = "Drafted the plan."


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    pairing = factory.SubFactory(AnnouncedPairingFactory)
    date = factory.LazyFunction(timezone.localdate)
    mode = CheckIn.Mode.VIDEO
    notes = ""
    logged_by = factory.LazyAttribute(lambda o: o.pairing.mentor.applicant)
