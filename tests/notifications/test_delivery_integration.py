"""The outbox against real services: Postgres, a Redis broker, Celery workers, an SMTP server."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.services import notification_create
from notifications.tasks import deliver_due_notifications_task, plan_notifications_task
from tests.hermetic import scrubbed_environ
from tests.notifications.conftest import kill_process_group, use_broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(90)]

TEMPLATE = "notifications/emails/test_message"


@pytest.fixture(autouse=True)
def message_template(tmp_path, settings):
    folder = tmp_path / "notifications" / "emails"
    folder.mkdir(parents=True)
    (folder / "test_message.txt").write_text(
        "Your mentoring update, {{ name }}\n\nHello {{ name }}, see {{ SITE_URL }}/cohorts/.\n"
    )
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]


def create(key: str, name: str = "Ann", **kwargs) -> Notification:
    notification, _created = notification_create(
        key=key,
        kind="test",
        to=f"{name.lower()}@example.org",
        template=TEMPLATE,
        context={"name": name, "program_name": "Core Mentoring Program"},
        **kwargs,
    )
    return notification


def wait_until(condition, timeout: float = 15.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)
    return result


def status_of(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.status


# --- the key ---------------------------------------------------------------------------------


def test_two_transactions_racing_on_one_key_create_one_row(postgres):
    barrier = threading.Barrier(2)
    results = []

    def racer(name: str, linger: float) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=5)
                notification, created = notification_create(
                    key="race:1",
                    kind="test",
                    to=f"{name}@example.org",
                    template=TEMPLATE,
                    context={"name": name},
                    scheduled_at=timezone.now() + timezone.timedelta(days=1),
                )
                time.sleep(linger)  # hold the transaction open: the other insert must wait
                results.append((notification.pk, created))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=racer, args=("ann", 0.3)),
        threading.Thread(target=racer, args=("bo", 0.3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Notification.objects.filter(key="race:1").count() == 1
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1


# --- a worker on Redis, an SMTP server --------------------------------------------------------


def test_a_message_created_in_a_transaction_is_received_once(smtp_sink, celery_worker):
    with transaction.atomic():
        notification = create("greet:1")

    [message] = smtp_sink.wait_for(1)
    assert message["Message-ID"] == notification.message_id
    assert message["Subject"] == "Your mentoring update, Ann"
    assert wait_until(lambda: status_of(notification) == Notification.Status.SENT)
    # A second delivery request for the same row (a duplicate task, a tick) sends nothing.
    deliver_due_notifications_task.delay()
    create("greet:1")
    later = create("greet:2", name="Bo")
    smtp_sink.wait_for(2)
    wait_until(lambda: status_of(later) == Notification.Status.SENT)
    assert smtp_sink.message_ids == [notification.message_id, later.message_id]


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp_sink, celery_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        create("rolled-back:1")
        raise RuntimeError("the change failed")
    # A message committed afterwards goes through the same queue, after where the first would be.
    with transaction.atomic():
        committed = create("committed:1", name="Bo")

    smtp_sink.wait_for(1)
    wait_until(lambda: status_of(committed) == Notification.Status.SENT)
    assert smtp_sink.message_ids == [committed.message_id]
    assert not Notification.objects.filter(key="rolled-back:1").exists()


def test_a_421_then_accepted_message_is_received_once(smtp_sink, celery_worker, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.5
    smtp_sink.handler.replies = ["421 4.3.2 Try again later"]
    with transaction.atomic():
        notification = create("greet:421")

    smtp_sink.wait_for(1)
    wait_until(lambda: status_of(notification) == Notification.Status.SENT)
    assert notification.attempts == 2
    assert smtp_sink.handler.data_attempts == 2
    assert smtp_sink.message_ids == [notification.message_id]


def test_a_550_message_ends_failed_and_is_not_retried(smtp_sink, celery_worker, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    smtp_sink.handler.reject_all_with = "550 5.1.1 No such mailbox"
    with transaction.atomic():
        notification = create("greet:550")

    wait_until(lambda: status_of(notification) == Notification.Status.FAILED)
    assert "550" in notification.last_error
    assert notification.attempts == 1
    # Later ticks leave it alone: only the admin's retry sends it again.
    time.sleep(0.5)
    assert deliver_due().sent == 0
    assert smtp_sink.handler.data_attempts == 1
    assert smtp_sink.messages == []


# --- two beat processes by mistake ------------------------------------------------------------

BEAT_RECIPIENTS = 25


def plan_a_batch(*, now) -> int:
    created = 0
    for number in range(BEAT_RECIPIENTS):
        _notification, new = notification_create(
            key=f"beat:{number}",
            kind="test",
            to=f"person{number}@example.org",
            template=TEMPLATE,
            context={"name": f"Person {number}"},
            # Due, but left for the deliverer: no per-message task.
            scheduled_at=now + timezone.timedelta(seconds=1),
        )
        created += new
    return created


def test_two_beat_ticks_at_once_send_no_duplicate(postgres, smtp_sink, celery_worker, settings):
    settings.NOTIFICATION_PLANNERS = [f"{__name__}.plan_a_batch"]
    # Two beats each send a plan tick and a deliver tick; two worker threads run them at once.
    plan_notifications_task.delay()
    plan_notifications_task.delay()
    wait_until(lambda: Notification.objects.count() == BEAT_RECIPIENTS)
    time.sleep(1.0)  # now they are due
    deliver_due_notifications_task.delay()
    deliver_due_notifications_task.delay()
    deliver_due()  # ...and someone runs `manage.py tick` by hand as well

    smtp_sink.wait_for(BEAT_RECIPIENTS)
    wait_until(
        lambda: (
            Notification.objects.filter(status=Notification.Status.SENT).count() == BEAT_RECIPIENTS
        )
    )
    ids = smtp_sink.message_ids
    assert len(ids) == len(set(ids)) == BEAT_RECIPIENTS


# --- Redis down --------------------------------------------------------------------------------


def create_in_a_request(request):
    with transaction.atomic():
        notification = create(request.GET["key"])
    return HttpResponse(f"created {notification.pk}")


urlpatterns = [path("create/", create_in_a_request)]


@pytest.mark.urls(__name__)
def test_redis_down_the_request_succeeds_and_the_next_tick_delivers_once(
    client, smtp_sink, private_redis, settings
):
    use_broker(private_redis.url)
    try:
        private_redis.stop()
        started = time.monotonic()
        response = client.get("/create/", {"key": "while-redis-down:1"})
        assert response.status_code == 200
        assert time.monotonic() - started < 3  # the request did not hang on Redis
        notification = Notification.objects.get(key="while-redis-down:1")
        assert notification.status == Notification.Status.PENDING

        private_redis.start()
        use_broker(private_redis.url)
        from celery.contrib.testing.worker import start_worker

        from mentoring.celery import app

        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            deliver_due_notifications_task.delay()  # the next beat tick
            smtp_sink.wait_for(1)
            wait_until(lambda: status_of(notification) == Notification.Status.SENT)
            deliver_due_notifications_task.delay()  # and the one after it
            time.sleep(0.3)
        assert smtp_sink.message_ids == [notification.message_id]
    finally:
        use_broker("memory://", eager=True)


# --- a worker killed after claiming -----------------------------------------------------------


def test_a_worker_killed_after_claiming_is_delivered_after_the_lease_expires(
    postgres, smtp_sink, redis_url, worker_process
):
    database = connection.settings_dict
    worker = worker_process(
        env=scrubbed_environ(
            DJANGO_SETTINGS_MODULE="mentoring.settings",
            DATABASE_URL=(
                f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
                f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
            ),
            CELERY_BROKER_URL=redis_url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
            NOTIFICATION_LEASE_SECONDS="4",
        )
    )
    smtp_sink.handler.hold_rcpt_seconds = 30
    with transaction.atomic():
        notification = create("killed:1")
    assert smtp_sink.handler.rcpt_held.wait(timeout=30), "the worker never started sending"
    kill_process_group(worker)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENDING
    assert deliver_due().sent == 0  # the lease still holds: nobody else sends it yet
    wait_until(lambda: notification.lease_expires_at < timezone.now(), timeout=10)
    outcome = deliver_due()  # the next tick after the lease expired
    assert outcome.sent == 1
    assert smtp_sink.message_ids == [notification.message_id]
    assert status_of(notification) == Notification.Status.SENT
