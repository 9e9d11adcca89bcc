"""The benchmarks' throwaway database: `<name>_bench` beside the one DATABASE_URL names,
created and migrated on entry and dropped on exit (Django's test-database machinery).
Import it once Django is set up."""

import contextlib

from django.conf import settings
from django.db import connection
from django.test.utils import setup_databases, teardown_databases


@contextlib.contextmanager
def throwaway_database():
    default = settings.DATABASES["default"]
    default["TEST"]["NAME"] = f"{default['NAME']}_bench"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)
