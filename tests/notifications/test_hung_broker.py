"""A hung broker never holds a request: publishing a task gives up within 2 seconds.

Redis that accepts connections and never answers (a stuck server, a half-open connection
through a firewall) used to hold each request that published a task for 60 seconds, until
gunicorn killed the worker; three such requests took the site down. The broker's sockets now
time out (mentoring/celery.py), publishing is tried twice, and the message waits in PostgreSQL
for the next beat tick.
"""

import io
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command

from applications.models import Application
from notifications.models import Notification
from notifications.services import request_delivery
from tests.accounts.factories import UserFactory
from tests.applications.helpers import apply_url, complete_answers
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.notifications.conftest import use_broker

pytestmark = pytest.mark.django_db

LIMIT = 2.0


class HungBroker:
    """A TCP server on a free loopback port that accepts every connection and never answers."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)  # held open, never read, never answered

    def close(self):
        self.server.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung_broker():
    broker = HungBroker()
    use_broker(f"redis://127.0.0.1:{broker.port}/0")
    # Load the Redis transport once, as a running web process has: the first publish of a
    # process also imports kombu's Redis modules, which is not waiting on the broker.
    request_delivery(notification_ids=[0])
    try:
        yield broker
    finally:
        use_broker("memory://", eager=True)
        broker.close()


def test_publishing_to_a_broker_that_never_answers_gives_up_within_two_seconds(hung_broker):
    started = time.monotonic()
    request_delivery(notification_ids=[1, 2, 3])
    elapsed = time.monotonic() - started
    assert hung_broker.accepted  # it did connect: the broker is there, and silent
    assert elapsed < LIMIT


def test_an_application_submitted_while_the_broker_hangs_is_saved_and_its_email_waits(
    client, hung_broker, django_capture_on_commit_callbacks
):
    AreaOfInterestFactory(program__slug="core", name="Leadership")
    cohort = CohortFactory(program__slug="core", phase="accepting")
    applicant = UserFactory(email="pat@example.org")
    client.force_login(applicant)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "submit"})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert callbacks  # the delivery was asked for, of the hung broker
    assert elapsed < LIMIT
    assert Application.objects.get(applicant=applicant).status == Application.Status.SUBMITTED
    receipt = Notification.objects.get(kind="application_submitted")
    assert receipt.status == Notification.Status.PENDING and mail.outbox == []

    use_broker("memory://", eager=True)  # the broker is back; the beat's tick sends it
    call_command("tick", stdout=io.StringIO())
    receipt.refresh_from_db()
    assert receipt.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
