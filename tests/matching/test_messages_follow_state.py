"""Every email true when it arrives: the release, dissolution, decisions and dates, and what the
outbox finally sends (issue 14, findings 1 to 3, and the guarded release with its undo)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.services import application_decide
from cohorts.services import cohort_update
from matching.models import AuditEntry, Pairing, Release
from matching.services import (
    pairing_create_manual,
    pairing_dissolve,
    pairings_announce,
    release_undo,
)
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory
from tests.notifications.helpers import deliver_as_of, far_future

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    """Matching under way: the notification date is 20 days ahead."""
    return CohortFactory(program=program, phase="matching", name="2031 cohort")


def accepted(cohort, role, **kwargs):
    return ApplicationFactory(cohort=cohort, role=role, status="accepted", **kwargs)


def received() -> dict[str, list[str]]:
    """{address: [subject, ...]} of everything the outbox has sent."""
    by_person: dict[str, list[str]] = {}
    for message in mail.outbox:
        by_person.setdefault(message.to[0], []).append(message.subject)
    return by_person


# --- finding 1: announce before matching ----------------------------------------------------


def test_with_no_approved_pairing_the_announce_page_says_so_and_offers_nothing_to_send(
    client, chair, cohort
):
    for _ in range(3):
        accepted(cohort, "mentee")
    accepted(cohort, "mentor")
    PairingFactory(cohort=cohort)  # proposed, not approved
    client.force_login(chair)
    url = reverse("admin:matching_announce", args=[cohort.pk])

    page = client.get(url).content.decode()

    assert "Nothing to release" in page
    assert 'value="release"' not in page
    response = client.post(url, {"action": "release", "fingerprint": "x", "confirmed": "on"})
    assert "no approved pairing to release" in response.content.decode()
    with pytest.raises(ValidationError, match="no approved pairing"):
        pairings_announce(cohort=cohort, by=chair)
    assert not Notification.objects.exists()


def test_a_not_matched_note_is_withdrawn_when_the_person_is_paired_before_it_goes(cohort, chair):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    mentor = accepted(cohort, "mentor", full_name="Rae Roomy")
    mentee = accepted(cohort, "mentee", full_name="Lou Later")
    pairings_announce(cohort=cohort, by=chair)
    assert Notification.objects.filter(kind="not-matched").count() == 2

    later = pairing_create_manual(cohort=cohort, mentor=mentor, mentee=mentee, by=chair)

    # Withdrawn in the same transaction as the new pairing, with the reason.
    notes = Notification.objects.filter(kind="not-matched")
    assert set(notes.values_list("status", flat=True)) == {Notification.Status.WITHDRAWN}
    assert set(notes.values_list("withdrawn_reason", flat=True)) == {
        "The person has a pairing now."
    }
    Pairing.objects.filter(pk=later.pk).update(status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())
    people = received()
    assert people[mentee.applicant.email] == [
        f"Meet your mentor: Rae Roomy ({cohort.program.name})"
    ]
    assert len(people[mentor.applicant.email]) == 1


# --- finding 2: dissolving a pair -----------------------------------------------------------


def test_dissolving_a_released_pair_withdraws_its_introductions_and_only_the_new_one_goes(
    cohort, chair
):
    first = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    second_mentor = accepted(cohort, "mentor", full_name="Sam Second")
    pairings_announce(cohort=cohort, by=chair)

    pairing_dissolve(pairing=first, reason="The mentor changed jobs.", by=chair)

    intros = Notification.objects.filter(kind="pairing-announced")
    assert set(intros.values_list("status", flat=True)) == {Notification.Status.WITHDRAWN}
    assert set(intros.values_list("withdrawn_reason", flat=True)) == {"The pairing was dissolved."}
    # They had not been introduced yet: nobody is told of an ending they never heard of.
    assert not Notification.objects.filter(kind="pairing-dissolved").exists()

    rematched = pairing_create_manual(
        cohort=cohort, mentor=second_mentor, mentee=first.mentee, by=chair
    )
    Pairing.objects.filter(pk=rematched.pk).update(status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())

    to_mentee = received()[first.mentee.applicant.email]
    assert to_mentee == [f"Meet your mentor: Sam Second ({cohort.program.name})"]


def test_dissolving_an_introduced_pair_tells_both_partners_kindly_without_the_reason(
    program, chair
):
    cohort = CohortFactory(program=program, phase="in_progress")
    pairing = PairingFactory(
        cohort=cohort,
        status=Pairing.Status.ACTIVE,
        announced_at=timezone.now() - dt.timedelta(days=30),
    )

    pairing_dissolve(pairing=pairing, reason="Private: repeated no-shows.", by=chair)
    deliver_as_of()

    assert len(mail.outbox) == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    to_mentee = by_person[pairing.mentee.applicant.email]
    to_mentor = by_person[pairing.mentor.applicant.email]
    for body in (to_mentee, to_mentor):
        assert "has ended your pairing" in body
        assert "no-shows" not in body
        assert "nobody's fault" in body
    assert "look for another mentor" in to_mentee
    assert "you do not need to do anything" in to_mentor
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DISSOLVE)
    assert entry.changes["notices"] == 2


# --- finding 3: waitlisted and declined, and the right words for a mentor -------------------


def test_waitlisted_and_declined_applicants_get_their_own_email_on_the_notification_date(
    cohort, chair
):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    waitlisted = ApplicationFactory(cohort=cohort, role="mentee", status="waitlisted")
    waitlisted_mentor = ApplicationFactory(cohort=cohort, role="mentor", status="waitlisted")
    declined = ApplicationFactory(cohort=cohort, role="mentee", status="declined")

    outcome = pairings_announce(cohort=cohort, by=chair)

    notes = Notification.objects.filter(kind__in=["application-waitlisted", "application-declined"])
    assert notes.count() == 3
    assert {n.scheduled_at for n in notes} == {outcome.send_at}
    assert outcome.send_at.astimezone(cohort.tz).date() == cohort.pairings_notified
    deliver_as_of(far_future())
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "more mentees than our mentors have places for" in bodies[waitlisted.applicant.email]
    assert "enough mentors for the mentees" in bodies[waitlisted_mentor.applicant.email]
    assert "could not offer you a place" in bodies[declined.applicant.email]


def test_a_mentor_left_with_free_places_is_thanked_and_told_why_they_were_not_paired(cohort, chair):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    mentor = accepted(cohort, "mentor", capacity=2)
    mentee = accepted(cohort, "mentee")

    pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())

    bodies = {m.to[0]: m.body for m in mail.outbox}
    to_mentor = bodies[mentor.applicant.email]
    assert "Thank you for offering to mentor" in to_mentor
    assert "fewer mentees applied than there were mentor places" in to_mentor
    assert "more people asking for a partner like yours" not in to_mentor
    assert "more mentees applied than our mentors had places for" in bodies[mentee.applicant.email]


# --- the deliverer checks at send time ------------------------------------------------------


def test_the_deliverer_withdraws_a_message_that_is_no_longer_true_instead_of_sending_it(
    cohort, chair
):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    # A change that bypassed every service (a data fix in the shell, say).
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.DISSOLVED)

    outcome = deliver_as_of(far_future())

    assert outcome.withdrawn == 2 and outcome.sent == 0
    assert mail.outbox == []
    assert set(
        Notification.objects.filter(kind="pairing-announced").values_list(
            "status", "withdrawn_reason"
        )
    ) == {(Notification.Status.WITHDRAWN, "The pairing was dissolved.")}


def test_the_outbox_admin_shows_why_a_message_was_withdrawn(client, staff_user, cohort, chair):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    pairing_dissolve(pairing=pairing, reason="Moved away.", by=chair)
    notification = Notification.objects.filter(kind="pairing-announced").first()
    client.force_login(staff_user)

    listing = client.get("/admin/notifications/notification/?status__exact=withdrawn")
    page = client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    assert "The pairing was dissolved." in listing.content.decode()
    assert "The pairing was dissolved." in page.content.decode()


# --- the guarded release and its undo --------------------------------------------------------


def test_a_release_can_be_undone_until_its_send_time_and_the_undo_is_audited(client, cohort, chair):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    accepted(cohort, "mentee")
    outcome = pairings_announce(cohort=cohort, by=chair)
    client.force_login(chair)
    url = reverse("admin:matching_announce", args=[cohort.pk])
    assert "Undo this release" in client.get(url).content.decode()

    response = client.post(url, {"action": "undo", "release": outcome.release.pk}, follow=True)

    assert "The release is undone: 3 emails withdrawn" in response.content.decode()
    pairing.refresh_from_db()
    assert (pairing.status, pairing.announced_at, pairing.release) == (
        Pairing.Status.APPROVED,
        None,
        None,
    )
    assert set(Notification.objects.values_list("status", flat=True)) == {
        Notification.Status.WITHDRAWN
    }
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNDO_RELEASE).count() == 1
    # Released again, the same people are told again, once.
    pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())
    assert sorted(len(subjects) for subjects in received().values()) == [1, 1, 1]


def test_a_release_cannot_be_undone_once_its_emails_have_gone(program, chair):
    cohort = CohortFactory(program=program, phase="orientation")  # the date has passed
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    outcome = pairings_announce(cohort=cohort, by=chair)
    deliver_as_of()
    assert len(mail.outbox) == 2

    with pytest.raises(ValidationError):
        release_undo(release=outcome.release, by=chair)
    assert Release.objects.get().undone_at is None


def test_release_refuses_a_plan_that_changed_since_the_chair_looked(client, cohort, chair):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    client.force_login(chair)
    url = reverse("admin:matching_announce", args=[cohort.pk])
    seen = client.get(url).context["plan"].fingerprint
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)  # approved meanwhile

    response = client.post(url, {"action": "release", "fingerprint": seen, "confirmed": "on"})

    assert "has changed since you looked" in response.content.decode()
    assert not Release.objects.exists()


def test_the_announce_page_counts_in_words_with_the_true_numbers(client, cohort, chair):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    client.force_login(chair)
    url = reverse("admin:matching_announce", args=[cohort.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "Release 1 pairing and schedule 2 emails" in text
    assert "1 approved pairing is ready to release: 2 emails to 2 people." in text

    response = client.post(
        url,
        {"action": "release", "fingerprint": page.context["plan"].fingerprint, "confirmed": "on"},
        follow=True,
    )

    text = response.content.decode()
    assert "Released 1 pairing. 2 emails go out" in text
    assert Notification.objects.count() == 2
    assert "1 pairings" not in text


# --- a cohort's dates ------------------------------------------------------------------------


def test_moving_the_notification_date_moves_the_release_and_its_emails(cohort, chair):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    later = cohort.pairings_notified + dt.timedelta(days=5)

    cohort_update(cohort=cohort, pairings_notified=later)

    expected = dt.datetime.combine(later, dt.time(9), tzinfo=cohort.tz)
    introductions = Notification.objects.exclude(kind="cohort_dates_changed")
    assert set(introductions.values_list("scheduled_at", flat=True)) == {expected}
    # Both partners are told now that their outcome comes on the later date.
    told = Notification.objects.filter(kind="cohort_dates_changed")
    assert {n.about["application"] for n in told} == {pairing.mentor_id, pairing.mentee_id}
    pairing.refresh_from_db()
    assert pairing.announced_at == expected  # the partners see each other when told
    assert Release.objects.get().send_at == expected


def test_introductions_not_yet_sent_carry_the_orientation_as_it_is_when_they_go(
    cohort, chair, mailoutbox
):
    cohort.orientation_link = "https://meet.example.org/old-room"
    cohort.save(update_fields=["orientation_link"])
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)  # waiting for the notification date
    later = cohort.mentoring_ends + dt.timedelta(days=14)

    cohort_update(
        cohort=cohort, orientation_link="https://meet.example.org/new-room", mentoring_ends=later
    )

    intros = Notification.objects.filter(kind="pairing-announced")
    assert intros.count() == 2 and {n.status for n in intros} == {"pending"}
    for intro in intros:
        assert "new-room" in intro.body_text and "old-room" not in intro.body_text
        assert later.strftime("%B") in intro.body_text
    deliver_as_of(far_future())
    assert {m.to[0] for m in mailoutbox} == {
        pairing.mentor.applicant.email,
        pairing.mentee.applicant.email,
    }
    assert all("new-room" in m.body for m in mailoutbox)
    # Nobody was sent the old link: nothing to set right.
    assert not Notification.objects.filter(kind="orientation_changed").exists()


# --- when a place frees ----------------------------------------------------------------------


def test_when_a_place_frees_the_committee_is_offered_the_waitlist_in_priority_order(
    client, cohort, chair
):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    ApplicationFactory(cohort=cohort, role="mentee", status="waitlisted", full_name="Early Bird")
    first = ApplicationFactory(
        cohort=cohort, role="mentee", status="waitlisted", full_name="Pri Ority", priority=True
    )
    client.force_login(chair)
    review = reverse("admin:matching_review", args=[cohort.pk])
    assert "the waitlist" not in client.get(review).content.decode()

    pairing_dissolve(pairing=pairing, reason="The mentee withdrew.", by=chair)
    Application.objects.filter(pk=pairing.mentee_id).update(status="withdrawn")

    page = client.get(review).content.decode()
    assert "A place is free: the waitlist" in page
    assert page.index("Pri Ority") < page.index("Early Bird")
    client.post(
        reverse("admin:matching_announce", args=[cohort.pk]),
        {"action": "accept-waitlisted", "application": first.pk},
    )
    first.refresh_from_db()
    assert first.status == Application.Status.ACCEPTED


def test_accepting_someone_from_the_waitlist_withdraws_their_waitlist_email(cohort, chair):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    waiting = ApplicationFactory(cohort=cohort, role="mentee", status="waitlisted")
    pairings_announce(cohort=cohort, by=chair)

    application_decide(application=waiting, decision="accepted", decided_by=chair)

    note = Notification.objects.get(kind="application-waitlisted")
    assert note.status == Notification.Status.WITHDRAWN
    assert note.withdrawn_reason == "The application is now accepted."


def test_a_person_in_a_pairing_cannot_be_waitlisted_or_declined(cohort, chair):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    for decision in ("waitlisted", "declined"):
        with pytest.raises(ValidationError, match="dissolve it"):
            application_decide(application=pairing.mentee, decision=decision, decided_by=chair)
    pairing.mentee.refresh_from_db()
    assert pairing.mentee.status == Application.Status.ACCEPTED
