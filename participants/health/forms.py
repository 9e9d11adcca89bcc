"""Input shape of the committee's match-health screens."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import HealthSettings, TouchPoint
from .services import NOTE_MAX


class NudgeForm(forms.Form):
    message = forms.CharField(
        label=_("A note from you (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to both emails. Never mention a problem report or a pulse answer."),
    )


class LiaisonForm(forms.Form):
    liaison = forms.TypedChoiceField(
        label=_("Liaison"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["liaison"].choices = [
            ("", _("No liaison")),
            *[(m.pk, m.get_full_name() or m.email) for m in members],
        ]

    def chosen(self):
        pk = self.cleaned_data.get("liaison")
        return self.members.get(pk) if pk else None


class TouchPointForm(forms.ModelForm):
    class Meta:
        model = TouchPoint
        fields = ["date", "kind", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        }
        help_texts = {"note": _("Seen by the committee only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in TouchPoint.Kind.choices if value != "nudge"
        ]
        self.fields["date"].initial = timezone.localdate()
        self.fields["note"].max_length = NOTE_MAX


class HealthSettingsForm(forms.ModelForm):
    class Meta:
        model = HealthSettings
        fields = ["no_check_in_days", "pulse_enabled", "pulse_first_days", "pulse_every_days"]
