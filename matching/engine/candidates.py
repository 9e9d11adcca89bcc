"""Working state of one exact solve, usable-pair masks and the plain top-``k`` candidate lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import _Problem


@dataclass
class _State:
    """Working data for one exact solve (locks removed)."""

    prob: _Problem
    active: np.ndarray  # bool (n,): mentee still to be assigned (not locked)
    cap: np.ndarray  # remaining capacity per mentor
    forbid: dict[int, np.ndarray]  # extra forbidden mentors per mentee row
    big: float
    tol: float

    @property
    def all_open(self) -> bool:
        """True when every row is active and every mentor has capacity left."""
        return bool(self.active.all() and (self.cap > 0).all())


def _block_mask(state: _State, a: int, b: int) -> np.ndarray:
    """Boolean mask of usable pairs for rows a..b (allowed, capacity left, row active).

    May return a read-only view of ``allowed`` when no other restriction applies.
    """
    prob = state.prob
    mask = prob.allowed[a:b] if prob.allowed is not None else None
    if not state.all_open:
        extra = np.logical_and(state.cap[None, :] > 0, state.active[a:b, None])
        mask = extra if mask is None else np.logical_and(mask, extra)
    if mask is None:
        mask = np.ones((b - a, prob.m), dtype=bool)
    rows = [i for i in state.forbid if a <= i < b]
    if rows:
        mask = mask.copy()
        for i in rows:
            mask[i - a, state.forbid[i]] = False
    return mask


def _pair_usable(state: _State, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Element-wise version of :func:`_block_mask` for absolute (rows, cols)."""
    prob = state.prob
    ok = state.active[rows] & (state.cap[cols] > 0)
    if prob.allowed is not None:
        ok &= prob.allowed[rows, cols]
    for i, banned in state.forbid.items():
        hit = (rows == i) & np.isin(cols, banned)
        ok &= ~hit
    return ok


def _initial_candidates(state: _State, k: int) -> np.ndarray:
    """Sorted unique edge keys ``i * m + j`` of each active mentee's best ``k`` usable mentors."""
    prob = state.prob
    n, m = prob.n, prob.m
    if n == 0 or m == 0:
        return np.zeros(0, dtype=np.int64)
    k = max(1, min(k, m))
    step = state.prob.options.row_step(m)
    keys: list[np.ndarray] = []
    jitter = 1e-9 * (abs(prob.smax) + abs(prob.smin) + 1.0)
    golden = 0.6180339887498949
    col_phase = np.modf(np.arange(m) * golden)[0]
    row_phase = np.modf(np.arange(n) * golden * golden * 7.0)[0]
    for a in range(0, n, step):
        b = min(n, a + step)
        mask = _block_mask(state, a, b)
        if not mask.any():
            continue
        block = np.where(mask, prob.scores[a:b], -np.inf)
        # Break ties differently per mentee (selection only, never the objective) so tied
        # mentees do not all shortlist the same mentors.
        block += jitter * np.modf(col_phase[None, :] + row_phase[a:b, None])[0]
        if k < m:
            idx = np.argpartition(block, m - k, axis=1)[:, m - k :]
        else:
            idx = np.broadcast_to(np.arange(m), block.shape)
        take = np.take_along_axis(mask, idx, axis=1)
        rows = np.broadcast_to(np.arange(a, b)[:, None], idx.shape)
        keys.append(rows[take].astype(np.int64) * m + idx[take])
    if not keys:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(keys))
