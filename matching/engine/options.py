"""The solver's tuning, passed to :func:`~matching.engine.solve` as one immutable object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineOptions:
    """How the exact solver works, not what it returns: whatever these are, the dual check
    proves the assignment optimal, except that a run stopped by ``max_rounds`` or
    ``max_reciprocal_branches`` reports ``optimal=False``."""

    chunk_elements: int = 2_000_000  # entries of a dense row chunk processed at once (16 MB)
    max_rounds: int = 50  # solve-and-check rounds before giving up the proof
    auction: bool = True  # estimate prices with an auction before the exact solve (speed only)
    auction_list: int = 64  # mentors kept per mentee between full row scans of the auction
    auction_stop: float = 0.005  # stop bidding when at most this share is still unassigned
    auction_max_iter: int = 400
    auction_gap_rank: int = 8  # bid steps follow the gap between the best and 9th-best score
    auction_eps_share: float = 0.1
    auction_tie: float = 1e-9  # also keep entries tied (to this share of the span) with the k-th
    recheck_max: int = 32  # re-derive potentials without re-solving when at most this many
    recheck_share: int = 50  # ... or at most one in this many mentees violate
    use_min_cost_flow: bool = True  # OR-Tools min-cost flow on integer-scaled scores; else SciPy
    max_reciprocal_branches: int = 64

    def row_step(self, m: int) -> int:
        """How many rows of an (n, m) dense array make one chunk."""
        return max(1, self.chunk_elements // max(m, 1))
