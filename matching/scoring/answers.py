"""Criteria built from the program's own questions: the points and the reason of one pair.

A criterion compares a mentee's answer to one question with a mentor's answer to the same
question (or to a question of its own: "What relationship are you seeking?" against "What
relationship can you offer?"). Answers arrive as plain data: a set of words for a choice,
several choices or yes/no, an integer for a 1-5 scale, None when not answered.

- "same": the same answer (the same set of choices);
- "different": both answered, nothing in common;
- "overlap": at least one choice in common;
- "closeness": scales, full points for the same value, none for the ends apart.

The matrix (matrix.build_scores) and the words (reasons.explain) both use these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RULES = ("same", "different", "overlap", "closeness")
SCALE_SPAN = 4  # a 1-5 scale: the ends are four apart

Answer = frozenset[str] | int | None


@dataclass(frozen=True)
class AnswerCriterion:
    """One criterion of a cohort's matching settings drawn from its questions."""

    key: str  # the score breakdown's key, e.g. "answer: language"
    name: str  # what the reasons call the question, e.g. "language"
    mentee_question: int
    mentor_question: int
    rule: str
    weight: float
    yes_no: bool = False  # answers are {"yes"} or {"no"}
    mentor_name: str = ""  # the mentor question's name, when it is another question

    @property
    def two_questions(self) -> bool:
        return self.mentor_question != self.mentee_question


def answer_of(answers: Mapping[int, Answer], question: int) -> Answer:
    value = answers.get(question)
    if value in (None, frozenset()):
        return None
    return value


def answer_points(criterion: AnswerCriterion, mentee: Answer, mentor: Answer) -> float:
    """The points the pair earns on `criterion` (0 when either did not answer)."""
    if mentee is None or mentor is None:
        return 0.0
    rule = criterion.rule
    if rule == "closeness":
        if not isinstance(mentee, int) or not isinstance(mentor, int):
            return 0.0
        return criterion.weight * max(0.0, 1.0 - abs(mentee - mentor) / SCALE_SPAN)
    mentee_set = mentee if isinstance(mentee, frozenset) else frozenset({str(mentee)})
    mentor_set = mentor if isinstance(mentor, frozenset) else frozenset({str(mentor)})
    if rule == "same":
        earned = mentee_set == mentor_set
    elif rule == "different":
        earned = not (mentee_set & mentor_set)
    else:  # overlap
        earned = bool(mentee_set & mentor_set)
    return criterion.weight if earned else 0.0


def _words(answer: Answer) -> str:
    if isinstance(answer, frozenset):
        return ", ".join(sorted(answer))
    return str(answer)


def answer_reason(criterion: AnswerCriterion, mentee: Answer, mentor: Answer) -> str:
    """The pair's answers in words, e.g. "both chose: Spanish"."""
    name = criterion.name
    if mentee is None and mentor is None:
        return f"{name}: neither answered"
    if mentee is None:
        return f"{name}: the mentee did not answer"
    if mentor is None:
        return f"{criterion.mentor_name or name}: the mentor did not answer"
    if criterion.rule == "closeness":
        if mentee == mentor:
            return f"{name}: both answered {mentee} of 5"
        gap = abs(int(mentee) - int(mentor))  # type: ignore[arg-type]
        return f"{name}: mentee {mentee}, mentor {mentor} of 5 ({gap} apart)"
    shared = (
        mentee & mentor
        if isinstance(mentee, frozenset) and isinstance(mentor, frozenset)
        else (frozenset())
    )
    if criterion.two_questions:
        if shared:
            pronoun = "it" if len(shared) == 1 else "them"
            return f"mentee's {name}: {_words(shared)}, mentor offers {pronoun}"
        return (
            f"mentee's {name}: {_words(mentee)}; "
            f"mentor's {criterion.mentor_name or name}: {_words(mentor)}"
        )
    if criterion.yes_no:
        if mentee == mentor:
            return f"both answered {_words(mentee)}: {name}"
        return f"{name}: mentee {_words(mentee)}, mentor {_words(mentor)}"
    if mentee == mentor:
        return f"both chose: {_words(mentee)}"
    if shared:
        return f"both chose: {_words(shared)} ({name})"
    return f"{name}: {_words(mentee)} (mentee), {_words(mentor)} (mentor)"
