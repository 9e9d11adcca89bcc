"""The cohort cockpit: the committee's landing page, one card per cohort of the person's
programs (closed ones left out), with its phase, its next date and what to do now.

An item is a count with a link; it disappears when its count is zero (the thing is done). The
page takes a fixed number of queries however many cohorts, applications or pairs: every count
is a correlated subquery of the one query that loads the cohorts, and the health of the pairs
under way is one more query.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from applications.choices import MembershipStatus
from applications.models import Application
from assessment.models import Invitation
from cohorts import permissions
from cohorts.admin_scoping import scope_queryset
from cohorts.models import Cohort, TimelineEntry
from cohorts.timeline import Phase
from matching.models import MatchRun, Pairing
from notifications.models import Notification

from ..models import Attendance, ProblemReport
from .models import LiaisonAssignment
from .selectors import health_rows

ROLES_MENTEE = (Application.Role.MENTEE, Application.Role.BOTH)
ROLES_MENTOR = (Application.Role.MENTOR, Application.Role.BOTH)
DECIDE_PHASES = (Phase.ACCEPTING, Phase.MATCHING, Phase.ORIENTATION)
MATCHING_PHASES = (Phase.MATCHING, Phase.ORIENTATION)
RELEASE_PHASES = (Phase.MATCHING, Phase.ORIENTATION, Phase.IN_PROGRESS)
CARE_PHASES = (Phase.ORIENTATION, Phase.IN_PROGRESS)


@dataclass
class Todo:
    key: str
    text: str
    url: str
    urgent: bool = False


@dataclass
class Card:
    cohort: Cohort
    phase: Phase
    next: TimelineEntry | None
    is_chair: bool
    todos: list[Todo] = field(default_factory=list)
    notes: list[Todo] = field(default_factory=list)  # what is scheduled: worth knowing, not to do

    @property
    def phase_label(self) -> str:
        return str(self.phase.label)


def _admin(name: str, *args, **query) -> str:
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _count(queryset, cohort_path: str = "cohort") -> Coalesce:
    """The number of rows of `queryset` that belong to the outer cohort (a correlated subquery:
    every count of every card comes with the one query that loads the cohorts)."""
    counted = (
        queryset.filter(**{cohort_path: OuterRef("pk")})
        .order_by()
        .values(cohort_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _counts(now: dt.datetime) -> dict:
    """Every count a card may show, as annotations on the cohort query."""
    applications = Application.objects.all()
    current = Pairing.objects.exclude(status=Pairing.Status.DISSOLVED)
    announced = Pairing.objects.filter(status__in=Pairing.ANNOUNCED_STATUSES)
    accepted = applications.filter(status=Application.Status.ACCEPTED)
    pairings = Pairing.objects.all()
    emails = Notification.objects.all()
    invitations = Invitation.objects.filter(sent_at__isnull=False)
    return {
        "to_decide": _count(
            applications.filter(
                status__in=[Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW]
            )
        ),
        "funded_waiting": _count(
            applications.filter(
                membership_status=MembershipStatus.FUNDED_REQUEST,
                membership_confirmed_at__isnull=True,
            ).exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        ),
        "mentors": _count(accepted.filter(role__in=ROLES_MENTOR)),
        "unpaired": _count(
            accepted.filter(role__in=ROLES_MENTEE).exclude(
                Exists(current.filter(mentee=OuterRef("pk")))
            )
        ),
        "attendance_missing": _count(
            accepted.filter(
                Q(Exists(announced.filter(mentor=OuterRef("pk"))))
                | Q(Exists(announced.filter(mentee=OuterRef("pk"))))
            ).exclude(
                Exists(
                    Attendance.objects.filter(application=OuterRef("pk"), milestone__isnull=True)
                )
            )
        ),
        "without_liaison": _count(
            pairings.filter(status__in=Pairing.ANNOUNCED_STATUSES).exclude(
                Exists(LiaisonAssignment.objects.filter(pairing=OuterRef("pk")))
            )
        ),
        "proposed": _count(pairings.filter(status=Pairing.Status.PROPOSED)),
        "approved": _count(pairings.filter(status=Pairing.Status.APPROVED)),
        "runs": _count(MatchRun.objects.all()),
        "reports": _count(
            ProblemReport.objects.filter(resolved_at__isnull=True), "pairing__cohort"
        ),
        "surveys_sent": _count(invitations, "survey__cohort"),
        "surveys_answered": _count(
            invitations.filter(completed_at__isnull=False), "survey__cohort"
        ),
        "emails_scheduled": _count(
            emails.filter(status=Notification.Status.PENDING, scheduled_at__gt=now)
        ),
        "emails_failed": _count(emails.filter(status=Notification.Status.FAILED)),
    }


def _health_counts(cohorts: list[Cohort], now: dt.datetime) -> dict[int, dict]:
    """Pairs at risk and goal sheets overdue per cohort, and the liaisons of those pairs."""
    counts: dict = defaultdict(lambda: {"at_risk": 0, "goal_sheet": 0})
    counts["liaisons"] = set()
    if not cohorts:
        return counts
    for row in health_rows(cohorts=cohorts, now=now):
        if row.liaison_id is not None:
            counts["liaisons"].add(row.liaison_id)
        if row.health.at_risk:
            counts[row.cohort_id]["at_risk"] += 1
        if row.health.has("goal_sheet"):
            counts[row.cohort_id]["goal_sheet"] += 1
    return counts


def cockpit_cohorts(*, user, now: dt.datetime, counts: dict):
    """The cohorts of the person's programs that are not closed, soonest first, annotated
    with `counts` (see _counts)."""
    recent = (now - dt.timedelta(days=2)).date()
    return (
        scope_queryset(Cohort.objects.all(), user)
        .filter(assessment_closes__gte=recent)
        .select_related("program")
        .prefetch_related("milestones")
        .annotate(**counts)
        .order_by("applications_open", "program__name", "pk")
    )


@dataclass
class Cockpit:
    cards: list[Card]
    is_liaison: bool  # the reader looks after one of the pairs shown


def cockpit_cards(*, user, now: dt.datetime | None = None) -> list[Card]:
    return cockpit(user=user, now=now).cards


def cockpit(*, user, now: dt.datetime | None = None) -> Cockpit:
    """One card per open cohort of the person's programs, with the to-do list of its phase."""
    now = now or timezone.now()
    counts = _counts(now)
    cohorts = cockpit_cohorts(user=user, now=now, counts=counts)
    cohorts = [c for c in cohorts if c.phase(now) != Phase.CLOSED]
    if not cohorts:
        return Cockpit(cards=[], is_liaison=False)
    chaired = set(permissions.chaired_programs(user).values_list("pk", flat=True))
    health = _health_counts([c for c in cohorts if c.phase(now) in CARE_PHASES], now)
    cards = []
    for cohort in cohorts:
        card = Card(
            cohort=cohort,
            phase=cohort.phase(now),
            next=cohort.next_date(now),
            is_chair=cohort.program_id in chaired,
        )
        facts = {name: getattr(cohort, name) for name in counts}
        facts.update(health.get(cohort.pk, {}))
        _todos(card, facts, now)
        cards.append(card)
    return Cockpit(cards=cards, is_liaison=user.pk in health["liaisons"])


def _todos(card: Card, f: dict, now: dt.datetime) -> None:
    """The card's to-do list for its phase, in the order the work comes."""
    cohort, phase, add = card.cohort, card.phase, card.todos.append
    pk = cohort.pk
    n = f.get("to_decide", 0)
    if n and phase in DECIDE_PHASES:
        add(
            Todo(
                "decide",
                ngettext("%(n)d application to decide", "%(n)d applications to decide", n)
                % {"n": n},
                _admin(
                    "applications_application_changelist",
                    cohort__id__exact=pk,
                    status__in="submitted,under_review",
                ),
                urgent=phase != Phase.ACCEPTING,
            )
        )
    n = f.get("funded_waiting", 0)
    if n and phase in DECIDE_PHASES:
        add(
            Todo(
                "funded",
                ngettext(
                    "%(n)d funded-membership request waiting for staff",
                    "%(n)d funded-membership requests waiting for staff",
                    n,
                )
                % {"n": n},
                _admin(
                    "applications_application_changelist", cohort__id__exact=pk, funded="waiting"
                ),
            )
        )
    unpaired, mentors = f.get("unpaired", 0), f.get("mentors", 0)
    if phase in MATCHING_PHASES and unpaired and mentors:
        if f.get("runs"):
            text = ngettext(
                "%(n)d accepted mentee without a pairing: run matching again or pair by hand",
                "%(n)d accepted mentees without a pairing: run matching again or pair by hand",
                unpaired,
            )
        else:
            text = ngettext(
                "Run matching for %(n)d accepted mentee",
                "Run matching for %(n)d accepted mentees",
                unpaired,
            )
        add(Todo("run", text % {"n": unpaired}, _admin("matching_run", pk)))
    n = f.get("proposed", 0)
    if n and phase in MATCHING_PHASES:
        text = (
            ngettext("%(n)d proposal to approve", "%(n)d proposals to approve", n)
            if card.is_chair
            else ngettext(
                "%(n)d proposal waiting for the chair", "%(n)d proposals waiting for the chair", n
            )
        )
        add(Todo("approve", text % {"n": n}, _admin("matching_review", pk, show="proposed")))
    n = f.get("approved", 0)
    if n and phase in RELEASE_PHASES:
        text = (
            ngettext("%(n)d approved pairing to release", "%(n)d approved pairings to release", n)
            if card.is_chair
            else ngettext(
                "%(n)d approved pairing waiting for the chair's release",
                "%(n)d approved pairings waiting for the chair's release",
                n,
            )
        )
        add(Todo("release", text % {"n": n}, _admin("matching_announce", pk)))
    n = f.get("attendance_missing", 0)
    oriented = (
        cohort.orientation_date and cohort.orientation_date < now.astimezone(cohort.tz).date()
    )
    if n and oriented and phase in CARE_PHASES:
        add(
            Todo(
                "attendance",
                ngettext(
                    "Orientation attendance to record for %(n)d participant",
                    "Orientation attendance to record for %(n)d participants",
                    n,
                )
                % {"n": n},
                _admin("participants_pairingprogress_changelist", cohort__id__exact=pk),
            )
        )
    _care_todos(card, f)
    _survey_and_email_todos(card, f)


def _care_todos(card: Card, f: dict) -> None:
    pk, add = card.cohort.pk, card.todos.append
    n = f.get("without_liaison", 0)
    if n and card.cohort.program.assigns_committee_liaison and card.phase in CARE_PHASES:
        add(
            Todo(
                "liaisons",
                ngettext("%(n)d pair without a liaison", "%(n)d pairs without a liaison", n)
                % {"n": n},
                _admin("participants_cohortcockpit_health", pk, show="all"),
            )
        )
    n = f.get("goal_sheet", 0)
    if n:
        add(
            Todo(
                "goal_sheet",
                ngettext("%(n)d goal sheet overdue", "%(n)d goal sheets overdue", n) % {"n": n},
                _admin(
                    "participants_pairingprogress_changelist",
                    cohort__id__exact=pk,
                    goal_sheet="overdue",
                ),
            )
        )
    n = f.get("at_risk", 0)
    if n:
        add(
            Todo(
                "at_risk",
                ngettext("%(n)d pair at risk", "%(n)d pairs at risk", n) % {"n": n},
                _admin("participants_cohortcockpit_health", pk),
                urgent=True,
            )
        )
    n = f.get("reports", 0)
    if n:
        # Members see which pairs have an open report on the health page, never its text.
        url = (
            _admin(
                "participants_problemreport_changelist",
                pairing__cohort__id__exact=pk,
                resolved="no",
            )
            if card.is_chair
            else _admin("participants_cohortcockpit_health", pk, show="problem_report")
        )
        add(
            Todo(
                "reports",
                ngettext("%(n)d problem report open", "%(n)d problem reports open", n) % {"n": n},
                url,
                urgent=True,
            )
        )


def _survey_and_email_todos(card: Card, f: dict) -> None:
    pk = card.cohort.pk
    sent, answered = f.get("surveys_sent", 0), f.get("surveys_answered", 0)
    if sent and answered < sent and card.phase in (Phase.ASSESSMENT,):
        card.todos.append(
            Todo(
                "surveys",
                ngettext(
                    "%(answered)d of %(n)d survey answered",
                    "%(answered)d of %(n)d surveys answered",
                    sent,
                )
                % {"answered": answered, "n": sent},
                _admin("assessment_survey_results", pk),
            )
        )
    n = f.get("emails_failed", 0)
    if n:
        card.todos.append(
            Todo(
                "emails_failed",
                ngettext("%(n)d email failed", "%(n)d emails failed", n) % {"n": n},
                _admin("matching_scheduled", pk),
                urgent=True,
            )
        )
    n = f.get("emails_scheduled", 0)
    if n:
        card.notes.append(
            Todo(
                "emails_scheduled",
                ngettext("%(n)d email scheduled", "%(n)d emails scheduled", n) % {"n": n},
                _admin("matching_scheduled", pk),
            )
        )
