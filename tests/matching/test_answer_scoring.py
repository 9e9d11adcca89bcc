"""Pure tests of the criteria drawn from the program's own questions (no Django, no database):
the same numbers in the matrix and in the words, and a criterion that changes the optimum."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching.engine import solve
from matching.scoring import AnswerCriterion, Weights, build_scores, explain
from matching.scoring.answers import answer_of, answer_reason
from tests.matching.test_scoring import mentor, person

LANGUAGE = 1  # question ids
SOUGHT = 2
OFFERED = 3
TIME = 4
MENTORED = 5


def language(rule="same", weight=5.0) -> AnswerCriterion:
    return AnswerCriterion(
        key="answer: language",
        name="language",
        mentee_question=LANGUAGE,
        mentor_question=LANGUAGE,
        rule=rule,
        weight=weight,
    )


def test_a_language_criterion_changes_the_optimum_and_says_why():
    # The built-in criteria prefer Ana with Xavier and Bo with Yolanda (a shared area each)...
    ana = person(
        key=1,
        user_key=1,
        areas=frozenset({"cataloging"}),
        answers={LANGUAGE: frozenset({"Spanish"})},
    )
    bo = person(
        key=2,
        user_key=2,
        areas=frozenset({"leadership"}),
        answers={LANGUAGE: frozenset({"French"})},
    )
    xavier = mentor(
        key=3,
        user_key=3,
        areas=frozenset({"cataloging"}),
        answers={LANGUAGE: frozenset({"French"})},
    )
    yolanda = mentor(
        key=4,
        user_key=4,
        areas=frozenset({"leadership"}),
        answers={LANGUAGE: frozenset({"Spanish"})},
    )
    mentees, mentors = [ana, bo], [xavier, yolanda]
    capacity = np.array([1, 1])

    without = solve(build_scores(mentees, mentors, Weights()).total, capacity)
    assert without.mentor_of.tolist() == [0, 1]

    # ...until the committee asks for the same language, worth more than one shared area.
    criteria = [language(weight=5.0)]
    scores = build_scores(mentees, mentors, Weights(), criteria).total
    with_language = solve(scores, capacity)
    assert with_language.mentor_of.tolist() == [1, 0]

    why = explain(ana, yolanda, Weights(), None, criteria)
    assert "both chose: Spanish" in why.reasons
    assert why.points["answer: language"] == 5.0
    assert why.total == pytest.approx(scores[0, 1])
    other = explain(ana, xavier, Weights(), None, criteria)
    assert other.points["answer: language"] == 0.0
    assert not any("language" in reason for reason in other.reasons)
    assert other.points["answer: language"] == 0.0


def test_two_questions_can_be_compared_and_the_reason_names_both_sides():
    relationship = AnswerCriterion(
        key="answer: preferred relationship",
        name="preferred relationship",
        mentee_question=SOUGHT,
        mentor_question=OFFERED,
        rule="overlap",
        weight=3.0,
        mentor_name="relationships offered",
    )
    mentee = person(answers={SOUGHT: frozenset({"career guidance"})})
    offers = mentor(answers={OFFERED: frozenset({"career guidance", "research support"})})
    other = mentor(answers={OFFERED: frozenset({"research support"})})

    yes = explain(mentee, offers, Weights(), None, [relationship])
    assert "mentee's preferred relationship: career guidance, mentor offers it" in yes.reasons
    assert yes.points["answer: preferred relationship"] == 3.0
    no = explain(mentee, other, Weights(), None, [relationship])
    assert no.points["answer: preferred relationship"] == 0.0
    assert not any("relationship" in reason for reason in no.reasons)  # only what scored
    assert answer_reason(relationship, *_answers(relationship, mentee, other)) == (
        "mentee's preferred relationship: career guidance; "
        "mentor's relationships offered: research support"
    )


@pytest.mark.parametrize(
    ("rule", "mine", "theirs", "points", "reason"),
    [
        ("same", {"Spanish"}, {"Spanish"}, 2.0, "both chose: Spanish"),
        ("same", {"Spanish"}, None, 0.0, "language: the mentor did not answer"),
        ("different", {"Spanish"}, {"French"}, 2.0, "language: Spanish (mentee), French (mentor)"),
        ("different", {"Spanish"}, {"Spanish"}, 0.0, "both chose: Spanish"),
        (
            "overlap",
            {"Spanish", "French"},
            {"French", "Tagalog"},
            2.0,
            "both chose: French (language)",
        ),
        ("overlap", {"Spanish"}, {"Tagalog"}, 0.0, "language: Spanish (mentee), Tagalog (mentor)"),
    ],
)
def test_each_rule_scores_and_explains_choices(rule, mine, theirs, points, reason):
    criterion = language(rule=rule, weight=2.0)
    mentee = person(answers={LANGUAGE: frozenset(mine)})
    partner = mentor(answers={LANGUAGE: frozenset(theirs)} if theirs else {})
    why = explain(mentee, partner, Weights(), None, [criterion])
    assert why.points["answer: language"] == points
    assert answer_reason(criterion, *_answers(criterion, mentee, partner)) == reason
    # A committee reads reasons only for the criteria that scored for this pair.
    assert (reason in why.reasons) == bool(points)


def _answers(criterion, mentee, partner):
    return (
        answer_of(mentee.answers, criterion.mentee_question),
        answer_of(partner.answers, criterion.mentor_question),
    )


def test_closeness_on_a_scale_and_yes_no_answers():
    time = AnswerCriterion("answer: time", "time you can commit", TIME, TIME, "closeness", 4.0)
    mentee = person(answers={TIME: 2})
    near, far = mentor(answers={TIME: 3}), mentor(answers={TIME: 5})
    assert explain(mentee, near, Weights(), None, [time]).points["answer: time"] == 3.0
    assert explain(mentee, far, Weights(), None, [time]).points["answer: time"] == 1.0
    assert "time you can commit: mentee 2, mentor 5 of 5 (3 apart)" in (
        explain(mentee, far, Weights(), None, [time]).reasons
    )
    before = AnswerCriterion(
        "answer: mentored before", "mentored before", MENTORED, MENTORED, "same", 1.0, yes_no=True
    )
    both = explain(
        person(answers={MENTORED: frozenset({"yes"})}),
        mentor(answers={MENTORED: frozenset({"yes"})}),
        Weights(),
        None,
        [before],
    )
    assert "both answered yes: mentored before" in both.reasons


def test_the_matrix_gives_the_same_numbers_as_the_words():
    rng = random.Random(7)
    choices = ["Spanish", "French", "English", "Tagalog"]
    criteria = [
        language(rule="same", weight=2.0),
        AnswerCriterion("answer: several", "several", SOUGHT, OFFERED, "overlap", 1.5),
        AnswerCriterion("answer: time", "time", TIME, TIME, "closeness", 3.0),
        AnswerCriterion("answer: off", "off", MENTORED, MENTORED, "different", 0.0),
    ]

    def answers():
        out = {}
        if rng.random() < 0.8:
            out[LANGUAGE] = frozenset({rng.choice(choices)})
        out[SOUGHT] = frozenset(rng.sample(choices, rng.randint(0, 2)))
        out[OFFERED] = frozenset(rng.sample(choices, rng.randint(0, 3)))
        if rng.random() < 0.7:
            out[TIME] = rng.randint(1, 5)
        return out

    mentees = [person(key=i, user_key=i, answers=answers()) for i in range(30)]
    mentors = [mentor(key=100 + j, user_key=100 + j, answers=answers()) for j in range(20)]
    matrix = build_scores(mentees, mentors, Weights(), criteria).total
    for i, mentee in enumerate(mentees):
        for j, partner in enumerate(mentors):
            assert matrix[i, j] == pytest.approx(
                explain(mentee, partner, Weights(), None, criteria).total
            )
