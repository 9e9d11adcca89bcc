"""Exact mentor/mentee assignment with capacities, forbidden pairs and locked pairs.

The objective is lexicographic: first the largest number of matched mentees, then the
highest total score among those assignments.

Method
------
1. Locked pairs are removed up front (the mentee is dropped, the mentor's capacity reduced).
2. Market prices are estimated with a vectorised auction (:func:`_auction`): unassigned
   mentees bid for their best mentor by price-adjusted score; each mentee bids from a short
   list of its best mentors (one sampled-threshold pass per row chunk, no full sort) and
   rescans its row only when the list can no longer hold its best choice. Raw scores are a
   poor guide in a tight market (capacity close to the number of mentees): on the synthetic
   cohort the optimal mentor is beyond a mentee's raw top 64 for about 10 % of mentees, but
   within the top 12 by price-adjusted score for all of them.
3. Every mentee keeps a sparse candidate set: its best ``k`` mentors at the auction's prices
   (plus near-ties and the mentor it held). The auction only steers this choice; it never
   decides the result.
4. The sparse problem is solved exactly. When the candidate scores scale exactly to
   integers (scores that are sums of weights with a few decimals), OR-Tools' min-cost flow
   solves it with arc capacities and no copy expansion (``solve_max_flow_with_min_cost``:
   most mentees first, then the lowest cost). Otherwise mentors are expanded into capacity
   copies for SciPy's LAPJVsp (``min_weight_full_bipartite_matching``) with a private
   "unmatched" column per mentee whose cost makes matching one more mentee beat any score
   difference.
5. Optimality on the *full* dense problem is proved with LP duals. The b-matching is written
   as a min-cost circulation through a hub node ``R`` (``R -> mentee`` costs ``-BIG``,
   ``mentee -> mentor`` costs ``-score``, ``mentor -> R`` costs 0), and node potentials are the
   shortest-path distances in the residual graph of the sparse optimum (a vectorised
   Bellman-Ford), computed in floating point from the original scores. Every pruned allowed
   pair is then checked in row chunks: if its reduced cost is below ``-tol`` the pair might
   improve the solution, so it joins the candidate set. A pair at reduced cost 0 (a tie)
   cannot improve the objective and does not count. When few pairs violate, potentials are
   first re-derived with the new pairs included: if that succeeds (no negative cycle) the
   solution is kept and only checked again; otherwise the problem is solved again. When no
   pair violates, the potentials are a feasible dual for the whole problem, which proves the
   assignment optimal (``MatchResult.optimal``).

Reciprocal pairs (A mentors B while B mentors A) are handled by exact branching: when the
optimum contains both pairs of a reciprocal couple, the problem is solved twice, once without
each pair, and the better branch wins (recursively, so the result is the exact lexicographic
optimum under the extra constraint).

Package layout: :mod:`.validation` (input checks, :class:`MatchingError`), :mod:`.result`
(:class:`MatchResult`), :mod:`.candidates` and :mod:`.auction` (candidate lists and price
estimates), :mod:`.flow` (the sparse exact solvers), :mod:`.proof` (dual potentials and the
optimality check), :mod:`.core` (the solve and check loop), :mod:`.reciprocal` (branching)
and :mod:`.api` (:func:`solve` and the :func:`greedy` baseline).

The solver's tuning (chunk size, auction, rounds, branching budget) is one frozen
:class:`EngineOptions` passed as ``solve(..., options=...)``; the defaults suit every cohort.
"""

from __future__ import annotations

from .api import DEFAULT_CANDIDATES as DEFAULT_CANDIDATES
from .api import greedy, solve
from .auction import _top_by_threshold as _top_by_threshold
from .flow import _integer_costs as _integer_costs
from .flow import _scaled_costs as _scaled_costs
from .options import EngineOptions
from .result import MatchResult
from .validation import MatchingError
from .validation import Pair as Pair

__all__ = ["EngineOptions", "MatchResult", "MatchingError", "greedy", "solve"]
