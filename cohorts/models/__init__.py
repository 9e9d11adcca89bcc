"""The cohorts app's models, one module per concern; import them from here.

programs.py  MembershipRule, Program, AreaOfInterest, CommitteeMembership
cohorts.py   Cohort (with its timeline, see cohorts.timeline) and Milestone
"""

from .cohorts import Cohort, CohortManager, Milestone, TimelineEntry
from .programs import (
    AreaOfInterest,
    CommitteeMembership,
    MembershipRule,
    Program,
)

__all__ = [
    "AreaOfInterest",
    "Cohort",
    "CohortManager",
    "CommitteeMembership",
    "MembershipRule",
    "Milestone",
    "Program",
    "TimelineEntry",
]
