import factory
from django.utils import timezone

from applications.choices import LibraryType, MeetingMode, MembershipStatus, Role
from applications.models import (
    Application,
    ApplicationAnswer,
    CohortQuestion,
    CohortQuestionnaire,
    ProgramQuestion,
)
from applications.questions.kinds import CHOICE_KINDS, QuestionKind
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory, ProgramFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete, submitted application; pass status=Application.Status.DRAFT for a draft.

    `areas` takes a list of AreaOfInterest; by default one area of the cohort's program is made.
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    applicant = factory.SubFactory(UserFactory)
    role = Role.MENTEE
    status = Application.Status.SUBMITTED
    full_name = factory.LazyAttribute(lambda o: o.applicant.full_name or "Pat Applicant")
    pronouns = ""
    email = factory.LazyAttribute(lambda o: o.applicant.email)
    job_title = "Cataloging Librarian"
    employer = factory.Sequence(lambda n: f"Example Library {n}")
    library_type = LibraryType.ACADEMIC
    state = "IL"
    time_zone = "America/Chicago"
    years_experience = factory.LazyAttribute(lambda o: 15 if o.role == Role.MENTOR else 3)
    membership_status = MembershipStatus.MEMBER
    membership_number = factory.Sequence(lambda n: f"{1000000 + n}")
    membership_attested = True
    mentee_goals = factory.LazyAttribute(
        lambda o: "Grow into a leadership role." if o.role != Role.MENTOR else ""
    )
    mentor_offer = factory.LazyAttribute(
        lambda o: "Twenty years in technical services." if o.role != Role.MENTEE else ""
    )
    meeting_modes = factory.LazyFunction(lambda: [MeetingMode.VIDEO, MeetingMode.EMAIL])
    hours_per_month = 4
    capacity = factory.LazyAttribute(lambda o: 1 if o.role != Role.MENTEE else None)
    commits_orientation = True
    commits_assessment = True
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Application.Status.DRAFT else timezone.now()
    )

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [AreaOfInterestFactory(program=obj.cohort.program)]
        obj.areas.set(extracted)


class MentorApplicationFactory(ApplicationFactory):
    role = Role.MENTOR


class AcceptedApplicationFactory(ApplicationFactory):
    status = Application.Status.ACCEPTED


class ProgramQuestionFactory(factory.django.DjangoModelFactory):
    """One of a program's own questions; a single choice of languages unless told otherwise."""

    class Meta:
        model = ProgramQuestion

    program = factory.SubFactory(ProgramFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.CHOICE
    choices = factory.LazyAttribute(
        lambda o: "English\nSpanish\nFrench" if o.kind in CHOICE_KINDS else ""
    )
    section = "interests"
    order = factory.Sequence(lambda n: n)


class CohortQuestionFactory(factory.django.DjangoModelFactory):
    """A question in a cohort's own copy (as if taken from its program when the call opened)."""

    class Meta:
        model = CohortQuestion
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    label = factory.Sequence(lambda n: f"Cohort question {n}")
    kind = QuestionKind.CHOICE
    choices = factory.LazyAttribute(
        lambda o: "English\nSpanish\nFrench" if o.kind in CHOICE_KINDS else ""
    )
    section = "interests"
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def frozen(obj, create, extracted, **kwargs):
        if create:
            CohortQuestionnaire.objects.get_or_create(cohort=obj.cohort)


def answer(application, question, value) -> ApplicationAnswer:
    return ApplicationAnswer.objects.create(application=application, question=question, value=value)
