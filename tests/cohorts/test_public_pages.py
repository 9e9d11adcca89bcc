"""The call pages (home, a program, a cohort) are served from the cache, and what they say is
still true: every write to what they show, a new day in the program's zone and the reader's own
zone and CSRF token all show at once."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import public_pages
from cohorts.models import AreaOfInterest, Cohort, Milestone, Program
from cohorts.timeline import start_of_day
from tests.cohorts.factories import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db

needs_row_versions = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the call pages are kept only on PostgreSQL (row versions); SQLite renders each time",
)


@pytest.fixture
def call(db):
    program = ProgramFactory(
        name="Core Mentoring Program", slug="core", time_zone="America/Chicago"
    )
    return CohortFactory(program=program, phase="accepting", name="2031 cohort", slug="2031")


def pages(cohort: Cohort) -> list[str]:
    return ["/", f"/programs/{cohort.program.slug}/", cohort.get_absolute_url()]


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@needs_row_versions
def test_a_page_read_again_is_served_from_the_cache_with_one_query(client, call):
    for url in pages(call):
        get(client, url)
        with CaptureQueriesContext(connection) as again:
            get(client, url)
        assert len(again) == 1, (url, [q["sql"] for q in again])  # the data's stamp


@needs_row_versions
def test_a_page_another_process_drew_is_served_from_the_shared_cache(client, call):
    for url in pages(call):
        first = get(client, url)
        public_pages._held.items.clear()  # as in a process that has not drawn it
        with CaptureQueriesContext(connection) as again:
            assert get(client, url) == first
        assert len(again) == 1, url
        assert len(public_pages._held.items) == 1  # and now held here too


@pytest.mark.parametrize(
    "change",
    ["program-update", "program-bulk-update", "cohort-save", "cohort-bulk-update", "sql"],
)
def test_every_kind_of_write_shows_at_once_on_every_call_page(client, call, change):
    for url in pages(call):
        get(client, url)
    if change == "program-update":
        Program.objects.filter(pk=call.program_id).update(name="Core Mentoring, Renamed")
    elif change == "program-bulk-update":
        Program.objects.update(name="Core Mentoring, Renamed")
    elif change == "cohort-save":
        call.name = "Renamed cohort"
        call.save()
    elif change == "cohort-bulk-update":
        Cohort.objects.filter(pk=call.pk).update(name="Renamed cohort")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Cohort._meta.db_table} SET name = %s WHERE id = %s",  # noqa: S608
                ["Renamed cohort", call.pk],
            )
    for url in pages(call):
        assert "Renamed" in get(client, url), url


def test_a_cohort_closed_early_no_longer_invites_applications(client, call):
    for url in pages(call):
        assert "left to apply" in get(client, url)
    today = timezone.localdate()
    Cohort.objects.filter(pk=call.pk).update(
        applications_open=today - dt.timedelta(days=30),
        applications_close=today - dt.timedelta(days=2),
    )
    for url in pages(call):
        page = get(client, url)
        assert "left to apply" not in page and "/apply/" not in page, url


def test_events_and_areas_added_or_deleted_show_at_once(client, call):
    program_url, cohort_url = f"/programs/{call.program.slug}/", call.get_absolute_url()
    assert "Networking at Midwinter" not in get(client, cohort_url)
    assert "Cataloging and metadata" not in get(client, program_url)
    milestone = Milestone.objects.create(
        cohort=call, title="Networking at Midwinter", date=call.mentoring_starts
    )
    area = AreaOfInterest.objects.create(
        program=call.program, name="Cataloging and metadata", slug="cataloging"
    )
    assert "Networking at Midwinter" in get(client, cohort_url)
    assert "Cataloging and metadata" in get(client, program_url)
    milestone.delete()
    AreaOfInterest.objects.filter(pk=area.pk).delete()
    assert "Networking at Midwinter" not in get(client, cohort_url)
    assert "Cataloging and metadata" not in get(client, program_url)


def test_a_deleted_cohort_or_program_answers_404_at_once(client, call):
    program_url, cohort_url = f"/programs/{call.program.slug}/", call.get_absolute_url()
    get(client, program_url), get(client, cohort_url)
    Cohort.objects.filter(pk=call.pk).delete()
    assert client.get(cohort_url).status_code == 404
    assert "2031 cohort" not in get(client, "/")
    Program.objects.filter(pk=call.program_id).delete()
    assert client.get(program_url).status_code == 404


def test_the_days_left_change_at_midnight_in_the_programs_zone(client, call):
    """Kept at 11 p.m. in Chicago, the page says a day less once Chicago's day turns."""
    zone = call.program.tz
    close = call.applications_close
    late = start_of_day(close - dt.timedelta(days=2), zone) + dt.timedelta(hours=23)
    with mock.patch("django.utils.timezone.now", return_value=late):
        for url in pages(call):
            assert "2 days left to apply" in get(client, url), url
    just_after = start_of_day(close - dt.timedelta(days=1), zone) + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_after):
        for url in pages(call):
            assert "1 day left to apply" in get(client, url), url
    after_deadline = start_of_day(close + dt.timedelta(days=1), zone) + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after_deadline):
        for url in pages(call):
            assert "left to apply" not in get(client, url), url


def test_what_is_kept_serves_while_it_is_the_same_day_in_every_programs_zone():
    now = dt.datetime(2031, 3, 1, 4, 30, tzinfo=dt.UTC)  # 11:30 p.m. in New York on Feb 28
    new_york = Program(time_zone="America/New_York")
    honolulu = Program(time_zone="Pacific/Honolulu")  # 6:30 p.m. on Feb 28
    assert public_pages.day_of([new_york, honolulu], now) == (
        dt.datetime(2031, 2, 28, 10, 0, tzinfo=dt.UTC),  # midnight in Honolulu
        dt.datetime(2031, 3, 1, 5, 0, tzinfo=dt.UTC),  # midnight in New York
    )
    assert public_pages.day_of([], now) == (
        dt.datetime(2031, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2031, 3, 2, tzinfo=dt.UTC),
    )


def test_a_page_kept_by_a_process_already_past_midnight_is_not_served_before_it(client, call):
    """Two web servers' clocks differ by a few seconds: the one behind keeps its own day."""
    zone = call.program.tz
    midnight = start_of_day(call.applications_close - dt.timedelta(days=1), zone)
    ahead = midnight + dt.timedelta(seconds=2)
    behind = midnight - dt.timedelta(seconds=2)
    with mock.patch("django.utils.timezone.now", return_value=ahead):
        assert "1 day left to apply" in get(client, call.get_absolute_url())
    with mock.patch("django.utils.timezone.now", return_value=behind):
        assert "2 days left to apply" in get(client, call.get_absolute_url())


def test_each_reader_sees_the_deadline_in_their_own_zone(call):
    chicago, tokyo = Client(), Client()
    chicago.cookies["tz"] = "America/Chicago"
    tokyo.cookies["tz"] = "Asia/Tokyo"
    url = call.get_absolute_url()
    get(chicago, url)
    assert "Tokyo time for you" in get(tokyo, url)
    assert "time for you" not in get(chicago, url)  # the program's own zone: said once


def test_each_reader_gets_their_own_csrf_token_and_the_form_works():
    """The subscribe form comes from kept content: its token is the reader's own."""
    call = CohortFactory(program=ProgramFactory(slug="core"), phase="upcoming")
    url = f"/programs/{call.program.slug}/"
    tokens = []
    for n in range(2):
        reader = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"203.0.113.{n + 10}")
        page = get(reader, url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert public_pages._placeholder() not in page
        tokens.append(token)
        response = reader.post(
            f"/programs/{call.program.slug}/tell-me/",
            {"email": f"reader{n}@library.example.org", "csrfmiddlewaretoken": token},
        )
        assert response.status_code in (200, 302), response.status_code
    assert tokens[0] != tokens[1]
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.20")
    get(other, url)
    stolen = other.post(
        f"/programs/{call.program.slug}/tell-me/",
        {"email": "someone@library.example.org", "csrfmiddlewaretoken": tokens[0]},
    )
    assert stolen.status_code == 403  # another reader's token is refused as ever


def test_each_process_holds_a_bounded_number_of_pages_the_least_recently_used_let_go():
    held = public_pages._Held(2)
    now = timezone.now()
    for key in ("a", "b"):
        held.put(key, (public_pages.Content("t", key), now, now))
    held.get("a")  # read: "b" is now the least recently used
    held.put("c", (public_pages.Content("t", "c"), now, now))
    assert held.get("b") is None
    assert held.get("a")[0].html == "a" and held.get("c")[0].html == "c"
