"""One exact solve: candidates, sparse optimum, dual check, repeated until proved optimal."""

from __future__ import annotations

import numpy as np

from .auction import _auction_candidates
from .candidates import _initial_candidates, _State
from .flow import _solve_flow, _solve_sparse
from .proof import _potentials, _violations
from .result import MatchResult, _total
from .validation import _Problem


def _solve_core(prob: _Problem, k: int, forbid: dict[int, np.ndarray]) -> MatchResult:
    n, m = prob.n, prob.m
    options = prob.options
    mentor_of = np.full(n, -1, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    cap = prob.capacity.copy()
    for i, j in prob.locks:
        mentor_of[i] = j
        active[i] = False
        cap[j] -= 1
    span = prob.smax - prob.smin
    big = (min(n, int(cap.sum())) + 2) * (span + 1.0) + abs(prob.smin) + abs(prob.smax) + 1.0
    tol = max(big, 1.0) * 1e-12 + 1e-12
    state = _State(prob, active, cap, forbid, big, tol)

    keys = _auction_candidates(state, k) if options.auction else _initial_candidates(state, k)
    rounds = 0
    optimal = False
    solved = np.full(n, -1, dtype=np.int64)
    while True:
        rounds += 1
        ei, ej = np.divmod(keys, m) if m else (keys, keys)
        ew = prob.scores[ei, ej] if keys.size else np.zeros(0)
        flow = _solve_flow(ei, ej, ew, cap, n, tol) if options.use_min_cost_flow else None
        solved = flow if flow is not None else _solve_sparse(ei, ej, ew, cap, n)
        pots = _potentials(state, ei, ej, ew, solved)
        if pots is None and flow is not None:
            # The integer flow optimum did not certify in floating point: use the float solver.
            solved = _solve_sparse(ei, ej, ew, cap, n)
            pots = _potentials(state, ei, ej, ew, solved)
        if pots is None or rounds >= options.max_rounds:
            break
        extra = _violations(state, pots[0], pots[1], keys, per_row=max(4, k))
        if extra.size == 0:
            optimal = True
            break
        keys = np.union1d(keys, extra)
        if extra.size <= max(options.recheck_max, n // options.recheck_share):
            # Few violators: often the solution is already optimal and only its potentials
            # were loose. Potentials that also respect the new pairs (no negative cycle) keep
            # it, and then a fresh check replaces a whole re-solve.
            ei, ej = np.divmod(keys, m)
            ew = prob.scores[ei, ej]
            again = _potentials(state, ei, ej, ew, solved, limit=2 * pots[2] + 20)
            if again is not None:
                more = _violations(state, again[0], again[1], keys, per_row=max(4, k))
                if more.size == 0:
                    optimal = True
                    break
                keys = np.union1d(keys, more)

    final = np.where(active, solved, mentor_of)
    matched = int(np.count_nonzero(final >= 0))
    return MatchResult(
        mentor_of=final,
        matched=matched,
        total_score=_total(prob, final),
        optimal=optimal,
        rounds=rounds,
        candidate_edges=int(keys.size),
    )
