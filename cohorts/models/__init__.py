"""The cohorts app's models, one module per concern; import them from here.

programs.py  MembershipRule, Program, AreaOfInterest, CommitteeMembership
cohorts.py   Cohort (with its timeline, see cohorts.timeline) and Milestone
subscriptions.py  CallSubscription ("tell me when applications open")
"""

from .cohorts import Cohort, CohortManager, Milestone, TimelineEntry
from .programs import (
    AreaOfInterest,
    CommitteeMembership,
    MembershipRule,
    Program,
)
from .subscriptions import CallSubscription

__all__ = [
    "AreaOfInterest",
    "CallSubscription",
    "Cohort",
    "CohortManager",
    "CommitteeMembership",
    "MembershipRule",
    "Milestone",
    "Program",
    "TimelineEntry",
]
