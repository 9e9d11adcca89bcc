"""Row locks take the rows a service changes, not the rows it reads alongside.

SELECT ... FOR UPDATE over a join locks every joined row unless told which table's: an
applicant's save locked the cohort and the program with the application, so in a deadline rush
each save to a cohort waited for the one before it, and no one could start an application while
another was being saved or a chair was approving pairings. Each test keeps one request's
transaction open on another connection, and the other request must finish meanwhile (a lock
timeout turns a wait into a failure instead of a slow pass).
"""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from applications import services
from applications.models import Application
from assessment.services import surveys_create_for_cohort
from cohorts.models import CommitteeMembership, Program
from cohorts.services import committee_membership_save
from matching.models import Pairing
from matching.services import pairings_announce, release_undo
from matching.services.locks import cohort_lock
from notifications.models import Notification
from participants.services import goal_update
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import answers_for
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.concurrency import held, without_waiting
from tests.conftest import locks_joined_rows
from tests.matching.factories import PairingFactory
from tests.notifications.factories import NotificationFactory
from tests.participants.factories import GoalFactory

pytestmark = pytest.mark.django_db(transaction=True)

OUTBOX = "/admin/notifications/notification/"


@pytest.fixture
def accepting():
    cohort = CohortFactory(phase="accepting")
    AreaOfInterestFactory(program=cohort.program)
    return cohort


@pytest.fixture
def staff():
    return UserFactory(is_association_staff=True)


def draft_of(cohort) -> User:
    applicant = UserFactory()
    ApplicationFactory(cohort=cohort, applicant=applicant, status=Application.Status.DRAFT)
    return applicant


def save_draft(cohort, applicant):
    return services.application_save_draft(
        cohort=cohort, applicant=applicant, answers={"employer": "Riverbend Public Library"}
    )


def signing_in(user):
    """What a sign-in holds until it commits: the person's row, updated."""
    return lambda: User.objects.filter(pk=user.pk).update(last_login=timezone.now())


def saving_settings(program):
    """What staff saving a program's settings hold until it commits: the program's row."""
    return lambda: Program.objects.filter(pk=program.pk).update(description="Updated.")


def test_applicants_saving_at_once_in_the_deadline_rush_do_not_wait_for_each_other(
    postgres, accepting
):
    first, second, newcomer = draft_of(accepting), draft_of(accepting), UserFactory()

    with held(lambda: save_draft(accepting, first)):
        without_waiting(lambda: save_draft(accepting, second))
        without_waiting(
            lambda: services.application_submit(
                cohort=accepting, applicant=second, answers=answers_for(accepting)
            )
        )
        # A first save inserts the row: it only needs the cohort to stay (a key share).
        without_waiting(lambda: save_draft(accepting, newcomer))

    assert Application.objects.get(applicant=second).status == Application.Status.SUBMITTED
    assert Application.objects.get(applicant=newcomer).employer == "Riverbend Public Library"


def test_a_chair_approving_pairings_does_not_hold_up_the_applicants(postgres, accepting):
    """Every writer of a cohort's pairings (a match run, an approval, a release) holds the
    cohort row while it works; applications go on being saved and submitted meanwhile."""
    applicant = draft_of(accepting)

    with held(lambda: cohort_lock(accepting.pk)):
        without_waiting(lambda: save_draft(accepting, applicant))
        without_waiting(
            lambda: services.application_submit(
                cohort=accepting, applicant=applicant, answers=answers_for(accepting)
            )
        )

    assert Application.objects.get(applicant=applicant).status == Application.Status.SUBMITTED


def test_withdrawing_locks_neither_the_person_nor_the_program(postgres, accepting):
    applicant = draft_of(accepting)
    application = Application.objects.get(applicant=applicant)

    def elsewhere():
        signing_in(applicant)()
        saving_settings(accepting.program)()

    with held(elsewhere):
        without_waiting(lambda: services.application_withdraw(application=application))

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_a_withdrawal_still_comes_after_an_approval_in_progress(postgres, accepting):
    """The cohort row is what orders a withdrawal after a chair's approval of that cohort's
    pairings (an accepted application may be in one): that lock stays."""
    application = Application.objects.get(applicant=draft_of(accepting))

    with held(lambda: cohort_lock(accepting.pk)), pytest.raises(pytest.fail.Exception):
        without_waiting(lambda: services.application_withdraw(application=application), 1)


def test_a_partner_editing_a_goal_does_not_wait_for_the_applications(postgres):
    """A chair approving another pairing of the same mentor holds the mentor's application
    while counting their places; the pair's goal sheet is not about that."""
    goal = GoalFactory()
    mentor = goal.pairing.mentor

    with held(lambda: Application.objects.select_for_update().get(pk=mentor.pk)):
        without_waiting(
            lambda: goal_update(goal=goal, updated_by=goal.created_by, title="Host a storytime")
        )

    goal.refresh_from_db()
    assert goal.title == "Host a storytime"


def test_a_release_being_undone_holds_neither_the_cohort_nor_the_applications(
    postgres, program, chair, staff
):
    """The release's row, its pairings and the cohort's writer lock, until the undo commits;
    meanwhile a message planned for the cohort is stored (its reference to the cohort is
    checked at commit) and staff confirm a mentor's membership."""
    cohort = CohortFactory(program=program, phase="matching")  # its emails go out later
    pairings = [PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED) for _ in range(2)]
    release = pairings_announce(cohort=cohort, by=chair).release
    mentor = pairings[0].mentor

    with held(lambda: release_undo(release=release, by=chair)):
        without_waiting(
            lambda: Notification.objects.create(
                cohort=cohort, kind="test", key="meanwhile", recipient="someone@example.org"
            )
        )
        without_waiting(
            lambda: services.application_confirm_membership(application=mentor, confirmed_by=staff)
        )

    release.refresh_from_db()
    assert release.undone_at is not None
    mentor.refresh_from_db()
    assert mentor.membership_confirmed_at is not None


def test_changing_a_committee_seat_does_not_wait_for_the_member_signing_in(
    postgres, program, staff
):
    member = UserFactory()
    seat = CommitteeMembership.objects.create(
        user=member, program=program, role=CommitteeMembership.Role.MEMBER
    )
    seat.role = CommitteeMembership.Role.CHAIR

    with held(signing_in(member)):
        without_waiting(lambda: committee_membership_save(membership=seat, changed_by=staff))

    assert CommitteeMembership.objects.get(pk=seat.pk).role == CommitteeMembership.Role.CHAIR


def test_creating_a_cohorts_surveys_does_not_lock_its_program(postgres):
    cohort = CohortFactory(phase="accepting")
    cohort.surveys.all().delete()

    with held(saving_settings(cohort.program)):
        created = without_waiting(lambda: surveys_create_for_cohort(cohort=cohort))

    assert len(created) == 2


def test_the_outbox_cancels_and_retries_while_the_cohort_is_being_worked_on(
    postgres, client, program, chair
):
    """Cancel passes over a message another transaction is handling (SKIP LOCKED); it passed
    over every message of a cohort whose row a match run or an approval held, and answered
    "0 notifications canceled". Retry waited for them."""
    cohort = CohortFactory(program=program)
    later = timezone.now() + dt.timedelta(days=3)
    unsent = NotificationFactory.create_batch(2, cohort=cohort, scheduled_at=later)
    failed = NotificationFactory(cohort=cohort, status=Notification.Status.FAILED)
    client.force_login(chair)

    def act(action, messages):
        return client.post(
            OUTBOX, {"action": action, "_selected_action": [m.pk for m in messages]}, follow=True
        ).content.decode()

    with held(lambda: cohort_lock(cohort.pk)):
        canceled = without_waiting(lambda: act("cancel_unsent", unsent))
        retried = without_waiting(lambda: act("retry_failed", [failed]))

    assert "2 notifications canceled." in canceled
    assert "1 failed notification will be sent again." in retried
    statuses = Notification.objects.filter(pk__in=[m.pk for m in unsent]).values_list("status")
    assert set(statuses) == {(Notification.Status.CANCELLED,)}


def test_the_suite_refuses_a_row_lock_over_a_join_that_does_not_name_its_tables(postgres):
    """tests/conftest.py checks every statement the tests run: a lock like the old ones fails
    the test that makes it."""
    joined = Application.objects.select_for_update().select_related("cohort__program")
    named = Application.objects.select_for_update(of=("self",)).select_related("cohort")
    assert locks_joined_rows(sql_of(joined))
    assert not locks_joined_rows(sql_of(named))
    assert not locks_joined_rows(sql_of(Application.objects.select_for_update().order_by("pk")))
    assert not locks_joined_rows(sql_of(Application.objects.select_related("cohort")))


def sql_of(queryset) -> str:
    from django.db import connection, transaction

    with transaction.atomic():  # a locking query is only compiled inside one
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql % tuple(params)
