"""When a pair is at risk: plain facts in, reasons out (no database), tested at the boundaries.

A pair is at risk when any of these holds on `today` (program time):

- no check-in for `no_check_in_days` days or more, counted from the last check-in, or from the
  introduction when none was ever logged;
- its goal sheet is overdue: the program sets a due date, it has passed, and no goal is set;
- a problem report is open (its text stays with the chairs: only that one is open shows);
- a partner has not signed in since the introduction, once the introduction is
  SIGN_IN_GRACE_DAYS old (on the first days nobody has had the time);
- a partner's latest pulse check scored 1 or 2.

Worst first: each reason weighs (an open report and a low pulse most), then the longest
silence, then the pair's id for a stable order.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SIGN_IN_GRACE_DAYS = 14
LOW_PULSE = 2

WEIGHTS = {
    "problem_report": 5,
    "low_pulse": 4,
    "no_check_in": 3,
    "goal_sheet": 2,
    "not_signed_in": 1,
}


@dataclass(frozen=True)
class PairFacts:
    today: dt.date
    introduced_at: dt.datetime
    introduced_on: dt.date
    no_check_in_days: int
    last_check_in: dt.date | None = None
    has_goals: bool = False
    goal_sheet_due: dt.date | None = None
    open_reports: int = 0
    mentor_last_login: dt.datetime | None = None
    mentee_last_login: dt.datetime | None = None
    mentor_pulse: int | None = None  # the mentor's latest pulse score
    mentee_pulse: int | None = None


@dataclass(frozen=True)
class Risk:
    key: str
    text: str


@dataclass(frozen=True)
class Health:
    risks: list[Risk] = field(default_factory=list)
    days_without_check_in: int = 0

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def severity(self) -> int:
        return sum(WEIGHTS[risk.key] for risk in self.risks)

    def has(self, key: str) -> bool:
        return any(risk.key == key for risk in self.risks)


def days_without_check_in(facts: PairFacts) -> int:
    since = facts.last_check_in or facts.introduced_on
    return max((facts.today - since).days, 0)


def goal_sheet_overdue(facts: PairFacts) -> bool:
    return (
        not facts.has_goals
        and facts.goal_sheet_due is not None
        and facts.goal_sheet_due < facts.today
    )


def assess(facts: PairFacts) -> Health:
    """The pair's risks, in the order of their weight."""
    risks = []
    if facts.open_reports:
        risks.append(
            Risk(
                "problem_report",
                ngettext(
                    "A problem report is open.",
                    "%(n)d problem reports are open.",
                    facts.open_reports,
                )
                % {"n": facts.open_reports},
            )
        )
    for role, score in ((_("mentor"), facts.mentor_pulse), (_("mentee"), facts.mentee_pulse)):
        if score is not None and score <= LOW_PULSE:
            risks.append(
                Risk(
                    "low_pulse",
                    _("Pulse check: the %(role)s answered %(score)d of 5.")
                    % {"role": role, "score": score},
                )
            )
    silent = days_without_check_in(facts)
    if silent >= facts.no_check_in_days:
        if facts.last_check_in is None:
            text = ngettext(
                "No check-in logged in the %(n)d day since the introduction.",
                "No check-in logged in the %(n)d days since the introduction.",
                silent,
            )
        else:
            text = ngettext("No check-in for %(n)d day.", "No check-in for %(n)d days.", silent)
        risks.append(Risk("no_check_in", text % {"n": silent}))
    if goal_sheet_overdue(facts):
        risks.append(
            Risk(
                "goal_sheet",
                _("Goal sheet overdue since %(date)s.")
                % {"date": date_format(facts.goal_sheet_due, "N j, Y")},
            )
        )
    if (facts.today - facts.introduced_on).days >= SIGN_IN_GRACE_DAYS:
        for role, last_login in (
            (_("The mentor"), facts.mentor_last_login),
            (_("The mentee"), facts.mentee_last_login),
        ):
            if last_login is None or last_login < facts.introduced_at:
                risks.append(
                    Risk(
                        "not_signed_in",
                        _("%(role)s has not signed in since the introduction.") % {"role": role},
                    )
                )
    return Health(risks=risks, days_without_check_in=silent)


def worst_first_key(pair_id: int, health: Health) -> tuple:
    return (-health.severity, -health.days_without_check_in, pair_id)
