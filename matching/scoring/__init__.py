"""Pair scores for the matching engine: plain data in, plain numpy arrays out.

Every criterion has a weight set per cohort (:class:`Weights`). :func:`build_scores` computes
the whole mentee x mentor score matrix with vectorised numpy; :func:`explain` recomputes one
pair in plain Python and returns the same points per criterion plus readable reasons for the
committee.

Package layout: :mod:`.people` (:class:`Person` and the vocabularies), :mod:`.weights`
(:class:`Weights` and the per-pair points), :mod:`.answers` (criteria drawn from the
program's own questions), :mod:`.matrix` (:func:`build_scores`),
:mod:`.reasons` (:func:`explain`) and :mod:`.constraints` (:func:`forbidden_pairs`,
:func:`reciprocal_pairs`).
"""

from __future__ import annotations

from .answers import RULES as ANSWER_RULES
from .answers import AnswerCriterion
from .constraints import forbidden_pairs
from .constraints import reciprocal_pairs as reciprocal_pairs
from .matrix import ScoreMatrix, build_scores
from .people import LIBRARY_TYPES, MEETING_MODES, Person
from .reasons import Explanation, explain
from .weights import CRITERIA, Weights

__all__ = [
    "ANSWER_RULES",
    "CRITERIA",
    "LIBRARY_TYPES",
    "MEETING_MODES",
    "AnswerCriterion",
    "Explanation",
    "Person",
    "ScoreMatrix",
    "Weights",
    "build_scores",
    "explain",
    "forbidden_pairs",
]
