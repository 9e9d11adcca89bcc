"""The kinds of program question and the one set of rules for their answers.

The form's fields, the submit service and the admin's checks of a definition all use these
functions, so an answer is held to the same rules whichever way it arrives. An answer is a JSON
value: text (short and long text, single choice), a list of choices (multiple choice), true or
false (yes/no), an integer (scale of 1 to 5, number).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 3000
SCALE = (1, 5)
MAX_CHOICES = 30
CHOICE_LIMIT = 100


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", gettext_lazy("Short text")
    LONG_TEXT = "long_text", gettext_lazy("Long text")
    CHOICE = "choice", gettext_lazy("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", gettext_lazy("Multiple choice")
    YES_NO = "yes_no", gettext_lazy("Yes or no")
    SCALE = "scale", gettext_lazy("Scale of 1 to 5")
    NUMBER = "number", gettext_lazy("Number")


class AskedOf(models.TextChoices):
    EVERYONE = "everyone", gettext_lazy("Mentors and mentees")
    MENTOR = "mentor", gettext_lazy("Mentors only")
    MENTEE = "mentee", gettext_lazy("Mentees only")


TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTIPLE_CHOICE)
# Kinds whose answers the matching engine can compare, and how.
MATCHABLE_KINDS = (
    QuestionKind.CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
)


@dataclass(frozen=True)
class Spec:
    """A question's rules for its answer."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None

    @property
    def length_limit(self) -> int:
        ceiling = LONG_TEXT_LIMIT if self.kind == QuestionKind.LONG_TEXT else SHORT_TEXT_LIMIT
        return min(self.max_length, ceiling) if self.max_length else ceiling

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        if self.kind == QuestionKind.SCALE:
            return SCALE
        return self.min_value, self.max_value


def choice_lines(text: str) -> list[str]:
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line not in seen:
            seen.append(line)
    return seen


def definition_errors(
    *,
    kind: str,
    choices: list[str],
    max_length: int | None,
    min_value: int | None,
    max_value: int | None,
) -> dict[str, str]:
    """What is wrong with a question's definition, by field; {} when it can be asked."""
    errors: dict[str, str] = {}
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices, one per line.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _("Give at most %(count)d choices.") % {"count": MAX_CHOICES}
        elif any(len(c) > CHOICE_LIMIT for c in choices):
            errors["choices"] = _("Keep each choice to %(limit)d characters.") % {
                "limit": CHOICE_LIMIT
            }
    elif choices:
        errors["choices"] = _("Only single and multiple choice questions have choices.")
    if max_length is not None:
        if kind not in TEXT_KINDS:
            errors["max_length"] = _("Only text answers have a maximum length.")
        else:
            ceiling = LONG_TEXT_LIMIT if kind == QuestionKind.LONG_TEXT else SHORT_TEXT_LIMIT
            if not 1 <= max_length <= ceiling:
                errors["max_length"] = _("Give a length from 1 to %(limit)d.") % {"limit": ceiling}
    if kind != QuestionKind.NUMBER:
        if min_value is not None or max_value is not None:
            errors["min_value"] = _("Only number questions have a range.")
    elif min_value is not None and max_value is not None and min_value > max_value:
        errors["max_value"] = _("The largest number must not be smaller than the smallest.")
    return errors


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def required_message(spec: Spec) -> str:
    if spec.kind == QuestionKind.MULTIPLE_CHOICE:
        return _("Choose at least one.")
    return _("This answer is required.")


def range_message(spec: Spec) -> str:
    low, high = spec.bounds
    if low is not None and high is not None:
        return _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high}
    if low is not None:
        return _("Give a number of %(low)d or more.") % {"low": low}
    return _("Give a number of %(high)d or less.") % {"high": high}


def unknown_choice_message(value) -> str:
    return _("“%(value)s” is not one of the choices.") % {"value": value}


def check_value(spec: Spec, value):
    """The answer as stored, or ValidationError with the message to show beside the field.

    `value` is what a form field cleaned (or what a service was given): text, a list of
    choices, a boolean or an integer; an empty answer is None. Required answers are checked by
    `check_required`, only when the application is submitted.
    """
    if is_empty(value):
        return None
    kind = spec.kind
    if kind in TEXT_KINDS:
        if not isinstance(value, str):
            raise ValidationError(_("Give this answer as text."))
        limit = spec.length_limit
        if len(value) > limit:
            raise ValidationError(
                _("Keep this to %(limit)d characters or fewer (it has %(count)d).")
                % {"limit": limit, "count": len(value)}
            )
        return value
    if kind == QuestionKind.CHOICE:
        if value not in spec.choices:
            raise ValidationError(unknown_choice_message(value))
        return value
    if kind == QuestionKind.MULTIPLE_CHOICE:
        values = [value] if isinstance(value, str) else list(value)
        for item in values:
            if item not in spec.choices:
                raise ValidationError(unknown_choice_message(item))
        return [c for c in spec.choices if c in values]  # the question's order, no repeats
    if kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(_("Answer yes or no."))
        return value
    # scale and number
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Enter a whole number."))
    low, high = spec.bounds
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(range_message(spec))
    return value


def check_required(spec: Spec, value) -> str | None:
    """The message for a required question left unanswered; None when it is fine."""
    if spec.required and is_empty(value):
        return required_message(spec)
    return None


def display(kind: str, value) -> str:
    """An answer in words, for pages, emails and exports ("" for no answer)."""
    if is_empty(value):
        return ""
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return ", ".join(str(v) for v in value)
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if kind == QuestionKind.SCALE:
        return _("%(value)s of 5") % {"value": value}
    return str(value)


def as_set(kind: str, value) -> frozenset[str]:
    """A choice-like answer as a set of words, for matching ("" answers are the empty set)."""
    if is_empty(value):
        return frozenset()
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return frozenset(str(v) for v in value)
    if kind == QuestionKind.YES_NO:
        return frozenset({"yes" if value else "no"})
    return frozenset({str(value)})
