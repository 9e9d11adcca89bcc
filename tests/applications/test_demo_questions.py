"""The demo's programs ask their own questions, and ALCTS's matching compares the answers."""

from io import StringIO

import pytest
from django.core.management import call_command

from applications.models import ApplicationAnswer, CohortQuestion, ProgramQuestion
from cohorts.demo import DEMO_NOTE
from cohorts.models import Cohort, Program
from matching.models import Pairing, QuestionCriterion
from matching.services import match_run_start
from tests.cohorts.factories import CommitteeMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_demo_asks_alcts_framework_prompts_and_matches_on_language(
    django_capture_on_commit_callbacks,
):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    alcts = Program.objects.get(slug="alcts")
    labels = set(ProgramQuestion.objects.filter(program=alcts).values_list("label", flat=True))
    assert {
        "Why do you want to be mentored?",
        "What type of mentoring relationship are you seeking?",
        "Why do you want to be a mentor?",
        "Language you would like to mentor in",
    } <= labels
    assert not Program.objects.get(slug="alsc").allows_both_roles
    assert Program.objects.get(slug="core").allows_both_roles

    cohort = Cohort.objects.get(program=alcts, notes=DEMO_NOTE)
    assert CohortQuestion.objects.filter(cohort=cohort).count() == len(labels)
    assert ApplicationAnswer.objects.filter(question__cohort=cohort).count() > 100
    assert QuestionCriterion.objects.filter(cohort=cohort).count() == 2

    chair = CommitteeMembershipFactory(program=alcts, role="chair").user
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(cohort=cohort, started_by=chair, weights={})
    run.refresh_from_db()
    assert run.status == "done", run.error
    reasons = [r for p in Pairing.objects.filter(run=run) for r in p.reasons]
    assert any(r.startswith("both chose: ") for r in reasons)
    assert any(r.startswith("mentee's preferred relationship: ") for r in reasons)
