"""A cohort's scheduled emails in the committee's screens (issue 15): what goes out, to how many
people, when, by kind, with a preview; send now, postpone, withdraw and retry, all audited.
Members see; chairs act; another program's cohort answers 404."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import AuditEntry, Pairing, Release
from matching.services import pairings_announce
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory
from tests.notifications.factories import NotificationFactory
from tests.notifications.helpers import deliver_as_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="matching", name="2031 cohort")


@pytest.fixture
def released(cohort, chair):
    """Two released pairings and one accepted mentee left without a pairing."""
    pairings = [PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED) for _ in range(2)]
    ApplicationFactory(cohort=cohort, role="mentee", status="accepted", full_name="Lou Lonely")
    outcome = pairings_announce(cohort=cohort, by=chair)
    return {"pairings": pairings, "send_at": outcome.send_at}


def url(cohort):
    return reverse("admin:matching_scheduled", args=[cohort.pk])


def group(kind, send_at, **extra):
    return {"kind": kind, "scheduled_at": send_at.isoformat(), **extra}


def test_the_screen_lists_what_goes_out_by_kind_with_counts_and_a_preview(
    client, member, cohort, released
):
    client.force_login(member)
    page = client.get(url(cohort)).content.decode()

    assert "5 emails of this cohort are waiting to go out." in page
    assert "Introduction to a partner: 4 emails, to 4 people" in page
    assert "Accepted, but not matched this cycle: 1 email, to 1 person" in page
    assert "Preview: Meet your" in page
    assert 'value="send-now"' not in page  # members see, chairs act


def test_members_cannot_act_and_another_programs_cohort_is_404(
    client, member, other_chair, cohort, released
):
    client.force_login(member)
    data = group("not-matched", released["send_at"])
    assert client.post(url(cohort), {**data, "action": "send-now"}).status_code == 403
    client.force_login(other_chair)
    assert client.get(url(cohort)).status_code == 404
    assert client.post(url(cohort), {**data, "action": "send-now"}).status_code == 404
    assert Notification.objects.filter(scheduled_at=released["send_at"]).count() == 5


def test_send_now_sends_a_group_at_once_moves_its_release_and_is_audited(
    client, chair, cohort, released, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(cohort),
            {**group("pairing-announced", released["send_at"]), "action": "send-now"},
            follow=True,
        )

    assert "4 emails are on their way now." in response.content.decode()
    assert len(mail.outbox) == 4
    for pairing in released["pairings"]:
        pairing.refresh_from_db()
        assert pairing.is_visible_to_partners  # told and shown at the same moment
    assert Release.objects.get().send_at <= timezone.now()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEND_NOW)
    assert "Sent 4 “Introduction to a partner” emails now" in entry.summary
    # The note to the person without a pairing keeps its date.
    assert Notification.objects.get(kind="not-matched").status == Notification.Status.PENDING


def test_postpone_moves_a_group_to_a_later_day_and_is_audited(client, chair, cohort, released):
    client.force_login(chair)
    day = cohort.pairings_notified + dt.timedelta(days=3)

    response = client.post(
        url(cohort),
        {
            **group("pairing-announced", released["send_at"]),
            "action": "postpone",
            "to_date": day.isoformat(),
        },
        follow=True,
    )

    assert "4 emails postponed to" in response.content.decode()
    expected = dt.datetime.combine(day, dt.time(9), tzinfo=cohort.tz)
    intros = Notification.objects.filter(kind="pairing-announced")
    assert set(intros.values_list("scheduled_at", flat=True)) == {expected}
    assert {p.announced_at for p in Pairing.objects.all()} == {expected}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.POSTPONE).count() == 1


def test_postponing_to_the_past_is_refused_beside_the_group_keeping_the_date_typed(
    client, chair, cohort, released
):
    client.force_login(chair)
    response = client.post(
        url(cohort),
        {
            **group("not-matched", released["send_at"]),
            "action": "postpone",
            "to_date": "2001-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "emails cannot be postponed to the past" in page
    assert 'value="2001-01-01"' in page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.POSTPONE).exists()


def test_withdraw_needs_a_reason_then_withdraws_with_it_and_is_audited(
    client, chair, cohort, released
):
    client.force_login(chair)
    data = {**group("not-matched", released["send_at"]), "action": "withdraw"}

    refused = client.post(url(cohort), {**data, "reason": ""})
    assert "This field is required." in refused.content.decode()

    client.post(url(cohort), {**data, "reason": "We will phone Lou instead."})

    note = Notification.objects.get(kind="not-matched")
    assert note.status == Notification.Status.WITHDRAWN
    assert "We will phone Lou instead." in note.withdrawn_reason
    page = client.get(url(cohort)).content.decode()
    assert "We will phone Lou instead." in page  # under "Withdrawn, and why"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW).count() == 1


def test_introductions_are_withdrawn_only_by_undoing_their_release(client, chair, cohort, released):
    client.force_login(chair)
    client.post(
        url(cohort),
        {
            **group("pairing-announced", released["send_at"]),
            "action": "withdraw",
            "reason": "Oops",
        },
    )
    assert not Notification.objects.filter(status=Notification.Status.WITHDRAWN).exists()
    assert "undo the release" in client.get(url(cohort)).content.decode()


def test_a_failed_email_shows_on_every_committee_page_of_its_cohort_with_a_retry(
    client, chair, member, cohort, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(
        cohort=cohort,
        status="failed",
        attempts=1,
        subject="Meet your mentor",
        last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
    )
    client.force_login(member)
    review = client.get(reverse("admin:matching_review", args=[cohort.pk])).content.decode()
    assert "1 email to this cohort's people could not be sent or prepared." in review
    page = client.get(url(cohort)).content.decode()
    assert "550 5.1.1 mailbox unavailable" in page
    assert 'value="retry"' not in page

    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(cohort), {"action": "retry", "notification": failed.pk})

    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RETRY).count() == 1


def test_the_screen_takes_a_flat_number_of_queries(
    client, chair, cohort, released, django_assert_max_num_queries
):
    for _ in range(30):
        PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    NotificationFactory.create_batch(5, cohort=cohort, status="failed")
    deliver_as_of()
    client.force_login(chair)
    with django_assert_max_num_queries(15):
        assert client.get(url(cohort)).status_code == 200


def test_the_announce_page_takes_a_flat_number_of_queries(
    client, chair, cohort, django_assert_max_num_queries
):
    for _ in range(40):
        PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    for status in ("accepted", "waitlisted", "declined"):
        ApplicationFactory.create_batch(3, cohort=cohort, role="mentee", status=status)
    client.force_login(chair)
    with django_assert_max_num_queries(23):
        page = client.get(reverse("admin:matching_announce", args=[cohort.pk]))
    assert "Release 40 pairings and schedule 89 emails" in page.content.decode()
