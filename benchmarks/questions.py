"""A cohort of 2,000 applications with 20 of the program's own questions: is its score matrix
built in the same order of time as without them? (Issue 17.)

Builds a throwaway database (<name>_bench, created and dropped here) with 1,200 mentees and
800 mentors, 20 questions (6 single choice, 4 multiple choice, 4 yes/no, 3 scales, 3 text) all
answered, and the 17 that can be compared used as matching criteria (same, different,
overlap, closeness). Times, best of several repeats:

- score: matching.scoring.build_scores over the loaded pool, without and with the criteria;
- load + score: matching.loading.load_pool (with the answers the criteria compare) and then
  the matrix, without and with.

"Without" and "with" run alternately and the best of each is kept: the machines these run on
are shared, and a busy moment should not favor either side.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring \\
        .venv/bin/python benchmarks/questions.py
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

REPEATS = 9
MENTEES, MENTORS = 1200, 800
LANGUAGES = ["English", "Spanish", "French", "Tagalog", "Mandarin Chinese", "ASL"]
KINDS = (
    ["choice"] * 6 + ["multiple_choice"] * 4 + ["yes_no"] * 4 + ["scale"] * 3 + ["long_text"] * 3
)


def main() -> None:
    with throwaway_database():
        run_benchmark()


def _best_of_pair(without, with_) -> tuple[float, float, object]:
    """Best times of two calls run alternately (the machine is shared: alternating keeps a
    busy moment from favoring one side)."""
    times_without, times_with, result = [], [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        without()
        times_without.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = with_()
        times_with.append(time.perf_counter() - started)
    return min(times_without), min(times_with), result


def _value(rng: random.Random, question):
    if question.kind == "choice":
        return rng.choice(question.choice_list())
    if question.kind == "multiple_choice":
        return rng.sample(question.choice_list(), k=rng.randint(1, 3))
    if question.kind == "yes_no":
        return rng.random() < 0.5
    if question.kind == "scale":
        return rng.randint(1, 5)
    return "Some words about why, " * rng.randint(1, 8)


def _questions_and_answers(cohort, applications) -> list:
    from applications.models import ApplicationAnswer, CohortQuestion, CohortQuestionnaire
    from matching.models import QuestionCriterion

    CohortQuestionnaire.objects.create(cohort=cohort)
    questions = CohortQuestion.objects.bulk_create(
        [
            CohortQuestion(
                cohort=cohort,
                label=f"Question {n + 1}",
                kind=kind,
                choices="\n".join(LANGUAGES) if kind in ("choice", "multiple_choice") else "",
                section="working",
                order=n,
            )
            for n, kind in enumerate(KINDS)
        ]
    )
    rng = random.Random(17)
    ApplicationAnswer.objects.bulk_create(
        [
            ApplicationAnswer(application=a, question=q, value=_value(rng, q))
            for a in applications
            for q in questions
        ],
        batch_size=5000,
    )
    rules = {
        "choice": "same",
        "multiple_choice": "overlap",
        "yes_no": "different",
        "scale": "closeness",
    }
    QuestionCriterion.objects.bulk_create(
        [
            QuestionCriterion(cohort=cohort, mentee_question=q, rule=rules[q.kind], weight=1.0)
            for q in questions
            if q.kind in rules
        ]
    )
    return questions


def run_benchmark() -> None:
    from applications.models import Application
    from cohorts.models import AreaOfInterest, Program
    from cohorts.services import cohort_create
    from matching.loading import load_pool
    from matching.scoring import Weights, build_scores
    from tests.matching.bulk import bulk_cohort

    program = Program.objects.create(
        name="Benchmark Program", short_name="Bench", slug="bench", organization="Bench",
        description="Benchmark",
    )  # fmt: skip
    areas = [
        AreaOfInterest.objects.create(program=program, name=f"Area {n}", slug=f"area-{n}", order=n)
        for n in range(8)
    ]
    today = dt.date.today()
    cohort = cohort_create(
        program=program,
        name="Bench cohort",
        slug="bench",
        applications_open=today - dt.timedelta(days=60),
        applications_close=today - dt.timedelta(days=10),
        pairings_notified=today + dt.timedelta(days=20),
        mentoring_starts=today + dt.timedelta(days=30),
        mentoring_ends=today + dt.timedelta(days=210),
        assessment_closes=today + dt.timedelta(days=240),
    )
    bulk_cohort(cohort, mentees=MENTEES, mentors=MENTORS, areas=areas, pairs=0)
    weights = Weights()

    plain = load_pool(cohort)
    _questions_and_answers(cohort, list(Application.objects.filter(cohort=cohort)))
    asked = load_pool(cohort)
    assert len(asked.criteria) == 17, asked.criteria
    score_without, score_with, matrix = _best_of_pair(
        lambda: build_scores(plain.mentee_people, plain.mentor_people, weights),
        lambda: build_scores(asked.mentee_people, asked.mentor_people, weights, asked.criteria),
    )
    # The same database both times: without criteria no answer is read.
    load_without, load_with, _pool = _best_of_pair(
        lambda: load_pool(cohort, criteria=[]), lambda: load_pool(cohort)
    )

    print(
        f"cohort: {len(asked.mentees)} mentees x {len(asked.mentors)} mentors, "
        f"20 questions ({len(asked.criteria)} used as criteria), "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"best of {REPEATS}"
    )
    print(f"score matrix  without {score_without:7.3f} s   with {score_with:7.3f} s   "
          f"ratio {score_with / score_without:5.2f}")  # fmt: skip
    print(f"load pool     without {load_without:7.3f} s   with {load_with:7.3f} s   "
          f"ratio {load_with / load_without:5.2f}")  # fmt: skip
    total_without, total_with = score_without + load_without, score_with + load_with
    print(f"load + score  without {total_without:7.3f} s   with {total_with:7.3f} s   "
          f"ratio {total_with / total_without:5.2f}")  # fmt: skip
    print(
        f"RESULT score_ratio={score_with / score_without:.2f} "
        f"load_and_score_ratio={total_with / total_without:.2f} matrix={matrix.shape}"
    )


if __name__ == "__main__":
    main()
