import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from accounts.widgets import TimeZoneField, TimeZoneSelect
from cohorts.models import Cohort

from . import eligibility, form_fields
from . import form_layout as layout
from .choices import (
    STATE_CHOICES,
    Demographic,
    LibraryTypePreference,
    MeetingMode,
    MembershipStatus,
    Role,
)
from .fields import ANSWERED_FIELDS, question_field_name, sections_with
from .models import ANSWER_LIMIT, Application
from .questions.formfields import question_formfield
from .questions.kinds import QuestionKind
from .questions.selectors import answers_of, cohort_questions

TEXT_LIMIT = ANSWER_LIMIT  # the model's bound, in the form too (a maxlength and a check)

# C0/C1 control characters except tab and newlines, and the bidirectional embedding, override
# and isolate characters that can disguise text (e.g. U+202E RIGHT-TO-LEFT OVERRIDE).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool) -> str:
    value = _CONTROL.sub("", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return value


class ApplicationForm(forms.ModelForm):
    """The one application page: every question, in sections, for mentor, mentee or both.

    mode="draft" accepts partial answers (types and lengths still checked); mode="submit" also
    requires everything the role needs and applies the program's membership rule, putting each
    error beside its field. The cohort's own questions (`questions`, else loaded) are fields
    named q_<id>, in their sections among the built-in ones.
    """

    role = forms.ChoiceField(
        label=_("I am applying as"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State or territory"),
        choices=[("", _("Choose…")), *STATE_CHOICES],
        required=False,
    )
    time_zone = TimeZoneField(
        label=_("Time zone"), required=False, widget=TimeZoneSelect(blank_label=_("Choose…"))
    )
    membership_status = forms.ChoiceField(
        label=_("Membership"), widget=forms.RadioSelect, required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of interest"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose at least one."),
    )
    meeting_modes = forms.MultipleChoiceField(
        label=_("Ways you would like to meet"),
        choices=MeetingMode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose at least one."),
    )
    capacity = forms.TypedChoiceField(
        label=_("How many mentees you can take"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    library_type_preference = forms.ChoiceField(
        label=_("Library type of your match"),
        choices=LibraryTypePreference.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    demographics = forms.MultipleChoiceField(
        label=_("How you identify (optional)"),
        choices=Demographic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    demographic_preference = forms.MultipleChoiceField(
        label=_("I would like a match who shares these (optional)"),
        choices=Demographic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Application
        fields = list(ANSWERED_FIELDS)
        widgets = {
            "mentee_goals": forms.Textarea(attrs={"rows": 4}),
            "mentor_offer": forms.Textarea(attrs={"rows": 4}),
            "previous_mentoring": forms.Textarea(attrs={"rows": 3}),
            "children_service_connection": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "pronouns": _("Optional, e.g. she/her, he/him, they/them."),
            "email": _("Where the committee writes to you about this application."),
            "membership_number": _("As printed on your membership card or renewal notice."),
            "hours_per_month": _("Most pairs meet for two to four hours a month."),
            "mentee_goals": _("Skills, goals, or questions you would like help with."),
            "mentor_offer": _("Your experience, and what you would enjoy helping with."),
        }

    def __init__(
        self,
        *args,
        cohort: Cohort,
        mode: str = "draft",
        questions: list | None = None,
        **kwargs,
    ):
        self.cohort = cohort
        self.program = cohort.program
        self.mode = mode
        # The cohort's own questions (its copy, taken when the call opened), in form order.
        self.questions = (
            list(questions) if questions is not None else cohort_questions(cohort=cohort)
        )
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            data = self._sanitize(data)
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        instance = kwargs.get("instance")
        if instance is not None and self.questions:
            stored = answers_of(instance)
            kwargs["initial"] = {
                **{question_field_name(q): stored[q.pk] for q in self.questions if q.pk in stored},
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.max_length = TEXT_LIMIT
                field.widget.attrs["maxlength"] = str(TEXT_LIMIT)
                field.validators.append(MaxLengthValidator(TEXT_LIMIT))
        self.fields["role"].choices = eligibility.role_choices(self.program)
        self.fields["areas"].queryset = self.program.areas.all()
        statuses = [
            (value, label)
            for value, label in MembershipStatus.choices
            if value != MembershipStatus.FUNDED_REQUEST
            or eligibility.offers_funded_membership(self.program)
        ]
        self.fields["membership_status"].choices = statuses
        self.fields["library_type"].choices = [
            ("", _("Choose…")),
            *Application._meta.get_field("library_type").choices,
        ]
        self.fields["years_experience"].widget.attrs.update(min="0", max="70")
        self.fields["hours_per_month"].widget.attrs.update(min="1", max="40")
        if not self.program.mentees_confirm_children_service:
            del self.fields["is_adult"]
            del self.fields["children_service_connection"]
        if not cohort.orientation_required:
            self.fields["commits_orientation"].label = _(
                "I will attend the virtual orientation if I can"
            )
        for question in self.questions:
            self.fields[question_field_name(question)] = question_formfield(question)
        self.sections = sections_with(self.questions)
        layout.prepare(self)

    def _sanitize(self, data):
        if hasattr(data, "setlist"):
            data = data.copy()
        else:  # a plain dict, from code rather than a request
            data = MultiValueDict(
                {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in data.items()}
            )
        multiline = {
            name
            for name, field in self.base_fields.items()
            if isinstance(field.widget, forms.Textarea)
        } | {question_field_name(q) for q in self.questions if q.kind == QuestionKind.LONG_TEXT}
        for key in list(data.keys()):
            data.setlist(
                key,
                [
                    clean_text(value, multiline=key in multiline)
                    if isinstance(value, str)
                    else value
                    for value in data.getlist(key)
                ],
            )
        return data

    def _section_notes(self) -> dict[str, list[str]]:
        """The program's words shown at the top of a section, by section key."""
        program = self.program
        membership = [
            _("Mentors: %(mentor)s. Mentees: %(mentee)s.")
            % {
                "mentor": program.get_mentor_membership_display().lower(),
                "mentee": program.get_mentee_membership_display().lower(),
            }
        ]
        if program.membership_exception:
            membership.append(program.membership_exception)
        privacy = _(
            "Answer only if you wish. These answers are used only for the matching "
            "preference you choose here, and are never shown to your match."
        )
        return {"membership": membership, "demographics": [privacy]}

    def clean(self):
        cleaned = super().clean()
        if self.mode == "submit":
            role = cleaned.get("role") or ""
            answers = self.answers()
            errors = eligibility.submission_errors(
                cohort=self.cohort, role=role, answers=answers, questions=self.questions
            )
            for name, message in errors.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
                elif name not in self.fields:
                    self.add_error(None, message)
        return cleaned

    def validate_constraints(self):
        """Nothing to ask the database: the model's validators already bound the capacity (the
        one check constraint), and the service owns one application per person and cohort."""

    def answers(self) -> dict:
        """The answers that passed validation (a draft keeps these even if others did not); the
        program's own questions under "questions", by question id."""
        cleaned = getattr(self, "cleaned_data", {})
        answers = {
            name: cleaned[name]
            for name in self.fields
            if name in cleaned and not name.startswith("q_")
        }
        answers["questions"] = {
            q.pk: cleaned[question_field_name(q)]
            for q in self.questions
            if question_field_name(q) in cleaned
        }
        return answers

    # --- what the page shows around the fields (applications/form_layout.py) -----------------

    def error_list(self) -> list[layout.ErrorLink]:
        return layout.error_list(self)

    def error_total(self) -> int:
        """How many answers the error summary lists (with the form-wide ones)."""
        return len(self.error_list()) + len(self.non_field_errors())

    def progress(self) -> layout.Progress:
        return layout.progress(self)

    def section_blocks(self) -> list[form_fields.SectionBlock]:
        """The sections and their fields as the page draws them (applications/form_fields.py)."""
        return form_fields.section_blocks(self, self._section_notes())
