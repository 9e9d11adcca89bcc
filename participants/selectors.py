"""Reads for My mentoring. Every pairing a participant reaches goes through pairings_for_user,
so another pair's id answers 404 whoever asks (committee members included)."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import timezones
from applications.choices import OUTSIDE_US
from applications.models import Application
from applications.questions.selectors import answers_shown_to_partners
from assessment.models import Invitation
from assessment.selectors import open_invitations_for_user
from cohorts.models import AreaOfInterest, Cohort, Milestone, Program, TimelineEntry
from cohorts.timeline import Phase
from matching.models import Pairing

from .health.models import PulseCheck
from .models import Attendance, CheckIn, Goal, GoalProgressNote, ProblemReport

# Applications whose dates still concern the person (the calendar feed).
LIVE_APPLICATION_STATUSES = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.UNDER_REVIEW,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
)


def pairings_for_user(user, *, application_ids: list[int] | None = None) -> QuerySet[Pairing]:
    """Announced pairings `user` is a partner in, from their announcement time on; proposed,
    approved, dissolved and not-yet-announced ones are not.

    `application_ids`, the ids of the user's own applications when already loaded, turns the
    lookup into `mentor_id IN (...) OR mentee_id IN (...)`, which the indexes of both columns
    answer; the join through both sides' applications reads every pairing."""
    if not user.is_authenticated:
        return Pairing.objects.none()
    if application_ids is not None:
        mine = Q(mentor_id__in=application_ids) | Q(mentee_id__in=application_ids)
    else:
        mine = Q(mentor__applicant=user) | Q(mentee__applicant=user)
    return Pairing.objects.visible_to_partners().filter(mine)


def pairing_for_participant(*, user, pairing_id: int) -> Pairing:
    """One of the user's announced pairings, ready for a form page; Pairing.DoesNotExist else."""
    return (
        pairings_for_user(user)
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
        .get(pk=pairing_id)
    )


def goal_sheet_due(pairing: Pairing) -> dt.date | None:
    """The day the goal sheet is due: the announcement plus the program's goal_sheet_due_days.

    The announcement is the pairing's announced_at (as a date in program time), else the
    cohort's notification date. None when the program sets no goal-sheet date.
    """
    cohort = pairing.cohort
    days = cohort.program.goal_sheet_due_days
    if days is None:
        return None
    if pairing.announced_at:
        announced = pairing.announced_at.astimezone(cohort.tz).date()
    else:
        announced = cohort.pairings_notified
    return announced + dt.timedelta(days=days)


def cohort_goal_sheet_due(cohort: Cohort) -> dt.date | None:
    """The goal-sheet date of a cohort's pairs announced on the notification date."""
    days = cohort.program.goal_sheet_due_days
    if days is None:
        return None
    return cohort.pairings_notified + dt.timedelta(days=days)


def person_time_zone(*, user, application: Application | None, program: Program):
    """The person's own zone: the one on their application, else their profile, else program's."""
    for name in (application.time_zone if application else "", user.time_zone, program.time_zone):
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return program.tz


zone_label = timezones.zone_label


def milestone_concerns(milestone: Milestone, *, is_mentor: bool, is_mentee: bool) -> bool:
    if milestone.audience == Milestone.Audience.MENTORS:
        return is_mentor
    if milestone.audience == Milestone.Audience.MENTEES:
        return is_mentee
    return True


@dataclass
class PairingView:
    pairing: Pairing
    my_role: str  # "mentor" or "mentee": the role the person plays in this pairing
    partner: Application
    shared_areas: list[AreaOfInterest]
    goals: list[Goal]
    check_ins: list[CheckIn]
    my_reports: list[ProblemReport]
    goal_sheet_due: dt.date | None
    today: dt.date
    open_pulse_check: PulseCheck | None = None
    # The partner's answers to the program's questions marked "shown to the partner".
    partner_answers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def partner_left(self) -> bool:
        """The partner deleted their account: their name and contact details are gone."""
        return not self.partner.applicant.is_active and not self.partner.full_name

    @property
    def partner_role(self) -> str:
        return "mentee" if self.my_role == "mentor" else "mentor"

    @property
    def partner_hopes(self) -> str:
        """What the partner hopes to gain (a mentee) or offers (a mentor)."""
        if self.partner_role == "mentee":
            return self.partner.mentee_goals
        return self.partner.mentor_offer

    @property
    def partner_location(self) -> str:
        if self.partner.state and self.partner.state != OUTSIDE_US:
            return self.partner.get_state_display()
        return self.partner.country

    @property
    def partner_time_zone(self) -> str:
        return zone_label(self.partner.time_zone) if self.partner.time_zone else ""

    @property
    def partner_email(self) -> str:
        return self.partner.email or self.partner.applicant.email

    @property
    def last_contact(self) -> dt.date | None:
        return max((c.date for c in self.check_ins), default=None)

    @property
    def can_add_goal(self) -> bool:
        return len(self.goals) < Goal.MAX_PER_PAIRING

    @property
    def goals_overdue(self) -> bool:
        return (
            not self.goals and self.goal_sheet_due is not None and self.goal_sheet_due < self.today
        )


@dataclass
class MilestoneView:
    milestone: Milestone
    starts_local: dt.datetime | None
    attendance: Attendance | None


@dataclass
class Participation:
    """One cohort the person takes part in, with everything My mentoring shows about it."""

    application: Application
    cohort: Cohort
    tz: zoneinfo.ZoneInfo
    phase: Phase
    timeline: list[TimelineEntry]
    next: TimelineEntry | None
    orientation_local: dt.datetime | None
    orientation_attendance: Attendance | None
    milestones: list[MilestoneView]
    goal_sheet_due: dt.date | None
    pairings: list[PairingView] = field(default_factory=list)
    surveys: list[Invitation] = field(default_factory=list)

    @property
    def tz_label(self) -> str:
        return zone_label(self.tz.key)

    @property
    def program(self) -> Program:
        return self.cohort.program

    @property
    def is_mentor(self) -> bool:
        return self.application.is_mentor

    @property
    def is_mentee(self) -> bool:
        return self.application.is_mentee

    @property
    def awaiting_match(self) -> bool:
        """Accepted, but a role the person applied for has no announced partner yet."""
        roles = {p.my_role for p in self.pairings}
        return (self.is_mentee and "mentee" not in roles) or (
            self.is_mentor and "mentor" not in roles
        )


def _participant_applications(user) -> QuerySet[Application]:
    announced = Pairing.objects.filter(status__in=Pairing.ANNOUNCED_STATUSES)
    # EXISTS on each side, not joins and DISTINCT: the person's few applications are found by
    # their applicant index, then each side is one index lookup.
    return (
        Application.objects.filter(applicant=user)
        .filter(
            Q(status=Application.Status.ACCEPTED)
            | Exists(announced.filter(mentor_id=OuterRef("pk")))
            | Exists(announced.filter(mentee_id=OuterRef("pk")))
        )
        .select_related("cohort__program")
        .prefetch_related(
            Prefetch("cohort__milestones", queryset=Milestone.objects.order_by("date", "time")),
            "attendance",
        )
        .order_by("-cohort__mentoring_starts", "pk")
    )


def _user_pairings(user, application_ids: list[int]) -> QuerySet[Pairing]:
    notes = GoalProgressNote.objects.select_related("author").order_by("-date", "-pk")
    goals = Goal.objects.prefetch_related(Prefetch("progress_notes", queryset=notes)).order_by(
        "created_at", "pk"
    )
    return (
        pairings_for_user(user, application_ids=application_ids)
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
        .prefetch_related(
            Prefetch("goals", queryset=goals),
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.select_related("logged_by").order_by("-date", "-pk"),
            ),
            Prefetch(
                "problem_reports",
                queryset=ProblemReport.objects.filter(reported_by=user),
                to_attr="my_reports",
            ),
            Prefetch(
                "pulse_checks",
                queryset=PulseCheck.objects.filter(
                    application__applicant=user, answered_at__isnull=True
                ).order_by("-offset_days"),
                to_attr="my_open_pulse_checks",
            ),
        )
        .order_by("pk")
    )


def _participation(
    application: Application, *, user, now: dt.datetime, surveys: list[Invitation]
) -> Participation:
    """One cohort of the person's, without its pairings."""
    cohort = application.cohort
    tz = person_time_zone(user=user, application=application, program=cohort.program)
    attendance = {a.milestone_id: a for a in application.attendance.all()}
    mine, hidden = [], set()
    for milestone in cohort.milestones.all():
        if milestone_concerns(
            milestone, is_mentor=application.is_mentor, is_mentee=application.is_mentee
        ):
            mine.append(milestone)
        else:
            # The public timeline lists every milestone; keep only those meant for this person.
            hidden.add(f"milestone-{milestone.pk}")
    timeline = [entry for entry in cohort.timeline(now) if entry.key not in hidden]
    return Participation(
        application=application,
        cohort=cohort,
        tz=tz,
        phase=cohort.phase(now),
        timeline=timeline,
        next=next((e for e in timeline if e.state in ("current", "future")), None),
        orientation_local=(
            cohort.orientation_starts_at.astimezone(tz)
            if cohort.orientation_date and cohort.orientation_time
            else None
        ),
        orientation_attendance=attendance.get(None),
        milestones=[
            MilestoneView(
                milestone=m,
                starts_local=m.starts_at.astimezone(tz) if m.starts_at else None,
                attendance=attendance.get(m.pk),
            )
            for m in mine
        ],
        goal_sheet_due=cohort_goal_sheet_due(cohort),
        surveys=surveys,
    )


def _areas_of(application_ids: set[int]) -> dict[int, list[AreaOfInterest]]:
    """{application id: its areas}, for both sides of the pairings in one query."""
    areas: dict[int, list[AreaOfInterest]] = {}
    links = Application.areas.through.objects.filter(application_id__in=application_ids)
    links = links.select_related("areaofinterest").order_by(
        "areaofinterest__order", "areaofinterest__name"
    )
    for link in links:
        areas.setdefault(link.application_id, []).append(link.areaofinterest)
    return areas


def _pairing_view(
    pairing: Pairing,
    application: Application,
    *,
    today: dt.date,
    areas: dict[int, list[AreaOfInterest]],
    shared: dict | None = None,
):
    """The pairing as `application`'s side sees it; None when it is not theirs."""
    if pairing.mentor_id == application.pk:
        my_role, me, partner = "mentor", pairing.mentor, pairing.mentee
    elif pairing.mentee_id == application.pk:
        my_role, me, partner = "mentee", pairing.mentee, pairing.mentor
    else:
        return None
    my_areas = {a.pk for a in areas.get(me.pk, [])}
    return PairingView(
        pairing=pairing,
        my_role=my_role,
        partner=partner,
        shared_areas=[a for a in areas.get(partner.pk, []) if a.pk in my_areas],
        goals=list(pairing.goals.all()),
        check_ins=list(pairing.check_ins.all()),
        my_reports=pairing.my_reports,
        goal_sheet_due=goal_sheet_due(pairing),
        today=today,
        open_pulse_check=next(
            (c for c in pairing.my_open_pulse_checks if c.application_id == application.pk), None
        ),
        partner_answers=(shared or {}).get(partner.pk, []),
    )


def participations_for_user(*, user, now: dt.datetime | None = None) -> list[Participation]:
    """Every cohort `user` takes part in (accepted, or in an announced pairing), newest first,
    with its pairings and the person's open surveys.

    A fixed number of queries however many goals, notes and check-ins there are.
    """
    now = now or timezone.now()
    applications = list(_participant_applications(user))
    pairings_by_cohort: dict[int, list[Pairing]] = {}
    pairings = list(_user_pairings(user, [a.pk for a in applications]))
    for pairing in pairings:
        pairings_by_cohort.setdefault(pairing.cohort_id, []).append(pairing)
    both_sides = {p.mentor_id for p in pairings} | {p.mentee_id for p in pairings}
    shared = answers_shown_to_partners(both_sides)
    areas = _areas_of(both_sides) if pairings else {}
    surveys_by_cohort: dict[int, list[Invitation]] = {}
    for invitation in open_invitations_for_user(user=user, now=now):
        surveys_by_cohort.setdefault(invitation.survey.cohort_id, []).append(invitation)

    participations = []
    for application in applications:
        cohort = application.cohort
        participation = _participation(
            application, user=user, now=now, surveys=surveys_by_cohort.get(cohort.pk, [])
        )
        today = now.astimezone(cohort.tz).date()
        for pairing in pairings_by_cohort.get(cohort.pk, []):
            view = _pairing_view(pairing, application, today=today, areas=areas, shared=shared)
            if view is not None:
                participation.pairings.append(view)
        participations.append(participation)
    return participations


def calendar_applications(user) -> QuerySet[Application]:
    """The applications whose cohort dates go into the person's calendar feed."""
    return (
        Application.objects.filter(applicant=user, status__in=LIVE_APPLICATION_STATUSES)
        .select_related("cohort__program")
        .prefetch_related(
            Prefetch("cohort__milestones", queryset=Milestone.objects.order_by("date", "time"))
        )
        .order_by("cohort__mentoring_starts", "pk")
    )
