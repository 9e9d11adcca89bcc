"""The participants app's part of "Your data" and of deleting an account (accounts.services)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.personal_data import Section

from .models import Attendance, CalendarFeed, CheckIn, Goal, GoalProgressNote, ProblemReport
from .selectors import pairings_for_user

REMOVED = "(Removed: the person who wrote this deleted their account.)"


def section(*, user) -> Section:
    """Goals and check-ins of the person's pairs, their problem reports, their attendance."""
    notes = GoalProgressNote.objects.select_related("author").order_by("date", "pk")
    pairings = (
        pairings_for_user(user)
        .select_related("cohort__program")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    Prefetch("progress_notes", queryset=notes)
                ).order_by("created_at", "pk"),
            ),
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("date", "pk")),
        )
        .order_by("pk")
    )
    pairs = [
        {
            "program": p.cohort.program.name,
            "cohort": p.cohort.name,
            "goals": [
                {
                    "title": g.title,
                    "status": g.get_status_display(),
                    "target_date": g.target_date,
                    **dict(g.smart_answers),
                    "progress": [
                        {"date": n.date, "note": n.note, "by_you": n.author_id == user.pk}
                        for n in g.progress_notes.all()
                    ],
                }
                for g in p.goals.all()
            ],
            "check_ins": [
                {
                    "date": c.date,
                    "how": c.get_mode_display(),
                    "notes": c.notes,
                    "logged_by_you": c.logged_by_id == user.pk,
                }
                for c in p.check_ins.all()
            ],
        }
        for p in pairings
    ]
    reports = ProblemReport.objects.filter(reported_by=user).select_related("pairing__cohort")
    attendance = Attendance.objects.filter(application__applicant=user).select_related(
        "application__cohort", "milestone"
    )
    return Section(
        "mentoring",
        _("Your mentoring"),
        {
            "pairs": pairs,
            "problem_reports": [
                {
                    "cohort": str(r.pairing.cohort),
                    "reported": r.created_at,
                    "message": r.message,
                    "resolved": r.resolved_at,
                }
                for r in reports
            ],
            "attendance": [
                {
                    "cohort": str(a.application.cohort),
                    "event": a.event_name,
                    "attended": a.attended,
                }
                for a in attendance
            ],
            "calendar_addresses": [
                {"created": f.created_at, "turned_off": f.revoked_at}
                for f in CalendarFeed.objects.filter(user=user)
            ],
        },
    )


def erase(*, user) -> None:
    """Remove the person's private problem reports' words and their calendar addresses.

    Goals, progress notes and check-ins belong to the pair (the partner wrote or read them too)
    and stay, as does attendance, which the reports count.
    """
    ProblemReport.objects.filter(reported_by=user).update(message=REMOVED)
    CalendarFeed.objects.filter(user=user).delete()
