"""The matching app's models, one module per concern; import them from here.

pairings.py      the committee's workflow: MatchRun, Proposal, Pairing, Exclusion, MatchingSettings,
                 AuditEntry
criteria.py      QuestionCriterion: matching criteria drawn from a cohort's own questions
"""

from .criteria import QuestionCriterion
from .pairings import (
    AuditEntry,
    Exclusion,
    MatchingSettings,
    MatchRun,
    Pairing,
    PairingQuerySet,
    Proposal,
)

__all__ = [
    "AuditEntry",
    "Exclusion",
    "MatchRun",
    "MatchingSettings",
    "Pairing",
    "PairingQuerySet",
    "Proposal",
    "QuestionCriterion",
]
