"""The entry points: :func:`solve` (exact) and :func:`greedy` (a baseline for comparison)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .candidates import _initial_candidates, _State
from .core import _solve_core
from .options import EngineOptions
from .reciprocal import _solve_reciprocal
from .result import MatchResult, _total
from .validation import MatchingError, Pair, _as_reciprocal, _prepare

DEFAULT_CANDIDATES = 8
DEFAULT_OPTIONS = EngineOptions()


def solve(
    scores: object,
    capacity: object,
    allowed: object = None,
    locked: Iterable[Sequence[int]] = (),
    *,
    reciprocal: Iterable[tuple[Pair, Pair]] | None = None,
    candidates: int = DEFAULT_CANDIDATES,
    options: EngineOptions = DEFAULT_OPTIONS,
) -> MatchResult:
    """Assign mentees to mentors: most mentees matched first, then the highest total score.

    ``scores`` is (n_mentees, n_mentors); ``capacity`` (n_mentors,) non-negative integers;
    ``allowed`` a boolean mask like ``scores`` (None allows every pair); ``locked`` pairs
    (mentee, mentor) are always kept. ``reciprocal`` lists couples of index pairs that must
    not both be chosen (A mentors B and B mentors A). ``candidates`` is the initial number of
    candidate mentors kept per mentee; the dual check adds more whenever they could matter,
    so it affects speed only, never the result. ``options`` tunes the solver (see
    :class:`EngineOptions`).

    Raises MatchingError for malformed input.
    """
    prob = _prepare(scores, capacity, allowed, locked, options)
    if candidates < 1:
        raise MatchingError("candidates must be >= 1")
    rules = _as_reciprocal(reciprocal, prob.n, prob.m)
    if rules:
        return _solve_reciprocal(prob, candidates, rules)
    return _solve_core(prob, candidates, {})


def greedy(
    scores: object,
    capacity: object,
    allowed: object = None,
    locked: Iterable[Sequence[int]] = (),
    *,
    pool: int = 32,
    options: EngineOptions = DEFAULT_OPTIONS,
) -> MatchResult:
    """Greedy baseline: repeatedly take the highest-scoring pair that is still feasible.

    For speed each round only looks at every unmatched mentee's best ``pool`` mentors that
    still have capacity; rounds repeat until no unmatched mentee has an available mentor.
    The result is valid but usually not optimal (``optimal`` is False). Of ``options`` only
    the chunk size applies.
    """
    prob = _prepare(scores, capacity, allowed, locked, options)
    n, m = prob.n, prob.m
    mentor_of = np.full(n, -1, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    cap = prob.capacity.copy()
    for i, j in prob.locks:
        mentor_of[i] = j
        active[i] = False
        cap[j] -= 1
    state = _State(prob, active, cap, {}, 0.0, 0.0)
    rounds = 0
    while True:
        keys = _initial_candidates(state, pool)
        if keys.size == 0:
            break
        rounds += 1
        ei, ej = np.divmod(keys, m)
        ew = prob.scores[ei, ej]
        order = np.lexsort((ej, ei, -ew))
        for i, j in zip(ei[order].tolist(), ej[order].tolist(), strict=True):
            if active[i] and cap[j] > 0:
                mentor_of[i] = j
                active[i] = False
                cap[j] -= 1
    matched = int(np.count_nonzero(mentor_of >= 0))
    return MatchResult(mentor_of, matched, _total(prob, mentor_of), False, rounds, 0)
