"""Pure tests of the matching engine (no Django, no database)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching import engine
from matching.engine import EngineOptions, MatchingError, MatchResult, greedy, solve

# J. E. Beasley's OR-Library assignment instances, kept in the repository (see its README.md).
ORLIB = Path(__file__).resolve().parent / "data" / "orlib"


def brute_force(scores, capacity, allowed, locked):
    """Best (matched, total) by enumerating every assignment."""
    n, m = scores.shape
    locks = dict(locked)
    options = [
        [locks[i]] if i in locks else [-1, *[j for j in range(m) if allowed[i, j]]]
        for i in range(n)
    ]
    best = (-1, -np.inf)
    for combo in itertools.product(*options):
        load = np.bincount([j for j in combo if j >= 0], minlength=m)
        if np.any(load > capacity):
            continue
        matched = sum(j >= 0 for j in combo)
        total = sum(scores[i, j] for i, j in enumerate(combo) if j >= 0)
        if matched > best[0] or (matched == best[0] and total > best[1] + 1e-9):
            best = (matched, total)
    return best


def reference(scores, capacity, allowed):
    """Exact reference: capacity-expanded dense matrix with dummy columns."""
    n, m = scores.shape
    cols = np.repeat(np.arange(m), capacity)
    copies = cols.size
    vals = scores[allowed] if allowed.any() else np.zeros(1)
    big = (n + 2) * (float(np.ptp(vals)) + 1.0) + float(np.abs(vals).max()) + 1.0
    weight = np.full((n, copies + n), -1e15)
    weight[:, :copies] = np.where(allowed[:, cols], scores[:, cols] + big, -1e15)
    weight[np.arange(n), copies + np.arange(n)] = 0.0
    rows, picked = linear_sum_assignment(weight, maximize=True)
    real = picked < copies
    return int(real.sum()), float(scores[rows[real], cols[picked[real]]].sum())


def check_valid(result: MatchResult, capacity, allowed, locked) -> None:
    mentor_of = result.mentor_of
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(capacity))
    assert np.all(load <= capacity)
    for i, j in enumerate(mentor_of):
        if j >= 0:
            assert allowed[i, j]
    for i, j in locked:
        assert mentor_of[i] == j
    assert result.matched == int(np.count_nonzero(mentor_of >= 0))


def random_instance(rng, n, m, lock_count=0):
    scores = np.round(rng.normal(size=(n, m)) * 3, int(rng.integers(0, 3)))
    capacity = rng.integers(0, 3, m)
    allowed = rng.random((n, m)) < rng.uniform(0.3, 1.0)
    locked = []
    load = np.zeros(m, dtype=int)
    for i in rng.permutation(n)[:lock_count]:
        options = [j for j in range(m) if allowed[i, j] and load[j] < capacity[j]]
        if options:
            j = int(rng.choice(options))
            load[j] += 1
            locked.append((int(i), j))
    return scores, capacity, allowed, locked


@pytest.mark.parametrize("seed", range(60))
def test_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(0, 7)), int(rng.integers(0, 5))
    scores, capacity, allowed, locked = random_instance(rng, n, m, int(rng.integers(0, 3)))
    result = solve(scores, capacity, allowed, locked, candidates=int(rng.integers(1, 4)))
    matched, total = brute_force(scores, capacity, allowed, locked)
    check_valid(result, capacity, allowed, locked)
    assert result.optimal
    assert result.matched == matched
    assert np.isclose(result.total_score, total if matched > 0 else 0.0)


@pytest.mark.parametrize("recheck", [0, 32])
@pytest.mark.parametrize("seed", range(20))
def test_dual_check_adds_pruned_pairs(seed, recheck):
    """With one candidate per mentee the first sparse solve is wrong; the proof repairs it
    (by re-solving, or first by re-deriving potentials when few pairs violate)."""
    # Without the auction the plain top-1 candidates collide.
    options = EngineOptions(auction=False, recheck_max=recheck)
    rng = np.random.default_rng(1000 + seed)
    n, m = 40, 12
    # Everyone prefers the same few mentors, so the top-1 candidates collide.
    scores = rng.random((n, m)) + np.linspace(5, 0, m)[None, :]
    capacity = rng.integers(1, 4, m)
    allowed = rng.random((n, m)) < 0.9
    result = solve(scores, capacity, allowed, candidates=1, options=options)
    matched, total = reference(scores, capacity, allowed)
    check_valid(result, capacity, allowed, [])
    assert result.optimal
    assert result.candidate_edges > n
    if recheck == 0:
        assert result.rounds > 1
    assert result.matched == matched
    assert np.isclose(result.total_score, total)


def test_larger_random_against_reference():
    rng = np.random.default_rng(7)
    n, m = 300, 120
    scores = rng.normal(size=(n, m)) * 10
    capacity = rng.integers(1, 4, m)
    allowed = rng.random((n, m)) > 0.05
    result = solve(scores, capacity, allowed, candidates=3)
    assert result.optimal
    assert result.key()[0] == reference(scores, capacity, allowed)[0]
    assert np.isclose(result.total_score, reference(scores, capacity, allowed)[1])


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(0, 8),
    m=st.integers(0, 6),
    seed=st.integers(0, 2**32 - 1),
    locks=st.integers(0, 3),
    use_reciprocal=st.booleans(),
)
def test_properties(n, m, seed, locks, use_reciprocal):
    rng = np.random.default_rng(seed)
    scores, capacity, allowed, locked = random_instance(rng, n, m, locks)
    reciprocal = []
    if use_reciprocal and n >= 2 and m >= 2:
        reciprocal = [((0, 1), (1, 0))]
        if {(0, 1), (1, 0)} <= set(locked):
            with pytest.raises(MatchingError, match="reciprocal"):
                solve(scores, capacity, allowed, locked, reciprocal=reciprocal)
            return
    result = solve(scores, capacity, allowed, locked, reciprocal=reciprocal or None)
    check_valid(result, capacity, allowed, locked)
    for (i, j), (k, l_) in reciprocal:
        assert not (result.mentor_of[i] == j and result.mentor_of[k] == l_)
    again = solve(scores, capacity, allowed, locked, reciprocal=reciprocal or None)
    assert np.array_equal(result.mentor_of, again.mentor_of)
    baseline = greedy(scores, capacity, allowed, locked)
    check_valid(baseline, capacity, allowed, locked)
    if not reciprocal:
        assert result.key() >= (baseline.matched, baseline.total_score - 1e-9)


def test_reciprocal_rule_is_exact():
    # Two "both" applicants: mentee 0 = user A, mentee 1 = user B; mentor 0 = A, mentor 1 = B.
    scores = np.array([[0.0, 10.0, 1.0], [9.0, 0.0, 1.0]])
    allowed = np.array([[False, True, True], [True, False, True]])
    capacity = np.array([1, 1, 1])
    free = solve(scores, capacity, allowed)
    assert list(free.mentor_of) == [1, 0]
    result = solve(scores, capacity, allowed, reciprocal=[((0, 1), (1, 0))])
    assert list(result.mentor_of) == [1, 2]
    assert result.total_score == 11.0
    with pytest.raises(MatchingError, match="reciprocal"):
        solve(scores, capacity, allowed, [(0, 1), (1, 0)], reciprocal=[((0, 1), (1, 0))])


# ---------------------------------------------------------------------- degenerate inputs


def test_no_mentors():
    result = solve(np.zeros((3, 0)), np.zeros(0, dtype=int))
    assert list(result.mentor_of) == [-1, -1, -1]
    assert result.matched == 0 and result.total_score == 0.0


def test_no_mentees():
    result = solve(np.zeros((0, 4)), np.ones(4, dtype=int))
    assert result.mentor_of.shape == (0,) and result.matched == 0


def test_all_forbidden_and_zero_capacity():
    scores = np.ones((3, 2))
    assert solve(scores, [1, 1], np.zeros((3, 2), dtype=bool)).matched == 0
    assert solve(scores, [0, 0]).matched == 0


def test_ties_are_deterministic_and_optimal():
    scores = np.ones((6, 3))
    first = solve(scores, [1, 1, 1])
    assert first.matched == 3 and first.total_score == 3.0
    assert np.array_equal(first.mentor_of, solve(scores, [1, 1, 1]).mentor_of)


def test_negative_scores_still_match_most():
    scores = np.array([[-5.0, -1.0], [-2.0, -100.0]])
    result = solve(scores, [1, 1])
    assert result.matched == 2
    assert result.total_score == -3.0


def test_cardinality_beats_score():
    scores = np.array([[100.0, 1.0], [100.0, -50.0]])
    result = solve(scores, [1, 1], np.array([[True, True], [True, False]]))
    assert list(result.mentor_of) == [1, 0]


def test_nan_outside_allowed_is_fine():
    scores = np.array([[np.nan, 1.0]])
    result = solve(scores, [1, 1], np.array([[False, True]]))
    assert list(result.mentor_of) == [1]


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": np.array([[1.0, np.nan]])}, "mentee 0 and mentor 1 is nan"),
        ({"scores": np.array([[np.inf, 1.0]])}, "mentee 0 and mentor 0 is inf"),
        ({"capacity": [1, -1]}, "capacity must be >= 0; mentor 1"),
        ({"capacity": [1, 1, 1]}, r"capacity must have shape \(2,\)"),
        ({"scores": np.ones(2)}, "2-D"),
        ({"allowed": np.ones((2, 2), dtype=bool)}, "allowed must have the same shape"),
        ({"locked": [(0, 1)], "allowed": np.array([[True, False]])}, "not an allowed pair"),
        ({"locked": [(0, 0), (0, 1)], "capacity": [2, 2]}, "mentee 0 is locked twice"),
        ({"locked": [(0, 5)]}, "out of range"),
        ({"locked": [(-1, 0)]}, "out of range"),
        ({"locked": [(0, 0)], "capacity": [0, 1]}, "mentor 0 has 1 locked mentees but capacity 0"),
    ],
)
def test_errors(kwargs, message):
    args = {"scores": np.array([[1.0, 2.0]]), "capacity": [1, 1], "allowed": None, "locked": ()}
    args.update(kwargs)
    with pytest.raises(MatchingError, match=message):
        solve(args["scores"], args["capacity"], args["allowed"], args["locked"])


def test_locks_exceeding_capacity():
    with pytest.raises(MatchingError, match="capacity 1"):
        solve(np.ones((2, 1)), [1], locked=[(0, 0), (1, 0)])


# ---------------------------------------------------------------------- OR-Library


def _optima() -> dict[str, int]:
    out = {}
    for line in (ORLIB / "assignopt.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("assign"):
            out[parts[0]] = int(float(parts[1]))
    return out


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    numbers = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.float64)
    n = int(numbers[0])
    if name.startswith("assignp"):
        triples = numbers[1:].reshape(-1, 3)
        rows = triples[:, 0].astype(int) - 1
        cols = triples[:, 1].astype(int) - 1
        cost = np.zeros((n, n))
        allowed = np.zeros((n, n), dtype=bool)
        cost[rows, cols] = triples[:, 2]
        allowed[rows, cols] = True
        return cost, allowed
    return numbers[1 : 1 + n * n].reshape(n, n), np.ones((n, n), dtype=bool)


ORLIB_FAST = [f"assign{size}" for size in range(100, 900, 100)] + ["assignp800", "assignp1500"]
ORLIB_SLOW = ["assignp3000", "assignp5000"]


def _check_orlib(name: str) -> None:
    cost, allowed = _load(name)
    n = cost.shape[0]
    result = solve(-cost, np.ones(n, dtype=int), allowed)
    assert result.optimal
    assert result.matched == n
    assert round(-result.total_score) == _optima()[name]


def test_every_orlib_instance_is_in_the_repository_and_checked():
    assert set(_optima()) == set(ORLIB_FAST + ORLIB_SLOW)
    assert all((ORLIB / f"{name}.txt").is_file() for name in _optima())


@pytest.mark.parametrize("name", ORLIB_FAST)
def test_orlib(name):
    _check_orlib(name)


@pytest.mark.slow  # about 2 s together: always run; `-m "not slow"` leaves them out
@pytest.mark.parametrize("name", ORLIB_SLOW)
def test_orlib_slow(name):
    _check_orlib(name)


# ---------------------------------------------------------------------- fast paths


def tie_heavy(seed: int, n: int, m: int, levels: int = 6, forbid: float = 0.05):
    """Coarse scores (a few levels, many ties) and a tight market, like real cohorts."""
    rng = np.random.default_rng(seed)
    popularity = rng.integers(0, 3, m)[None, :]
    scores = (rng.integers(0, levels, (n, m)) + popularity) * 0.5
    capacity = rng.integers(1, 4, m)
    capacity = np.minimum(capacity, np.maximum(1, (capacity * n) // max(int(capacity.sum()), 1)))
    allowed = rng.random((n, m)) >= forbid
    return scores, capacity, allowed


@pytest.mark.parametrize("seed", range(6))
def test_tie_heavy_matches_reference(seed):
    scores, capacity, allowed = tie_heavy(seed, 180, 70)
    result = solve(scores, capacity, allowed, candidates=int(2 + seed))
    check_valid(result, capacity, allowed, [])
    assert result.optimal
    matched, total = reference(scores, capacity, allowed)
    assert result.matched == matched
    assert np.isclose(result.total_score, total)


def test_tie_heavy_wide_uses_threshold_scan():
    # m >= 8 * auction_list exercises the sampled-threshold list scan of the auction.
    scores, capacity, allowed = tie_heavy(99, 600, 8 * EngineOptions().auction_list + 8)
    result = solve(scores, capacity, allowed)
    check_valid(result, capacity, allowed, [])
    assert result.optimal
    matched, total = reference(scores, capacity, allowed)
    assert (result.matched, round(result.total_score, 6)) == (matched, round(total, 6))


@pytest.mark.parametrize(
    ("auction", "flow"), [(True, True), (True, False), (False, True), (False, False)]
)
def test_every_path_reaches_the_same_optimum(auction, flow):
    options = EngineOptions(auction=auction, use_min_cost_flow=flow)
    scores, capacity, allowed = tie_heavy(5, 150, 60)
    locked = [(0, int(np.flatnonzero(allowed[0])[0]))]
    result = solve(scores, capacity, allowed, locked, candidates=3, options=options)
    check_valid(result, capacity, allowed, locked)
    assert result.optimal
    free = solve(scores, capacity, allowed, candidates=3, options=options)
    matched, total = reference(scores, capacity, allowed)
    assert free.optimal and free.matched == matched
    assert np.isclose(free.total_score, total)


@pytest.mark.parametrize("flow", [True, False])
def test_non_decimal_scores(flow):
    # Not exact decimals: the flow solver gets scores scaled by a power of two (the float
    # proof decides), or SciPy's float solver does the work.
    options = EngineOptions(use_min_cost_flow=flow)
    rng = np.random.default_rng(3)
    scores = rng.random((120, 50))
    capacity = rng.integers(1, 4, 50)
    allowed = rng.random((120, 50)) > 0.1
    assert engine._integer_costs(scores.ravel(), 200) is None
    assert engine._scaled_costs(scores.ravel(), 200, 1e-9) is not None
    assert engine._scaled_costs(scores.ravel(), 200, 1e-20) is None
    result = solve(scores, capacity, allowed, options=options)
    assert result.optimal
    matched, total = reference(scores, capacity, allowed)
    assert result.matched == matched and np.isclose(result.total_score, total, rtol=0, atol=1e-9)


def test_near_ties_below_the_scaling_step_stay_exact():
    # Two assignments differ by far less than any decimal step: the float proof must still
    # pick the better one.
    scores = np.array([[1.0, 1.0 + 3e-9], [1.0 + 2e-9, 1.0]])
    result = solve(scores, [1, 1])
    assert list(result.mentor_of) == [1, 0]


def test_integer_costs_scale():
    costs = engine._integer_costs(np.array([1.5, -0.25, 12.3, 0.0]), 10)
    assert costs is not None
    assert list(costs) == [150, -25, 1230, 0]
    assert list(engine._integer_costs(np.array([3.0, -7.0]), 10)) == [3, -7]
    assert engine._integer_costs(np.array([np.pi]), 10) is None
    assert engine._integer_costs(np.array([3.0000001, 1.0]), 10) is None  # noise is not a scale
    assert engine._integer_costs(np.array([1e300]), 10) is None


def test_more_mentees_than_places():
    scores, capacity, allowed = tie_heavy(11, 300, 40)
    capacity = np.ones(40, dtype=int)
    result = solve(scores, capacity, allowed)
    check_valid(result, capacity, allowed, [])
    assert result.optimal and result.matched == 40
    assert np.isclose(result.total_score, reference(scores, capacity, allowed)[1])


def test_reciprocal_on_a_larger_instance():
    scores, capacity, allowed = tie_heavy(21, 120, 50)
    free = solve(scores, capacity, allowed)
    picked = np.flatnonzero(free.mentor_of >= 0)
    (i, k) = int(picked[0]), int(picked[1])
    first, second = (i, int(free.mentor_of[i])), (k, int(free.mentor_of[k]))
    result = solve(scores, capacity, allowed, reciprocal=[(first, second)])
    assert not (result.mentor_of[i] == first[1] and result.mentor_of[k] == second[1])
    options = []
    for pair in (first, second):
        banned = allowed.copy()
        banned[pair] = False
        options.append(reference(scores, capacity, banned))
    best = max(options, key=lambda r: (r[0], r[1]))
    assert result.matched == best[0] and np.isclose(result.total_score, best[1])


def test_benchmark_cohort_small_is_optimal():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.matching import cohort

    scores, capacity, allowed, _ = cohort(500, 300)
    result = solve(scores, capacity, allowed)
    assert result.optimal
    matched, total = reference(scores, capacity, allowed)
    assert result.matched == matched and np.isclose(result.total_score, total)


@pytest.mark.parametrize("seed", range(5))
def test_threshold_lists_bound_everything_left_out(seed):
    rng = np.random.default_rng(seed)
    adj = np.round(rng.normal(size=(50, 700)), 1)  # coarse: many ties
    adj[rng.random(adj.shape) < 0.3] = -np.inf
    adj[0, 3:] = -np.inf  # a row with fewer usable entries than the sample asks for
    width = 16
    sample = np.sort(rng.choice(700, 200, replace=False))
    cols, valid, bound = engine._top_by_threshold(adj, width, sample)
    for i in range(adj.shape[0]):
        listed = set(cols[i][valid[i]].tolist())
        assert len(listed) == int(valid[i].sum()) <= width
        assert all(np.isfinite(adj[i, j]) for j in listed)
        rest = [adj[i, j] for j in range(700) if j not in listed]
        assert max(rest, default=-np.inf) <= bound[i]
        if listed and rest:
            assert min(adj[i, j] for j in listed) >= max(rest) or bound[i] >= max(rest)
    assert set(cols[0][valid[0]].tolist()) == {0, 1, 2} - {
        j for j in range(3) if not np.isfinite(adj[0, j])
    }
