"""When a pair is at risk, at each rule's boundary (pure: no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from participants.health.rules import SIGN_IN_GRACE_DAYS, PairFacts, assess, worst_first_key

TZ = ZoneInfo("America/Chicago")
INTRODUCED = dt.datetime(2031, 3, 1, 10, 0, tzinfo=TZ)
SIGNED_IN = INTRODUCED + dt.timedelta(days=1)


def facts(days_after_introduction: int, **overrides) -> PairFacts:
    values = dict(
        today=INTRODUCED.date() + dt.timedelta(days=days_after_introduction),
        introduced_at=INTRODUCED,
        introduced_on=INTRODUCED.date(),
        no_check_in_days=45,
        last_check_in=INTRODUCED.date() + dt.timedelta(days=1),
        has_goals=True,
        mentor_last_login=SIGNED_IN,
        mentee_last_login=SIGNED_IN,
    )
    values.update(overrides)
    return PairFacts(**values)


def keys(health) -> list[str]:
    return [risk.key for risk in health.risks]


def test_a_pair_that_meets_and_signs_in_is_not_at_risk():
    assert not assess(facts(30)).at_risk


def test_no_check_in_counts_from_the_last_check_in_at_the_cohorts_number_of_days():
    last = INTRODUCED.date() + dt.timedelta(days=10)
    assert "no_check_in" not in keys(assess(facts(10 + 44, last_check_in=last)))
    at_45 = assess(facts(10 + 45, last_check_in=last))
    assert keys(at_45) == ["no_check_in"]
    assert at_45.risks[0].text == "No check-in for 45 days."
    assert "no_check_in" not in keys(
        assess(facts(10 + 45, last_check_in=last, no_check_in_days=46))
    )


def test_no_check_in_ever_counts_from_the_introduction():
    assert "no_check_in" not in keys(assess(facts(44, last_check_in=None)))
    health = assess(facts(45, last_check_in=None))
    assert "no_check_in" in keys(health)
    assert "since the introduction" in health.risks[0].text
    assert "1 day" in assess(facts(1, last_check_in=None, no_check_in_days=1)).risks[0].text


def test_goal_sheet_overdue_only_after_the_due_day_and_without_goals():
    due = INTRODUCED.date() + dt.timedelta(days=30)
    assert "goal_sheet" not in keys(assess(facts(30, has_goals=False, goal_sheet_due=due)))
    assert "goal_sheet" in keys(assess(facts(31, has_goals=False, goal_sheet_due=due)))
    assert "goal_sheet" not in keys(assess(facts(31, has_goals=True, goal_sheet_due=due)))
    assert "goal_sheet" not in keys(assess(facts(90, has_goals=False, goal_sheet_due=None)))


def test_an_open_problem_report_puts_a_pair_at_risk_without_saying_what_it_says():
    health = assess(facts(5, open_reports=1))
    assert keys(health) == ["problem_report"]
    assert health.risks[0].text == "A problem report is open."
    assert assess(facts(5, open_reports=2)).risks[0].text == "2 problem reports are open."


def test_not_signed_in_since_the_introduction_after_the_grace_days():
    never = dict(mentee_last_login=None)
    before = dict(mentor_last_login=INTRODUCED - dt.timedelta(minutes=1))
    assert "not_signed_in" not in keys(assess(facts(SIGN_IN_GRACE_DAYS - 1, **never)))
    health = assess(facts(SIGN_IN_GRACE_DAYS, **never))
    assert keys(health) == ["not_signed_in"]
    assert health.risks[0].text == "The mentee has not signed in since the introduction."
    assert "not_signed_in" in keys(assess(facts(SIGN_IN_GRACE_DAYS, **before)))
    at_the_moment = dict(mentor_last_login=INTRODUCED)
    assert "not_signed_in" not in keys(assess(facts(SIGN_IN_GRACE_DAYS, **at_the_moment)))


def test_a_pulse_of_2_is_a_risk_and_3_is_not():
    assert "low_pulse" not in keys(assess(facts(40, mentor_pulse=3, mentee_pulse=5)))
    health = assess(facts(40, mentee_pulse=2))
    assert keys(health) == ["low_pulse"]
    assert health.risks[0].text == "Pulse check: the mentee answered 2 of 5."
    assert "low_pulse" in keys(assess(facts(40, mentor_pulse=1)))


def test_worst_first_weighs_the_reasons_then_the_silence():
    report = assess(facts(5, open_reports=1))
    silent = assess(facts(60, last_check_in=None))
    quieter = assess(facts(50, last_check_in=None))
    ordered = sorted(
        [(3, quieter), (2, silent), (1, report)], key=lambda p: worst_first_key(p[0], p[1])
    )
    assert [pk for pk, _health in ordered] == [1, 2, 3]
