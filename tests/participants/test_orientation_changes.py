"""When the committee changes the orientation's day, time or link, or the mentoring dates,
participants already sent them are emailed the new ones, and a reminder not yet sent never
carries the old link."""

import datetime as dt

import pytest

from cohorts.services import cohort_update
from matching.models import Pairing
from matching.services import pairings_announce
from notifications.delivery import deliver_due
from notifications.models import Notification
from participants.planners import plan_orientation_reminders
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory
from tests.notifications.helpers import deliver_as_of, far_future

pytestmark = pytest.mark.django_db

OLD_LINK = "https://meet.example.org/old-room"
NEW_LINK = "https://meet.example.org/new-room"


@pytest.fixture
def cohort(program):
    return CohortFactory(
        program=program,
        phase="orientation",
        orientation_time=dt.time(13),
        orientation_link=OLD_LINK,
    )


def _two_days_before(cohort) -> dt.datetime:
    return cohort.orientation_starts_at - dt.timedelta(hours=47)


def test_a_new_link_reaches_everyone_already_sent_the_old_one(cohort, mailoutbox):
    told = ApplicationFactory(cohort=cohort, status="accepted")
    assert plan_orientation_reminders(now=_two_days_before(cohort)) == 1
    deliver_due()
    assert OLD_LINK in mailoutbox[0].body
    not_told = ApplicationFactory(cohort=cohort, status="accepted")  # accepted since
    ApplicationFactory(cohort=cohort, status="withdrawn")

    cohort_update(cohort=cohort, orientation_link=NEW_LINK)
    deliver_due()

    assert [m.to for m in mailoutbox[1:]] == [[told.applicant.email]]
    changed = mailoutbox[1]
    assert changed.subject.endswith("the orientation has changed")
    assert NEW_LINK in changed.body and OLD_LINK not in changed.body
    # Whoever was sent nothing gets the reminder, with the new link, when it is due.
    assert plan_orientation_reminders(now=_two_days_before(cohort)) == 1
    reminder = Notification.objects.get(kind="orientation_reminder", about__application=not_told.pk)
    assert NEW_LINK in reminder.body_text


def test_a_reminder_not_yet_sent_is_written_again_with_the_new_link(cohort, mailoutbox):
    ApplicationFactory(cohort=cohort, status="accepted")
    plan_orientation_reminders(now=_two_days_before(cohort))  # the mail server is down
    first = Notification.objects.get(kind="orientation_reminder")

    cohort_update(cohort=cohort, orientation_link=NEW_LINK)

    first.refresh_from_db()
    assert (first.status, first.withdrawn_reason) == (
        "withdrawn",
        "The orientation's link changed.",
    )
    assert not Notification.objects.filter(kind="orientation_changed").exists()  # told nothing
    assert plan_orientation_reminders(now=_two_days_before(cohort)) == 1
    assert plan_orientation_reminders(now=_two_days_before(cohort)) == 0
    deliver_due()
    assert len(mailoutbox) == 1 and NEW_LINK in mailoutbox[0].body


def test_a_change_before_anyone_was_told_or_after_the_orientation_tells_nobody(program):
    ahead = CohortFactory(program=program, phase="matching", orientation_link=OLD_LINK)
    ApplicationFactory(cohort=ahead, status="accepted")
    cohort_update(cohort=ahead, orientation_link=NEW_LINK)  # the introductions carry it
    past = CohortFactory(program=program, phase="in_progress", orientation_link=OLD_LINK)
    ApplicationFactory(cohort=past, status="accepted")
    cohort_update(cohort=past, orientation_link=NEW_LINK)
    assert not Notification.objects.filter(kind="orientation_changed").exists()


def test_new_mentoring_dates_reach_the_partners_already_introduced(cohort, chair, mailoutbox):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())
    introduced = len(mailoutbox)
    assert introduced == 2
    later = cohort.mentoring_ends + dt.timedelta(days=14)  # before the assessment closes

    cohort_update(cohort=cohort, mentoring_ends=later)
    deliver_due()

    news = mailoutbox[introduced:]
    assert sorted(m.to[0] for m in news) == sorted(
        [pairing.mentor.applicant.email, pairing.mentee.applicant.email]
    )
    assert news[0].subject.endswith("new dates for your mentoring")
    assert f"to {later.strftime('%B')} {later.day}, {later.year}" in news[0].body
    # The same dates saved again tell nobody anything more.
    cohort_update(cohort=cohort, mentoring_ends=later)
    assert Notification.objects.filter(kind="mentoring_dates_changed").count() == 2
