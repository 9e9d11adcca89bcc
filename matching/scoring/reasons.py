"""One pair explained: the points per criterion and the reasons a committee chair reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .answers import AnswerCriterion, answer_of, answer_points, answer_reason
from .people import LIBRARY_TYPES, MEETING_MODES, Person
from .weights import Weights, _demographic_matches, _points


@dataclass(frozen=True)
class Explanation:
    """Points per criterion (same numbers as the matrix) and readable reasons."""

    points: dict[str, float]
    reasons: list[str]

    @property
    def total(self) -> float:
        return float(sum(self.points.values()))


def _label(slug: str, names: Mapping[str, str] | None) -> str:
    if names and slug in names:
        return names[slug]
    return slug.replace("-", " ").replace("_", " ")


def _library_label(code: str) -> str:
    return LIBRARY_TYPES.get(code, code)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _plural(count: float, word: str) -> str:
    number = f"{count:g}"
    return f"{number} {word}" if count == 1 else f"{number} {word}s"


def explain(
    mentee: Person,
    mentor: Person,
    weights: Weights,
    area_names: Mapping[str, str] | None = None,
    criteria: Sequence[AnswerCriterion] = (),
) -> Explanation:
    """Per-criterion points for one pair and the reasons a committee chair reads.

    A criterion gives reasons only when it scored (points other than zero): "same time zone"
    under a proximity criterion worth nothing for this pair would read as a reason it is not.
    Demographic reasons never name the partner's answers; they only say that a preference
    one of the applicants asked for is met. Each criterion drawn from the program's own
    questions adds its points and a reason naming the answers ("both chose: Spanish").
    """
    points = _points(mentee, mentor, weights)
    because = {
        "areas": lambda: _area_reasons(mentee, mentor, area_names),
        "library_type": lambda: _library_reasons(mentee, mentor),
        "experience": lambda: _experience_reasons(mentee, mentor, weights),
        "proximity": lambda: _place_reasons(mentee, mentor),
        "meeting_modes": lambda: [_meeting_reason(mentee, mentor)],
        "demographics": lambda: [_demographic_reason(mentee, mentor)],
        "priority": lambda: ["mentee has priority from last cycle's waitlist"],
    }
    reasons = [
        reason
        for name, reasons_of in because.items()
        if points.get(name)
        for reason in reasons_of()
    ]
    for criterion in criteria:
        if not criterion.weight:
            continue
        mine = answer_of(mentee.answers, criterion.mentee_question)
        theirs = answer_of(mentor.answers, criterion.mentor_question)
        points[criterion.key] = answer_points(criterion, mine, theirs)
        if points[criterion.key]:
            reasons.append(answer_reason(criterion, mine, theirs))
    return Explanation(points=points, reasons=reasons)


def _demographic_reason(mentee: Person, mentor: Person) -> str:
    count = _demographic_matches(mentee, mentor)
    if count == 1:
        return "matches a preference the applicant asked for"
    return f"matches {count} preferences the applicants asked for"


def _area_reasons(
    mentee: Person, mentor: Person, area_names: Mapping[str, str] | None
) -> list[str]:
    shared = sorted(_label(slug, area_names) for slug in mentee.areas & mentor.areas)
    if shared:
        return ["shared areas: " + ", ".join(shared)]
    return ["no shared areas of interest"]


def _library_reasons(mentee: Person, mentor: Person) -> list[str]:
    """Called only when the criterion scored: the mentee's preference is met."""
    mentee_type = _library_label(mentee.library_type)
    if mentee.library_type == mentor.library_type:
        return [f"both {mentee_type} libraries, as the mentee asked"]
    mentor_type = _library_label(mentor.library_type)
    return [f"mentee asked for a different library type: {mentee_type} vs {mentor_type}"]


def _experience_reasons(mentee: Person, mentor: Person, weights: Weights) -> list[str]:
    """Called only when the criterion scored: a gap large enough to earn points, or none."""
    gap = mentor.years_experience - mentee.years_experience
    if gap == 0:
        return ["same years of experience"]
    if gap < 0:
        return [f"mentor has {_plural(-gap, 'year')} less experience than the mentee"]
    return [f"{_plural(gap, 'year')} more experience"]


def _place_reasons(mentee: Person, mentor: Person) -> list[str]:
    hours = abs(mentee.utc_offset_hours - mentor.utc_offset_hours)
    if mentee.region == mentor.region:
        where = mentee.region.removeprefix("INTL:")
        kind = "country" if mentee.region.startswith("INTL:") else "state"
        return [f"same {kind} ({where})"]
    if hours == 0:
        return ["same time zone"]
    return [f"{_plural(hours, 'hour')} apart"]


def _meeting_reason(mentee: Person, mentor: Person) -> str:
    both = mentee.meeting_modes & mentor.meeting_modes
    common = [MEETING_MODES[m] for m in MEETING_MODES if m in both]
    common += sorted(both - set(MEETING_MODES))
    if common:
        return "both prefer " + _join(common)
    return "no meeting method in common"
