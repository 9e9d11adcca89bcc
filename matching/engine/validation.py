"""Input checks: scores, capacities, the allowed mask, locked and reciprocal pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .options import EngineOptions

Pair = tuple[int, int]


class MatchingError(ValueError):
    """Raised for invalid input to the matching engine."""


@dataclass(frozen=True)
class _Problem:
    scores: np.ndarray
    capacity: np.ndarray
    allowed: np.ndarray | None
    locks: tuple[Pair, ...]
    smin: float
    smax: float
    options: EngineOptions

    @property
    def n(self) -> int:
        return int(self.scores.shape[0])

    @property
    def m(self) -> int:
        return int(self.scores.shape[1])


def _as_scores(scores: object) -> np.ndarray:
    arr = np.asarray(scores)
    if arr.ndim != 2:
        raise MatchingError(
            f"scores must be a 2-D array (mentees x mentors), got shape {arr.shape}"
        )
    if arr.dtype != np.float64:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise MatchingError(f"scores must be numeric: {exc}") from exc
    return arr


def _as_capacity(capacity: object, m: int) -> np.ndarray:
    cap = np.asarray(capacity)
    if cap.ndim != 1 or cap.shape[0] != m:
        raise MatchingError(f"capacity must have shape ({m},) to match scores, got {cap.shape}")
    if cap.size and not np.issubdtype(cap.dtype, np.integer):
        if not np.issubdtype(cap.dtype, np.floating) or not np.all(np.isfinite(cap)):
            raise MatchingError("capacity must hold integers")
        if np.any(cap != np.round(cap)):
            raise MatchingError("capacity must hold whole numbers")
    cap = cap.astype(np.int64)
    if np.any(cap < 0):
        bad = int(np.flatnonzero(cap < 0)[0])
        raise MatchingError(f"capacity must be >= 0; mentor {bad} has capacity {cap[bad]}")
    return cap


def _as_allowed(allowed: object, shape: tuple[int, int]) -> np.ndarray | None:
    if allowed is None:
        return None
    arr = np.asarray(allowed)
    if arr.shape != shape:
        raise MatchingError(f"allowed must have the same shape as scores {shape}, got {arr.shape}")
    if arr.dtype != np.bool_:
        arr = arr.astype(bool)
    return arr


def _scan_scores(scores: np.ndarray, allowed: np.ndarray | None, step: int) -> tuple[float, float]:
    """Reject non-finite allowed scores; return bounds (low, high) of the allowed scores.

    The bounds only size the cardinality bonus, so a block that is entirely finite uses its
    plain min/max (a cheap over-estimate) unless forbidden entries there are extreme.
    """
    n, _m = scores.shape
    smin, smax = np.inf, -np.inf
    for a in range(0, n, step):
        block = scores[a : a + step]
        if block.size == 0:
            continue
        lo, hi = float(block.min()), float(block.max())
        mask = allowed[a : a + step] if allowed is not None else None
        if np.isfinite(lo) and np.isfinite(hi) and (mask is None or max(-lo, hi) < 1e12):
            smin, smax = min(smin, lo), max(smax, hi)
            continue
        bad = ~np.isfinite(block)
        if mask is not None:
            bad &= mask
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise MatchingError(
                f"score for mentee {a + int(i)} and mentor {int(j)} is {float(block[i, j])}; "
                "scores of allowed pairs must be finite"
            )
        if mask is None or mask.any():
            vals = block if mask is None else block[mask]
            smin = min(smin, float(vals.min()))
            smax = max(smax, float(vals.max()))
    if smin > smax:
        smin = smax = 0.0
    return smin, smax


def _as_locks(
    locked: Iterable[Sequence[int]],
    n: int,
    m: int,
    capacity: np.ndarray,
    allowed: np.ndarray | None,
) -> tuple[Pair, ...]:
    locks: list[Pair] = []
    seen: dict[int, int] = {}
    per_mentor = np.zeros(m, dtype=np.int64)
    for pair in locked:
        try:
            i, j = (int(x) for x in pair)
        except (TypeError, ValueError) as exc:
            raise MatchingError(f"locked pair {pair!r} is not a (mentee, mentor) pair") from exc
        if not (0 <= i < n) or not (0 <= j < m):
            raise MatchingError(
                f"locked pair ({i}, {j}) is out of range for {n} mentees and {m} mentors"
            )
        if allowed is not None and not allowed[i, j]:
            raise MatchingError(f"locked pair ({i}, {j}) is not an allowed pair")
        if i in seen:
            raise MatchingError(
                f"mentee {i} is locked twice (to mentors {seen[i]} and {j})"
                if seen[i] != j
                else f"mentee {i} is locked twice to mentor {j}"
            )
        seen[i] = j
        per_mentor[j] += 1
        locks.append((i, j))
    over = np.flatnonzero(per_mentor > capacity)
    if over.size:
        j = int(over[0])
        raise MatchingError(
            f"mentor {j} has {per_mentor[j]} locked mentees but capacity {capacity[j]}"
        )
    return tuple(locks)


def _prepare(
    scores: object, capacity: object, allowed: object, locked: Iterable, options: EngineOptions
) -> _Problem:
    if not isinstance(options, EngineOptions):
        raise MatchingError(f"options must be EngineOptions, got {type(options).__name__}")
    arr = _as_scores(scores)
    n, m = arr.shape
    cap = _as_capacity(capacity, m)
    allow = _as_allowed(allowed, (n, m))
    smin, smax = _scan_scores(arr, allow, options.row_step(m))
    locks = _as_locks(locked, n, m, cap, allow)
    return _Problem(arr, cap, allow, locks, smin, smax, options)


def _as_reciprocal(reciprocal: Iterable | None, n: int, m: int) -> list[tuple[Pair, Pair]]:
    rules: list[tuple[Pair, Pair]] = []
    for item in reciprocal or ():
        try:
            (i, j), (k, l_) = item
            first, second = (int(i), int(j)), (int(k), int(l_))
        except (TypeError, ValueError) as exc:
            raise MatchingError(f"reciprocal entry {item!r} is not a pair of pairs") from exc
        for a, b in (first, second):
            if not (0 <= a < n and 0 <= b < m):
                raise MatchingError(f"reciprocal pair ({a}, {b}) is out of range")
        rules.append((first, second))
    return rules
