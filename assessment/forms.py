from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_LIMITS, Question, QuestionKind

REQUIRED = _("Please answer this question.")
INVALID = _("Choose from the choices given.")
# Widgets that render a group of inputs: the template describes the group, not each input.
GROUPED = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def question_field(question: Question) -> forms.Field:
    common = {
        "label": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": {
            "required": REQUIRED,
            "invalid_choice": INVALID,
        },
    }
    choices = [(str(value), label) for value, label in question.options()]
    if question.kind == QuestionKind.LIKERT:
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(
            max_length=TEXT_LIMITS[QuestionKind.SHORT_TEXT],
            widget=forms.TextInput(attrs={"class": "form-control"}),
            **common,
        )
    return forms.CharField(
        max_length=TEXT_LIMITS[QuestionKind.LONG_TEXT],
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        **common,
    )


class SurveyForm(forms.Form):
    """One field per question of the survey, named after the question's id."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.field_name] = question_field(question)

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}

    def rows(self):
        """(question, bound field, ids the field is described by) in order, for the template."""
        for question in self.questions:
            bound = self[question.field_name]
            described = []
            if question.help_text:
                described.append(f"{bound.auto_id}-help")
            if bound.errors:
                described.append(f"{bound.auto_id}-error")
            widget = bound.field.widget
            if described and not isinstance(widget, GROUPED):
                widget.attrs["aria-describedby"] = " ".join(described)
            if bound.errors:
                widget.attrs["aria-invalid"] = "true"
            yield question, bound, " ".join(described)
