"""The matching app's models, one module per concern; import them from here.

pairings.py      the committee's workflow: MatchRun, Proposal, Pairing, Exclusion, MatchingSettings,
                 AuditEntry
criteria.py      QuestionCriterion: matching criteria drawn from a cohort's own questions
releases.py      Release: a chair's release of approved pairings and its emails (undoable)
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
from .releases import Release

__all__ = [
    "AuditEntry",
    "Exclusion",
    "MatchRun",
    "MatchingSettings",
    "Pairing",
    "PairingQuerySet",
    "Proposal",
    "QuestionCriterion",
    "Release",
]
