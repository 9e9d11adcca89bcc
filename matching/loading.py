"""The ORM side of matching: a cohort's accepted applications as scoring.Person objects, and
the score and allowed matrices the engine takes.

A "both" applicant appears once among the mentees and once among the mentors; their user key
keeps them from being paired with themselves (scoring.forbidden_pairs) and the reciprocal
couples keep A->B and B->A out of one result (engine.solve(reciprocal=...)).
"""

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from django.db.models import TextField
from django.db.models.functions import Cast

from applications.choices import OUTSIDE_US
from applications.models import Application, ApplicationAnswer, CohortQuestion
from applications.questions.kinds import QuestionKind, as_set
from cohorts.models import Cohort

from .models import QuestionCriterion
from .scoring import (
    AnswerCriterion,
    Person,
    Weights,
    build_scores,
    forbidden_pairs,
    reciprocal_pairs,
)


def region_of(application: Application) -> str:
    """The US state or territory code ("IL", "GU"), or "INTL:<country>" outside the US."""
    if application.state and application.state != OUTSIDE_US:
        return application.state
    country = " ".join(application.country.split()).casefold()
    return f"INTL:{country}" if country else ""


def utc_offset_hours(time_zone: str, on: dt.date, fallback: zoneinfo.ZoneInfo) -> float:
    """The zone's offset from UTC at noon on `on` (the cohort's start: daylight saving counts)."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone) if time_zone else fallback
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = fallback
    offset = dt.datetime.combine(on, dt.time(12), tzinfo=zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def answer_value(kind: str, value):
    """A stored answer as the scoring module compares it: an integer for a scale, else a set
    of words (see matching/scoring/answers.py)."""
    if kind == QuestionKind.SCALE:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return as_set(kind, value) or None


def _answers(application: Application) -> dict:
    """The answers the criteria compare, by question id, as load_pool (or a prefetch of
    `criterion_answers`) attached them."""
    if hasattr(application, "compared_answers"):
        return application.compared_answers
    return {
        a.question_id: answer_value(a.question.kind, a.value)
        for a in getattr(application, "criterion_answers", ())
    }


def _attach_answers(applications: Sequence[Application], question_ids: set[int]) -> None:
    """Each application's answers to `question_ids`, as plain values (two queries: plain rows,
    no model instances, for the thousands of answers of a large cohort)."""
    for application in applications:
        application.compared_answers = {}
    if not question_ids or not applications:
        return
    kinds = dict(CohortQuestion.objects.filter(pk__in=question_ids).values_list("pk", "kind"))
    by_id = {a.pk: a for a in applications}
    rows = list(
        ApplicationAnswer.objects.filter(
            application__cohort_id=applications[0].cohort_id,
            application__status=Application.Status.ACCEPTED,
            question_id__in=question_ids,
        )
        .annotate(text=Cast("value", TextField()))
        .values_list("application_id", "question_id", "text")
    )
    # One JSON document for every answer: tens of thousands of small decodes cost more than
    # the query itself.
    values = json.loads("[" + ",".join(text for _a, _q, text in rows) + "]")
    for (application_id, question_id, _text), value in zip(rows, values, strict=True):
        application = by_id.get(application_id)
        if application is not None:
            application.compared_answers[question_id] = answer_value(kinds[question_id], value)


def person_of(application: Application, *, cohort: Cohort) -> Person:
    """One application as the scoring module sees it. Uses the prefetched `areas` (and the
    answers the cohort's question criteria compare, when load_pool prefetched them).

    Demographics are the applicant's own opt-in answers; they only ever count toward a
    preference someone asked for and are never shown to the other party.
    """
    return Person(
        key=application.pk,
        user_key=application.applicant_id,
        name=application.full_name,
        areas=frozenset(area.slug for area in application.areas.all()),
        library_type=application.library_type,
        library_type_preference=application.library_type_preference or "none",
        years_experience=application.years_experience or 0,
        region=region_of(application),
        utc_offset_hours=utc_offset_hours(
            application.time_zone, cohort.mentoring_starts, cohort.tz
        ),
        prefers_near=application.prefers_same_region,
        meeting_modes=frozenset(application.meeting_modes or ()),
        employer=application.employer,
        demographics=frozenset(application.demographics or ()),
        demographic_preference=frozenset(application.demographic_preference or ()),
        priority=application.priority,
        answers=_answers(application),
    )


@dataclass
class CohortPool:
    """The accepted applications of a cohort, split into the two sides of the matrix."""

    cohort: Cohort
    mentees: list[Application] = field(default_factory=list)
    mentors: list[Application] = field(default_factory=list)
    mentee_people: list[Person] = field(default_factory=list)
    mentor_people: list[Person] = field(default_factory=list)
    mentee_pos: dict[int, int] = field(default_factory=dict)
    mentor_pos: dict[int, int] = field(default_factory=dict)
    capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    area_names: dict[str, str] = field(default_factory=dict)
    criteria: list[AnswerCriterion] = field(default_factory=list)


def pool_from(
    cohort: Cohort,
    applications: Sequence[Application],
    criteria: Sequence[AnswerCriterion] = (),
) -> CohortPool:
    pool = CohortPool(cohort=cohort, criteria=list(criteria))
    for application in applications:
        application.cohort = cohort  # spare a query per application (mentor_capacity)
        person = person_of(application, cohort=cohort)
        if application.is_mentee:
            pool.mentee_pos[application.pk] = len(pool.mentees)
            pool.mentees.append(application)
            pool.mentee_people.append(person)
        if application.is_mentor:
            pool.mentor_pos[application.pk] = len(pool.mentors)
            pool.mentors.append(application)
            pool.mentor_people.append(person)
    pool.capacity = np.array([a.mentor_capacity for a in pool.mentors], dtype=np.int64)
    pool.area_names = dict(cohort.program.areas.values_list("slug", "name"))
    return pool


def answer_criteria(cohort: Cohort) -> list[AnswerCriterion]:
    """The cohort's criteria drawn from its own questions, as plain data (one query)."""
    rows = (
        QuestionCriterion.objects.filter(cohort=cohort, weight__gt=0)
        .select_related("mentee_question", "mentor_question")
        .order_by("pk")
    )
    criteria, keys = [], set()
    for row in rows:
        mentee_q, mentor_q = row.mentee_question, row.compared_question
        name = mentee_q.name
        key = f"answer: {name}"
        if key in keys:
            key = f"{key} ({row.pk})"
        keys.add(key)
        criteria.append(
            AnswerCriterion(
                key=key,
                name=name,
                mentee_question=mentee_q.pk,
                mentor_question=mentor_q.pk,
                rule=row.rule,
                weight=float(row.weight),
                yes_no=mentee_q.kind == QuestionKind.YES_NO,
                mentor_name=mentor_q.name if mentor_q.pk != mentee_q.pk else "",
            )
        )
    return criteria


def criteria_as_data(criteria: Sequence[AnswerCriterion]) -> list[dict]:
    """For a run's record (MatchRun.weights["answer_criteria"]), read back by criteria_from."""
    return [asdict(c) for c in criteria]


def criteria_from(data) -> list[AnswerCriterion]:
    return [AnswerCriterion(**item) for item in data or []]


def load_pool(cohort: Cohort, criteria: Sequence[AnswerCriterion] | None = None) -> CohortPool:
    """Load the cohort's accepted applications (a fixed number of queries, whatever the size
    and however many questions): with the answers to the questions `criteria` compare (the
    cohort's current criteria when None)."""
    cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
    if criteria is None:
        criteria = answer_criteria(cohort)
    applications = list(
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .select_related("applicant")
        .prefetch_related("areas")
        .order_by("pk")
    )
    if criteria:
        compared = {c.mentee_question for c in criteria} | {c.mentor_question for c in criteria}
        _attach_answers(applications, compared)
    return pool_from(cohort, applications, criteria)


def score_matrix(pool: CohortPool, weights: Weights) -> np.ndarray:
    return build_scores(pool.mentee_people, pool.mentor_people, weights, pool.criteria).total


def allowed_matrix(
    pool: CohortPool,
    *,
    exclude_same_employer: bool,
    exclusions: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Pairs the rules allow: not oneself, not the same employer (if the cohort says so), not
    excluded by the committee ((mentee application id, mentor application id) pairs)."""
    return forbidden_pairs(
        pool.mentee_people,
        pool.mentor_people,
        exclude_same_employer=exclude_same_employer,
        excluded_keys=list(exclusions),
    )


def reciprocal_couples(pool: CohortPool, allowed: np.ndarray) -> list:
    """A->B / B->A couples the engine must not both choose; only those where both are allowed."""
    return [
        (first, second)
        for first, second in reciprocal_pairs(pool.mentee_people, pool.mentor_people)
        if allowed[first] and allowed[second]
    ]
