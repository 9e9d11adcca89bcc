"""The mid-program pulse check: sent once per offset, answered once by a token link, feeding
match health; a 1 or a 2 alerts the pair's liaison, or the chairs."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cohorts.services import committee_membership_remove
from matching.models import AuditEntry
from notifications.delivery import deliver_due
from notifications.models import Notification
from participants.health.models import HealthSettings, LiaisonAssignment, PulseCheck
from participants.health.pulse import plan_pulse_checks
from participants.health.selectors import cohort_health
from participants.health.services import liaison_assign
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory, CommitteeMembershipFactory
from tests.participants.health_helpers import introduced_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="in_progress")


def pulses_of(pair) -> list[tuple[int, int]]:
    return sorted(PulseCheck.objects.filter(pairing=pair).values_list("application", "offset_days"))


def test_no_pulse_before_30_days_then_one_per_partner_once_per_offset(cohort):
    pair = introduced_pair(cohort=cohort, days_ago=29)
    now = timezone.now()
    assert plan_pulse_checks(now=now) == 0
    assert plan_pulse_checks(now=now + dt.timedelta(days=1)) == 2
    assert pulses_of(pair) == sorted([(pair.mentor_id, 30), (pair.mentee_id, 30)])
    assert plan_pulse_checks(now=now + dt.timedelta(days=2)) == 0  # the same offset: nothing
    assert plan_pulse_checks(now=now + dt.timedelta(days=60)) == 0  # day 89: not yet 90
    assert plan_pulse_checks(now=now + dt.timedelta(days=61)) == 2  # day 90
    assert {offset for _a, offset in pulses_of(pair)} == {30, 90}
    emails = Notification.objects.filter(kind="pulse_check")
    assert emails.count() == 4
    assert "/pulse/" in emails.first().body_text


def test_a_beat_that_was_down_sends_only_the_offset_now_due(cohort):
    pair = introduced_pair(cohort=cohort, days_ago=100)
    assert plan_pulse_checks(now=timezone.now()) == 2
    assert {offset for _a, offset in pulses_of(pair)} == {90}


def test_the_cohort_settings_move_or_stop_the_pulse(cohort, chair):
    pair = introduced_pair(cohort=cohort, days_ago=20)
    HealthSettings.objects.create(cohort=cohort, pulse_first_days=14, pulse_every_days=30)
    assert plan_pulse_checks(now=timezone.now()) == 2
    assert {offset for _a, offset in pulses_of(pair)} == {14}
    HealthSettings.objects.filter(cohort=cohort).update(pulse_enabled=False)
    assert plan_pulse_checks(now=timezone.now() + dt.timedelta(days=30)) == 0


def test_no_pulse_after_mentoring_ends(program):
    cohort = CohortFactory(program=program, phase="assessment")
    introduced_pair(cohort=cohort, days_ago=100)
    assert plan_pulse_checks(now=timezone.now()) == 0


def test_the_pulse_page_says_who_reads_the_answer_and_takes_it_once(client, cohort):
    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    pulse = PulseCheck.objects.get(application=pair.mentee)
    url = f"/pulse/{pulse.token}/"
    page = client.get(url).content.decode()
    assert f"{pair.mentor.full_name} never sees it." in page
    assert "Only the committee chairs and the committee member who looks after your pair" in page

    refused = client.post(url, {"comment": "Typed before choosing"})
    text = refused.content.decode()
    assert "Typed before choosing" in text
    # The message sits under the question, before the numbers, and the group names it.
    fieldset = re.search(
        r'<fieldset[^>]*aria-describedby="([^"]+)"[^>]*>(.*?)</fieldset>', text, re.S
    )
    error_id, inside = fieldset.groups()
    error = re.search(rf'id="{error_id}">([^<]+)<', inside)
    assert error.group(1) == "Choose a number from 1 to 5."
    assert inside.index("</legend>") < error.start() < inside.index('type="radio"')
    client.post(url, {"score": "4", "comment": "Going well"})
    pulse.refresh_from_db()
    assert (pulse.score, pulse.comment) == (4, "Going well") and pulse.answered_at
    client.post(url, {"score": "1", "comment": "Changed my mind"})
    pulse.refresh_from_db()
    assert pulse.score == 4
    assert "Thank you" in client.get(url).content.decode()
    assert client.get("/pulse/not-a-real-token/").status_code == 404


def test_a_low_score_feeds_health_and_alerts_the_liaison_without_the_comment(
    client, cohort, program, chair
):
    pair = introduced_pair(cohort=cohort, days_ago=31)
    liaison = UserFactory(email="liaison@example.org")
    CommitteeMembershipFactory(user=liaison, program=program)
    LiaisonAssignment.objects.create(pairing=pair, liaison=liaison, assigned_at=timezone.now())
    plan_pulse_checks(now=timezone.now())
    pulse = PulseCheck.objects.get(application=pair.mentor)
    assert not cohort_health(cohort=cohort)[0].health.has("low_pulse")
    client.post(f"/pulse/{pulse.token}/", {"score": "2", "comment": "We have not met at all"})
    alert = Notification.objects.get(kind="pulse_alert")
    assert alert.recipient == "liaison@example.org"
    assert "answered 2 of 5" in alert.body_text
    assert "We have not met" not in alert.body_text + alert.body_html
    health = cohort_health(cohort=cohort)[0].health
    assert health.has("low_pulse") and health.at_risk


def test_a_low_score_without_a_liaison_alerts_the_chairs_and_a_3_alerts_nobody(
    client, cohort, chair
):
    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    mentor, mentee = (PulseCheck.objects.get(application=a) for a in (pair.mentor, pair.mentee))
    client.post(f"/pulse/{mentor.token}/", {"score": "3"})
    assert not Notification.objects.filter(kind="pulse_alert").exists()
    client.post(f"/pulse/{mentee.token}/", {"score": "1"})
    assert list(
        Notification.objects.filter(kind="pulse_alert").values_list("recipient", flat=True)
    ) == [chair.email]


def _low_score(client, pair) -> PulseCheck:
    plan_pulse_checks(now=timezone.now())
    pulse = PulseCheck.objects.get(application=pair.mentee)
    client.post(f"/pulse/{pulse.token}/", {"score": "1"})
    return pulse


def _alerts() -> list[tuple[str, str]]:
    alerts = Notification.objects.filter(kind="pulse_alert").order_by("pk")
    return list(alerts.values_list("recipient", "status"))


def _liaison(program, email):
    user = UserFactory(email=email)
    return CommitteeMembershipFactory(user=user, program=program)


def test_a_liaison_who_left_the_committee_hears_nothing_the_chairs_do(
    client, cohort, program, chair, staff_user
):
    pair = introduced_pair(cohort=cohort, days_ago=31)
    seat = _liaison(program, "former@example.org")
    liaison_assign(pairing=pair, liaison=seat.user, by=chair)
    kept = _liaison(program, "kept@example.org")
    other = introduced_pair(cohort=cohort, days_ago=31)
    liaison_assign(pairing=other, liaison=kept.user, by=chair)
    committee_membership_remove(membership=seat, changed_by=staff_user)
    # Their pair is left without a liaison (the chairs see it and give it another); the
    # liaison who stays keeps theirs.
    assert list(LiaisonAssignment.objects.values_list("pairing", "liaison")) == [
        (other.pk, kept.user_id)
    ]
    entry = AuditEntry.objects.filter(pairing=pair).latest("pk")
    assert (entry.actor, entry.changes) == (staff_user, {"liaison": None, "was": seat.user_id})
    assert "left the committee" in entry.summary
    _low_score(client, pair)
    assert _alerts() == [(chair.email, "pending")]


def test_an_unsent_alert_follows_the_pair_to_whoever_looks_after_it_now(
    client, cohort, program, chair, staff_user, mailoutbox
):
    """The alert was written (the mail server was down) when the chair handed the pair to
    another liaison: the first liaison never gets it, the new one does."""
    pair = introduced_pair(cohort=cohort, days_ago=31)
    first, second = _liaison(program, "first@example.org"), _liaison(program, "second@example.org")
    liaison_assign(pairing=pair, liaison=first.user, by=chair)
    _low_score(client, pair)
    assert _alerts() == [("first@example.org", "pending")]

    liaison_assign(pairing=pair, liaison=second.user, by=chair)
    assert _alerts() == [("first@example.org", "withdrawn"), ("second@example.org", "pending")]
    withdrawn = Notification.objects.get(recipient="first@example.org")
    assert withdrawn.withdrawn_reason == "Someone else looks after the pair now."

    liaison_assign(pairing=pair, liaison=first.user, by=chair)  # and back again
    assert _alerts()[1:] == [("second@example.org", "withdrawn"), ("first@example.org", "pending")]

    # The liaison leaves the committee: the chairs hear of it instead.
    committee_membership_remove(membership=first, changed_by=staff_user)
    assert [a for a in _alerts() if a[1] == "pending"] == [(chair.email, "pending")]
    deliver_due()
    assert [m.to for m in mailoutbox if "answered 1 of 5" in m.body] == [[chair.email]]


def test_the_deliverer_withdraws_an_alert_to_someone_no_longer_on_the_committee(
    client, cohort, program, chair, mailoutbox
):
    pair = introduced_pair(cohort=cohort, days_ago=31)
    seat = _liaison(program, "gone@example.org")
    liaison_assign(pairing=pair, liaison=seat.user, by=chair)
    _low_score(client, pair)
    seat.delete()  # by a path that does not readdress (a script, the database)
    deliver_due()
    assert [m for m in mailoutbox if "answered 1 of 5" in m.body] == []
    assert _alerts() == [("gone@example.org", "withdrawn")]


def test_pulse_links_are_masked_in_the_outbox_for_the_committee(client, cohort, chair):
    introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    message = Notification.objects.filter(kind="pulse_check").first()
    client.force_login(chair)
    page = client.get(f"/admin/notifications/notification/{message.pk}/change/").content.decode()
    token = PulseCheck.objects.get(application__email=message.recipient).token
    assert token not in page and "/pulse/(personal link)/" in page


# --- true when it arrives ---------------------------------------------------------------------


def test_a_pulse_email_answered_on_my_mentoring_before_it_went_out_is_withdrawn(cohort):
    """The mail server was down; meanwhile the mentee answered on My mentoring. The email that
    asks for the answer does not go out afterwards."""
    from participants.health.pulse import pulse_answer

    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    pulse = PulseCheck.objects.get(application=pair.mentee)
    email = Notification.objects.get(kind="pulse_check", user=pair.mentee.applicant)
    assert email.about["pulse"] == pulse.pk
    pulse_answer(pulse=pulse, score=4)
    email.refresh_from_db()
    assert email.status == Notification.Status.WITHDRAWN
    assert email.withdrawn_reason == "The participant has answered it already."
    mentor_email = Notification.objects.get(kind="pulse_check", user=pair.mentor.applicant)
    assert mentor_email.status == Notification.Status.PENDING  # the mentor's still asks


def test_pulse_emails_and_nudges_of_a_dissolved_pair_are_withdrawn(cohort, chair, mailoutbox):
    from matching.services.pairings import pairing_dissolve
    from notifications.delivery import deliver_due
    from participants.health.services import pair_nudge_send

    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    pair_nudge_send(pairing=pair, by=chair, message="Time to meet?")
    pending = Notification.objects.filter(kind__in=["pulse_check", "pair_nudge"])
    assert pending.count() == 4
    pairing_dissolve(pairing=pair, reason="Schedules never matched.", by=chair)
    assert set(pending.values_list("status", "withdrawn_reason")) == {
        (Notification.Status.WITHDRAWN, "The pairing is no longer under way.")
    }
    deliver_due()
    assert not [m for m in mailoutbox if "/pulse/" in m.body or "Time to meet?" in m.body]


def test_the_deliverer_withdraws_them_when_the_change_did_not_recheck(cohort, chair, mailoutbox):
    """Whatever changed the pair, and also for messages written before they named what they
    are about (read from their keys), the check just before sending holds them back."""
    from matching.models import Pairing
    from notifications.delivery import deliver_due
    from participants.health.services import pair_nudge_send

    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    pair_nudge_send(pairing=pair, by=chair, message="Time to meet?")
    Notification.objects.update(about={})  # as written before this change
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.DISSOLVED)
    deliver_due()
    sent = Notification.objects.filter(status=Notification.Status.SENT)
    assert not sent.filter(kind__in=["pulse_check", "pair_nudge"]).exists()
    assert Notification.objects.filter(status=Notification.Status.WITHDRAWN).count() == 4
    assert not mailoutbox


def test_pulse_emails_and_nudges_of_a_pair_under_way_are_sent(cohort, chair, mailoutbox):
    from notifications.delivery import deliver_due
    from participants.health.services import pair_nudge_send

    pair = introduced_pair(cohort=cohort, days_ago=31)
    plan_pulse_checks(now=timezone.now())
    pair_nudge_send(pairing=pair, by=chair, message="Time to meet?")
    Notification.objects.filter(kind="pulse_check").update(about={})  # read from the key
    deliver_due()
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 4
    assert len(mailoutbox) == 4
