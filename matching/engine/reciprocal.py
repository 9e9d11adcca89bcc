"""Reciprocal pairs (A mentors B while B mentors A), excluded by exact branching."""

from __future__ import annotations

import numpy as np

from .core import _solve_core
from .result import MatchResult
from .validation import MatchingError, Pair, _Problem


def _better(a: MatchResult, b: MatchResult) -> bool:
    """True when ``a`` is lexicographically better than ``b``."""
    if a.matched != b.matched:
        return a.matched > b.matched
    scale = max(1.0, abs(a.total_score), abs(b.total_score))
    return a.total_score > b.total_score + 1e-9 * scale


def _solve_reciprocal(prob: _Problem, k: int, rules: list[tuple[Pair, Pair]]) -> MatchResult:
    locked = set(prob.locks)
    for first, second in rules:
        if first in locked and second in locked:
            raise MatchingError(
                f"locked pairs {first} and {second} are reciprocal and cannot both be kept"
            )
    budget = [prob.options.max_reciprocal_branches]
    exact = [True]

    def run(banned: frozenset[Pair]) -> MatchResult:
        budget[0] -= 1
        forbid: dict[int, list[int]] = {}
        for i, j in sorted(banned):
            forbid.setdefault(i, []).append(j)
        result = _solve_core(prob, k, {i: np.array(c) for i, c in forbid.items()})
        chosen = result.mentor_of
        for first, second in rules:
            if chosen[first[0]] == first[1] and chosen[second[0]] == second[1]:
                options = [p for p in (first, second) if p not in locked]
                if budget[0] <= 0:
                    exact[0] = False
                    weakest = min(options, key=lambda p: prob.scores[p])
                    return run(banned | {weakest})
                best: MatchResult | None = None
                for pair in options:
                    branch = run(banned | {pair})
                    if best is None or _better(branch, best):
                        best = branch
                assert best is not None
                return best
        return result

    result = run(frozenset())
    if not exact[0]:
        return MatchResult(
            result.mentor_of,
            result.matched,
            result.total_score,
            False,
            result.rounds,
            result.candidate_edges,
        )
    return result
