"""A small cohort whose report figures are worked out by hand in test_selectors.py."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from applications.choices import LibraryType, Role
from applications.models import Application
from assessment.models import Answer, Invitation, Response, Survey
from cohorts.models import AreaOfInterest, Cohort, Program
from matching.models import Pairing
from participants.models import Attendance, Goal
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.factories import PairingFactory
from tests.participants.factories import CheckInFactory, GoalFactory, GoalProgressNoteFactory

S = Application.Status


@dataclass
class SeededCohort:
    cohort: Cohort
    areas: dict[str, AreaOfInterest]
    people: dict[str, Application] = field(default_factory=dict)
    pairings: dict[str, Pairing] = field(default_factory=dict)


def announced(cohort: Cohort, days_after_deadline: int) -> dt.datetime:
    day = cohort.applications_close + dt.timedelta(days=days_after_deadline)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=cohort.tz)


def seed_report_cohort(program: Program, *, phase: str = "in_progress") -> SeededCohort:
    """Mentors M1 (cap 3), M2 (no cap: default 2), M3 (withdrawn), B1 (both, cap 1) and
    mentees E1..E8: E1 announced and E2 active with M1, E7 proposed and E8 dissolved with M2,
    E3 waitlisted, E4 declined, E5 ineligible, E6 a draft.

    Goal sheets are due 30 days after the announcement: M1-E1 set a goal 10 days after (on
    time) and another 45 days after; M1-E2 set none (overdue). M1-E1 last met 10 days ago,
    M1-E2 75 days ago. M1 and E1 attended the orientation, E2 did not."""
    program.goal_sheet_due_days = 30
    program.save(update_fields=["goal_sheet_due_days"])
    cohort = CohortFactory(program=program, phase=phase, default_mentor_capacity=2, surveys=True)
    areas = {
        name: AreaOfInterestFactory(program=program, name=name, slug=name.lower(), order=order)
        for order, name in enumerate(["Cataloging", "Leadership", "Preservation"], 1)
    }
    cat, lead, pres = areas["Cataloging"], areas["Leadership"], areas["Preservation"]
    seeded = SeededCohort(cohort=cohort, areas=areas)

    def person(key, role, status, areas, *, library_type=LibraryType.ACADEMIC, state="IL", **kw):
        seeded.people[key] = ApplicationFactory(
            cohort=cohort,
            role=role,
            status=status,
            areas=areas,
            library_type=library_type,
            state=state,
            full_name=f"Person {key}",
            **kw,
        )

    person("M1", Role.MENTOR, S.ACCEPTED, [cat, lead], capacity=3, demographics=["bipoc"])
    person("M2", Role.MENTOR, S.ACCEPTED, [lead], capacity=None, library_type="public", state="GU")
    person("M3", Role.MENTOR, S.WITHDRAWN, [pres], capacity=1)
    person("B1", Role.BOTH, S.ACCEPTED, [cat], capacity=1, library_type="school", state="PR")
    person("E1", Role.MENTEE, S.ACCEPTED, [cat], demographics=["bipoc", "lgbtq"])
    person(
        "E2",
        Role.MENTEE,
        S.ACCEPTED,
        [cat, pres],
        library_type="public",
        state="CA",
        demographics=["first_gen"],
    )
    person("E3", Role.MENTEE, S.WAITLISTED, [pres], state="INTL", country="Canada")
    person("E4", Role.MENTEE, S.DECLINED, [lead], library_type="")
    person("E5", Role.MENTEE, S.INELIGIBLE, [cat], demographics=["bipoc"])
    person("E6", Role.MENTEE, S.DRAFT, [cat])
    person("E7", Role.MENTEE, S.SUBMITTED, [pres])
    person("E8", Role.MENTEE, S.ACCEPTED, [lead])

    p = seeded.people
    P = Pairing.Status

    def pair(key, mentor, mentee, status, days=None, **kw):
        seeded.pairings[key] = PairingFactory(
            cohort=cohort,
            mentor=p[mentor],
            mentee=p[mentee],
            status=status,
            announced_at=announced(cohort, days) if days is not None else None,
            **kw,
        )

    pair("M1-E1", "M1", "E1", P.ANNOUNCED, 40, score=12.5, reasons=["shared areas: Cataloging"])
    pair("M1-E2", "M1", "E2", P.ACTIVE, 42, score=9.25)
    pair("M2-E7", "M2", "E7", P.PROPOSED)
    pair("M2-E8", "M2", "E8", P.DISSOLVED, 40, dissolution_reason="Mentee changed jobs.")

    first = seeded.pairings["M1-E1"]
    on_time = GoalFactory(pairing=first, title="Catalog a special collection")
    later = GoalFactory(pairing=first, title="Present at a conference", status="achieved")
    Goal.objects.filter(pk=on_time.pk).update(
        created_at=first.announced_at + dt.timedelta(days=10), status="in_progress"
    )
    Goal.objects.filter(pk=later.pk).update(created_at=first.announced_at + dt.timedelta(days=45))
    GoalProgressNoteFactory(goal=on_time, date=first.announced_at.date() + dt.timedelta(days=20))
    GoalProgressNoteFactory(goal=on_time, date=first.announced_at.date() + dt.timedelta(days=30))
    today = timezone.localdate()
    CheckInFactory(pairing=first, date=today - dt.timedelta(days=50))
    CheckInFactory(pairing=first, date=today - dt.timedelta(days=10))
    CheckInFactory(pairing=seeded.pairings["M1-E2"], date=today - dt.timedelta(days=75))
    Attendance.objects.create(application=p["M1"], attended=True)
    Attendance.objects.create(application=p["E1"], attended=True)
    Attendance.objects.create(application=p["E2"], attended=False)
    seed_surveys(seeded)
    return seeded


def seed_surveys(seeded: SeededCohort) -> None:
    """The cohort's default surveys (made when the cohort was): the mentee survey, anonymous,
    invites E1 (answers: satisfaction 5, would take part again, a comment that looks like a
    formula) and E2 (no answer); the mentor survey, named, invites M1 (satisfaction 3, no)."""
    now = timezone.now()
    surveys = {s.audience: s for s in Survey.objects.filter(cohort=seeded.cohort)}
    mentee, mentor = surveys["mentee"], surveys["mentor"]
    Survey.objects.filter(pk=mentee.pk).update(anonymous=True)
    Survey.objects.filter(pk=mentor.pk).update(anonymous=False)

    def invite(survey, key, answers=None):
        application = seeded.people[key]
        invitation = Invitation.objects.create(
            survey=survey, application=application, user=application.applicant, sent_at=now
        )
        if answers is None:
            return
        response = Response.objects.create(invitation=invitation, survey=survey)
        for code, value in answers.items():
            Answer.objects.create(
                response=response, question=survey.questions.get(code=code), value=value
            )

    invite(mentee, "E1", {"satisfaction": 5, "take_part_again": "yes", "comments": "=1+2"})
    invite(mentee, "E2")
    invite(mentor, "M1", {"satisfaction": 3, "take_part_again": "no"})
