"""The people being paired (:class:`Person`) and the vocabularies of their answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LIBRARY_TYPES: dict[str, str] = {
    "academic": "academic",
    "public": "public",
    "school": "school",
    "special": "special",
    "government": "government",
    "vendor": "vendor",
    "lis": "LIS faculty or student",
    "other": "other",
}

MEETING_MODES: dict[str, str] = {
    "email": "email",
    "phone": "phone",
    "video": "video call",
    "in_person": "in person",
}


@dataclass(frozen=True, slots=True)
class Person:
    """One side of a proposed pair, built by the ORM layer from an Application."""

    key: int
    user_key: int
    name: str
    areas: frozenset[str]
    library_type: str
    library_type_preference: str  # "same" | "different" | "none"
    years_experience: int
    region: str  # US state/territory code ("IL") or "INTL:<country>"
    utc_offset_hours: float
    prefers_near: bool
    meeting_modes: frozenset[str]
    employer: str
    demographics: frozenset[str]
    demographic_preference: frozenset[str]
    priority: bool = False
    # Answers to the program's own questions that matching criteria compare, by question id:
    # a set of words (choices, yes/no) or an integer (a 1-5 scale). See answers.py.
    answers: Mapping[int, frozenset[str] | int] = field(
        default_factory=dict, hash=False, compare=False
    )
