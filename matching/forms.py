from dataclasses import fields

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.pairings import REASON_LIMIT
from .scoring import Weights

WEIGHT_HELP = {
    "areas": (_("Points per shared area of interest"), None),
    "max_shared_areas": (_("Shared areas that count, at most"), None),
    "library_type": (
        _("Library type as the mentee asked (same or different)"),
        _("Points when the mentor's library type is what the mentee asked for."),
    ),
    "experience": (_("Mentor more experienced"), _("Points for a large enough experience gap.")),
    "min_experience_gap": (_("Minimum experience gap (years)"), None),
    "experience_cap_years": (_("Years beyond the gap that still add points"), None),
    "experience_penalty": (
        _("Penalty when the mentor is not more experienced"),
        None,
    ),
    "proximity": (
        _("Same region, for mentees who asked for someone near"),
        None,
    ),
    "near_timezone_hours": (_("Time zones this close count as near (hours)"), None),
    "near_timezone_share": (
        _("Share of the region points for a near time zone (0 to 1)"),
        None,
    ),
    "meeting_modes": (_("A way to meet in common"), None),
    "meeting_mode_penalty": (_("Penalty for no way to meet in common"), None),
    "demographics": (
        _("Each opt-in preference met"),
        _("Only for preferences an applicant asked for; answers are never shown to the partner."),
    ),
    "priority": (
        _("Waitlist priority"),
        _("Points for mentees who were accepted but not paired in the last cohort."),
    ),
}


class RunForm(forms.Form):
    """The weights of a run (the cohort's last ones prefilled) and what to keep."""

    keep_locked = forms.BooleanField(
        label=_("Keep locked pairs"),
        required=False,
        initial=True,
        help_text=_(
            "Locked and hand-made pairs stay as they are. Approved pairs always stay: a run "
            "replaces only proposals."
        ),
    )
    exclude_same_employer = forms.BooleanField(
        label=_("Never pair people from the same employer"), required=False, initial=True
    )

    def __init__(self, *args, weights: Weights, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        defaults = Weights()
        for item in fields(Weights):
            label, help_text = WEIGHT_HELP.get(item.name, (item.name.replace("_", " "), None))
            default = getattr(defaults, item.name)
            hint = _("Default: %(value)s.") % {"value": default}
            integer = item.type in ("int", int)
            field_class = forms.IntegerField if integer else forms.FloatField
            extra = {} if integer else {"widget": forms.NumberInput(attrs={"step": "0.1"})}
            self.fields[f"w_{item.name}"] = field_class(
                label=label,
                initial=getattr(weights, item.name),
                min_value=0,
                max_value=100,
                help_text=f"{help_text} {hint}" if help_text else hint,
                **extra,
            )

        for criterion in self.criteria:
            compared = criterion.compared_question
            if compared.pk == criterion.mentee_question_id:
                about = criterion.mentee_question.name
            else:
                about = _("%(mentee)s against %(mentor)s") % {
                    "mentee": criterion.mentee_question.name,
                    "mentor": compared.name,
                }
            self.fields[f"c_{criterion.pk}"] = forms.FloatField(
                label=_("%(question)s: %(rule)s")
                % {"question": about, "rule": criterion.get_rule_display().lower()},
                initial=criterion.weight,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"step": "0.1"}),
                help_text=_("From the program's own questions; 0 turns it off."),
            )

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def criterion_fields(self):
        return [self[name] for name in self.fields if name.startswith("c_")]

    def option_fields(self):
        return [self[name] for name in self.fields if name[:2] not in ("w_", "c_")]

    def criterion_weights(self) -> dict[int, float]:
        return {
            int(name.removeprefix("c_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("c_")
        }

    def clean_w_near_timezone_share(self):
        value = self.cleaned_data["w_near_timezone_share"]
        if value is not None and value > 1:
            raise forms.ValidationError(_("Give a share between 0 and 1."))
        return value

    def weights(self) -> dict:
        return {
            name.removeprefix("w_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("w_")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=REASON_LIMIT,
    )


class ConfirmForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(
        label=_("I have read the warnings and want this pair anyway"), required=False
    )


class ManualPairForm(forms.Form):
    mentee = forms.ModelChoiceField(queryset=None, label=_("Mentee"))
    mentor = forms.ModelChoiceField(queryset=None, label=_("Mentor"))
    confirmed = forms.BooleanField(
        label=_("Pair them even if there are warnings (capacity, exclusion, same employer)"),
        required=False,
    )

    def __init__(self, *args, mentees, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].label_from_instance = lambda a: a.full_name
        self.fields["mentor"].label_from_instance = lambda a: a.full_name


class ReleaseForm(forms.Form):
    """The chair's confirmation of a release: the plan they saw (its fingerprint) and a box
    saying they have checked the list of emails."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirmed = forms.BooleanField(
        label=_("I have checked who gets which email, and when"),
        error_messages={"required": _("Check the box to confirm you have read the list.")},
    )


class EmailGroupForm(forms.Form):
    """Which group of scheduled emails an action is about: a kind and its send time."""

    kind = forms.CharField(widget=forms.HiddenInput, max_length=64)
    scheduled_at = forms.DateTimeField(widget=forms.HiddenInput)


class PostponeForm(EmailGroupForm):
    to_date = forms.DateField(
        label=_("New day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2031-06-15.")},
    )


class WithdrawForm(EmailGroupForm):
    reason = forms.CharField(
        label=_("Why they should not go out"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 40}),
    )
