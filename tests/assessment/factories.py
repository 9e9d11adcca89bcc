import factory

from assessment.models import Invitation, Question, QuestionKind, Survey
from matching.models import Pairing
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    """A cohort's survey; fetched when the cohort already has it (CohortFactory(surveys=True))."""

    class Meta:
        model = Survey
        django_get_or_create = ["cohort", "audience"]

    cohort = factory.SubFactory(CohortFactory, phase="assessment")
    audience = "mentee"
    title = "End-of-program survey"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(int)
    code = factory.Sequence(lambda n: f"question_{n}")
    kind = QuestionKind.LIKERT
    text = factory.Sequence(lambda n: f"Question {n}?")
    low_label = "Disagree"
    high_label = "Agree"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    application = factory.SubFactory(
        ApplicationFactory,
        cohort=factory.SelfAttribute("..survey.cohort"),
        role=factory.SelfAttribute("..survey.audience"),
        status="accepted",
    )
    user = factory.SelfAttribute("application.applicant")


def active_pairing(cohort, **kwargs) -> Pairing:
    return PairingFactory(cohort=cohort, status=Pairing.Status.ACTIVE, **kwargs)
