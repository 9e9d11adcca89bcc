"""Demo data for match health: in each demo cohort under way, the committee member looks after
the first two pairs as their liaison (with a call recorded on the first), every partner has
answered the pulse checks already past, and the current one is open for one mentee, on My
mentoring. Partners have signed in since their introduction, but for the busy mentor of the
pair that has not met for a month (participants.demo), whose mentee answered the last pulse
with a 2: the cohort cockpit and match health show that pair at risk, as in a real cohort.
Nothing is emailed: a pulse check now due is emailed by the beat, as in production.
Idempotent: a cohort with a liaison or a pulse check already is left as it is.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from cohorts.models import CommitteeMembership
from matching.models import Pairing

from .models import HealthSettings, LiaisonAssignment, PulseCheck, TouchPoint
from .pulse import offset_due
from .selectors import UNDER_CARE, introduced_at
from .services import liaison_assign, touch_point_record

# (mentor's, mentee's) answers, by pair; the first pair is the quiet one.
ANSWERS = [
    (
        (4, "We meet by video every three weeks. I wish we met a little more often."),
        (2, "We have not managed to meet since our second call; I think my mentor is very busy."),
    ),
    (
        (5, "A pleasure. My mentee comes to every call with questions ready."),
        (5, "Very helpful: we worked through my first committee report together."),
    ),
    ((4, ""), (4, "Going well so far.")),
]


def _committee(program) -> tuple:
    members = CommitteeMembership.objects.filter(program=program).select_related("user")
    chair = next((m.user for m in members if m.role == CommitteeMembership.Role.CHAIR), None)
    member = next((m.user for m in members if m.role == CommitteeMembership.Role.MEMBER), None)
    return chair, member


def _seed_cohort(cohort, pairings: list[Pairing], now: dt.datetime) -> str | None:
    if (
        LiaisonAssignment.objects.filter(pairing__cohort=cohort).exists()
        or PulseCheck.objects.filter(pairing__cohort=cohort).exists()
    ):
        return None
    chair, member = _committee(cohort.program)
    if chair is None or member is None:
        return None
    settings = HealthSettings.for_cohort(cohort)
    today = now.astimezone(cohort.tz).date()
    open_for = None
    for index, pairing in enumerate(pairings):
        introduced = introduced_at(pairing)
        since = (today - introduced.astimezone(cohort.tz).date()).days
        # Partners sign in after their introduction; the busy mentor of the quiet pair has not.
        signed_in = [pairing.mentee] if index == 0 else [pairing.mentor, pairing.mentee]
        get_user_model().objects.filter(
            pk__in=[a.applicant_id for a in signed_in], last_login__isnull=True
        ).update(last_login=introduced + dt.timedelta(days=3))
        if index < 2:
            liaison_assign(pairing=pairing, liaison=member, by=chair)
        if index == 0 and since > 21:
            touch_point_record(
                pairing=pairing,
                by=member,
                kind=TouchPoint.Kind.CALL,
                date=today - dt.timedelta(days=20),
                note="Called the mentee: their mentor has been traveling; "
                "suggested a shorter call every two weeks.",
            )
        due = offset_due(days_since_introduction=since, settings=settings)
        if due is None:
            continue
        mentor_answer, mentee_answer = ANSWERS[min(index, len(ANSWERS) - 1)]
        past = range(settings.pulse_first_days, due, settings.pulse_every_days)
        for offset in past:
            answered = introduced + dt.timedelta(days=offset + 2)
            for application, (score, comment) in (
                (pairing.mentor, mentor_answer),
                (pairing.mentee, mentee_answer),
            ):
                latest = offset == past[-1]
                PulseCheck.objects.create(
                    pairing=pairing,
                    application=application,
                    offset_days=offset,
                    score=score if latest else max(score, 4),
                    comment=comment if latest else "",
                    answered_at=answered,
                )
        if open_for is None and index > 0:  # the pulse now due, not answered yet
            PulseCheck.objects.create(pairing=pairing, application=pairing.mentee, offset_days=due)
            open_for = pairing.mentee.applicant.email
    line = f"Match health in {cohort}: liaison {member.email} for 2 pairs, pulse answers"
    return line + (f"; a pulse check is open for {open_for}." if open_for else ".")


@transaction.atomic
def seed(*, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    pairings = (
        Pairing.objects.filter(
            status__in=UNDER_CARE, cohort__notes__in=(DEMO_NOTE, DEMO_EARLIER_NOTE)
        )
        .filter(cohort__mentoring_ends__gte=now.date())
        .visible_to_partners(now)
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
        .order_by("cohort_id", "pk")
    )
    by_cohort: dict = {}
    for pairing in pairings:
        by_cohort.setdefault(pairing.cohort, []).append(pairing)
    lines = [_seed_cohort(cohort, pairs, now) for cohort, pairs in by_cohort.items()]
    return [line for line in lines if line]
