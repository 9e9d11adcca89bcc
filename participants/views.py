"""My mentoring: thin views over the selectors and services of this package.

Every pairing is looked up among the requesting person's announced pairings, so another pair's
id (or a pairing not yet announced) answers 404, for committee members too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts import selectors as cohort_selectors
from matching.models import Pairing

from . import selectors, services
from .calendar import build_calendar, cohort_events, person_events
from .forms import CheckInForm, GoalForm, ProblemReportForm, ProgressNoteForm
from .models import CalendarFeed, Goal
from .todo import todo_items


def _pairing_or_404(request, pairing_id: int) -> Pairing:
    try:
        return selectors.pairing_for_participant(user=request.user, pairing_id=pairing_id)
    except Pairing.DoesNotExist:
        raise Http404 from None


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _back_to(pairing: Pairing, anchor: str = "") -> str:
    return reverse("participants:home") + f"#{anchor or f'pairing-{pairing.pk}'}"


def _partner_of(pairing: Pairing, user):
    return pairing.mentee if pairing.mentor.applicant_id == user.pk else pairing.mentor


def _render_form(request, pairing, form, *, title, intro="", submit, extra=None):
    context = {
        "pairing": pairing,
        "partner": _partner_of(pairing, request.user),
        "form": form,
        "title": title,
        "intro": intro,
        "submit": submit,
        "cancel_url": _back_to(pairing),
        **(extra or {}),
    }
    return render(request, "participants/pairing_form.html", context)


@login_required
@require_GET
def my_mentoring(request):
    now = timezone.now()
    participations = selectors.participations_for_user(user=request.user, now=now)
    return render(
        request,
        "participants/my_mentoring.html",
        {
            "participations": participations,
            "todo": todo_items(user=request.user, participations=participations, now=now),
            "now": now,
            "max_goals": Goal.MAX_PER_PAIRING,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, pairing_id: int):
    pairing = _pairing_or_404(request, pairing_id)
    count = pairing.goals.count()
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(pairing=pairing, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Goal added."))
            return redirect(_back_to(pairing))
    return _render_form(
        request,
        pairing,
        form,
        title=_("Add a SMART goal"),
        intro=_(
            "Set 1 to %(max)d goals together. Each is Specific, Measurable, Achievable, "
            "Relevant and Time-bound. This pair has %(count)d so far."
        )
        % {"max": Goal.MAX_PER_PAIRING, "count": count},
        submit=_("Save goal"),
        # A POST refused by the service shows the form again, with the error above it.
        extra={"full": request.method == "GET" and count >= Goal.MAX_PER_PAIRING},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_update(request, pairing_id: int, goal_id: int):
    pairing = _pairing_or_404(request, pairing_id)
    goal = get_object_or_404(Goal, pk=goal_id, pairing=pairing)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, updated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Goal updated."))
            return redirect(_back_to(pairing, f"goal-{goal.pk}"))
    return _render_form(
        request,
        pairing,
        form,
        title=_("Edit goal: %(goal)s") % {"goal": goal.title},
        submit=_("Save goal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_note_create(request, pairing_id: int, goal_id: int):
    pairing = _pairing_or_404(request, pairing_id)
    goal = get_object_or_404(Goal, pk=goal_id, pairing=pairing)
    form = ProgressNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_progress_note_create(goal=goal, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Progress note added."))
            return redirect(_back_to(pairing, f"goal-{goal.pk}"))
    return _render_form(
        request,
        pairing,
        form,
        title=_("Progress on: %(goal)s") % {"goal": goal.title},
        intro=_("Your partner sees this note too."),
        submit=_("Add note"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in_create(request, pairing_id: int):
    pairing = _pairing_or_404(request, pairing_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_create(pairing=pairing, logged_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Check-in logged."))
            return redirect(_back_to(pairing))
    return _render_form(
        request,
        pairing,
        form,
        title=_("Log a check-in"),
        intro=_("Note each time you meet; the committee sees only the date and how you met."),
        submit=_("Log check-in"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_report_create(request, pairing_id: int):
    pairing = _pairing_or_404(request, pairing_id)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_report_create(
                pairing=pairing, reported_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message went to the %(program)s committee; they will be in touch.")
                % {"program": pairing.cohort.program.short_name},
            )
            return redirect(_back_to(pairing))
    return _render_form(
        request,
        pairing,
        form,
        title=_("Flag a problem to the committee"),
        intro=_(
            "If the pairing is not working, or something worries you, tell the committee "
            "privately. Your partner is not told."
        ),
        submit=_("Send to the committee"),
    )


@login_required
@require_GET
def calendar_settings(request):
    feed = services.calendar_feed_active(user=request.user)
    url = webcal = ""
    if feed:
        url = request.build_absolute_uri(feed.get_absolute_url())
        webcal = "webcal://" + url.split("://", 1)[1]
    return render(
        request,
        "participants/calendar_settings.html",
        {"feed": feed, "feed_url": url, "webcal_url": webcal},
    )


@login_required
@require_POST
def calendar_feed_change(request):
    action = request.POST.get("action")
    if action == "create":
        services.calendar_feed_create(user=request.user)
        messages.success(request, _("Your calendar address is ready."))
    elif action == "regenerate":
        services.calendar_feed_regenerate(user=request.user)
        messages.success(request, _("A new address was made; the old one no longer works."))
    elif action == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("Your calendar address no longer works."))
    else:
        messages.error(request, _("Choose what to do with your calendar address."))
    return redirect("participants:calendar")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def calendar_feed(request, token: str):
    """A person's dates, by their secret address (no login: calendar apps cannot log in)."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"),
        token=token,
        revoked_at__isnull=True,
        user__is_active=True,
    )
    content = build_calendar(person_events(feed.user), name=_("My mentoring dates"))
    response = _ics_response(content, "my-mentoring.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def cohort_calendar(request, program_slug: str, slug: str):
    """A cohort's public dates, to download or subscribe to from the cohort page."""
    cohort = cohort_selectors.cohort_detail(program_slug=program_slug, slug=slug)
    name = f"{cohort.program.short_name} {cohort.name}"
    content = build_calendar(cohort_events(cohort), name=name)
    return _ics_response(content, f"{cohort.program.slug}-{cohort.slug}.ics")
