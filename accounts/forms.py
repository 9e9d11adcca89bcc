from django import forms
from django.utils.translation import gettext_lazy as _

from .models import time_zone_choices
from .widgets import TimeZoneSelect


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        widget=TimeZoneSelect(blank_label=_("Use my browser's time zone")),
        help_text=_(
            "Deadlines and meetings are shown in the program's time and, when yours differs, in "
            "yours too. Leave it empty to use your browser's."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        browser = ("", _("Use my browser's time zone"))
        self.fields["time_zone"].choices = [browser, *time_zone_choices()]


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account is deleted and I cannot log in with it again."),
        error_messages={"required": _("Check the box to confirm you want to delete your account.")},
    )
