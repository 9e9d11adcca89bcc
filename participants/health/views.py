"""The participant's pulse check, opened from the emailed link: no login, the token is the key."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import pulse as pulse_service
from .models import PulseCheck

SCALE = [
    (1, _("1, going badly")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5, going very well")),
]


class PulseForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How is your mentoring going?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like the committee to know? (optional)"),
        required=False,
        max_length=pulse_service.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@never_cache
def pulse(request, token):
    """Answer once; after that (or when the pair has ended) the page thanks and takes nothing."""
    check = get_object_or_404(
        PulseCheck.objects.select_related(
            "pairing__cohort__program", "pairing__mentor", "pairing__mentee", "application"
        ),
        token=token,
    )
    is_open = pulse_service.pulse_is_open(check)
    form = None
    if is_open:
        form = PulseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                pulse_service.pulse_answer(
                    pulse=check,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except pulse_service.PulseClosed:
                return redirect(check.get_absolute_url())
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                return redirect(check.get_absolute_url())
    elif request.method == "POST":
        return redirect(check.get_absolute_url())
    pairing = check.pairing
    partner = pairing.mentee if check.application_id == pairing.mentor_id else pairing.mentor
    return render(
        request,
        "participants/pulse.html",
        {"pulse": check, "form": form, "partner": partner, "program": pairing.cohort.program},
    )
