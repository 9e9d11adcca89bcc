"""Your account: the time zone you read dates in, your data, deleting your account."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import AccountDeleteForm, TimeZoneForm
from .personal_data import personal_data, personal_data_document


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    form = TimeZoneForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_time_zone(
                user=request.user, time_zone=form.cleaned_data["time_zone"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your time zone is saved."))
            return redirect("accounts:mine")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "refusal": services.deletion_refusal(request.user)},
    )


@login_required
@reauthentication_required
@require_GET
def data(request):
    sections = personal_data(user=request.user)
    return render(request, "accounts/personal_data.html", {"sections": sections})


@login_required
@reauthentication_required
@require_GET
def data_json(request):
    document = personal_data_document(user=request.user)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-mentoring-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request):
    refusal = services.deletion_refusal(request.user)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.user_delete(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form, "refusal": refusal})
