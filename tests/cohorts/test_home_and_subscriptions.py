"""The home page shows every open call, and "Tell me when applications open" (double opt-in,
one email per call, another only if its deadline moves, one-click unsubscribe)."""

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cohorts.models import CallSubscription, Cohort, Program
from cohorts.planners import plan_call_open_notices
from cohorts.selectors import expected_call_month
from cohorts.services import (
    call_open_notify,
    call_subscription_request,
    call_subscription_unsubscribe,
    cohort_update,
)
from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.services import notification_cancel
from tests.cohorts.factories import CohortFactory, ProgramFactory
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def test_home_shows_an_open_call_beside_the_programs_running_cohort(
    client, django_assert_max_num_queries
):
    """ALCTS's 2018-19 call ran while its 2017 cohort mentored: both must show, call first."""
    program = ProgramFactory(name="ALCTS Mentoring Program", slug="alcts")
    running = CohortFactory(program=program, phase="in_progress", name="2017 cohort")
    call = CohortFactory(program=program, phase="accepting", name="2018–19 cohort")
    other = CohortFactory(phase="accepting", name="2031 cohort")
    with django_assert_max_num_queries(6):
        response = client.get("/")
    page = response.content.decode()
    card = page.split('id="program-alcts"', 1)[1].split("</section>", 1)[0]
    assert call.name in card and running.name in card
    assert card.index(call.name) < card.index(running.name)
    assert f"/programs/alcts/cohorts/{call.slug}/apply/" in card
    assert "Also under way" in card
    assert "Mentoring in progress" in card
    assert "Tell me when applications open" not in card
    assert other.name in page


def test_home_gives_the_expected_month_and_a_subscription_form_when_no_call_is_open(client):
    program = ProgramFactory(slug="core", name="Core Mentoring Program")
    today = timezone.localdate()
    CohortFactory(program=program, phase="in_progress")
    last_open = program.cohorts.get().applications_open
    response = client.get("/")
    page = response.content.decode()
    expected = expected_call_month(cohorts=list(program.cohorts.all()), today=today)
    assert expected.month == last_open.month and expected > last_open
    assert f"The next call is expected in <strong>{expected:%B %Y}</strong>" in page
    assert 'action="/programs/core/tell-me/"' in page
    assert "Tell me when applications open" in page


def test_expected_call_month_is_the_usual_month_not_in_the_past():
    cohorts = [CohortFactory.build(applications_open=dt.date(2018, 1, 29))]
    assert expected_call_month(cohorts=cohorts, today=dt.date(2026, 11, 26)) == dt.date(2027, 1, 1)
    assert expected_call_month(cohorts=cohorts, today=dt.date(2026, 1, 3)) == dt.date(2026, 1, 1)
    assert expected_call_month(cohorts=[], today=dt.date(2026, 1, 3)) is None


def _link(message, name):
    return re.search(rf"http://\S+(/subscriptions/\S+/{name}/)", message.body).group(1)


def test_subscribe_confirm_notify_once_and_unsubscribe(client, django_capture_on_commit_callbacks):
    program = ProgramFactory(slug="alsc", name="ALSC Mentoring Program")
    CohortFactory(program=program, phase="in_progress")

    # 1. Ask: a confirmation email, nothing else. The typed address is kept on a bad submit.
    bad = client.post("/programs/alsc/tell-me/", {"email": "not-an-address"})
    assert bad.status_code == 200 and 'value="not-an-address"' in bad.content.decode()
    assert "Enter an email address like name@example.org." in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/programs/alsc/tell-me/", {"email": " Reader@Example.org "})
    assert response.status_code == 302
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["reader@example.org"]
    subscription = CallSubscription.objects.get()
    assert subscription.status == CallSubscription.Status.PENDING

    # 2. Not confirmed: a new call tells nobody.
    call = CohortFactory(program=program, phase="accepting", name="2031–32 cohort")
    assert plan_call_open_notices(now=timezone.now()) == 0

    # 3. Confirm: opening the link shows a button (a link checker confirms nothing); POST does.
    confirm_path = _link(confirmation, "confirm")
    assert client.get(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == CallSubscription.Status.PENDING
    assert client.post(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == CallSubscription.Status.CONFIRMED

    # 4. The open call: one email, however often the planner runs.
    assert plan_call_open_notices(now=timezone.now()) == 1
    assert plan_call_open_notices(now=timezone.now()) == 0
    deliver_due()
    deliver_due()
    notices = Notification.objects.filter(kind="call_open")
    assert notices.count() == 1
    notice = mail.outbox[-1]
    assert "Applications are open" in notice.subject and call.name in notice.subject
    assert f"/programs/alsc/cohorts/{call.slug}/" in notice.body
    assert "11:59 p.m. Central Time" in notice.body

    # 5. One click unsubscribes, no login, no form.
    unsubscribe_path = _link(notice, "unsubscribe")
    response = client.get(unsubscribe_path)
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == CallSubscription.Status.UNSUBSCRIBED
    assert client.post(confirm_path).status_code == 404  # an unsubscribed link confirms nothing

    # 6. The next call tells nobody.
    CohortFactory(program=program, phase="accepting", name="2032–33 cohort")
    assert plan_call_open_notices(now=timezone.now()) == 0
    assert Notification.objects.filter(kind="call_open").count() == 1
    assert len(mail.outbox) == 2


def test_a_confirmed_address_asking_again_gets_no_email_and_requests_are_capped():
    program = ProgramFactory()
    subscription = call_subscription_request(program=program, email="a@example.org")
    subscription.status = CallSubscription.Status.CONFIRMED
    subscription.save()
    call_subscription_request(program=program, email="A@example.org")
    assert Notification.objects.filter(kind="call_subscription_confirm").count() == 1

    for _ in range(CallSubscription.MAX_CONFIRMATIONS + 3):
        call_subscription_request(program=program, email="b@example.org")
    assert (
        Notification.objects.filter(
            kind="call_subscription_confirm", recipient="b@example.org"
        ).count()
        == CallSubscription.MAX_CONFIRMATIONS
    )


def test_unsubscribing_cancels_a_notice_not_yet_sent(client):
    program = ProgramFactory()
    subscription = call_subscription_request(program=program, email="c@example.org")
    subscription.status = CallSubscription.Status.CONFIRMED
    subscription.save()
    notification_cancel(notifications=Notification.objects.all())  # the confirmation, for quiet
    Notification.objects.all().delete()
    CohortFactory(program=program, phase="accepting")
    # The planner ran, but delivery has not happened yet (no on-commit callbacks here).
    assert plan_call_open_notices(now=timezone.now()) == 1
    client.get(subscription.get_unsubscribe_url())
    assert Notification.objects.get(kind="call_open").status == Notification.Status.CANCELLED


def _confirmed_subscriber(program, email="d@example.org") -> CallSubscription:
    subscription = call_subscription_request(program=program, email=email)
    subscription.status = CallSubscription.Status.CONFIRMED
    subscription.save()
    Notification.objects.all().delete()  # the confirmation email
    return subscription


def test_a_notice_of_a_deadline_since_moved_is_replaced_with_the_new_date(mailoutbox):
    """The notice was written, not yet sent (a mail server down), when the committee moved
    the deadline: the old date never goes out; the next run tells the new one."""
    program = ProgramFactory()
    _confirmed_subscriber(program)
    call = CohortFactory(program=program, phase="accepting")
    assert plan_call_open_notices(now=timezone.now()) == 1
    old = Notification.objects.get(kind="call_open")
    assert old.about["deadline"] == call.application_deadline.isoformat()

    new_close = call.applications_close + dt.timedelta(days=7)
    cohort_update(cohort=call, applications_close=new_close)
    old.refresh_from_db()
    assert (old.status, old.withdrawn_reason) == (
        Notification.Status.WITHDRAWN,
        "The deadline changed.",
    )
    assert plan_call_open_notices(now=timezone.now()) == 1  # told again, once
    assert plan_call_open_notices(now=timezone.now()) == 0
    deliver_due()
    assert len(mailoutbox) == 1
    assert new_close.strftime("%B") in mailoutbox[0].body
    assert f"{new_close.day}, {new_close.year}" in mailoutbox[0].body


def _day(date: dt.date) -> str:
    return f"{date.strftime('%B')} {date.day}, {date.year}"


def test_a_sent_notice_whose_deadline_moved_is_followed_by_the_new_date(mailoutbox):
    """The subscriber was emailed "applications close March 1"; the committee extends the call:
    they are told the new date, once, and the correction itself follows later moves."""
    program = ProgramFactory()
    subscriber = _confirmed_subscriber(program)
    _confirmed_subscriber(program, email="left@example.org")
    call = CohortFactory(program=program, phase="accepting")
    first_close = call.applications_close
    assert plan_call_open_notices(now=timezone.now()) == 2
    deliver_due()
    assert len(mailoutbox) == 2
    left = CallSubscription.objects.get(email="left@example.org")
    call_subscription_unsubscribe(token=left.token)

    extended = first_close + dt.timedelta(days=14)
    cohort_update(cohort=call, applications_close=extended)
    deliver_due()
    assert len(mailoutbox) == 3  # the address that left hears nothing more
    correction = mailoutbox[2]
    assert correction.to == [subscriber.email]
    assert correction.subject.startswith("New deadline:")
    assert _day(first_close) in correction.body and _day(extended) in correction.body
    assert correction.body.index(_day(first_close)) < correction.body.index(_day(extended))
    assert subscriber.get_unsubscribe_url() in correction.body

    # Saving the same date again, or the planner's next run, tells nobody anything.
    cohort_update(cohort=call, applications_close=extended)
    assert plan_call_open_notices(now=timezone.now()) == 0
    deliver_due()
    assert len(mailoutbox) == 3

    # Moved again before the next correction goes out, then back to the date they know: the
    # waiting correction is withdrawn and nothing new is written.
    cohort_update(cohort=call, applications_close=extended + dt.timedelta(days=3))
    waiting = Notification.objects.get(kind="call_deadline_changed", status="pending")
    cohort_update(cohort=call, applications_close=extended)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.withdrawn_reason) == ("withdrawn", "The deadline changed.")
    assert not Notification.objects.filter(status="pending").exists()

    # And to the later date again: a new correction (the first of that date was withdrawn).
    cohort_update(cohort=call, applications_close=extended + dt.timedelta(days=3))
    deliver_due()
    assert len(mailoutbox) == 4
    assert _day(extended + dt.timedelta(days=3)) in mailoutbox[3].body


def test_a_call_postponed_after_its_notice_went_out_is_told_then_announced_again(mailoutbox):
    program = ProgramFactory()
    subscriber = _confirmed_subscriber(program)
    call = CohortFactory(program=program, phase="accepting")
    assert plan_call_open_notices(now=timezone.now()) == 1
    deliver_due()

    opens = timezone.localdate() + dt.timedelta(days=5)
    cohort_update(cohort=call, applications_open=opens)
    deliver_due()
    assert len(mailoutbox) == 2
    postponed = mailoutbox[1]
    assert postponed.subject.startswith("Call postponed:")
    assert f"applications now open {_day(opens)}" in postponed.body
    assert _day(call.applications_close) in postponed.body
    subscriber.refresh_from_db()
    assert subscriber.notified_cohort is None  # waiting again for this call

    # Nothing before the new day; on it, "applications are open" once more, and only once.
    assert plan_call_open_notices(now=timezone.now()) == 0
    on_the_day = dt.datetime.combine(opens, dt.time(9), tzinfo=call.tz)
    assert plan_call_open_notices(now=on_the_day) == 1
    assert plan_call_open_notices(now=on_the_day) == 0
    again = Notification.objects.filter(kind="call_open").latest("pk")
    assert again.key.endswith(f":{call.pk}:2") and again.status == "pending"
    assert again.subject.startswith("Applications are open:")


def test_a_call_closed_early_is_told_and_a_reopening_announced(mailoutbox):
    program = ProgramFactory()
    _confirmed_subscriber(program)
    call = CohortFactory(program=program, phase="accepting")
    first_close = call.applications_close
    plan_call_open_notices(now=timezone.now())
    deliver_due()

    closed = timezone.localdate() - dt.timedelta(days=1)
    cohort_update(cohort=call, applications_close=closed)
    deliver_due()
    assert len(mailoutbox) == 2
    early = mailoutbox[1]
    assert early.subject.startswith("Call closed early:")
    assert early.body.index(_day(first_close)) < early.body.index(_day(closed))

    # The committee opens it again: no "new deadline" (they know it closed) but the call's
    # announcement, with the date as it is now.
    reopened = timezone.localdate() + dt.timedelta(days=10)
    cohort_update(cohort=call, applications_close=reopened)
    assert not Notification.objects.filter(kind="call_deadline_changed").exists()
    assert plan_call_open_notices(now=timezone.now()) == 1
    deliver_due()
    assert mailoutbox[2].subject.startswith("Applications are open:")
    assert _day(reopened) in mailoutbox[2].body


def test_no_new_deadline_once_the_call_closed_or_for_a_notice_never_sent(mailoutbox):
    program = ProgramFactory()
    _confirmed_subscriber(program)
    call = CohortFactory(program=program, phase="accepting")
    assert plan_call_open_notices(now=timezone.now()) == 1
    # Not sent yet: the notice itself is withdrawn and told again with the new date instead.
    cohort_update(cohort=call, applications_close=call.applications_close + dt.timedelta(days=5))
    assert not Notification.objects.filter(kind="call_deadline_changed").exists()
    assert plan_call_open_notices(now=timezone.now()) == 1
    deliver_due()
    assert len(mailoutbox) == 1

    # The committee closes the call early: nobody is told a new deadline that has passed,
    # but that it closed.
    cohort_update(cohort=call, applications_close=timezone.localdate() - dt.timedelta(days=1))
    assert not Notification.objects.filter(kind="call_deadline_changed").exists()
    assert Notification.objects.filter(kind="call_closed_early").count() == 1


def test_unsubscribing_cancels_a_correction_not_yet_sent(client, mailoutbox):
    program = ProgramFactory()
    subscription = _confirmed_subscriber(program)
    call = CohortFactory(program=program, phase="accepting")
    plan_call_open_notices(now=timezone.now())
    deliver_due()
    cohort_update(cohort=call, applications_close=call.applications_close + dt.timedelta(7))
    correction = Notification.objects.get(kind="call_deadline_changed")
    client.get(subscription.get_unsubscribe_url())
    correction.refresh_from_db()
    assert correction.status == Notification.Status.CANCELLED


def test_a_notice_of_a_call_that_closed_or_an_address_that_left_is_not_sent(mailoutbox):
    program = ProgramFactory()
    subscription = _confirmed_subscriber(program)
    _confirmed_subscriber(program, email="e@example.org")
    CohortFactory(program=program, phase="accepting")
    assert plan_call_open_notices(now=timezone.now()) == 2
    # The address left by a path that did not cancel its notice (or while it was being sent).
    CallSubscription.objects.filter(pk=subscription.pk).update(
        status=CallSubscription.Status.UNSUBSCRIBED
    )
    deliver_due()
    assert [m.to for m in mailoutbox] == [["e@example.org"]]
    reasons = set(Notification.objects.values_list("status", "withdrawn_reason"))
    assert (Notification.Status.WITHDRAWN, "The address unsubscribed.") in reasons

    # A notice still waiting when the call closes (its deadline passed meanwhile).
    other = _confirmed_subscriber(ProgramFactory(), email="f@example.org")
    later = CohortFactory(program=other.program, phase="accepting")
    assert call_open_notify(cohort=later, now=timezone.now()) == 1
    Notification.objects.filter(kind="call_open", recipient="f@example.org").update(about={})
    Cohort.objects.filter(pk=later.pk).update(
        applications_close=timezone.localdate() - dt.timedelta(days=2),
        applications_open=timezone.localdate() - dt.timedelta(days=30),
    )
    deliver_due()
    assert [m.to for m in mailoutbox] == [["e@example.org"]]
    notice = Notification.objects.get(recipient="f@example.org")
    assert notice.withdrawn_reason == "The call for applications is no longer open."


def test_unknown_or_malformed_tokens_answer_404(client):
    assert client.get("/subscriptions/" + "x" * 43 + "/confirm/").status_code == 404
    assert client.get("/subscriptions/" + "x" * 43 + "/unsubscribe/").status_code == 404
    assert client.get("/subscriptions/%00abc/unsubscribe/").status_code == 404
    response = client.post("/programs/no-such-program/tell-me/", {"email": "a@b.org"})
    assert response.status_code == 404


def test_too_many_requests_from_one_address_are_refused_without_losing_the_input(client):
    program = ProgramFactory(slug="limited")
    for n in range(10):
        client.post("/programs/limited/tell-me/", {"email": f"p{n}@example.org"})
    response = client.post("/programs/limited/tell-me/", {"email": "late@example.org"})
    assert response.status_code == 429
    assert 'value="late@example.org"' in response.content.decode()
    assert not CallSubscription.objects.filter(program=program, email="late@example.org").exists()


def test_staff_see_how_many_wait_and_committees_see_no_addresses(admin_client):
    program = ProgramFactory(slug="counted")
    for n, status in enumerate(["confirmed", "confirmed", "pending", "unsubscribed"]):
        CallSubscription.objects.create(program=program, email=f"w{n}@example.org", status=status)
    page = admin_client.get("/admin/cohorts/program/").content.decode()
    assert '<td class="field-waiting_for_call">2</td>' in page


@pytest.mark.django_db(transaction=True)
def test_a_beat_holding_one_subscriber_does_not_hold_up_the_others(postgres):
    """Another transaction holds one subscription and the program's row (another beat in the
    middle of telling one subscriber, or anything locking the program): this beat tells every
    other subscriber now, not at the next tick."""
    program = ProgramFactory()
    subscriptions = [
        CallSubscription.objects.create(
            program=program, email=f"held{n}@example.org", status="confirmed"
        )
        for n in range(3)
    ]
    cohort = CohortFactory(program=program, phase="accepting")
    holding, done = threading.Event(), threading.Event()

    def other_beat():
        try:
            with transaction.atomic():
                CallSubscription.objects.select_for_update().get(pk=subscriptions[0].pk)
                Program.objects.select_for_update().get(pk=program.pk)
                holding.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_beat)
    thread.start()
    try:
        assert holding.wait(30)
        assert call_open_notify(cohort=cohort, now=timezone.now()) == 2
    finally:
        done.set()
        thread.join(30)
    told = set(Notification.objects.filter(kind="call_open").values_list("recipient", flat=True))
    assert told == {"held1@example.org", "held2@example.org"}


@pytest.mark.django_db(transaction=True)
def test_two_beats_planning_at_once_send_each_subscriber_one_notice(postgres):
    program = ProgramFactory()
    for n in range(5):
        CallSubscription.objects.create(
            program=program, email=f"race{n}@example.org", status="confirmed"
        )
    CohortFactory(program=program, phase="accepting")

    def plan():
        return plan_call_open_notices(now=timezone.now())

    created = at_once(plan, plan)
    notices = list(
        Notification.objects.filter(kind="call_open").values_list("key", "recipient", "status")
    )
    assert all(isinstance(n, int) for n in created), created  # what a thread raised, if any
    assert sum(created) == 5, (created, notices)
    assert len(notices) == 5, notices
    assert plan_call_open_notices(now=timezone.now()) == 0
