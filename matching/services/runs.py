"""Match runs: start one (the committee), execute it (a Celery task), store its proposals."""

import logging
import time

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts.models import Cohort
from cohorts.permissions import require_member

from ..engine import MatchingError, MatchResult, solve
from ..loading import (
    CohortPool,
    allowed_matrix,
    answer_criteria,
    criteria_as_data,
    criteria_from,
    load_pool,
    reciprocal_couples,
    score_matrix,
)
from ..models import (
    AuditEntry,
    Exclusion,
    MatchingSettings,
    MatchRun,
    Pairing,
    Proposal,
    QuestionCriterion,
)
from ..progress import estimate_seconds
from ..scoring import Weights, explain
from ..selectors import carried_priority_applicant_ids
from .audit import audit_record
from .locks import cohort_lock
from .pairings import withdraw_untrue

logger = logging.getLogger(__name__)


class PairingsChanged(Exception):
    """The cohort's pairings changed while the engine ran; the run is not saved."""


def match_run_start(
    *,
    cohort: Cohort,
    started_by,
    weights: dict,
    keep_locked: bool = True,
    exclude_same_employer: bool = True,
    criterion_weights: dict[int, float] | None = None,
) -> MatchRun:
    """Queue a run with these weights; the cohort keeps them as its settings for next time.

    A run replaces only proposals: approved and announced pairings always stay, and locked
    proposals too unless `keep_locked` is False.
    `criterion_weights` ({QuestionCriterion id: weight}) sets the weights of the cohort's
    criteria drawn from its own questions; the run records those criteria as they are now, so
    it scores and explains by them even if the committee changes them while it runs.

    The run executes in a Celery task enqueued on commit (in process when tasks are eager,
    and in process as a fallback when the broker cannot be reached).
    """
    require_member(started_by, cohort.program)
    weights = Weights.from_dict(weights).as_dict()
    mentees = Application.objects.filter(
        cohort=cohort, status=Application.Status.ACCEPTED
    ).as_mentee()
    estimate = estimate_seconds(program_id=cohort.program_id, mentees=mentees.count())
    with transaction.atomic():
        MatchingSettings.objects.update_or_create(
            cohort=cohort,
            defaults={"weights": weights, "exclude_same_employer": exclude_same_employer},
        )
        for criterion_id, weight in (criterion_weights or {}).items():
            QuestionCriterion.objects.filter(cohort=cohort, pk=criterion_id).update(
                weight=max(0.0, min(float(weight), 100.0))
            )
        weights["answer_criteria"] = criteria_as_data(answer_criteria(cohort))
        run = MatchRun.objects.create(
            cohort=cohort,
            started_by=started_by,
            weights=weights,
            constraints={
                "keep_locked": keep_locked,
                "exclude_same_employer": exclude_same_employer,
            },
            progress_message=_("Waiting for a worker to start."),
            estimated_seconds=estimate,
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from ..tasks import match_run_task

    try:
        match_run_task.delay(run_id)
    except Exception:  # the broker is down: a cohort solves in well under a second, run it here
        logger.warning("Could not enqueue match run %s; running it in process.", run_id)
        match_run_execute(run_id=run_id)


def _progress(run_id: int, percent: int, message: str, **fields) -> None:
    # A plain UPDATE outside any transaction, so the status page sees it at once.
    MatchRun.objects.filter(pk=run_id).update(
        progress=percent, progress_message=message[:200], **fields
    )


def match_run_execute(*, run_id: int) -> MatchRun:
    """Run a queued match run to the end. Safe to call twice: only a queued run starts."""
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=5,
        progress_message=_("Loading the accepted applications."),
    )
    run = MatchRun.objects.select_related("cohort__program", "started_by").get(pk=run_id)
    if not claimed:
        return run
    started = time.perf_counter()
    try:
        _execute_retrying(run, started)
    except (MatchingError, ValidationError, PairingsChanged) as error:
        message = " ".join(getattr(error, "messages", [str(error)]))
        _fail(run, started, message)
    except Exception as error:
        logger.exception("Match run %s failed", run_id)
        _fail(run, started, _("Unexpected error: %(error)s") % {"error": error})
    run.refresh_from_db()
    return run


def _fail(run: MatchRun, started: float, message: str) -> None:
    _progress(
        run.pk,
        100,
        _("Matching failed."),
        status=MatchRun.Status.FAILED,
        error=message,
        finished_at=timezone.now(),
        duration_seconds=time.perf_counter() - started,
    )


def _pairing_signature(cohort: Cohort) -> set[tuple]:
    return set(
        Pairing.objects.filter(cohort=cohort)
        .current()
        .values_list("pk", "status", "locked", "mentor_id", "mentee_id")
    )


# A run whose pairings changed while the engine solved (an approval, a lock) starts over with
# the new state this many times before it gives up and says so.
RUN_ATTEMPTS = 3


def _execute_retrying(run: MatchRun, started: float) -> None:
    for attempt in range(1, RUN_ATTEMPTS + 1):
        try:
            _execute(run, started)
        except PairingsChanged:
            if attempt == RUN_ATTEMPTS:
                raise
            logger.info("Match run %s: pairings changed while solving; again", run.pk)
        else:
            return


def _execute(run: MatchRun, started: float) -> None:
    cohort = run.cohort
    constraints = run.constraints or {}
    weights = Weights.from_dict(run.weights)

    priority_carry_forward(cohort=cohort)
    pool = load_pool(cohort, criteria_from(run.weights.get("answer_criteria")))
    before = _pairing_signature(cohort)
    kept, replaced = _kept_and_replaced(cohort, constraints)
    _progress(
        run.pk,
        20,
        _("Scoring %(mentees)s mentees against %(mentors)s mentors.")
        % {"mentees": len(pool.mentees), "mentors": len(pool.mentors)},
    )
    scores = score_matrix(pool, weights)
    exclusions = Exclusion.objects.filter(cohort=cohort).values_list("mentee_id", "mentor_id")
    allowed = allowed_matrix(
        pool,
        exclude_same_employer=constraints.get("exclude_same_employer", True),
        exclusions=list(exclusions),
    )
    capacity, locks = _keep(pool, kept, allowed)

    _progress(run.pk, 45, _("Finding the best assignment."))
    result = solve(
        scores, capacity, allowed, locks, reciprocal=reciprocal_couples(pool, allowed) or None
    )

    _progress(run.pk, 80, _("Saving the proposals."))
    with transaction.atomic():
        cohort_lock(cohort.pk)  # first, like every writer of pairings (locks.py)
        if _pairing_signature(cohort) != before:
            raise PairingsChanged(
                _("The pairings changed while matching ran; start the run again.")
            )
        Pairing.objects.filter(pk__in=replaced, status=Pairing.Status.PROPOSED).delete()
        proposals, pairings = _proposals(run, pool, result, scores, weights, kept)
        Proposal.objects.bulk_create(proposals)
        Pairing.objects.bulk_create(pairings)
        withdraw_untrue(cohort.pk)
        _record_done(
            run, started, result, pool, new=len(pairings), kept=len(kept), replaced=len(replaced)
        )


def _kept_and_replaced(cohort: Cohort, constraints: dict) -> tuple[list[Pairing], list[int]]:
    """The current pairings a new run keeps (every one but a proposal; locked proposals too
    unless the run says otherwise), and the ids of the proposals it replaces."""
    keep_locked = constraints.get("keep_locked", True)
    current = list(Pairing.objects.filter(cohort=cohort).current())
    kept = [p for p in current if p.status != Pairing.Status.PROPOSED or (p.locked and keep_locked)]
    kept_ids = {p.pk for p in kept}
    return kept, [p.pk for p in current if p.pk not in kept_ids]


def _keep(
    pool: CohortPool, kept: list[Pairing], allowed: np.ndarray
) -> tuple[np.ndarray, list[tuple]]:
    """The engine's capacities and locked pairs for the kept pairings; marks `allowed` so the
    committee's decisions stand over the rules and no kept pair is reversed."""
    capacity = pool.capacity.copy()
    locks = []
    for pairing in kept:
        i = pool.mentee_pos.get(pairing.mentee_id)
        j = pool.mentor_pos.get(pairing.mentor_id)
        if i is not None and j is not None:
            locks.append((i, j))
            allowed[i, j] = True  # the committee's decision stands over the rules
        elif j is not None:
            capacity[j] -= 1
        elif i is not None:
            allowed[i, :] = False
        reverse_i = pool.mentee_pos.get(pairing.mentor_id)
        reverse_j = pool.mentor_pos.get(pairing.mentee_id)
        if reverse_i is not None and reverse_j is not None:
            allowed[reverse_i, reverse_j] = False
    capacity[capacity < 0] = 0
    return capacity, locks


def _proposals(
    run: MatchRun,
    pool: CohortPool,
    result: MatchResult,
    scores: np.ndarray,
    weights: Weights,
    kept: list[Pairing],
) -> tuple[list[Proposal], list[Pairing]]:
    """A proposal, with its score and reasons, for every pair of the result; a new proposed
    pairing for each one whose mentee has no kept pairing."""
    kept_mentees = {p.mentee_id for p in kept}
    proposals, pairings = [], []
    for i, j in enumerate(result.mentor_of.tolist()):
        if j < 0:
            continue
        mentee, mentor = pool.mentees[i], pool.mentors[j]
        explanation = explain(
            pool.mentee_people[i], pool.mentor_people[j], weights, pool.area_names, pool.criteria
        )
        scored = {
            "score": float(scores[i, j]),
            "breakdown": explanation.points,
            "reasons": explanation.reasons,
        }
        proposals.append(Proposal(run=run, mentee=mentee, mentor=mentor, **scored))
        if mentee.pk not in kept_mentees:
            pairings.append(
                Pairing(
                    cohort=run.cohort,
                    mentor=mentor,
                    mentee=mentee,
                    status=Pairing.Status.PROPOSED,
                    source=Pairing.Source.ENGINE,
                    run=run,
                    **scored,
                )
            )
    return proposals, pairings


def _record_done(
    run: MatchRun,
    started: float,
    result: MatchResult,
    pool: CohortPool,
    *,
    new: int,
    kept: int,
    replaced: int,
) -> None:
    """Mark the run done with its figures, and write the audit entry."""
    summary = _(
        "Ran matching: %(matched)s of %(total)s mentees matched, %(new)s new proposals, "
        "%(kept)s pairings kept, %(replaced)s earlier proposals replaced."
    ) % {
        "matched": result.matched,
        "total": len(pool.mentees),
        "new": new,
        "kept": kept,
        "replaced": replaced,
    }
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.DONE,
        progress=100,
        progress_message=summary[:200],
        finished_at=timezone.now(),
        duration_seconds=time.perf_counter() - started,
        matched_count=result.matched,
        unmatched_count=len(pool.mentees) - result.matched,
        total_score=float(result.total_score),
        error="",
    )
    audit_record(
        cohort=run.cohort,
        actor=run.started_by,
        action=AuditEntry.Action.RUN,
        summary=summary,
        changes={
            "run": run.pk,
            "weights": run.weights,
            "constraints": run.constraints or {},
            "new": new,
            "kept": kept,
            "replaced": replaced,
        },
    )


def priority_carry_forward(*, cohort: Cohort) -> int:
    """Give priority to this cohort's applications from people who were accepted but not paired
    in the program's previous cohort. Idempotent; returns how many applications changed."""
    applicants = carried_priority_applicant_ids(cohort=cohort)
    if not applicants:
        return 0
    return Application.objects.filter(
        cohort=cohort, applicant_id__in=applicants, priority=False
    ).update(priority=True, updated_at=timezone.now())
