"""A program at a given size, fast: the pages the query budgets measure
(tests/test_query_budgets.py) and the figures taken by hand for issue 18 read the same data.

`site_of_size(n)` builds one program with:
- an open cohort (the application form), where the person measured has a draft;
- a matching cohort of n accepted mentees and n accepted mentors with n proposed pairings;
- a cohort under way with n announced pairings, each with two goals and two check-ins, one of
  them the person measured's own;
- a chair of the program and a member of association staff (the reports).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from applications.models import Application
from cohorts.models import Cohort, CommitteeMembership, Program
from matching.models import Pairing
from participants.models import CheckIn, Goal
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import (
    AreaOfInterestFactory,
    CohortFactory,
    CommitteeMembershipFactory,
    ProgramFactory,
)
from tests.matching.bulk import bulk_cohort


@dataclass
class Site:
    program: Program
    open_cohort: Cohort
    matching: Cohort
    under_way: Cohort
    chair: object
    staff: object
    participant: object  # a mentee under way, with a draft in the open cohort

    def url(self, page: str) -> str:
        program, under_way = self.program.slug, self.under_way.slug
        in_matching = f"?cohort__id__exact={self.matching.pk}"
        return {
            "home": "/",
            "program": f"/programs/{program}/",
            "cohort": f"/programs/{program}/cohorts/{under_way}/",
            "apply": f"/programs/{program}/cohorts/{self.open_cohort.slug}/apply/",
            "my-applications": "/my/applications/",
            "my-mentoring": "/my/mentoring/",
            "admin-index": "/admin/",
            "admin-applications": "/admin/applications/application/" + in_matching,
            "admin-pairings": "/admin/matching/pairing/" + in_matching,
            "review": f"/admin/matching/pairing/cohort/{self.matching.pk}/review/",
            "run-form": f"/admin/matching/pairing/cohort/{self.matching.pk}/run/",
            "reports-cohort": f"/reports/programs/{program}/cohorts/{under_way}/",
            "reports-program": f"/reports/programs/{program}/",
        }[page]


def announce(
    cohort: Cohort, *, goals: int = 2, check_ins: int = 2, days_ago: int = 40
) -> list[Pairing]:
    """Make every pairing of `cohort` approved, announced `days_ago` and under way, with goals
    and weekly check-ins (benchmarks/web.py builds its running cohort with it too)."""
    pairings = list(Pairing.objects.filter(cohort=cohort).select_related("mentee", "mentor"))
    announced = timezone.now() - dt.timedelta(days=days_ago)
    Pairing.objects.filter(cohort=cohort).update(
        status=Pairing.Status.ACTIVE, announced_at=announced, approved_at=announced
    )
    today = timezone.localdate()
    Goal.objects.bulk_create(
        Goal(
            pairing=p,
            title=f"Goal {k}",
            specific="Lead a storytime.",
            measurable="Three sessions held.",
            achievable="The branch runs storytimes weekly.",
            relevant="Early literacy.",
            time_bound="By the fourth month.",
            target_date=cohort.mentoring_ends,
            created_by_id=p.mentee.applicant_id,
        )
        for p in pairings
        for k in range(goals)
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            pairing=p,
            date=today - dt.timedelta(days=7 * k),
            mode=CheckIn.Mode.VIDEO,
            logged_by_id=p.mentor.applicant_id,
        )
        for p in pairings
        for k in range(check_ins)
    )
    return pairings


def site_of_size(n: int, *, mentees: int | None = None, mentors: int | None = None) -> Site:
    """`n` pairs in each cohort; the matching cohort may have more people than pairs."""
    program = ProgramFactory()
    areas = [AreaOfInterestFactory(program=program) for _ in range(4)]
    open_cohort = CohortFactory(program=program, phase="accepting")
    matching = CohortFactory(program=program, phase="matching")
    under_way = CohortFactory(program=program, phase="in_progress")
    bulk_cohort(matching, mentees=mentees or n, mentors=mentors or n, areas=areas, pairs=n, seed=1)
    bulk_cohort(under_way, mentees=n, mentors=n, areas=areas, pairs=n, seed=2)
    pairings = announce(under_way)
    participant = pairings[0].mentee.applicant
    ApplicationFactory(
        cohort=open_cohort, applicant=participant, status=Application.Status.DRAFT, areas=areas[:1]
    )
    chair = UserFactory()
    CommitteeMembershipFactory(user=chair, program=program, role=CommitteeMembership.Role.CHAIR)
    staff = UserFactory(is_staff=True, is_association_staff=True)
    return Site(program, open_cohort, matching, under_way, chair, staff, participant)
