"""The engine's tuning reaches the solver as one EngineOptions object (no Django, no database)."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching.engine import EngineOptions, MatchingError, solve

ROOT = Path(__file__).resolve().parents[2]


def crossed():
    """Two people who both apply as mentor and mentee: each is the other's best mentor, so the
    unconstrained optimum is a reciprocal couple."""
    scores = np.array([[1.0, 9.0], [9.0, 1.0]])
    return scores, np.array([1, 1]), [((0, 1), (1, 0))]


def test_the_default_options_solve_exactly():
    scores, capacity, reciprocal = crossed()
    result = solve(scores, capacity, reciprocal=reciprocal, options=EngineOptions())
    assert result.optimal and result.matched == 2
    assert result.mentor_of.tolist() == [0, 1]  # the reciprocal couple is refused


def test_a_spent_branching_budget_is_reported_as_not_optimal():
    scores, capacity, reciprocal = crossed()
    options = EngineOptions(max_reciprocal_branches=1)
    result = solve(scores, capacity, reciprocal=reciprocal, options=options)
    assert not result.optimal
    assert result.mentor_of.tolist() != [1, 0]  # still never the reciprocal couple


def test_tuning_changes_the_work_never_the_result():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 20, (30, 9)).astype(float)
    capacity = rng.integers(1, 4, 9)
    allowed = rng.random((30, 9)) < 0.8
    default = solve(scores, capacity, allowed)
    for options in (
        EngineOptions(chunk_elements=1),  # one row at a time
        EngineOptions(auction=False, use_min_cost_flow=False),
        EngineOptions(auction_list=2, recheck_max=0, recheck_share=10**6),
    ):
        result = solve(scores, capacity, allowed, candidates=1, options=options)
        assert result.optimal, options
        assert (result.matched, result.total_score) == (default.matched, default.total_score)


def test_options_are_checked_and_frozen():
    with pytest.raises(MatchingError, match="EngineOptions"):
        solve(np.ones((1, 1)), [1], options={"auction": False})
    with pytest.raises(dataclasses.FrozenInstanceError):
        EngineOptions().auction = False


def test_scoring_and_the_engine_import_no_django():
    code = (
        "import sys, matching.engine, matching.scoring; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
