"""Price estimates from a vectorised auction, and the candidate lists they steer."""

from __future__ import annotations

import numpy as np

from .candidates import _block_mask, _State
from .flow import _decimal_digits


def _row_values(state: _State, rows: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Price-adjusted scores of sorted mentee ``rows``; unusable pairs are -inf."""
    prob = state.prob
    a, b = int(rows[0]), int(rows[-1]) + 1
    if b - a == rows.size:
        raw = prob.scores[a:b]
        mask = _block_mask(state, a, b)
    else:
        raw = prob.scores[rows]
        mask = prob.allowed[rows] if prob.allowed is not None else None
        if not (state.cap > 0).all():
            extra = np.broadcast_to(state.cap[None, :] > 0, raw.shape)
            mask = extra if mask is None else np.logical_and(mask, extra)
        inside = set(rows.tolist())
        hit = [i for i in state.forbid if i in inside]
        if hit:
            mask = np.array(mask if mask is not None else np.ones(raw.shape, dtype=bool))
            pos = np.searchsorted(rows, hit)
            for i, at in zip(hit, pos.tolist(), strict=True):
                mask[at, state.forbid[i]] = False
    if raw.base is None:  # a fresh copy (rows not contiguous): adjust it in place
        adj = raw
        adj -= prices[None, :]
    else:
        adj = raw - prices[None, :]
    if mask is not None:
        np.copyto(adj, -np.inf, where=np.logical_not(mask))
    return adj


def _top_by_threshold(
    adj: np.ndarray, width: int, sample: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``width`` of each row's largest entries (never more) without a full partition:
    a per-row threshold comes from a column sample, then one comparison pass.

    Returns (columns (B, width), valid (B, width), bound (B,)) where ``bound`` is >= every
    entry left out of its row.
    """
    count, m = adj.shape
    rank = max(1, (width * sample.size) // m)
    part = adj[:, sample]
    thr = np.partition(part, sample.size - rank, axis=1)[:, sample.size - rank]
    # A row with too few usable sampled mentors takes the lowest finite threshold instead.
    np.maximum(thr, np.finfo(np.float64).min, out=thr)
    flat = np.flatnonzero(adj >= thr[:, None])
    rows, cols = np.divmod(flat, m)
    hits = np.bincount(rows, minlength=count)
    start = np.cumsum(hits) - hits
    place = np.arange(rows.size) - start[rows]
    bound = thr.copy()
    if (hits > width).any():
        # Only rows with more hits than a list holds need their hits ranked by value.
        sel = np.flatnonzero(hits[rows] > width)
        vals = adj.ravel()[flat[sel]]
        order = np.lexsort((-vals, rows[sel]))
        sel, vals = sel[order], vals[order]
        place[sel] = np.arange(sel.size) - np.searchsorted(rows[sel], rows[sel], side="left")
        cut = place[sel] == width
        bound[rows[sel][cut]] = vals[cut]
    keep = place < width
    out_j = np.zeros((count, width), dtype=np.int64)
    valid = np.zeros((count, width), dtype=bool)
    out_j[rows[keep], place[keep]] = cols[keep]
    valid[rows[keep], place[keep]] = True
    return out_j, valid, bound


def _scan(
    state: _State, rows: np.ndarray, prices: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to ``width`` of each row's best mentors by price-adjusted score.

    Returns (mentor index, raw score, bound): the raw score is -inf for unusable padding and
    ``bound`` is an upper bound of the adjusted score of every mentor left out (-inf when
    none is left out). Prices only rise during the auction, so the bound stays valid.
    """
    m = state.prob.m
    count = rows.size
    out_j = np.zeros((count, width), dtype=np.int64)
    out_s = np.full((count, width), -np.inf)
    bound = np.full(count, -np.inf)
    step = state.prob.options.row_step(m)
    sample = None
    if m >= 8 * width:
        size = min(m, max(256, 8 * width))
        sample = np.sort(np.random.default_rng(m).choice(m, size, replace=False))
    for x in range(0, count, step):
        part = rows[x : x + step]
        here = slice(x, x + part.size)
        adj = _row_values(state, part, prices)
        if sample is not None:
            idx, valid, bound[here] = _top_by_threshold(adj, width, sample)
        elif width < m:
            idx = np.argpartition(adj, m - width - 1, axis=1)
            bound[here] = adj[np.arange(part.size), idx[:, m - width - 1]]
            idx = idx[:, m - width :]
            valid = np.isfinite(np.take_along_axis(adj, idx, axis=1))
        else:
            idx = np.broadcast_to(np.arange(m), adj.shape)
            valid = np.isfinite(adj)
        got = state.prob.scores[part[:, None], idx]
        got[~valid] = -np.inf
        out_j[here] = idx
        out_s[here] = got
    return out_j, out_s, bound


def _auction(
    state: _State,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Approximate market prices with a vectorised (Jacobi) auction for the b-matching.

    Unassigned mentees bid for their best mentor by price-adjusted score, raising its price
    by the margin over their second choice plus ``eps``; a full mentor keeps its highest
    bids and its price is its lowest kept bid. Each mentee bids from a short list of its best
    mentors and rescans its full row only when the list can no longer hold the best choice.
    Bidding stops once nearly everyone is placed: the prices only steer the candidate set,
    the exact solve and the dual proof that follow decide the result.

    Returns (rows, list mentors, list raw scores, list bounds, owner per row or -1, prices).
    """
    prob = state.prob
    options = prob.options
    m = prob.m
    rows = np.flatnonzero(state.active)
    width = min(options.auction_list, m)
    prices = np.zeros(m)
    count = rows.size
    owner = np.full(count, -1, dtype=np.int64)
    if count == 0 or m == 0:
        empty = np.zeros((count, 0), dtype=np.int64)
        return rows, empty, empty.astype(np.float64), np.zeros(count), owner, prices
    span = prob.smax - prob.smin
    lj, ls, bound = _scan(state, rows, prices, width)
    eps = _bid_step(state, ls, width)
    bid = np.zeros(count)
    alive = np.ones(count, dtype=bool)
    cap = state.cap
    target = max(0, count - int(cap.sum())) + int(options.auction_stop * count)
    best_left, stalled = count + 1, 0
    for _ in range(options.auction_max_iter):
        bidders = np.flatnonzero((owner < 0) & alive)
        left = bidders.size
        if left <= target:
            break
        stalled = 0 if left < best_left else stalled + 1
        best_left = min(best_left, left)
        if stalled > 50:
            break
        vals = ls[bidders] - prices[lj[bidders]]
        stale = vals.max(axis=1) < bound[bidders]
        if stale.any():
            again = bidders[stale]
            nj, ns, nb = _scan(state, rows[again], prices, width)
            lj[again], ls[again], bound[again] = nj, ns, nb
            vals[stale] = ns - prices[nj]
        span_b = np.arange(bidders.size)
        pick = np.argmax(vals, axis=1)
        first = vals[span_b, pick]
        vals[span_b, pick] = -np.inf
        second = np.maximum(vals.max(axis=1), bound[bidders])
        ok = np.isfinite(first)
        alive[bidders[~ok]] = False
        bidders, pick, first, second = bidders[ok], pick[ok], first[ok], second[ok]
        if bidders.size == 0:
            break
        j1 = lj[bidders, pick]
        margin = np.where(np.isfinite(second), first - second, span + 1.0)
        _award(owner, bid, prices, cap, bidders, j1, prices[j1] + margin + eps)
    return rows, lj, ls, bound, owner, prices


def _bid_step(state: _State, ls: np.ndarray, width: int) -> float:
    """The bid increment: it follows the spread of each mentee's best few scores, so coarse
    scores (few levels) bid in big steps and fine-grained ones in small steps."""
    prob = state.prob
    options = prob.options
    span = prob.smax - prob.smin
    eps = (span if span > 0 else 1.0) / 100.0
    if width > options.auction_gap_rank:
        top = -np.partition(-ls, options.auction_gap_rank, axis=1)
        gap = top[:, 0] - top[:, options.auction_gap_rank]
        gap = gap[np.isfinite(gap)]
        if gap.size and float(np.median(gap)) > 0:
            eps = min(eps, float(np.median(gap)) * options.auction_eps_share)
        finite = ls[np.isfinite(ls)]
        digits = _decimal_digits(finite, max(prob.n + prob.m, 1)) if finite.size else None
        if digits is not None:
            # Scores on a grid (sums of weights with a few decimals): steps below one grid
            # unit only lengthen the bidding.
            eps = max(eps, 10.0**-digits)
    return eps


def _award(
    owner: np.ndarray,
    bid: np.ndarray,
    prices: np.ndarray,
    cap: np.ndarray,
    bidders: np.ndarray,
    mentors: np.ndarray,
    amounts: np.ndarray,
) -> None:
    """Each mentor bid for keeps its highest bids, old holders included, up to its capacity;
    the others lose it. A full mentor's price rises to its lowest kept bid. Updates `owner`,
    `bid` and `prices` in place."""
    touched = np.unique(mentors)
    hold = np.flatnonzero(owner >= 0)
    hold = hold[np.isin(owner[hold], touched)]
    ci = np.concatenate((hold, bidders))
    cj = np.concatenate((owner[hold], mentors))
    cb = np.concatenate((bid[hold], amounts))
    order = np.lexsort((-cb, cj))
    ci, cj, cb = ci[order], cj[order], cb[order]
    start = np.searchsorted(cj, cj, side="left")
    keep = (np.arange(cj.size) - start) < cap[cj]
    owner[ci[~keep]] = -1
    owner[ci[keep]] = cj[keep]
    bid[ci[keep]] = cb[keep]
    held = np.bincount(cj, minlength=prices.size)[touched]
    full = held >= cap[touched]
    low = cb[np.searchsorted(cj, touched, side="left") + np.minimum(held, cap[touched]) - 1]
    prices[touched[full]] = np.maximum(prices[touched[full]], low[full])


def _auction_candidates(state: _State, k: int) -> np.ndarray:
    """Sorted edge keys: each mentee's best ``k`` mentors at the auction's prices, and the
    mentor it holds at the end of the auction."""
    m = state.prob.m
    rows, lj, ls, bound, owner, prices = _auction(state)
    if rows.size == 0 or lj.shape[1] == 0:
        return np.zeros(0, dtype=np.int64)
    adj = ls - prices[lj]
    k = min(k, lj.shape[1])
    margin = state.prob.options.auction_tie * max(state.prob.smax - state.prob.smin, 1e-9)
    if k < lj.shape[1]:
        kth = -np.partition(-adj, k - 1, axis=1)[:, k - 1]
        # Prices moved since some lists were made: a list whose best entry no longer beats
        # the bound on the mentors left out is rebuilt at the final prices.
        stale = np.flatnonzero(adj.max(axis=1) < bound)
        if stale.size:
            lj[stale], ls[stale], bound[stale] = _scan(state, rows[stale], prices, lj.shape[1])
            adj[stale] = ls[stale] - prices[lj[stale]]
            kth[stale] = -np.partition(-adj[stale], k - 1, axis=1)[:, k - 1]
        ok = adj >= kth[:, None] - margin
        ok &= np.isfinite(adj)
        cols = lj
    else:
        cols, ok = lj, np.isfinite(adj)
    keys = (rows[:, None].astype(np.int64) * m + cols)[ok]
    held = owner >= 0
    keys = np.concatenate((keys, rows[held].astype(np.int64) * m + owner[held]))
    return np.unique(keys)
