"""Pure tests of the scoring module (no Django, no database)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matching.engine import solve
from matching.scoring import (
    LIBRARY_TYPES,
    MEETING_MODES,
    Person,
    Weights,
    build_scores,
    explain,
    forbidden_pairs,
    reciprocal_pairs,
)

W = Weights()


def person(**overrides) -> Person:
    base = dict(
        key=1,
        user_key=1,
        name="Pat",
        areas=frozenset(),
        library_type="academic",
        library_type_preference="none",
        years_experience=2,
        region="IL",
        utc_offset_hours=-6.0,
        prefers_near=False,
        meeting_modes=frozenset({"video"}),
        employer="",
        demographics=frozenset(),
        demographic_preference=frozenset(),
    )
    base.update(overrides)
    return Person(**base)


def mentor(**overrides) -> Person:
    values = dict(key=2, user_key=2, name="Morgan", years_experience=16)
    values.update(overrides)
    return person(**values)


def test_areas_shared_and_capped():
    areas = {"cataloging": "cataloging and metadata", "leadership": "leadership"}
    mentee = person(areas=frozenset({"cataloging", "leadership", "x", "y"}))
    result = explain(mentee, mentor(areas=frozenset({"leadership", "cataloging"})), W, areas)
    assert result.points["areas"] == 2 * W.areas
    assert "shared areas: cataloging and metadata, leadership" in result.reasons
    many = mentor(areas=frozenset({"cataloging", "leadership", "x", "y"}))
    assert explain(mentee, many, W).points["areas"] == W.max_shared_areas * W.areas


def test_library_type_preference():
    same = explain(person(library_type_preference="same"), mentor(), W)
    assert same.points["library_type"] == W.library_type
    assert "both academic libraries, as the mentee asked" in same.reasons
    diff = explain(person(library_type_preference="different"), mentor(library_type="public"), W)
    assert diff.points["library_type"] == W.library_type
    assert "mentee asked for a different library type: academic vs public" in diff.reasons
    missed = explain(person(library_type_preference="different"), mentor(), W)
    assert missed.points["library_type"] == 0
    assert not any("librar" in reason for reason in missed.reasons)
    none = explain(person(), mentor(library_type="lis"), W)
    assert none.points["library_type"] == 0
    assert not any("librar" in reason for reason in none.reasons)
    assert LIBRARY_TYPES["lis"] == "LIS faculty or student"


def test_experience_gap():
    result = explain(person(years_experience=2), mentor(years_experience=16), W)
    assert "14 years more experience" in result.reasons
    assert result.points["experience"] == W.experience  # 14 >= 3 + 10: full credit
    partial = explain(person(years_experience=2), mentor(years_experience=5), W)
    assert partial.points["experience"] == W.experience * 0.5
    small = explain(person(years_experience=2), mentor(years_experience=3), W)
    assert small.points["experience"] == 0
    assert not any("experience" in reason for reason in small.reasons)
    assert (
        explain(person(years_experience=9), mentor(years_experience=9), W).points["experience"]
        == -W.experience_penalty
    )
    assert (
        explain(person(years_experience=9), mentor(years_experience=5), W).points["experience"]
        == -W.experience_penalty
    )


def test_proximity_only_when_asked():
    near = person(prefers_near=True)
    same = explain(near, mentor(), W)
    assert same.points["proximity"] == W.proximity
    assert "same state (IL)" in same.reasons
    close = explain(near, mentor(region="MO", utc_offset_hours=-5.0), W)
    assert close.points["proximity"] == W.proximity * W.near_timezone_share
    assert "1 hour apart" in close.reasons
    far = explain(near, mentor(region="CA", utc_offset_hours=-8.0), W)
    assert far.points["proximity"] == 0
    assert far.reasons and not any("apart" in reason for reason in far.reasons)
    intl = explain(person(region="INTL:Canada", prefers_near=True), mentor(region="INTL:Canada"), W)
    assert "same country (Canada)" in intl.reasons


def test_a_criterion_that_scored_nothing_gives_no_reason():
    """ "same time zone" under a proximity worth 0.0 read as a reason the pair was made."""
    unasked = explain(person(region="MO", utc_offset_hours=-6.0), mentor(), W)
    assert unasked.points["proximity"] == 0
    assert "same time zone" not in unasked.reasons
    asked = explain(person(region="MO", utc_offset_hours=-6.0, prefers_near=True), mentor(), W)
    assert asked.points["proximity"] > 0
    assert "same time zone" in asked.reasons
    for name in ("areas", "library_type", "demographics", "priority"):
        assert unasked.points[name] == 0
    assert unasked.reasons == ["14 years more experience", "both prefer video call"]


def test_meeting_modes():
    both = explain(person(meeting_modes=frozenset({"video", "phone"})), mentor(), W)
    assert both.points["meeting_modes"] == W.meeting_modes
    assert "both prefer video call" in both.reasons
    none = explain(person(meeting_modes=frozenset({"email"})), mentor(), W)
    assert none.points["meeting_modes"] == -W.meeting_mode_penalty
    assert "no meeting method in common" in none.reasons
    assert MEETING_MODES["in_person"] == "in person"


def test_demographics_only_when_asked():
    mentee = person(demographics=frozenset({"bipoc"}))
    partner = mentor(demographics=frozenset({"bipoc", "lgbtq"}))
    assert explain(mentee, partner, W).points["demographics"] == 0
    asked = person(demographic_preference=frozenset({"lgbtq"}))
    result = explain(asked, partner, W)
    assert result.points["demographics"] == W.demographics
    assert "matches a preference the applicant asked for" in result.reasons
    assert not any("lgbtq" in reason or "bipoc" in reason for reason in result.reasons)
    mentor_asks = mentor(demographic_preference=frozenset({"bipoc"}))
    assert explain(mentee, mentor_asks, W).points["demographics"] == W.demographics
    matrix = build_scores([mentee, asked], [partner], W).total
    assert matrix[0, 0] == pytest.approx(explain(mentee, partner, W).total)
    assert matrix[1, 0] == pytest.approx(result.total)


def test_priority_bonus():
    assert explain(person(priority=True), mentor(), W).points["priority"] == W.priority
    assert explain(person(), mentor(), W).points["priority"] == 0


def test_weights_round_trip():
    custom = Weights(areas=5.0, min_experience_gap=4)
    assert Weights.from_dict(custom.as_dict()) == custom
    assert Weights.from_dict({"areas": "2", "unknown": 1}).areas == 2.0


def random_people(rng, count, start):
    areas = [f"area-{i}" for i in range(12)]
    regions = ["IL", "CA", "NY", "GU", "PR", "INTL:Canada"]
    demo = ["bipoc", "lgbtq", "first_gen"]
    people = []
    for index in range(count):
        people.append(
            Person(
                key=start + index,
                user_key=start + index,
                name=f"p{index}",
                areas=frozenset(rng.choice(areas, rng.integers(0, 5), replace=False).tolist()),
                library_type=str(rng.choice(list(LIBRARY_TYPES))),
                library_type_preference=str(rng.choice(["same", "different", "none"])),
                years_experience=int(rng.integers(0, 30)),
                region=str(rng.choice(regions)),
                utc_offset_hours=float(rng.choice([-10.0, -8.0, -6.0, -5.0, 10.0, -4.5])),
                prefers_near=bool(rng.random() < 0.4),
                meeting_modes=frozenset(
                    rng.choice(list(MEETING_MODES), rng.integers(0, 4), replace=False).tolist()
                ),
                employer=str(rng.choice(["Lib A", "lib  a", "Lib B", ""])),
                demographics=frozenset(
                    rng.choice(demo, rng.integers(0, 3), replace=False).tolist()
                ),
                demographic_preference=frozenset(
                    rng.choice(demo, rng.integers(0, 2), replace=False).tolist()
                ),
                priority=bool(rng.random() < 0.2),
            )
        )
    return people


@pytest.mark.parametrize("seed", range(5))
def test_explain_matches_matrix(seed):
    rng = np.random.default_rng(seed)
    mentees = random_people(rng, 60, 0)
    mentors = random_people(rng, 40, 1000)
    weights = Weights(areas=1.7, experience=2.3, proximity=0.9, demographics=1.1)
    matrix = build_scores(mentees, mentors, weights).total
    assert matrix.dtype == np.float64 and matrix.shape == (60, 40)
    for i, mentee in enumerate(mentees):
        for j, partner in enumerate(mentors):
            assert np.isclose(matrix[i, j], explain(mentee, partner, weights).total)


def test_empty_sides():
    assert build_scores([], [person()], W).total.shape == (0, 1)
    assert forbidden_pairs([person()], [], exclude_same_employer=True).shape == (1, 0)


def test_forbidden_pairs():
    a = person(key=10, user_key=1, employer="Chicago Public Library")
    b = person(key=11, user_key=2, employer="")
    m1 = mentor(key=20, user_key=1)  # same user as a
    m2 = mentor(key=21, user_key=3, employer="  chicago   public library ")
    m3 = mentor(key=22, user_key=4, employer="")
    allowed = forbidden_pairs([a, b], [m1, m2, m3], exclude_same_employer=True)
    assert allowed.tolist() == [[False, False, True], [True, True, True]]
    loose = forbidden_pairs([a, b], [m1, m2, m3], exclude_same_employer=False)
    assert loose.tolist() == [[False, True, True], [True, True, True]]
    excluded = forbidden_pairs(
        [a, b], [m1, m2, m3], exclude_same_employer=False, excluded_keys=[(11, 22)]
    )
    assert excluded.tolist() == [[False, True, True], [True, True, False]]


def test_reciprocal_pairs_feed_the_engine():
    # Users 1 and 2 applied as "both"; user 3 only as a mentee.
    mentees = [person(key=1, user_key=1), person(key=2, user_key=2), person(key=3, user_key=3)]
    mentors = [mentor(key=1, user_key=1), mentor(key=2, user_key=2)]
    couples = reciprocal_pairs(mentees, mentors)
    assert couples == [((0, 1), (1, 0))]
    allowed = forbidden_pairs(mentees, mentors, exclude_same_employer=False)
    scores = np.array([[0.0, 9.0], [9.0, 0.0], [1.0, 1.0]])
    result = solve(scores, [1, 1], allowed, reciprocal=couples)
    chosen = {(i, int(j)) for i, j in enumerate(result.mentor_of) if j >= 0}
    assert not {(0, 1), (1, 0)} <= chosen
    assert result.matched == 2 and result.total_score == 10.0


def test_person_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        person().name = "x"  # type: ignore[misc]
