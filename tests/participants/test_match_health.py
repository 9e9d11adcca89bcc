"""Match health in the admin: pairs at risk worst first, liaisons, touch-points, nudges through
the outbox, and who reads what (never a problem report's text or a check-in's notes)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CommitteeMembership
from matching.models import AuditEntry, Pairing
from notifications.models import Notification
from participants.health import services
from participants.health.models import HealthSettings, LiaisonAssignment, PulseCheck, TouchPoint
from participants.models import ProblemReport
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory, CommitteeMembershipFactory
from tests.matching.bulk import bulk_cohort
from tests.participants.health_helpers import introduced_pair

pytestmark = pytest.mark.django_db


def health_url(cohort, **query) -> str:
    url = reverse("admin:participants_cohortcockpit_health", args=[cohort.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="in_progress")


@pytest.fixture
def liaison(program):
    user = UserFactory(email="liaison@example.org", full_name="Lee Liaison")
    CommitteeMembershipFactory(user=user, program=program, role=CommitteeMembership.Role.MEMBER)
    return user


def test_pairs_at_risk_come_worst_first_and_healthy_ones_only_under_all(client, member, cohort):
    healthy = introduced_pair(cohort=cohort, days_ago=10)
    silent = introduced_pair(cohort=cohort, days_ago=60)
    reported = introduced_pair(cohort=cohort, days_ago=60)
    ProblemReport.objects.create(pairing=reported, message="He never answers my emails.")
    reported.check_ins.create(date=timezone.localdate(), mode="video", notes="Talked budgets")
    client.force_login(member)
    page = client.get(health_url(cohort)).content.decode()
    assert page.index(reported.mentor.full_name) < page.index(silent.mentor.full_name)
    assert healthy.mentor.full_name not in page
    assert "At risk: 2 of 3 pairs under way." in page
    assert "A problem report is open." in page
    # Members see that a report is open and when the pair met, never what anyone wrote.
    assert "never answers" not in page and "Talked budgets" not in page
    everyone = client.get(health_url(cohort, show="all")).content.decode()
    assert healthy.mentor.full_name in everyone
    only_reports = client.get(health_url(cohort, show="problem_report")).content.decode()
    assert reported.mentor.full_name in only_reports
    assert silent.mentor.full_name not in only_reports


def test_the_cohort_setting_moves_the_no_check_in_boundary(client, chair, cohort):
    pair = introduced_pair(cohort=cohort, days_ago=30)
    client.force_login(chair)
    assert pair.mentor.full_name not in client.get(health_url(cohort)).content.decode()
    response = client.post(
        reverse("admin:participants_cohortcockpit_settings", args=[cohort.pk]),
        {
            "no_check_in_days": "30",
            "pulse_enabled": "on",
            "pulse_first_days": "30",
            "pulse_every_days": "60",
        },
    )
    assert response.status_code == 302
    assert HealthSettings.objects.get(cohort=cohort).no_check_in_days == 30
    assert pair.mentor.full_name in client.get(health_url(cohort)).content.decode()


def test_bad_settings_are_refused_beside_the_field_and_members_cannot_change_them(
    client, chair, member, cohort
):
    url = reverse("admin:participants_cohortcockpit_settings", args=[cohort.pk])
    client.force_login(chair)
    response = client.post(
        url, {"no_check_in_days": "2", "pulse_first_days": "abc", "pulse_every_days": "60"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "greater than or equal to 7" in page and 'value="abc"' in page
    assert not HealthSettings.objects.exists()
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"no_check_in_days": "30"}).status_code == 403


def test_a_chair_assigns_a_liaison_who_then_sees_the_pair_and_records_a_touch_point(
    client, chair, liaison, cohort
):
    pair = introduced_pair(cohort=cohort, days_ago=60)
    client.force_login(chair)
    response = client.post(
        reverse("admin:participants_cohortcockpit_liaison", args=[cohort.pk, pair.pk]),
        {"liaison": liaison.pk, "next": "https://evil.example.org/"},
    )
    assert response.status_code == 302 and response["Location"] == health_url(cohort)
    assert LiaisonAssignment.objects.get(pairing=pair).liaison == liaison
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LIAISON, pairing=pair).exists()

    client.force_login(liaison)
    mine = client.get(reverse("admin:participants_cohortcockpit_mine")).content.decode()
    assert pair.mentee.full_name in mine and "No check-in logged" in mine
    url = reverse("admin:participants_cohortcockpit_touch_point", args=[cohort.pk, pair.pk])
    future = timezone.localdate() + dt.timedelta(days=2)
    refused = client.post(url, {"date": future.isoformat(), "kind": "call", "note": "Hi"})
    assert "cannot be in the future" in refused.content.decode()
    client.post(url, {"date": timezone.localdate().isoformat(), "kind": "call", "note": "Fine"})
    touch = TouchPoint.objects.get(pairing=pair)
    assert (touch.kind, touch.recorded_by, touch.note) == ("call", liaison, "Fine")
    mine = client.get(reverse("admin:participants_cohortcockpit_mine")).content.decode()
    assert "Phone or video call" in mine


def test_only_chairs_assign_and_only_committee_members_become_liaisons(
    chair, member, other_chair, cohort
):
    pair = introduced_pair(cohort=cohort)
    with pytest.raises(PermissionDenied):
        services.liaison_assign(pairing=pair, liaison=member, by=member)
    with pytest.raises(ValidationError, match="on the program's committee"):
        services.liaison_assign(pairing=pair, liaison=other_chair, by=chair)
    with pytest.raises(PermissionDenied):
        services.touch_point_record(pairing=pair, by=member, kind="call", date=timezone.localdate())
    assert not LiaisonAssignment.objects.exists()


def test_a_nudge_is_previewed_then_sent_once_a_day_through_the_outbox(
    client, chair, cohort, mailoutbox
):
    pair = introduced_pair(cohort=cohort, days_ago=60)
    ProblemReport.objects.create(pairing=pair, message="Confidential trouble")
    url = reverse("admin:participants_cohortcockpit_nudge", args=[cohort.pk, pair.pk])
    client.force_login(chair)
    preview = client.post(url, {"message": "We miss you both!", "preview": "1"})
    page = preview.content.decode()
    assert "how is your mentoring going?" in page and "We miss you both!" in page
    assert pair.mentor.email in page and pair.mentee.email in page
    assert not Notification.objects.exists()

    response = client.post(url, {"message": "We miss you both!", "send": "1"}, follow=True)
    assert "The nudge is in the outbox: 2 emails." in response.content.decode()
    nudges = Notification.objects.filter(kind="pair_nudge")
    assert {n.recipient for n in nudges} == {pair.mentor.email, pair.mentee.email}
    assert all("problem report" not in n.body_text.split("flag it privately")[0] for n in nudges)
    assert not any("Confidential" in n.body_text for n in nudges)
    assert TouchPoint.objects.get(pairing=pair).kind == TouchPoint.Kind.NUDGE
    again = client.post(url, {"send": "1"}, follow=True)
    assert "already nudged today" in again.content.decode()
    assert nudges.count() == 2


def test_a_member_who_is_not_the_liaison_cannot_nudge(client, member, cohort):
    pair = introduced_pair(cohort=cohort, days_ago=60)
    client.force_login(member)
    url = reverse("admin:participants_cohortcockpit_nudge", args=[cohort.pk, pair.pk])
    assert client.post(url, {"send": "1"}).status_code == 403
    assert not Notification.objects.exists()


def test_another_programs_chair_gets_404_on_every_health_screen(client, other_chair, cohort):
    pair = introduced_pair(cohort=cohort)
    client.force_login(other_chair)
    for name, args in (
        ("participants_cohortcockpit_health", [cohort.pk]),
        ("participants_cohortcockpit_settings", [cohort.pk]),
        ("participants_cohortcockpit_nudge", [cohort.pk, pair.pk]),
        ("participants_cohortcockpit_touch_point", [cohort.pk, pair.pk]),
        ("participants_cohortcockpit_liaison", [cohort.pk, pair.pk]),
    ):
        assert client.post(reverse(f"admin:{name}", args=args), {"send": "1"}).status_code == 404
    assert not Notification.objects.exists()


def test_pulse_comments_are_read_by_chairs_and_the_liaison_only(
    client, chair, member, liaison, cohort
):
    pair = introduced_pair(cohort=cohort, days_ago=40)
    LiaisonAssignment.objects.create(pairing=pair, liaison=liaison, assigned_at=timezone.now())
    PulseCheck.objects.create(
        pairing=pair,
        application=pair.mentee,
        offset_days=30,
        score=2,
        comment="My mentor cancels every time",
        answered_at=timezone.now(),
    )
    client.force_login(member)
    page = client.get(health_url(cohort)).content.decode()
    assert "the mentee answered 2 of 5" in page
    assert "cancels every time" not in page
    for reader in (chair, liaison):
        client.force_login(reader)
        assert "cancels every time" in client.get(health_url(cohort)).content.decode()
    client.force_login(liaison)
    mine = client.get(reverse("admin:participants_cohortcockpit_mine")).content.decode()
    assert "cancels every time" in mine


def test_the_health_page_takes_the_same_queries_for_5_or_500_pairs(
    client, chair, program, django_assert_max_num_queries
):
    areas = AreaOfInterestFactory.create_batch(4, program=program)
    counts = []
    for size, seed in ((5, 1), (500, 2)):
        cohort = CohortFactory(program=program, phase="in_progress")
        bulk_cohort(cohort, mentees=size, mentors=size, areas=areas, pairs=size, seed=seed)
        Pairing.objects.filter(cohort=cohort).update(
            status=Pairing.Status.ACTIVE, announced_at=timezone.now() - dt.timedelta(days=60)
        )
        client.force_login(chair)
        with django_assert_max_num_queries(15) as captured:
            response = client.get(health_url(cohort))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    page = response.content.decode()
    assert "At risk: 500 of 500 pairs under way." in page and "Page 1 of 10" in page
