"""The optimality proof: LP dual potentials of the sparse optimum and the check of every
pruned pair of the full problem against them."""

from __future__ import annotations

import numpy as np

from .candidates import _pair_usable, _State


def _potentials(
    state: _State,
    ei: np.ndarray,
    ej: np.ndarray,
    ew: np.ndarray,
    mentor_of: np.ndarray,
    limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Shortest-path potentials in the residual graph of the sparse optimum.

    Returns (mentee potentials, mentor potentials, sweeps used) such that every residual arc
    has reduced cost >= -tol, or None when Bellman-Ford does not settle within ``limit``
    sweeps (a negative cycle: the solution is not optimal on these edges).
    """
    n, m = state.prob.n, state.prob.m
    big, tol = state.big, state.tol
    is_matched = mentor_of[ei] == ej
    ui, uj, uw = ei[~is_matched], ej[~is_matched], ew[~is_matched]
    order = np.argsort(uj, kind="stable")
    ui, uj, uw = ui[order], uj[order], uw[order]
    if uj.size:
        starts = np.flatnonzero(np.concatenate(([True], uj[1:] != uj[:-1])))
        targets = uj[starts]
    else:
        starts = targets = np.zeros(0, dtype=np.int64)
    mi = np.flatnonzero(mentor_of >= 0)
    mj = mentor_of[mi]
    mw = state.prob.scores[mi, mj]
    free = np.flatnonzero(state.active & (mentor_of < 0))
    load = np.bincount(mj, minlength=m)
    spare = np.flatnonzero(load < state.cap)
    used = np.flatnonzero(load > 0)

    dm = np.zeros(n)
    dt = np.zeros(m)
    d_hub = 0.0
    if limit is None:
        limit = 2 * (n + m) + 10
    for sweep in range(limit):
        # One Gauss-Seidel sweep over the four kinds of residual arcs, then the hub.
        changed = False
        if starts.size:
            changed |= _lower(dt, targets, np.minimum.reduceat(dm[ui] - uw, starts), tol)
        changed |= _lower(dt, used, d_hub, tol)
        changed |= _lower(dm, mi, dt[mj] + mw, tol)
        changed |= _lower(dm, free, d_hub - big, tol)
        best = d_hub
        if mi.size:
            best = min(best, float(dm[mi].min()) + big)
        if spare.size:
            best = min(best, float(dt[spare].min()))
        if best < d_hub - tol:
            d_hub = best
            changed = True
        if not changed:
            return (*_tighten(dm, dt, d_hub, big, mi, mj, mw, free, spare), sweep + 1)
    return None


def _lower(dist: np.ndarray, index: np.ndarray, candidate, tol: float) -> bool:
    """Lower ``dist[index]`` to ``candidate`` (an array like ``index``, or one number) where
    that is shorter by more than ``tol``; True when any distance changed."""
    if index.size == 0:
        return False
    candidate = np.broadcast_to(candidate, index.shape)
    better = candidate < dist[index] - tol
    if not better.any():
        return False
    dist[index[better]] = candidate[better]
    return True


def _tighten(
    dm: np.ndarray,
    dt: np.ndarray,
    d_hub: float,
    big: float,
    mi: np.ndarray,
    mj: np.ndarray,
    mw: np.ndarray,
    free: np.ndarray,
    spare: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Move feasible potentials to favor the pruned-pair check.

    Shortest distances are the largest feasible potentials. The check of a pruned pair (i, j)
    wants mentee potentials high and mentor potentials low, so each mentor is lowered to the
    bound set by its own outgoing residual arcs and each mentee raised to the bound set by its
    incoming arcs. Both moves keep every residual arc feasible: lowering a mentor only relaxes
    its incoming arcs, raising a mentee only relaxes its outgoing arcs.
    """
    dt = dt.copy()
    dm = dm.copy()
    for _ in range(2):
        low = np.full(dt.size, -np.inf)
        low[spare] = d_hub
        if mi.size:
            np.maximum.at(low, mj, dm[mi] - mw)
        known = np.isfinite(low)
        dt[known] = low[known]
        dm[free] = d_hub - big
        if mi.size:
            dm[mi] = dt[mj] + mw
    return dm, dt


def _violations(
    state: _State, dm: np.ndarray, dt: np.ndarray, keys: np.ndarray, per_row: int
) -> np.ndarray:
    """Edge keys of pruned usable pairs whose reduced cost is below ``-2 tol``.

    A pair (i, j) violates when ``score[i, j] + dt[j] > dm[i] + 2 tol``: a pair at reduced
    cost zero (a tie) cannot improve the objective and does not count. At most ``per_row``
    of the most violating pairs are returned per mentee, ties broken by a per-pair hash so
    tied mentees do not all pull in the same mentors.
    """
    prob = state.prob
    n, m = prob.n, prob.m
    step = state.prob.options.row_step(m)
    found: list[np.ndarray] = []
    limit = dm + 2.0 * state.tol
    buf = np.empty((min(step, n), m))
    hit = np.empty((min(step, n), m), dtype=bool)
    for a in range(0, n, step):
        b = min(n, a + step)
        if not state.active[a:b].any():
            continue
        part, over = buf[: b - a], hit[: b - a]
        np.add(prob.scores[a:b], dt[None, :], out=part)
        np.greater(part, limit[a:b, None], out=over)
        if not over.any():
            continue
        flat = np.flatnonzero(over)  # much faster than a 2-D np.nonzero
        rows, cols = np.divmod(flat, m)
        usable = _pair_usable(state, rows + a, cols)
        rows, cols, flat = rows[usable], cols[usable], flat[usable]
        cand = (rows + a).astype(np.int64) * m + cols
        pos = np.minimum(np.searchsorted(keys, cand), max(keys.size - 1, 0))
        fresh = keys[pos] != cand if keys.size else np.ones(cand.size, dtype=bool)
        rows, flat, cand = rows[fresh], flat[fresh], cand[fresh]
        if rows.size == 0:
            continue
        val = part.ravel()[flat] - limit[a + rows]
        salt = (cand * 2654435761) % 1000003
        order = np.lexsort((salt, -val, rows))
        rows, cand = rows[order], cand[order]
        first = np.searchsorted(rows, rows, side="left")
        rank = np.arange(rows.size) - first
        found.append(cand[rank < per_row])
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(found)
