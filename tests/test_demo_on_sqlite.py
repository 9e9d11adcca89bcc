"""`make run` serves the demo from SQLite, while the suite runs on PostgreSQL: the chair's
and the applicant's daily pages must answer there too (a UNION with an ORDER BY once made
every committee page of a cohort fail on SQLite only)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hermetic import scrubbed_environ

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_demos_daily_pages_answer_on_sqlite(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "demo_walk.py")],
        cwd=ROOT,
        env=scrubbed_environ(
            keep_database=False,
            DJANGO_SETTINGS_MODULE="mentoring.settings",
            DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            DJANGO_ALLOWED_HOSTS="testserver",
            PYTHONPATH=str(ROOT),
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("PAGE ")]
    assert len(pages) == 18, result.stdout
    assert [page for page in pages if page[0] != "200"] == [], result.stderr[-3000:]
