"""Exact solves of the sparse candidate problem: OR-Tools min-cost flow on integer-scaled
scores, and SciPy's LAPJVsp on capacity copies as the fallback."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

try:  # C++ min-cost flow with arc capacities; SciPy's LAPJVsp on copies is the fallback.
    from ortools.graph.python import min_cost_flow as _mcf
except ImportError:  # pragma: no cover - exercised only without the optional wheel
    _mcf = None


def _decimal_digits(ew: np.ndarray, nodes: int) -> int | None:
    """The fewest decimals (0 to 6) that represent every score exactly, or None (also when
    the scaled integers would be too large for the flow solver)."""
    if ew.size == 0:
        return 0
    top = float(np.abs(ew).max())
    for digits in range(7):
        scale = 10.0**digits
        if top * scale * max(nodes, 1) >= 2.0**52:
            return None
        scaled = ew * scale
        if float(np.abs(scaled - np.rint(scaled)).max()) <= 1e-9 * max(1.0, top * scale):
            return digits
    return None


def _integer_costs(ew: np.ndarray, nodes: int) -> np.ndarray | None:
    """Scores scaled by the smallest power of ten (up to 10**6) that makes them integers.

    None when no such scale exists or the integers would be too large for the flow solver.
    """
    digits = _decimal_digits(ew, nodes)
    if digits is None:
        return None
    return np.rint(ew * 10.0**digits).astype(np.int64)


def _scaled_costs(ew: np.ndarray, nodes: int, tol: float) -> np.ndarray | None:
    """Scores scaled by a power of two and rounded, when the rounding error per pair stays
    far below the tolerance of the dual proof (which is then checked in floating point on
    the original scores, so a rounding that changed the optimum cannot go unnoticed)."""
    if ew.size == 0:
        return np.zeros(0, dtype=np.int64)
    top = max(float(np.abs(ew).max()), 1e-300)
    scale = 2.0 ** np.floor(np.log2(2.0**50 / (top * max(nodes, 1))))
    if 0.5 / scale > tol / 64.0:
        return None
    return np.rint(ew * scale).astype(np.int64)


def _solve_flow(
    ei: np.ndarray, ej: np.ndarray, ew: np.ndarray, cap: np.ndarray, n: int, tol: float
) -> np.ndarray | None:
    """Exact lexicographic optimum on the candidate edges with OR-Tools' min-cost flow.

    Source -> mentee (capacity 1) -> mentor (capacity 1, cost -score) -> sink (capacity =
    the mentor's capacity); ``solve_max_flow_with_min_cost`` maximizes the flow (matched
    mentees) first and then minimizes the cost. Scores that are not exact decimals are
    scaled by a large power of two (:func:`_scaled_costs`). Returns None when no scaling
    fits or the solver does not report an optimum.
    """
    mentor_of = np.full(n, -1, dtype=np.int64)
    if ei.size == 0:
        return mentor_of
    if _mcf is None:
        return None
    m = cap.size
    rows_used, row_idx = np.unique(ei, return_inverse=True)
    nr = rows_used.size
    costs = _integer_costs(ew, nr + m + 2)
    if costs is None:
        costs = _scaled_costs(ew, nr + m + 2, tol)
    if costs is None:
        return None
    src, snk = nr + m, nr + m + 1
    tails = np.concatenate((np.full(nr, src), row_idx, nr + np.arange(m))).astype(np.int32)
    heads = np.concatenate((np.arange(nr), nr + ej, np.full(m, snk))).astype(np.int32)
    caps = np.concatenate((np.ones(nr + ei.size, dtype=np.int64), cap.astype(np.int64)))
    unit = np.concatenate((np.zeros(nr, dtype=np.int64), -costs, np.zeros(m, dtype=np.int64)))
    flow = _mcf.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit)
    flow.set_node_supply(src, int(nr))
    flow.set_node_supply(snk, -int(nr))
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return None
    used = flow.flows(np.arange(nr, nr + ei.size)) > 0
    mentor_of[rows_used[row_idx[used]]] = ej[used]
    return mentor_of


def _solve_sparse(
    ei: np.ndarray, ej: np.ndarray, ew: np.ndarray, cap: np.ndarray, n: int
) -> np.ndarray:
    """Exact lexicographic optimum on the candidate edges; returns mentor_of (n,)."""
    mentor_of = np.full(n, -1, dtype=np.int64)
    if ei.size == 0:
        return mentor_of
    rows_used, row_idx = np.unique(ei, return_inverse=True)
    nr = rows_used.size
    offsets = np.concatenate(([0], np.cumsum(cap)))
    n_copies = int(offsets[-1])
    copy_owner = np.repeat(np.arange(cap.size), cap)
    rep = cap[ej]
    r2 = np.repeat(row_idx, rep)
    j2 = np.repeat(ej, rep)
    w2 = np.repeat(ew, rep)
    starts = np.repeat(np.cumsum(rep) - rep, rep)
    c2 = offsets[j2] + (np.arange(r2.size) - starts)

    span = float(ew.max() - ew.min()) + 1.0
    cost = (float(ew.max()) - w2) + 1.0  # in [1, span], strictly positive
    graph = sp.csr_matrix((np.ones(r2.size), (r2, c2)), shape=(nr, n_copies))
    card = int(np.count_nonzero(maximum_bipartite_matching(graph, perm_type="column") >= 0))

    if card == nr:
        mat = sp.csr_matrix((cost, (r2, c2)), shape=(nr, n_copies))
        rr, cc = min_weight_full_bipartite_matching(mat)
        mentor_of[rows_used[rr]] = copy_owner[cc]
    elif card == n_copies:
        mat = sp.csr_matrix((cost, (c2, r2)), shape=(n_copies, nr))
        cc, rr = min_weight_full_bipartite_matching(mat)
        mentor_of[rows_used[rr]] = copy_owner[cc]
    else:
        dummy = (card + 2) * (span + 1.0)
        rows = np.concatenate((r2, np.arange(nr)))
        cols = np.concatenate((c2, n_copies + np.arange(nr)))
        vals = np.concatenate((cost, np.full(nr, dummy)))
        mat = sp.csr_matrix((vals, (rows, cols)), shape=(nr, n_copies + nr))
        rr, cc = min_weight_full_bipartite_matching(mat)
        real = cc < n_copies
        mentor_of[rows_used[rr[real]]] = copy_owner[cc[real]]
    return mentor_of
