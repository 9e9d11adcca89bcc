from django import forms
from django.utils.translation import gettext_lazy as _


class CallSubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("No account needed. We send a link to confirm it first."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
