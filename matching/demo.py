"""Demo data: every live demo cohort past its notification date gets its pairings; the ALCTS
cohort in matching stays unpaired, for a chair to run matching in the demo.

Runs after applications.demo.seed. For each such cohort (Core under way, ALCTS's previous cohort
still mentoring, ALSC's finished one) it pairs the accepted applicants with the engine (default
weights) and stores the pairs as announced on the cohort's notification date (active once
mentoring started, completed once it ended), without sending any email. Idempotent: a cohort
that has pairings is left as it is, and with no accepted applicants nothing happens.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from cohorts.models import Cohort, CommitteeMembership

from .engine import solve
from .loading import allowed_matrix, load_pool, reciprocal_couples, score_matrix
from .models import Pairing
from .scoring import Weights, explain


@transaction.atomic
def seed(*, today: dt.date | None = None) -> list[str]:
    now = timezone.now()
    lines = []
    cohorts = Cohort.objects.filter(notes__in=(DEMO_NOTE, DEMO_EARLIER_NOTE)).select_related(
        "program"
    )
    for cohort in cohorts.order_by("program__slug", "applications_open"):
        announced_at = dt.datetime.combine(cohort.pairings_notified, dt.time(9), tzinfo=cohort.tz)
        if announced_at <= now and not cohort.pairings.exists():
            lines += _pair(cohort, announced_at=announced_at, now=now)
    return lines


def _pair(cohort: Cohort, *, announced_at: dt.datetime, now: dt.datetime) -> list[str]:
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
    started = now >= dt.datetime.combine(cohort.mentoring_starts, dt.time.min, tzinfo=cohort.tz)
    ended = now > dt.datetime.combine(cohort.mentoring_ends, dt.time.max, tzinfo=cohort.tz)
    status = Pairing.Status.ANNOUNCED
    if started:
        status = Pairing.Status.COMPLETED if ended else Pairing.Status.ACTIVE
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
                status=status,
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
    return [f"Paired {len(pairings)} mentees in {cohort} ({Pairing.Status(status).label.lower()})."]
