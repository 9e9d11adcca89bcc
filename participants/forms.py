from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CheckIn, Goal, GoalProgressNote, ProblemReport


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = list(Goal.EDITABLE_FIELDS)
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 2}) for name in Goal.SMART_FIELDS},
            "target_date": DateInput(),
        }


class ProgressNoteForm(forms.ModelForm):
    class Meta:
        model = GoalProgressNote
        fields = ["date", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"note": _("How the goal stands")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["date", "mode", "notes"]
        widgets = {
            "date": DateInput(),
            "mode": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"date": _("When you met")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        # A radio list needs no empty choice.
        self.fields["mode"].choices = CheckIn.Mode.choices


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "message": _(
                "Only the committee chairs read this; your partner is not told. "
                "Say what is happening and what would help."
            )
        }
