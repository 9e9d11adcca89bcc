import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import Application
from matching.models import AuditEntry, Exclusion, MatchRun, Pairing, Proposal
from matching.services import (
    exclusion_create,
    match_run_execute,
    match_run_start,
    pairing_approve,
    pairing_create_manual,
    pairing_dissolve,
    pairing_lock,
    pairing_move,
    pairing_rematch,
    pairings_announce,
    priority_carry_forward,
)
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.concurrency import at_once, in_words
from tests.matching.factories import ExclusionFactory, PairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="matching")


def accepted(cohort, role, **kwargs):
    return ApplicationFactory(cohort=cohort, role=role, status="accepted", **kwargs)


# --- approve ------------------------------------------------------------------------------


def test_pairing_approve_approves_once_and_records_who(cohort, chair):
    pairing = PairingFactory(cohort=cohort)
    pairing_approve(pairing=pairing, approved_by=chair)
    again = pairing_approve(pairing=pairing, approved_by=chair)

    assert again.status == Pairing.Status.APPROVED
    assert again.approved_by == chair and again.approved_at is not None
    assert AuditEntry.objects.filter(action="approve", pairing=pairing).count() == 1


def test_pairing_approve_refuses_a_mentor_over_capacity(cohort, chair):
    mentor = accepted(cohort, "mentor", capacity=1)
    PairingFactory(cohort=cohort, mentor=mentor, status=Pairing.Status.APPROVED)
    second = PairingFactory(cohort=cohort, mentor=mentor)

    with pytest.raises(ValidationError, match="capacity"):
        pairing_approve(pairing=second, approved_by=chair)

    second.refresh_from_db()
    assert second.status == Pairing.Status.PROPOSED


def test_pairing_approve_is_for_chairs_only(cohort, member, other_chair):
    pairing = PairingFactory(cohort=cohort)
    for user in (member, other_chair):
        with pytest.raises(PermissionDenied):
            pairing_approve(pairing=pairing, approved_by=user)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_approvals_never_exceed_capacity(postgres, program, chair):
    cohort = CohortFactory(program=program, phase="matching")
    mentor = accepted(cohort, "mentor", capacity=2)
    pairings = [PairingFactory(cohort=cohort, mentor=mentor) for _ in range(10)]

    def approve(pairing):
        return lambda: pairing_approve(pairing=pairing, approved_by=chair)

    outcomes = at_once(*(approve(p) for p in pairings))
    said = in_words(outcomes, done="approved", refusal=ValidationError)
    assert said == ["approved"] * 2 + ["refused"] * 8
    assert Pairing.objects.filter(mentor=mentor, status=Pairing.Status.APPROVED).count() == 2


# --- lock, exclude, move, manual -------------------------------------------------------------


def test_pairing_lock_and_unlock_are_idempotent_and_audited(cohort, member):
    pairing = PairingFactory(cohort=cohort)
    pairing_lock(pairing=pairing, locked=True, by=member)
    pairing_lock(pairing=pairing, locked=True, by=member)
    pairing.refresh_from_db()
    assert pairing.locked
    pairing_lock(pairing=pairing, locked=False, by=member)
    pairing.refresh_from_db()
    assert not pairing.locked
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert sorted(actions) == ["lock", "unlock"]


def test_pairing_lock_refuses_another_programs_committee(cohort, other_chair):
    pairing = PairingFactory(cohort=cohort)
    with pytest.raises(PermissionDenied):
        pairing_lock(pairing=pairing, locked=True, by=other_chair)


def test_exclusion_create_withdraws_the_proposal_and_is_idempotent(cohort, member):
    pairing = PairingFactory(cohort=cohort)
    first = exclusion_create(
        cohort=cohort, mentor=pairing.mentor, mentee=pairing.mentee, reason="Same team", by=member
    )
    second = exclusion_create(
        cohort=cohort, mentor=pairing.mentor, mentee=pairing.mentee, reason="Again", by=member
    )
    assert first.pk == second.pk and second.reason == "Same team"
    assert not Pairing.objects.filter(pk=pairing.pk).exists()
    assert AuditEntry.objects.filter(action="exclude").count() == 1


def test_exclusion_create_refuses_an_approved_pairing(cohort, member):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    with pytest.raises(ValidationError, match="dissolve"):
        exclusion_create(
            cohort=cohort, mentor=pairing.mentor, mentee=pairing.mentee, reason="x", by=member
        )
    assert not Exclusion.objects.exists()


def test_exclusion_create_needs_a_reason(cohort, member):
    pairing = PairingFactory(cohort=cohort)
    with pytest.raises(ValidationError):
        exclusion_create(
            cohort=cohort, mentor=pairing.mentor, mentee=pairing.mentee, reason=" ", by=member
        )


def test_pairing_move_rescores_and_warns_about_capacity_and_exclusions(cohort, member):
    area = AreaOfInterestFactory(program=cohort.program)
    pairing = PairingFactory(cohort=cohort)
    full = accepted(cohort, "mentor", capacity=1, areas=[area])
    PairingFactory(cohort=cohort, mentor=full)
    ExclusionFactory(cohort=cohort, mentor=full, mentee=pairing.mentee, reason="Same unit")

    with pytest.raises(ValidationError) as error:
        pairing_move(pairing=pairing, mentor=full, by=member)
    text = " ".join(error.value.messages)
    assert "1 pairings for 1 places" in text and "Same unit" in text

    moved = pairing_move(pairing=pairing, mentor=full, by=member, confirmed=True)
    assert moved.mentor == full
    assert moved.source == Pairing.Source.MANUAL and moved.locked
    assert moved.reasons and "score" in AuditEntry.objects.get(action="move").changes


def test_pairing_move_to_the_same_mentor_changes_nothing(cohort, member):
    pairing = PairingFactory(cohort=cohort)
    pairing_move(pairing=pairing, mentor=pairing.mentor, by=member)
    assert not AuditEntry.objects.exists()


def test_pairing_move_refuses_an_announced_pairing(cohort, member):
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.ANNOUNCED)
    other = accepted(cohort, "mentor")
    with pytest.raises(ValidationError, match="dissolve"):
        pairing_move(pairing=pairing, mentor=other, by=member)


def test_pairing_create_manual_refuses_self_reciprocal_and_a_second_pairing(cohort, member):
    both_a = accepted(cohort, "both")
    both_b = accepted(cohort, "both")
    with pytest.raises(ValidationError, match="themselves"):
        pairing_create_manual(cohort=cohort, mentor=both_a, mentee=both_a, by=member)
    pairing_create_manual(cohort=cohort, mentor=both_a, mentee=both_b, by=member)
    with pytest.raises(ValidationError, match="cannot also be"):
        pairing_create_manual(cohort=cohort, mentor=both_b, mentee=both_a, by=member)
    with pytest.raises(ValidationError, match="already paired"):
        pairing_create_manual(
            cohort=cohort, mentor=accepted(cohort, "mentor"), mentee=both_b, by=member
        )


def test_pairing_create_manual_refuses_people_of_another_cohort(cohort, member):
    stranger = ApplicationFactory(role="mentee", status="accepted")
    with pytest.raises(ValidationError, match="this cohort"):
        pairing_create_manual(
            cohort=cohort, mentor=accepted(cohort, "mentor"), mentee=stranger, by=member
        )


# --- dissolve and re-match ------------------------------------------------------------------


def test_pairing_dissolve_frees_the_mentee_for_a_rematch(program, chair, member):
    cohort = CohortFactory(program=program, phase="in_progress")
    pairing = PairingFactory(cohort=cohort, status=Pairing.Status.ACTIVE)
    with pytest.raises(PermissionDenied):
        pairing_dissolve(pairing=pairing, reason="Moved away", by=member)
    pairing_dissolve(pairing=pairing, reason="Mentor changed jobs", by=chair)
    again = pairing_dissolve(pairing=pairing, reason="twice", by=chair)
    assert again.status == Pairing.Status.DISSOLVED
    assert again.dissolution_reason == "Mentor changed jobs"

    new_mentor = accepted(cohort, "mentor")
    rematched = pairing_rematch(cohort=cohort, mentor=new_mentor, mentee=pairing.mentee, by=chair)
    assert rematched.status == Pairing.Status.APPROVED
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "dissolve",
        "manual",
        "approve",
    ]


# --- runs ---------------------------------------------------------------------------------


def test_a_run_proposes_pairs_keeps_locked_and_approved_and_replaces_the_rest(
    cohort, member, django_capture_on_commit_callbacks
):
    mentors = [accepted(cohort, "mentor", capacity=1) for _ in range(3)]
    mentees = [accepted(cohort, "mentee") for _ in range(3)]
    locked = PairingFactory(cohort=cohort, mentor=mentors[0], mentee=mentees[0], locked=True)
    stale = PairingFactory(cohort=cohort, mentor=mentors[1], mentee=mentees[1])

    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(cohort=cohort, started_by=member, weights={"areas": 5})
    run.refresh_from_db()

    assert run.status == MatchRun.Status.DONE, run.error
    assert run.progress == 100 and run.matched_count == 3 and run.duration_seconds is not None
    assert run.weights["areas"] == 5
    assert Pairing.objects.filter(pk=locked.pk).exists()
    assert not Pairing.objects.filter(pk=stale.pk).exists()
    assert Pairing.objects.filter(cohort=cohort).count() == 3
    assert Proposal.objects.filter(run=run).count() == 3
    new = Pairing.objects.filter(run=run).first()
    assert new.reasons and "areas" in new.breakdown
    assert AuditEntry.objects.filter(action="run").count() == 1
    # Executing the same run again does nothing.
    assert match_run_execute(run_id=run.pk).status == MatchRun.Status.DONE
    assert Proposal.objects.filter(run=run).count() == 3


def test_a_run_never_pairs_excluded_or_same_employer_people(
    cohort, member, django_capture_on_commit_callbacks
):
    mentor = accepted(cohort, "mentor", employer="Springfield Public Library")
    accepted(cohort, "mentee", employer="springfield  public library")
    excluded = accepted(cohort, "mentee")
    ExclusionFactory(cohort=cohort, mentor=mentor, mentee=excluded)
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(cohort=cohort, started_by=member, weights={})
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert run.matched_count == 0 and run.unmatched_count == 2
    assert not Pairing.objects.exists()


def test_a_run_with_an_impossible_lock_fails_with_a_message(
    cohort, member, django_capture_on_commit_callbacks
):
    mentor = accepted(cohort, "mentor", capacity=1)
    PairingFactory(cohort=cohort, mentor=mentor, locked=True)
    PairingFactory(cohort=cohort, mentor=mentor, locked=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(cohort=cohort, started_by=member, weights={})
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert run.error


def test_priority_carries_into_the_programs_next_cohort(program):
    last = CohortFactory(program=program, phase="closed")
    unpaired = ApplicationFactory(cohort=last, role="mentee", status="accepted")
    paired = PairingFactory(cohort=last, status=Pairing.Status.COMPLETED)
    current = CohortFactory(program=program, phase="matching")
    again = ApplicationFactory(cohort=current, applicant=unpaired.applicant, role="mentee")
    other = ApplicationFactory(cohort=current, applicant=paired.mentee.applicant, role="mentee")

    assert priority_carry_forward(cohort=current) == 1
    assert priority_carry_forward(cohort=current) == 0
    again.refresh_from_db()
    other.refresh_from_db()
    assert again.priority and not other.priority


# --- announce -----------------------------------------------------------------------------


def test_announce_sends_one_introduction_per_person_and_a_kind_note_to_the_unpaired(
    program, chair, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(program=program, phase="orientation")  # notification date passed
    area = AreaOfInterestFactory(program=program, name="Cataloging and metadata")
    first = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    first.mentor.areas.add(area)
    first.mentee.areas.add(area)
    second = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    waiting = accepted(cohort, "mentee", full_name="Wren Waiting")
    declined = ApplicationFactory(cohort=cohort, role="mentee", status="declined")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = pairings_announce(cohort=cohort, by=chair)
    with pytest.raises(ValidationError, match="no approved pairing"):
        pairings_announce(cohort=cohort, by=chair)  # a second click releases nothing more

    assert outcome.pairings == 2 and outcome.emails_created == 6
    by_recipient = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    assert all(len(messages) == 1 for messages in by_recipient.values())
    assert len(by_recipient) == 6
    assert "could not offer you a place" in by_recipient[declined.applicant.email][0].body
    for pairing in (first, second):
        to_mentee = by_recipient[pairing.mentee.email][0]
        assert pairing.mentor.full_name in to_mentee.body
        assert pairing.mentor.email in to_mentee.body
        assert pairing.mentor.employer in to_mentee.body
        to_mentor = by_recipient[pairing.mentor.email][0]
        assert pairing.mentee.full_name in to_mentor.body
    assert "Cataloging and metadata" in by_recipient[first.mentee.email][0].body
    note = by_recipient[waiting.email][0]
    assert "priority" in note.body.lower()
    assert set(Pairing.objects.values_list("status", flat=True)) == {Pairing.Status.ANNOUNCED}
    assert Notification.objects.filter(key=f"pairing-announced:{first.pk}:mentor").exists()
    assert AuditEntry.objects.filter(action="announce").count() == 1


def test_announce_before_the_notification_date_schedules_the_emails(
    cohort, chair, django_capture_on_commit_callbacks
):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = pairings_announce(cohort=cohort, by=chair)
    assert not mail.outbox
    assert outcome.send_at.date() == cohort.pairings_notified
    scheduled = set(Notification.objects.values_list("scheduled_at", flat=True))
    assert scheduled == {outcome.send_at}


def test_announce_is_for_chairs_only(cohort, member):
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        pairings_announce(cohort=cohort, by=member)
    assert not Notification.objects.exists()


def test_announce_skips_people_still_in_a_proposed_pairing(cohort, chair):
    proposed = PairingFactory(cohort=cohort)
    PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    pairings_announce(cohort=cohort, by=chair)
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert proposed.mentee.email not in recipients
    assert Application.objects.filter(status="accepted").count() == 4


def test_exclusion_lift_is_for_chairs_and_leaves_an_audit_entry(chair, member):
    from matching.models import AuditEntry, Exclusion
    from matching.services import exclusion_lift
    from tests.matching.factories import ExclusionFactory

    exclusion = ExclusionFactory(cohort__program=chair.committee_memberships.get().program)
    with pytest.raises(PermissionDenied):
        exclusion_lift(exclusion=exclusion, by=member)
    exclusion_lift(exclusion=exclusion, by=chair)
    assert not Exclusion.objects.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LIFT_EXCLUSION)
    assert entry.actor == chair
    assert exclusion.reason in entry.summary


def test_lifting_an_exclusion_in_the_admin_is_audited(client, chair):
    from matching.models import AuditEntry, Exclusion
    from tests.matching.factories import ExclusionFactory

    exclusion = ExclusionFactory(cohort__program=chair.committee_memberships.get().program)
    client.force_login(chair)
    response = client.post(f"/admin/matching/exclusion/{exclusion.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Exclusion.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LIFT_EXCLUSION, actor=chair).exists()
