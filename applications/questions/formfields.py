"""A program question as a form field: the widget its kind calls for, the same checks as the
services (kinds.check_value), and its answer back as the stored value."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .kinds import QuestionKind, Spec, check_value, unknown_choice_message

# More choices than this are offered in a drop-down list rather than as radio buttons.
RADIO_LIMIT = 7


class _Checked:
    """A field validator that applies the question's own rules (length, range, choices)."""

    def __init__(self, spec: Spec):
        self.spec = spec

    def __call__(self, value):
        check_value(self.spec, value)


class _Choice(forms.ChoiceField):
    def validate(self, value):
        if value and not self.valid_value(value):
            raise ValidationError(unknown_choice_message(value), code="invalid_choice")
        super(forms.ChoiceField, self).validate(value)


class _Choices(forms.MultipleChoiceField):
    def validate(self, value):
        for item in value or []:
            if not self.valid_value(item):
                raise ValidationError(unknown_choice_message(item), code="invalid_choice")


class _YesNo(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


def _number_field(spec: Spec, **kwargs) -> forms.Field:
    low, high = spec.bounds
    field = forms.IntegerField(
        error_messages={"invalid": _("Enter a whole number.")},
        **kwargs,
    )
    attrs = {}
    if low is not None:
        attrs["min"] = str(low)
    if high is not None:
        attrs["max"] = str(high)
    field.widget.attrs.update(attrs)
    return field


def question_formfield(question) -> forms.Field:
    """The form field for `question` (never required by itself: a draft may leave it empty;
    the form requires it on submission)."""
    spec = question.spec
    # The committee's words, escaped here: a help text is shown as given (HTML by default).
    common = {"label": question.label, "help_text": escape(question.help_text), "required": False}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        field = forms.CharField(**common)
        field.widget.attrs["maxlength"] = str(spec.length_limit)
    elif kind == QuestionKind.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        field.widget.attrs["maxlength"] = str(spec.length_limit)
    elif kind == QuestionKind.CHOICE:
        choices = [(c, c) for c in spec.choices]
        if len(choices) > RADIO_LIMIT:
            field = _Choice(choices=[("", _("Choose…")), *choices], **common)
        else:
            field = _Choice(choices=choices, widget=forms.RadioSelect, **common)
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        field = _Choices(
            choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    elif kind == QuestionKind.YES_NO:
        field = _YesNo(**common)
    elif kind == QuestionKind.SCALE:
        field = forms.TypedChoiceField(
            choices=[(str(n), str(n)) for n in range(1, 6)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
        if not question.help_text:
            field.help_text = _("1 is the least, 5 the most.")
    else:
        field = _number_field(spec, **common)
    if kind not in (QuestionKind.YES_NO, QuestionKind.SCALE):
        # (Those two are typed after the validators run; their choices are their rules.)
        field.validators.append(_Checked(spec))
    field.question = question
    return field


def stored_value(question, cleaned):
    """The form's cleaned answer as it is stored (None for no answer)."""
    return check_value(question.spec, cleaned)
