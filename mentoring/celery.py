"""The Celery app and the beat schedule, written in code.

Tasks take ids and claim before they act, so they are safe to run twice: they are acks_late (a
task lost with its worker is redelivered). JSON only. Publishing never makes a web request wait
long on Redis, even one that accepts connections and never answers: every socket operation gives
up after BROKER_SOCKET_TIMEOUT, publishing is tried twice, so it gives up within about a second
and a half; the caller moves on (the row waits in PostgreSQL) and the next beat tick does the
work. tests/notifications/test_hung_broker.py holds it to 2 seconds.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

# The longest countdown a task may wait (a retry's backoff is capped at an hour): Redis must not
# redeliver a task that is still waiting for its time, so the visibility timeout is longer.
LONGEST_COUNTDOWN = 60 * 60
# Seconds any one read, write or connect on the broker's socket may take. A healthy Redis answers
# in a millisecond; the worker's blocking reads are polled by kombu and not bound by this.
BROKER_SOCKET_TIMEOUT = 0.5

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    event_serializer="json",
    timezone="UTC",
    enable_utc=True,
    task_acks_late=False,  # opted into per task, where the task is idempotent
    worker_prefetch_multiplier=1,
    task_time_limit=600,
    task_soft_time_limit=540,
    broker_transport_options={
        "visibility_timeout": 2 * LONGEST_COUNTDOWN,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        # A timeout is an answer: no hidden retries inside redis-py on top of the policy below.
        "retry_on_timeout": False,
    },
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=BROKER_SOCKET_TIMEOUT,
    # A web request that enqueues while Redis is down or hung gives up after two tries.
    task_publish_retry_policy={
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.1,
        "interval_max": 0.1,
    },
)

# The beat's schedule. Each tick expires unless a worker starts it within its period, so ticks
# piled up while every worker was down do not all run at once. The plan task runs every planner
# in settings.NOTIFICATION_PLANNERS (deadline reminders, orientation and goal-sheet reminders,
# survey requests and reminders); the deliver task sends every due message, among them the
# pairing announcements a chair scheduled for the notification date; the hourly task makes
# announced pairings active once their cohort's formal mentoring has started.
app.conf.beat_schedule = {
    "deliver-due-notifications": {
        "task": "notifications.tasks.deliver_due_notifications_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "plan-notifications": {
        "task": "notifications.tasks.plan_notifications_task",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "activate-started-pairings": {
        "task": "matching.tasks.activate_started_pairings_task",
        "schedule": 3600.0,
    },
}

app.autodiscover_tasks()
