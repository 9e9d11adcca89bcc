from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.timezones import reader_zone_for

from . import selectors, services
from .forms import ApplicationForm
from .questions import services as question_services
from .questions.selectors import cohort_questions
from .receipts import receipt_limit_message
from .summary import answer_summary, preview_summary


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
            "autosave": not closed_message
            and (application is None or application.status in services.AUTOSAVED_STATUSES),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, program_slug, cohort_slug):
    """The one application page: start, save a draft, review and submit, and edit until the
    deadline."""
    cohort = selectors.cohort_for_apply(program_slug=program_slug, cohort_slug=cohort_slug)
    application = selectors.application_to(cohort=cohort, user=request.user)
    if request.method == "GET":
        return _apply_get(request, cohort, application)
    questions = _questions(cohort)
    action = request.POST.get("action", "")
    if action == "edit":  # back from the review to the form, answers as they were
        form = ApplicationForm(
            request.POST, instance=application, cohort=cohort, questions=questions
        )
        return _form_page(request, cohort=cohort, form=form, application=application)
    form, answers, valid = _parse(request, cohort, application, questions)
    result = services.application_save(
        cohort=cohort,
        applicant=request.user,
        action=action,
        answers=answers,
        valid=valid,
        questions=questions,
        application=application,
    )
    return _apply_response(request, cohort, form, result)


@login_required
@require_POST
def autosave(request, program_slug, cohort_slug):
    """The draft saved as the applicant types (static/js/application_form.js): the page's
    answers as a draft, and a JSON note of what happened. The page works without it."""
    cohort = selectors.cohort_for_apply(program_slug=program_slug, cohort_slug=cohort_slug)
    application = selectors.application_to(cohort=cohort, user=request.user)
    questions = _questions(cohort)
    form = ApplicationForm(
        request.POST, instance=application, cohort=cohort, mode="draft", questions=questions
    )
    valid = form.is_valid()
    result = services.application_autosave(
        cohort=cohort, applicant=request.user, answers=form.answers(), valid=valid
    )
    Outcome = services.SaveOutcome
    saved = result.outcome in (Outcome.DRAFT_SAVED, Outcome.DRAFT_PARTLY_SAVED)
    if saved:
        message = _("Draft saved at %(time)s.") % {
            "time": date_format(timezone.localtime(), "TIME_FORMAT")
        }
        if result.outcome == Outcome.DRAFT_PARTLY_SAVED:
            message += " " + _("Some answers need attention; they are not saved yet.")
    else:
        message = result.message
    return JsonResponse(
        {"saved": saved, "outcome": str(result.outcome), "message": message},
        status=200 if saved else 409,
    )


def _questions(cohort) -> list:
    """The cohort's own questions; the first use once the call opened takes the cohort's copy
    of its program's questions (see applications.questions.services)."""
    question_services.cohort_questions_freeze(cohort=cohort)
    return cohort_questions(cohort=cohort)


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
    form = ApplicationForm(
        instance=application, initial=initial, cohort=cohort, questions=_questions(cohort)
    )
    return _form_page(request, cohort=cohort, form=form, application=application)


def _parse(request, cohort, application, questions) -> tuple[ApplicationForm, dict, bool]:
    """The posted form checked in the page's mode, the answers a draft keeps (those that passed
    their own checks, even when the submission's checks failed), and whether all passed."""
    action = request.POST.get("action", "")
    mode = services.application_form_mode(application=application, action=action)
    form = ApplicationForm(
        request.POST, instance=application, cohort=cohort, mode=mode, questions=questions
    )
    valid = form.is_valid()
    if mode == "submit" and not valid:
        draft = ApplicationForm(
            request.POST, instance=application, cohort=cohort, mode="draft", questions=questions
        )
        draft.is_valid()
        return form, draft.answers(), valid
    return form, form.answers(), valid


def _review_page(request, cohort, form, application):
    """The answers as they will be submitted, and the final Submit (the answers travel in
    hidden fields: nothing is saved until the applicant submits)."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "action")
        for value in values
    ]
    return render(
        request,
        "applications/application_review.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "application": application,
            "summary": preview_summary(
                cohort=cohort, answers=form.answers(), questions=form.questions
            ),
            "carried": carried,
        },
    )


def _apply_response(request, cohort, form, result: services.SaveResult):
    Outcome = services.SaveOutcome
    outcome, application = result.outcome, result.application
    if outcome == Outcome.READY_TO_REVIEW:
        return _review_page(request, cohort, form, application)
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
        if name in form.fields and name in form.errors:
            continue  # the form already says so beside the field
        form.add_error(name if name in form.fields else None, errors)
    level = messages.WARNING if outcome == Outcome.DRAFT_PARTLY_SAVED else messages.ERROR
    messages.add_message(request, level, result.message)
    return _form_page(request, cohort=cohort, form=form, application=application)


@login_required
def application_list(request):
    now = timezone.now()
    zone = reader_zone_for(request)
    rows = [
        {"application": a, "help": selectors.status_help(a, now, reader_zone=zone)}
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
            "help": selectors.status_help(application, now, reader_zone=reader_zone_for(request)),
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
