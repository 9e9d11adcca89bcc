"""Demo data: the ALSC cohort that is under way gets its pairings; ALCTS stays unpaired.

Runs after applications.demo.seed. For the ALSC in-progress demo cohort it pairs the accepted
applicants with the engine (default weights) and stores the pairs as active, announced on the
cohort's notification date, without sending any email. The ALCTS cohort, in its matching phase,
is left for a chair to run matching in the demo. Idempotent: a cohort that has pairings is left
as it is, and with no accepted applicants nothing happens.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cohorts.demo import DEMO_NOTE
from cohorts.models import Cohort, CommitteeMembership

from .engine import solve
from .loading import allowed_matrix, load_pool, reciprocal_couples, score_matrix
from .models import Pairing
from .scoring import Weights, explain


@transaction.atomic
def seed(*, today: dt.date | None = None) -> list[str]:
    cohort = (
        Cohort.objects.filter(program__slug="alsc", notes=DEMO_NOTE)
        .select_related("program")
        .first()
    )
    if cohort is None or cohort.pairings.exists():
        return []
    pool = load_pool(cohort)
    if not pool.mentees or not pool.mentors:
        return []
    weights = Weights()
    scores = score_matrix(pool, weights)
    allowed = allowed_matrix(pool, exclude_same_employer=True)
    result = solve(
        scores, pool.capacity, allowed, reciprocal=reciprocal_couples(pool, allowed) or None
    )
    chair = (
        CommitteeMembership.objects.filter(
            program=cohort.program, role=CommitteeMembership.Role.CHAIR
        )
        .select_related("user")
        .first()
    )
    announced_at = dt.datetime.combine(cohort.pairings_notified, dt.time(9), tzinfo=cohort.tz)
    started = timezone.now() >= dt.datetime.combine(
        cohort.mentoring_starts, dt.time.min, tzinfo=cohort.tz
    )
    pairings = []
    for i, j in enumerate(result.mentor_of.tolist()):
        if j < 0:
            continue
        explanation = explain(
            pool.mentee_people[i], pool.mentor_people[j], weights, pool.area_names, pool.criteria
        )
        pairings.append(
            Pairing(
                cohort=cohort,
                mentor=pool.mentors[j],
                mentee=pool.mentees[i],
                status=Pairing.Status.ACTIVE if started else Pairing.Status.ANNOUNCED,
                source=Pairing.Source.ENGINE,
                score=float(scores[i, j]),
                breakdown=explanation.points,
                reasons=explanation.reasons,
                approved_by=chair.user if chair else None,
                approved_at=announced_at - dt.timedelta(days=3),
                announced_at=announced_at,
            )
        )
    Pairing.objects.bulk_create(pairings)
    return [f"Paired {len(pairings)} mentees in {cohort} (announced, under way)."]
