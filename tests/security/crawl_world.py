"""The world the access-control crawl runs in: two programs and the people of each.

"Theirs" (another program, other people) holds a canary string in every private field and
has the id FOREIGN_ID for the first object of every model (PostgreSQL's sequences are moved
before it is built), so that any integer in any address can be filled with "theirs" without
knowing which model the view looks up. "Mine" starts at MINE_ID, and the personas who crawl
belong to it: an applicant, a participant, a committee member and a chair of "mine", and
association staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.services import privilege_change_record
from assessment.models import Answer, Question, Response, Survey
from assessment.services import invitation_renew, templates_ensure_for_program
from cohorts.models import CommitteeMembership
from matching.models import AuditEntry, MatchingSettings, MatchRun, Proposal
from notifications.models import Notification
from participants.models import Attendance, CalendarFeed, ProblemReport
from participants.services import calendar_feed_create, calendar_feed_regenerate
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.assessment.factories import InvitationFactory
from tests.cohorts.factories import (
    AreaOfInterestFactory,
    CohortFactory,
    CommitteeMembershipFactory,
    MilestoneFactory,
    ProgramFactory,
)
from tests.matching.factories import AnnouncedPairingFactory, ExclusionFactory
from tests.participants.factories import CheckInFactory, GoalFactory, GoalProgressNoteFactory

FOREIGN_ID = 900_001
MINE_ID = 5_001
# In every private field of "theirs": no page may show it to anyone but association staff.
CANARY = "Zqx7Canary"
# Never shown to anyone through these pages, staff included: check-in notes, live tokens.
SECRET = "Wvu3Secret"
# In "mine": a problem report, for the program's chairs (and staff) only.
CHAIRS_ONLY = "Pqr5ChairsOnly"
# In "mine": an applicant's opt-in demographics, shown one by one to staff only.
DEMOGRAPHIC_LABEL = "LGBTQ+"


def restart_ids(at: int) -> None:
    """The next row of every table gets the id `at` (PostgreSQL)."""
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            if (
                model._meta.proxy
                or not model._meta.managed
                or pk.get_internal_type()
                not in (
                    "AutoField",
                    "BigAutoField",
                )
            ):
                continue
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                [model._meta.db_table, pk.column, at],
            )


@dataclass
class World:
    theirs: object = None
    their_cohort: object = None
    mine: object = None
    my_cohort: object = None
    personas: dict = field(default_factory=dict)
    newcomer: object = None
    # Strings each kind of reader must never see (see `forbidden`).
    canaries: set[str] = field(default_factory=set)
    secrets: set[str] = field(default_factory=set)
    # Tokens that no longer open anything (a replaced survey link, a turned-off calendar).
    dead_tokens: dict[str, str] = field(default_factory=dict)

    def forbidden(self, persona: str) -> set[str]:
        """What `persona` must never see: live tokens and check-in notes (no one); the other
        program's private data (all but staff); a problem report (all but chairs and staff);
        one applicant's demographics (the committee: its program does not allow it)."""
        strings = set(self.secrets)
        if persona != "staff":
            strings |= self.canaries
        if persona not in ("chair", "staff"):
            strings.add(CHAIRS_ONLY.lower())
        return strings

    def forbidden_on(self, persona: str, url: str) -> set[str]:
        """`forbidden`, and on the committee's pages one applicant's demographics (the
        application form lists the same words as its choices)."""
        strings = self.forbidden(persona)
        if persona in ("member", "chair") and url.startswith(("/admin/", "/reports/")):
            strings = strings | {DEMOGRAPHIC_LABEL.lower()}
        return strings


def _person(email_prefix: str, **kwargs):
    user = UserFactory(
        email=f"{email_prefix}-{CANARY.lower()}@example.org",
        full_name=f"{CANARY} {email_prefix.title()}",
        employer=f"{CANARY} Library",
        **kwargs,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _program(*, canary: bool, slug: str, start: int):
    """One program with everything a program has; `canary` marks its private fields."""
    restart_ids(start)
    mark = CANARY if canary else "Ordinary"
    program = ProgramFactory(slug=slug, name=f"{slug.title()} Mentoring Program")
    AreaOfInterestFactory(program=program, name="Cataloging", slug="cataloging")  # public
    # Slugs differ between the programs: "mine" program + "theirs" cohort must find nothing.
    cohort = CohortFactory(
        program=program, phase="in_progress", name="2031 cohort", slug=f"2031-{slug}"
    )
    MilestoneFactory(cohort=cohort, title="Networking session")  # public
    chair = _person(f"{slug}-chair") if canary else UserFactory(email=f"{slug}-chair@example.org")
    CommitteeMembershipFactory(user=chair, program=program, role=CommitteeMembership.Role.CHAIR)
    mentor = ApplicationFactory(
        cohort=cohort,
        role="mentor",
        status="accepted",
        applicant=_person(f"{slug}-mentor") if canary else UserFactory(),
        full_name=f"{mark} Mentor",
        mentor_offer=f"{mark} offer",
        committee_notes=f"{mark} committee notes",
    )
    mentee = ApplicationFactory(
        cohort=cohort,
        role="mentee",
        status="accepted",
        applicant=_person(f"{slug}-mentee") if canary else UserFactory(),
        full_name=f"{mark} Mentee",
        mentee_goals=f"{mark} goals",
        demographics=["lgbtq"],
    )
    pairing = AnnouncedPairingFactory(cohort=cohort, mentor=mentor, mentee=mentee)
    run = MatchRun.objects.create(cohort=cohort, status=MatchRun.Status.DONE)
    Proposal.objects.create(run=run, mentor=mentor, mentee=mentee, score=1.0, reasons=[mark])
    MatchingSettings.objects.get_or_create(cohort=cohort)
    ExclusionFactory(cohort=cohort, reason=f"{mark} reason")
    AuditEntry.objects.create(
        cohort=cohort, pairing=pairing, actor=chair, action="approve", summary=f"{mark} audit"
    )
    goal = GoalFactory(pairing=pairing, title=f"{mark} goal")
    GoalProgressNoteFactory(goal=goal, note=f"{mark} progress")
    # The pair reads its own notes on My mentoring; no one else, anywhere.
    CheckInFactory(pairing=pairing, notes=f"{SECRET if canary else mark} notes")
    ProblemReport.objects.create(
        pairing=pairing,
        reported_by=mentee.applicant,
        message=f"{CANARY if canary else CHAIRS_ONLY} problem",
    )
    Attendance.objects.create(application=mentee, recorded_by=chair)
    templates_ensure_for_program(program=program)
    survey = Survey.objects.create(
        cohort=cohort,
        audience="mentee",
        title="End-of-program survey",
        opens=timezone.now() - dt.timedelta(days=1),
        closes=timezone.now() + dt.timedelta(days=30),
    )
    question = Question.objects.create(survey=survey, code="words", kind="text", text="Words?")
    invitation = InvitationFactory(survey=survey, application=mentee)
    response = Response.objects.create(invitation=invitation, survey=survey)
    Answer.objects.create(response=response, question=question, value=f"{mark} answer")
    Notification.objects.create(
        key=f"crawl:{slug}:problem",
        kind="problem_report",
        recipient=chair.email,
        cohort=cohort,
        subject=f"{mark} subject",
        body_text=f"{CANARY if canary else CHAIRS_ONLY} body",
        body_html=f"<p>{CANARY if canary else CHAIRS_ONLY} body</p>",
        scheduled_at=timezone.now() + dt.timedelta(days=365),  # not delivered mid-crawl
    )
    privilege_change_record(
        user=mentee.applicant, changed_by=None, what=f"{mark} privilege", before="", after=""
    )
    Authenticator.objects.create(
        user=mentee.applicant, type=Authenticator.Type.TOTP, data={"secret": f"{mark}TOTP"}
    )
    return program, cohort, pairing, invitation


def build() -> World:
    world = World()
    # Theirs first, from FOREIGN_ID: every model's first row of theirs has that id.
    theirs, their_cohort, their_pairing, invitation = _program(
        canary=True, slug="theirs", start=FOREIGN_ID
    )
    mentee = their_pairing.mentee.applicant
    old_feed = calendar_feed_create(user=mentee)
    dead_calendar = old_feed.token
    feed = calendar_feed_regenerate(user=mentee)
    dead_survey = invitation.token
    invitation = invitation_renew(invitation=invitation)
    world.theirs, world.their_cohort = theirs, their_cohort
    world.canaries = {CANARY.lower()}
    world.secrets = {SECRET.lower(), feed.token.lower(), invitation.token.lower()}
    world.dead_tokens = {"calendar": dead_calendar, "survey": dead_survey}
    assert CalendarFeed.objects.filter(token=dead_calendar, revoked_at__isnull=False).exists()

    # Mine, from MINE_ID, and the people who crawl.
    mine, my_cohort, my_pairing, _invitation = _program(canary=False, slug="mine", start=MINE_ID)
    world.mine, world.my_cohort = mine, my_cohort
    member = UserFactory(email="crawl-member@example.org")
    CommitteeMembershipFactory(user=member, program=mine, role=CommitteeMembership.Role.MEMBER)
    applicant = ApplicationFactory(cohort=my_cohort, status="submitted").applicant
    world.newcomer = UserFactory(email="crawl-newcomer@example.org")
    world.personas = {
        "anonymous": None,
        "applicant": applicant,
        "participant": my_pairing.mentor.applicant,
        "member": member,
        "chair": CommitteeMembership.objects.get(program=mine, role="chair").user,
        "staff": UserFactory(
            email="crawl-staff@example.org", is_staff=True, is_association_staff=True
        ),
    }
    return world
