from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import ApplicationForm
from .receipts import receipt_limit_message
from .summary import answer_summary


def _form_page(request, *, cohort, form, application, closed_message="", status=200):
    return render(
        request,
        "applications/application_form.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "form": form,
            "application": application,
            "closed_message": closed_message,
            "deadline": cohort.application_deadline,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, program_slug, cohort_slug):
    """The one application page: start, save a draft, submit, and edit until the deadline."""
    cohort = selectors.cohort_for_apply(program_slug=program_slug, cohort_slug=cohort_slug)
    application = selectors.application_to(cohort=cohort, user=request.user)
    if request.method == "GET":
        return _apply_get(request, cohort, application)
    form, answers, valid = _parse(request, cohort, application)
    result = services.application_save(
        cohort=cohort,
        applicant=request.user,
        action=request.POST.get("action", ""),
        answers=answers,
        valid=valid,
    )
    return _apply_response(request, cohort, form, result)


def _apply_get(request, cohort, application):
    refusal = services.application_refusal(
        cohort=cohort, application=application, now=timezone.now()
    )
    if refusal is not None and refusal.outcome == services.SaveOutcome.LOCKED:
        messages.info(request, refusal.message)
        return redirect(application)
    if refusal is not None:
        return render(
            request,
            "applications/application_closed.html",
            {
                "cohort": cohort,
                "program": cohort.program,
                "application": application,
                "not_open_yet": refusal.outcome == services.SaveOutcome.NOT_OPEN,
                "message": refusal.message,
            },
        )
    initial = {} if application else selectors.prefill_for(user=request.user)
    form = ApplicationForm(instance=application, initial=initial, cohort=cohort)
    return _form_page(request, cohort=cohort, form=form, application=application)


def _parse(request, cohort, application) -> tuple[ApplicationForm, dict, bool]:
    """The posted form checked in the page's mode, the answers a draft keeps (those that passed
    their own checks, even when the submission's checks failed), and whether all passed."""
    action = request.POST.get("action", "")
    mode = services.application_form_mode(application=application, action=action)
    form = ApplicationForm(request.POST, instance=application, cohort=cohort, mode=mode)
    valid = form.is_valid()
    if mode == "submit" and not valid:
        draft = ApplicationForm(request.POST, instance=application, cohort=cohort, mode="draft")
        draft.is_valid()
        return form, draft.answers(), valid
    return form, form.answers(), valid


def _apply_response(request, cohort, form, result: services.SaveResult):
    Outcome = services.SaveOutcome
    outcome, application = result.outcome, result.application
    if outcome == Outcome.LOCKED:
        messages.info(request, result.message)
        return redirect(application)
    if outcome == Outcome.REFUSED:
        messages.error(request, result.message)
        return redirect("applications:mine")
    if outcome == Outcome.NOT_OPEN:
        messages.error(request, result.message)
        return redirect(cohort)
    if outcome == Outcome.CLOSED:
        return _form_page(
            request,
            cohort=cohort,
            form=form,
            application=application,
            closed_message=result.message,
        )
    if outcome in (Outcome.SUBMITTED, Outcome.CHANGES_SAVED, Outcome.DRAFT_SAVED):
        messages.success(request, result.message)
        return redirect(application)
    for name, errors in result.errors.items():
        form.add_error(name if name in form.fields else None, errors)
    level = messages.WARNING if outcome == Outcome.DRAFT_PARTLY_SAVED else messages.ERROR
    messages.add_message(request, level, result.message)
    return _form_page(request, cohort=cohort, form=form, application=application)


@login_required
def application_list(request):
    now = timezone.now()
    rows = [
        {"application": a, "help": selectors.status_help(a, now)}
        for a in selectors.applications_of(user=request.user)
    ]
    return render(request, "applications/application_list.html", {"rows": rows})


@login_required
def application_detail(request, pk):
    now = timezone.now()
    application = selectors.own_application(user=request.user, pk=pk)
    cohort = application.cohort
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "cohort": cohort,
            "program": cohort.program,
            "help": selectors.status_help(application, now),
            "summary": answer_summary(application),
            "can_edit": application.status in services.EDITABLE_STATUSES
            and cohort.is_accepting_applications(now),
            "can_withdraw": application.status in services.WITHDRAWABLE_STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    application = selectors.own_application(user=request.user, pk=pk)
    if application.status not in services.WITHDRAWABLE_STATUSES:
        messages.info(request, _("This application cannot be withdrawn."))
        return redirect(application)
    if request.method == "POST":
        withdrawn = services.application_withdraw(application=application)
        if getattr(withdrawn, "receipt_emailed", False):
            messages.success(request, _("Your application is withdrawn. We emailed you a note."))
        else:
            messages.success(request, receipt_limit_message(withdrawn))
        return redirect(application)
    return render(
        request,
        "applications/application_confirm_withdraw.html",
        {"application": application, "cohort": application.cohort},
    )
