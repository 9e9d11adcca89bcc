"""Demo data: the programs' own questions, and answers from the demo applicants.

ALCTS asks its framework prompts (mentees: why they want to be mentored and the relationship
they seek; mentors: why they want to mentor, their goals, and the relationships they can
offer) and the language each would like to mentor in. The time each can commit and the ways
of communicating are the built-in "hours a month" and "ways to meet" questions. ALSC's
"connection to library service to children" is built in too (its mentees answer it with their
age, an eligibility rule), so it is not asked twice.

Idempotent: questions are looked up by program and wording, answers by application and
question; nothing someone edited is overwritten.
"""

import random

from django.db import transaction

from cohorts.demo import DEMO_NOTE
from cohorts.models import Cohort, Program

from .models import Application, ApplicationAnswer, CohortQuestion, ProgramQuestion
from .questions.kinds import QuestionKind
from .questions.services import cohort_questions_freeze

RELATIONSHIPS = [
    "Career guidance",
    "Skill building",
    "Leadership development",
    "Navigating ALCTS and committee work",
    "Research and publishing",
    "A sounding board",
]
LANGUAGES = ["English", "Spanish", "Mandarin Chinese", "Tagalog", "French"]

QUESTIONS = {
    "alcts": [
        dict(
            label="Why do you want to be mentored?",
            short_label="why mentored",
            kind=QuestionKind.LONG_TEXT,
            asked_of="mentee",
            section="mentee",
            order=1,
            required=True,
            max_length=1500,
        ),
        dict(
            label="What type of mentoring relationship are you seeking?",
            short_label="preferred relationship",
            kind=QuestionKind.MULTIPLE_CHOICE,
            asked_of="mentee",
            section="mentee",
            order=2,
            required=True,
            choices="\n".join(RELATIONSHIPS),
            shown_to_partner=True,
        ),
        dict(
            label="Why do you want to be a mentor?",
            short_label="why mentor",
            kind=QuestionKind.LONG_TEXT,
            asked_of="mentor",
            section="mentor",
            order=1,
            required=True,
            max_length=1500,
        ),
        dict(
            label="What are your goals as a mentor?",
            short_label="goals as a mentor",
            kind=QuestionKind.LONG_TEXT,
            asked_of="mentor",
            section="mentor",
            order=2,
            max_length=1500,
        ),
        dict(
            label="What kinds of mentoring relationship can you offer?",
            short_label="relationships offered",
            kind=QuestionKind.MULTIPLE_CHOICE,
            asked_of="mentor",
            section="mentor",
            order=3,
            required=True,
            choices="\n".join(RELATIONSHIPS),
            shown_to_partner=True,
        ),
        dict(
            label="Language you would like to mentor in",
            short_label="language",
            help_text="The committee tries to pair people who chose the same language.",
            kind=QuestionKind.CHOICE,
            asked_of="everyone",
            section="working",
            order=1,
            required=True,
            choices="\n".join(LANGUAGES),
            shown_to_partner=True,
        ),
    ],
}

WHY_MENTORED = [
    "I am two years into cataloging and want help planning the next step.",
    "I moved from a public library into acquisitions and would like a guide to the field.",
    "I want to grow into a leadership role and learn how ALCTS committees work.",
]
WHY_MENTOR = [
    "Someone mentored me early on; I would like to do the same for a colleague.",
    "I enjoy helping new technical services librarians find their footing.",
]


def _answer(rng: random.Random, question: CohortQuestion):
    if question.kind == QuestionKind.LONG_TEXT:
        return rng.choice(WHY_MENTOR if question.section == "mentor" else WHY_MENTORED)
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return sorted(
            rng.sample(question.choice_list(), k=rng.randint(1, 3)),
            key=question.choice_list().index,
        )
    if question.kind == QuestionKind.CHOICE:
        # Mostly English, with enough Spanish and others for the criterion to matter.
        return rng.choices(question.choice_list(), weights=[6, 3, 1, 1, 1])[0]
    return None


def _answer_all(cohort: Cohort) -> int:
    """Answers for the cohort's submitted demo applications that have none yet."""
    questions = list(CohortQuestion.objects.filter(cohort=cohort, archived_at__isnull=True))
    answered = set(
        ApplicationAnswer.objects.filter(question__cohort=cohort).values_list(
            "application_id", "question_id"
        )
    )
    new = []
    applications = Application.objects.filter(cohort=cohort).exclude(
        status=Application.Status.DRAFT
    )
    for application in applications.order_by("pk"):
        rng = random.Random(application.pk)
        roles = ["mentor", "mentee"] if application.role == "both" else [application.role]
        for question in questions:
            if (application.pk, question.pk) in answered or not question.applies_to(roles):
                continue
            value = _answer(rng, question)
            if value is not None:
                new.append(
                    ApplicationAnswer(application=application, question=question, value=value)
                )
    ApplicationAnswer.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def seed() -> list[str]:
    lines = []
    for slug, questions in QUESTIONS.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            continue
        for data in questions:
            data = dict(data)
            ProgramQuestion.objects.get_or_create(
                program=program, label=data.pop("label"), defaults=data
            )
        for cohort in Cohort.objects.filter(program=program, notes=DEMO_NOTE):
            # A cohort whose call has opened took its copy then.
            cohort_questions_freeze(cohort=cohort, now=cohort.applications_open_at)
            count = _answer_all(cohort)
            if count:
                lines.append(f"Answered {count} program questions in {cohort}.")
    return lines
