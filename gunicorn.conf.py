"""Gunicorn's settings for the web process: `gunicorn mentoring.wsgi` finds this file by itself.

Threaded workers (`gthread`): the worker's heartbeat comes from its main thread, so a long export
streaming in one thread is not stopped by the timeout, while its other threads keep answering.
Each thread keeps its own database connection (CONN_MAX_AGE), so connections in use are at most
workers x threads per web process.
"""

import multiprocessing
import os

wsgi_app = "mentoring.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60  # a worker whose main loop is stuck this long is replaced
graceful_timeout = 30
keepalive = 5  # behind a load balancer that keeps connections open
control_socket_disable = True  # nothing here talks to gunicorn's control socket
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
