"""Real services for the outbox: an aiosmtpd SMTP sink, a Celery worker on Redis (in this
process, or in one of its own), a private redis-server that a test may stop and start again.

    def test_something(smtp_sink, celery_worker):   # with django_db(transaction=True)
        ...
        smtp_sink.wait_for(1)

Each test publishes to a Redis queue of its own (celery_broker), so the tests can share the
Redis database with other runs and with stray workers without losing a task to them.
"""

import asyncio
import atexit
import contextlib
import email
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from kombu import pools

from mentoring.celery import app as celery_app
from tests.conftest import free_port, port_open, require_service

ROOT = Path(__file__).resolve().parents[2]
DIE_WITH_PARENT = Path(__file__).resolve().parent / "die_with_parent.py"


class SinkHandler:
    """Records every message it accepts; can answer scripted replies or hold a client."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.data_attempts = 0
        # Replies to the next DATA commands, in order ("421 ..." or "550 ..."); then 250.
        self.replies: list[str] = []
        self.reject_all_with: str | None = None
        # Hold the next client at RCPT for this many seconds (to kill it mid-send).
        self.hold_rcpt_seconds = 0.0
        self.rcpt_held = threading.Event()
        self.changed = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_rcpt_seconds:
            seconds, self.hold_rcpt_seconds = self.hold_rcpt_seconds, 0.0
            self.rcpt_held.set()
            await asyncio.sleep(seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.changed:
            self.data_attempts += 1
            reply = self.replies.pop(0) if self.replies else self.reject_all_with
            if reply is None:
                self.messages.append(email.message_from_bytes(envelope.content))
            self.changed.notify_all()
        return reply or "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, handler: SinkHandler, port: int):
        self.handler = handler
        self.port = port

    @property
    def messages(self) -> list[email.message.Message]:
        return list(self.handler.messages)

    @property
    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.handler.messages]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[email.message.Message]:
        """Wait until at least `count` messages arrived; returns them all."""
        deadline = time.monotonic() + timeout
        with self.handler.changed:
            while len(self.handler.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} messages, the sink has {len(self.handler.messages)}"
                    )
                self.handler.changed.wait(left)
        return self.messages

    def wait_for_attempts(self, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        with self.handler.changed:
            while self.handler.data_attempts < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} DATA attempts")
                self.handler.changed.wait(left)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on a free port; Django's SMTP backend points at it."""
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield SmtpSink(handler, port)
    finally:
        controller.stop()


def use_broker(url: str, *, eager: bool = False, queue: str = "celery") -> None:
    """Point the Celery app at `url`, publishing to `queue`, and drop what it built for the old
    broker: kombu's pooled connections and producers, and the app's queue and routing tables."""
    with contextlib.suppress(Exception):
        pools.reset()  # kombu's process-wide connection and producer pools
    celery_app._pool = None
    del celery_app.amqp  # queues, router and producer pool: rebuilt from the new configuration
    celery_app.conf.update(
        broker_url=url,
        broker_read_url=None,
        broker_write_url=None,
        task_always_eager=eager,
        task_default_queue=queue,
    )


def forget_queue(client: redis.Redis, queue: str) -> None:
    """Delete what kombu keeps in Redis for `queue` (its lists, bindings and unacknowledged
    messages), leaving everything else in the database alone."""
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    for member in client.zrange("_kombu.binding_deadlines", 0, -1):
        if queue.encode() in member:
            client.zrem("_kombu.binding_deadlines", member)
    for tag, payload in client.hscan_iter("unacked"):
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def celery_broker(redis_url):
    """The Celery app publishing to a queue of this test's own on the test Redis database.

    The queue is new for every test: nothing else consuming that database (another test run on
    the same database, a worker left behind by an interrupted run, a developer's worker) can take
    this test's tasks, and nothing an earlier test left behind reaches this one. The database is
    not flushed, since another run may be using it; this queue's keys are deleted afterwards.
    """
    queue = f"mentoring-test-{uuid.uuid4().hex}"
    before = {
        "url": celery_app.conf.broker_url or "memory://",
        "eager": celery_app.conf.task_always_eager,
        "queue": celery_app.conf.task_default_queue,
    }
    use_broker(redis_url, queue=queue)
    try:
        yield celery_app
    finally:
        use_broker(**before)
        client = redis.Redis.from_url(redis_url)
        try:
            forget_queue(client, queue)
        finally:
            client.close()


@pytest.fixture
def celery_worker(postgres, celery_broker):
    """A real Celery worker (two threads) consuming this test's queue inside this process.

    Use with django_db(transaction=True): the worker's threads see only committed rows. Needs
    PostgreSQL: SQLite's file locks make concurrent worker threads fail at random.
    """
    with start_worker(
        celery_broker,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=10,
    ) as worker:
        yield worker


WORKER_COMMAND = [sys.executable, "-m", "celery", "-A", "mentoring", "worker"]


@pytest.fixture
def worker_process(celery_broker):
    """Start `celery worker` in a process of its own, consuming this test's queue.

    `start(env=...)` returns the Popen. Whatever happens to the test, the worker does not outlive
    it: it is killed with its process group when the test ends, at exit of the test process, and
    by the kernel if the test process itself is killed (Linux's parent-death signal; see
    die_with_parent.py). A worker left running would take the tasks of later runs.
    """
    queue = celery_broker.conf.task_default_queue
    started: list[subprocess.Popen] = []

    def stop_all() -> None:
        for process in started:
            kill_process_group(process)

    def start(*, env: dict[str, str]) -> subprocess.Popen:
        command = [
            *WORKER_COMMAND,
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ]
        process = subprocess.Popen(
            [sys.executable, str(DIE_WITH_PARENT), str(os.getpid()), *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as one
        )
        started.append(process)
        return process

    atexit.register(stop_all)
    try:
        yield start
    finally:
        stop_all()
        atexit.unregister(stop_all)


def kill_process_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started (it leads its own process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test may stop and restart."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port, timeout=0.1):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()
