"""The property: whatever the committee does, in whatever order (accept, waitlist, run, lock,
move, exclude, approve, dissolve, re-match, release, undo), once the outbox is delivered no
person has received two messages that contradict each other, or one that is no longer true, and
every released pairing's partners have each been introduced once.

Hypothesis draws the sequences (bounded: 30 of them, under a second each); each runs in
a transaction rolled back at its end.
"""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import Application
from applications.services import application_decide
from matching.models import MatchRun, Pairing, Release
from matching.services import (
    exclusion_create,
    match_run_execute,
    pairing_approve,
    pairing_dissolve,
    pairing_lock,
    pairing_move,
    pairing_rematch,
    pairings_announce,
    release_undo,
)
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.notifications.helpers import deliver_as_of, far_future

pytestmark = pytest.mark.django_db

ACTIONS = (
    "accept",
    "waitlist",
    "run",
    "lock",
    "move",
    "exclude",
    "approve",
    "dissolve",
    "rematch",
    "release",
    "undo",
)
# Messages that say where a person stands; two different ones to one person contradict.
STANDING = {
    "pairing-announced": "paired",
    "not-matched": "not matched",
    "application-waitlisted": "waitlisted",
    "application-declined": "declined",
}

# Approvals and releases are drawn more often, so that sequences reach released pairings (and
# what can go wrong with them) in a handful of steps.
WEIGHTED = (*ACTIONS, "approve", "approve", "release", "dissolve", "undo")
steps = st.lists(
    st.tuples(st.sampled_from(WEIGHTED), st.integers(0, 50), st.integers(0, 50)),
    min_size=1,
    max_size=16,
)


def build_cohort(program, chair):
    """Five mentees (three accepted, one waitlisted, one submitted), three mentors (two
    accepted, one waitlisted), one declined applicant; matching has run once."""
    cohort = CohortFactory(program=program, phase="matching")
    people = [
        ApplicationFactory(cohort=cohort, role=role, status=status, capacity=capacity)
        for role, status, capacity in [
            ("mentee", "accepted", None),
            ("mentee", "accepted", None),
            ("mentee", "accepted", None),
            ("mentee", "waitlisted", None),
            ("mentee", "submitted", None),
            ("mentor", "accepted", 2),
            ("mentor", "accepted", 1),
            ("mentor", "waitlisted", 1),
            ("mentee", "declined", None),
        ]
    ]
    run = MatchRun.objects.create(cohort=cohort, started_by=chair, weights={})
    match_run_execute(run_id=run.pk)
    return cohort, people


def pick(items, index):
    return items[index % len(items)] if items else None


def act(action, i, j, *, cohort, people, chair):
    """Do one committee action through its service; a refusal is a valid outcome."""
    pairings = list(Pairing.objects.filter(cohort=cohort).order_by("pk"))
    current = [p for p in pairings if p.status != Pairing.Status.DISSOLVED]
    mentors = list(Application.objects.filter(cohort=cohort, role="mentor").order_by("pk"))
    person = pick(people, i)
    person.refresh_from_db()
    if action == "accept":
        application_decide(application=person, decision="accepted", decided_by=chair)
    elif action == "waitlist":
        application_decide(application=person, decision="waitlisted", decided_by=chair)
    elif action == "run":
        run = MatchRun.objects.create(cohort=cohort, started_by=chair, weights={})
        match_run_execute(run_id=run.pk)
    elif action == "lock" and current:
        pairing_lock(pairing=pick(current, i), locked=bool(j % 2), by=chair)
    elif action == "move" and current:
        pairing_move(pairing=pick(current, i), mentor=pick(mentors, j), by=chair, confirmed=True)
    elif action == "exclude" and current:
        pairing = pick(current, i)
        exclusion_create(
            cohort=cohort, mentor=pairing.mentor, mentee=pairing.mentee, reason="No.", by=chair
        )
    elif action == "approve" and current:
        pairing_approve(pairing=pick(current, i), approved_by=chair)
    elif action == "dissolve" and current:
        pairing_dissolve(pairing=pick(current, i), reason="It did not work out.", by=chair)
    elif action == "rematch":
        dissolved = [p for p in pairings if p.status == Pairing.Status.DISSOLVED]
        if dissolved:
            pairing = pick(dissolved, i)
            pairing_rematch(cohort=cohort, mentor=pick(mentors, j), mentee=pairing.mentee, by=chair)
    elif action == "release":
        pairings_announce(cohort=cohort, by=chair)
    elif action == "undo":
        release = Release.objects.filter(cohort=cohort, undone_at__isnull=True).first()
        if release is not None:
            release_undo(release=release, by=chair)


def check_the_outbox(cohort):
    """Deliver everything, then hold every message delivered against the final state."""
    deliver_as_of(far_future())
    sent = list(Notification.objects.filter(cohort=cohort, status=Notification.Status.SENT))
    assert len(mail.outbox) == len(sent)
    pairings = {p.pk: p for p in Pairing.objects.filter(cohort=cohort)}
    applications = {a.pk: a for a in Application.objects.filter(cohort=cohort)}
    current_people = set()
    for pairing in pairings.values():
        if pairing.status != Pairing.Status.DISSOLVED:
            current_people |= {pairing.mentor_id, pairing.mentee_id}

    standing = defaultdict(set)
    introductions = Counter()
    for message in sent:
        person = message.about["application"]
        application = applications[person]
        if message.kind in STANDING:
            standing[person].add(STANDING[message.kind])
        if message.kind == "pairing-announced":
            pairing = pairings[message.about["pairing"]]
            assert pairing.status in Pairing.ANNOUNCED_STATUSES, "introduced, but not paired"
            assert person in (pairing.mentor_id, pairing.mentee_id)
            introductions[(pairing.pk, person)] += 1
        elif message.kind == "not-matched":
            assert application.status == "accepted" and person not in current_people
        elif message.kind == "application-waitlisted":
            assert application.status == "waitlisted"
        elif message.kind == "application-declined":
            assert application.status == "declined"
        elif message.kind == "pairing-dissolved":
            assert pairings[message.about["pairing"]].status == Pairing.Status.DISSOLVED
        assert message.recipient == application.applicant.email

    for person, kinds in standing.items():
        assert len(kinds) == 1, f"{applications[person]} was told {sorted(kinds)}"
    assert all(count == 1 for count in introductions.values()), "introduced twice"
    for pairing in pairings.values():
        if pairing.status in Pairing.ANNOUNCED_STATUSES:
            for person in (pairing.mentor_id, pairing.mentee_id):
                assert introductions[(pairing.pk, person)] == 1, "a released pair not told"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_no_person_is_told_two_contradicting_things_or_anything_untrue(sequence, program, chair):
    with transaction.atomic():
        mail.outbox = []
        cohort, people = build_cohort(program, chair)
        for action, i, j in sequence:
            try:
                with transaction.atomic():
                    act(action, i, j, cohort=cohort, people=people, chair=chair)
            except (ValidationError, PermissionDenied):
                pass  # the service refused: nothing changed
        check_the_outbox(cohort)
        transaction.set_rollback(True)


def test_the_property_holds_for_a_known_tricky_sequence(program, chair):
    """Release, undo, dissolve a released pair, re-match, release again: the case that once
    introduced a mentee to two mentors on the same morning."""
    cohort, people = build_cohort(program, chair)
    for action, i, j in [
        ("approve", 0, 0),
        ("approve", 1, 0),
        ("release", 0, 0),
        ("undo", 0, 0),
        ("release", 0, 0),
        ("dissolve", 0, 0),
        ("rematch", 0, 6),
        ("release", 0, 0),
        ("accept", 3, 0),
        ("waitlist", 2, 0),
    ]:
        try:
            with transaction.atomic():
                act(action, i, j, cohort=cohort, people=people, chair=chair)
        except (ValidationError, PermissionDenied):
            pass
    check_the_outbox(cohort)
    assert Notification.objects.filter(status=Notification.Status.WITHDRAWN).exists()
    assert dt.date.today() < cohort.pairings_notified  # everything was still to go out
