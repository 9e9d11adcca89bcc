"""Demo data: the standard survey templates of the three programs, the surveys of every demo
cohort, and a few fictional responses in the closed cohorts so the results page shows something.

Idempotent: templates and surveys are created only when missing, and a survey that already has
responses gets no more.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from applications.models import Application
from cohorts.models import Cohort, Program
from matching.models import Pairing

from .models import Invitation, QuestionKind, Survey
from .selectors import participants_for
from .services import response_submit, surveys_create_for_cohort
from .services import templates_ensure_for_program as ensure_templates

PROGRAMS = ("core", "alcts", "alsc")

# Used only when a closed demo cohort has no participants at all (all names are fictional).
FICTIONAL_COHORT = ("alsc", "2021-22")
FICTIONAL_MENTORS = [
    ("Rosalind Feathersby", "rosalind.feathersby@example.org", "Youth Services Manager"),
    ("Tobias Quennell", "tobias.quennell@example.org", "Children's Librarian III"),
    ("Marisol Etxeberria", "marisol.etxeberria@example.org", "Branch Manager"),
]
FICTIONAL_MENTEES = [
    ("Juniper Oyelaran", "juniper.oyelaran@example.org", "Library Associate"),
    ("Anselm Varga", "anselm.varga@example.org", "Children's Librarian I"),
    ("Priya Castellanos", "priya.castellanos@example.org", "MLIS student"),
    ("Wren Abernathy-Lowe", "wren.abernathy-lowe@example.org", "Storytime Coordinator"),
]

TEXTS = {
    "main_topic": [
        "Planning storytimes for toddlers",
        "Applying for my first full-time job",
        "Managing a small team",
        "Committee service and how to get started",
        "Work-life balance",
    ],
    "most_valuable": [
        "Having someone outside my library to think out loud with.",
        "The mock interview before my job application.",
        "Seeing how another system runs its summer reading program.",
        "Our monthly calls kept me moving on my goals.",
    ],
    "comments": [
        "A mid-point check-in from the committee would help pairs that drift.",
        "Please keep the networking session; I met three people I still talk to.",
        "More guidance on setting SMART goals in the first month.",
    ],
}


def _fictional_participants(cohort: Cohort) -> None:
    User = get_user_model()
    mentors, mentees = [], []
    for people, role, bucket in (
        (FICTIONAL_MENTORS, Application.Role.MENTOR, mentors),
        (FICTIONAL_MENTEES, Application.Role.MENTEE, mentees),
    ):
        for full_name, email, job in people:
            user, _created = User.objects.get_or_create(
                email=email, defaults={"full_name": full_name, "job_title": job}
            )
            application, _created = Application.objects.get_or_create(
                cohort=cohort,
                applicant=user,
                defaults={
                    "role": role,
                    "status": Application.Status.ACCEPTED,
                    "full_name": full_name,
                    "email": email,
                    "job_title": job,
                    "capacity": 2 if role == Application.Role.MENTOR else None,
                    "commits_assessment": True,
                },
            )
            bucket.append(application)
    for index, mentee in enumerate(mentees):
        Pairing.objects.get_or_create(
            cohort=cohort,
            mentee=mentee,
            defaults={
                "mentor": mentors[min(index, len(mentors) - 1)],
                "status": Pairing.Status.COMPLETED,
                "source": Pairing.Source.MANUAL,
            },
        )


def _answer(question, rng: random.Random):
    if question.kind == QuestionKind.LIKERT:
        return rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 6, 6])[0]
    if question.kind == QuestionKind.YES_NO:
        return rng.choices(["yes", "no"], weights=[5, 1])[0]
    options = [value for value, _label in question.options()]
    if question.kind == QuestionKind.SINGLE:
        return rng.choice(options)
    if question.kind == QuestionKind.MULTIPLE:
        return rng.sample(options, rng.randint(1, 2))
    pool = TEXTS.get(question.code)
    if pool and rng.random() < 0.7:
        return rng.choice(pool)
    return None


def _fictional_responses(survey: Survey) -> int:
    if survey.responses.exists():
        return 0
    rng = random.Random(f"{survey.cohort.program.slug}-{survey.cohort.slug}-{survey.audience}")
    sent = survey.opens_at + dt.timedelta(hours=9)
    questions = list(survey.questions.all())
    count = 0
    for application in participants_for(survey):
        invitation, _created = Invitation.objects.get_or_create(
            survey=survey,
            application=application,
            defaults={"user": application.applicant, "sent_at": sent},
        )
        if rng.random() < 0.25:
            continue  # some people never answer
        answers = {q.pk: _answer(q, rng) for q in questions}
        when = sent + dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
        response_submit(invitation=invitation, answers=answers, now=min(when, survey.closes_at))
        count += 1
    return count


@transaction.atomic
def seed() -> list[str]:
    responses = 0
    for program in Program.objects.filter(slug__in=PROGRAMS):
        ensure_templates(program=program)
        for cohort in program.cohorts.all():
            surveys_create_for_cohort(cohort=cohort)
    program_slug, cohort_slug = FICTIONAL_COHORT
    cohort = Cohort.objects.filter(program__slug=program_slug, slug=cohort_slug).first()
    if cohort is not None and not cohort.applications.exists():
        _fictional_participants(cohort)
    for survey in Survey.objects.filter(cohort__program__slug__in=PROGRAMS).select_related(
        "cohort__program"
    ):
        if survey.has_closed():
            responses += _fictional_responses(survey)
    if not responses:
        return []
    return [f"Assessment: {responses} fictional survey responses in the closed demo cohorts."]
