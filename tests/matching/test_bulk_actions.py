"""The chair's actions on a whole cohort, set-based (issue 18): approve all, all or nothing;
release through the outbox's keyed create for many; the announce preview by kind."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import AuditEntry, Pairing
from matching.services import (
    announcement_plan,
    pairings_announce,
    pairings_approve_all,
    release_undo,
)
from matching.services.emails import create_all
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.bulk import bulk_cohort
from tests.matching.factories import PairingFactory

pytestmark = pytest.mark.django_db


def statements(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result


def cohort_with(program, *, pairs: int, phase: str = "matching", seed: int = 1):
    cohort = CohortFactory(program=program, phase=phase)
    areas = [AreaOfInterestFactory(program=program) for _ in range(2)]
    bulk_cohort(cohort, mentees=pairs + 2, mentors=pairs, areas=areas, pairs=pairs, seed=seed)
    return cohort


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def proposed(cohort) -> list[Pairing]:
    return list(
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED).select_related(
            "mentor", "mentee"
        )
    )


# --- approve all ----------------------------------------------------------------------------


def test_approving_50_pairings_takes_the_statements_of_approving_5(program, chair):
    small, large = cohort_with(program, pairs=5), cohort_with(program, pairs=50, seed=2)

    # A fresh user object each time, as in a request: its committee roles are read once.
    few, outcome_small = statements(
        lambda: pairings_approve_all(pairings=proposed(small), approved_by=fresh(chair))
    )
    many, outcome_large = statements(
        lambda: pairings_approve_all(pairings=proposed(large), approved_by=fresh(chair))
    )

    assert (len(outcome_small.done), len(outcome_large.done)) == (5, 50)
    assert few == many <= 12
    approved = Pairing.objects.filter(cohort=large, status=Pairing.Status.APPROVED)
    assert approved.count() == 50 and {p.approved_by for p in approved} == {chair}
    assert AuditEntry.objects.filter(cohort=large, action="approve").count() == 50


def test_one_pairing_over_a_mentors_capacity_stops_the_whole_approval(program, chair):
    cohort = CohortFactory(program=program, phase="matching")
    busy = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", capacity=1, full_name="Bo Busy"
    )
    PairingFactory(cohort=cohort, mentor=busy, status=Pairing.Status.APPROVED)
    fine = PairingFactory.create_batch(3, cohort=cohort)
    over = PairingFactory(cohort=cohort, mentor=busy, mentee__full_name="Cy Late")

    outcome = pairings_approve_all(pairings=[*fine, over], approved_by=chair)

    assert outcome.done == []
    [(refused, reason)] = outcome.refused
    assert refused.pk == over.pk and "Bo Busy is already at capacity (1)" in reason
    assert not Pairing.objects.filter(pk__in=[p.pk for p in fine], status="approved").exists()
    assert not AuditEntry.objects.filter(action="approve").exists()


def test_a_selection_that_would_overfill_a_mentor_names_every_pairing_of_that_mentor(
    program, chair
):
    cohort = CohortFactory(program=program, phase="matching")
    mentor = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", capacity=2, full_name="Di Double"
    )
    three = PairingFactory.create_batch(3, cohort=cohort, mentor=mentor)

    outcome = pairings_approve_all(pairings=three, approved_by=chair)

    assert {p.pk for p, _reason in outcome.refused} == {p.pk for p in three}
    assert "Di Double has room for 2 more mentees (capacity 2)" in outcome.refused[0][1]
    assert not Pairing.objects.filter(status="approved").exists()


def test_both_ways_round_in_one_selection_is_refused(program, chair):
    cohort = CohortFactory(program=program, phase="matching")
    ann = ApplicationFactory(cohort=cohort, role="both", status="accepted", full_name="Ann")
    ben = ApplicationFactory(cohort=cohort, role="both", status="accepted", full_name="Ben")
    there = PairingFactory(cohort=cohort, mentor=ann, mentee=ben)
    back = PairingFactory(cohort=cohort, mentor=ben, mentee=ann)

    outcome = pairings_approve_all(pairings=[there, back], approved_by=chair)

    assert len(outcome.refused) == 2 and "both ways round" in outcome.refused[0][1]
    assert not Pairing.objects.filter(status="approved").exists()


def test_approve_all_is_idempotent_and_for_the_programs_chairs(program, chair, member):
    cohort = cohort_with(program, pairs=3)
    pairings = proposed(cohort)
    with pytest.raises(PermissionDenied):
        pairings_approve_all(pairings=pairings, approved_by=member)
    assert not Pairing.objects.filter(status="approved").exists()

    pairings_approve_all(pairings=pairings, approved_by=chair)
    again = pairings_approve_all(pairings=pairings, approved_by=chair)

    assert again.done == [] and len(again.already) == 3 and again.refused == []
    assert AuditEntry.objects.filter(action="approve").count() == 3


def test_the_review_page_approves_nothing_and_names_the_pairing_over_capacity(
    client, program, chair
):
    cohort = CohortFactory(program=program, phase="matching")
    busy = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", capacity=1, full_name="Bo Busy"
    )
    PairingFactory(cohort=cohort, mentor=busy, status=Pairing.Status.APPROVED)
    PairingFactory.create_batch(2, cohort=cohort)
    PairingFactory(cohort=cohort, mentor=busy, mentee__full_name="Cy Late")
    client.force_login(chair)

    page = client.post(
        reverse("admin:matching_review", args=[cohort.pk]), {"action": "approve_all"}, follow=True
    ).content.decode()

    assert "Nothing was approved: 1 of the 3 selected pairings cannot be approved" in page
    assert "Not approved: Bo Busy → Cy Late. Bo Busy is already at capacity (1)." in page
    assert Pairing.objects.filter(status="proposed").count() == 3


def test_the_admin_action_approves_all_or_nothing(client, program, chair):
    cohort = CohortFactory(program=program, phase="matching")
    busy = ApplicationFactory(
        cohort=cohort, role="mentor", status="accepted", capacity=1, full_name="Bo Busy"
    )
    fine = PairingFactory(cohort=cohort)
    two = PairingFactory.create_batch(2, cohort=cohort, mentor=busy)
    client.force_login(chair)
    url = "/admin/matching/pairing/"

    refused = client.post(
        url,
        {"action": "approve_selected", "_selected_action": [fine.pk, *[p.pk for p in two]]},
        follow=True,
    ).content.decode()
    assert "Nothing was approved: 2 of the 3 selected pairings" in refused
    assert not Pairing.objects.filter(status="approved").exists()

    done = client.post(
        url, {"action": "approve_selected", "_selected_action": [fine.pk, two[0].pk]}, follow=True
    ).content.decode()
    assert "Approved 2 pairings." in done
    assert Pairing.objects.filter(status="approved").count() == 2


# --- release --------------------------------------------------------------------------------


def release_statements(program, chair, pairs: int, seed: int) -> tuple[int, int]:
    cohort = cohort_with(program, pairs=pairs, phase="orientation", seed=seed)
    Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.APPROVED)
    user = fresh(chair)
    count, outcome = statements(lambda: pairings_announce(cohort=cohort, by=user))
    assert outcome.emails_created == Notification.objects.filter(cohort=cohort).count()
    return count, outcome.emails_created


def test_releasing_50_pairings_takes_the_statements_of_releasing_5(program, chair):
    few, small_emails = release_statements(program, chair, 5, seed=1)
    many, large_emails = release_statements(program, chair, 50, seed=2)

    assert small_emails >= 5 * 2 + 2 and large_emails >= 50 * 2 + 2
    assert few == many


def test_releasing_twice_creates_no_duplicate_and_an_undone_release_tells_people_again(
    program, chair
):
    cohort = cohort_with(program, pairs=4, phase="in_progress")
    Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.APPROVED)
    first = pairings_announce(cohort=cohort, by=chair)
    release = first.release
    plan_emails = Notification.objects.filter(cohort=cohort).count()

    # The same emails created again (a retry of the release's create): nothing new.
    Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.APPROVED)
    plan = announcement_plan(cohort=cohort)
    assert create_all(plan.emails, cohort=cohort, scheduled_at=first.send_at) == 0
    assert Notification.objects.filter(cohort=cohort).count() == plan_emails

    Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.ANNOUNCED, release=release)
    Notification.objects.filter(cohort=cohort).update(scheduled_at=first.send_at)
    release.send_at = first.send_at.replace(year=first.send_at.year + 1)
    release.save(update_fields=["send_at"])
    release_undo(release=release, by=chair)
    again = pairings_announce(cohort=cohort, by=chair)

    assert again.emails_created == plan_emails
    keys = list(Notification.objects.filter(cohort=cohort).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 2 * plan_emails
    assert sum(key.endswith("#2") for key in keys) == plan_emails


# --- the announce preview -------------------------------------------------------------------


def preview(client, cohort):
    url = reverse("admin:matching_announce", args=[cohort.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_announce_preview_shows_counts_and_one_sample_per_kind_in_bounded_queries(
    client, program, chair
):
    small = cohort_with(program, pairs=3, phase="orientation")
    large = cohort_with(program, pairs=40, phase="orientation", seed=2)
    for cohort in (small, large):
        Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.APPROVED)
        ApplicationFactory(cohort=cohort, status="waitlisted", role="mentee")
        ApplicationFactory(cohort=cohort, status="declined", role="mentor")
    client.force_login(chair)
    preview(client, small)

    few, _page = preview(client, small)
    many, page = preview(client, large)

    assert few == many <= 15
    assert "Introduction to a partner (worded for a mentor): 40 emails" in page
    assert "Introduction to a partner (worded for a mentee): 40 emails" in page
    assert "Accepted, but not matched this cycle (worded for a mentee): 2 emails" in page
    assert "On the waitlist (worded for a mentee): 1 email" in page
    assert "Not offered a place (worded for a mentor): 1 email" in page
    assert "Accepted, but not matched this cycle (worded for a mentor)" in page
    assert page.count("<pre>") == page.count('class="email-group"') == 6  # one sample each
    assert page.count("Meet your mentor: ") == 1 and page.count("Meet your mentee: ") == 1
    emails = announcement_plan(cohort=large).emails
    assert page.count("&gt;</li>") == len(emails)  # every recipient named, by kind
    assert all(f"<li>{email.recipient_name} &lt;{email.to}&gt;</li>" in page for email in emails)
