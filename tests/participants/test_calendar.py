import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from cohorts.models import Milestone
from participants.models import CalendarFeed
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory, MilestoneFactory
from tests.matching.factories import AnnouncedPairingFactory

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["summary"]).split(": ", 1)[1]: e for e in calendar.walk("VEVENT")}


def make_feed(client, user) -> str:
    client.force_login(user)
    response = client.post(reverse("participants:calendar_change"), {"action": "create"})
    assert response.status_code == 302
    return CalendarFeed.objects.get(user=user, revoked_at__isnull=True).get_absolute_url()


@pytest.fixture
def pairing():
    cohort = CohortFactory(
        phase="orientation",
        program__goal_sheet_due_days=30,
        program__time_zone="America/Chicago",
        orientation_time=dt.time(13, 0),
        orientation_link="https://meet.example.org/orientation",
    )
    MilestoneFactory(cohort=cohort, title="Networking session", time=dt.time(14, 30))
    MilestoneFactory(
        cohort=cohort,
        title="Mentor roundtable",
        kind=Milestone.Kind.OTHER,
        audience=Milestone.Audience.MENTORS,
    )
    return AnnouncedPairingFactory(cohort=cohort, status="announced", mentee__full_name="Ada Q")


def test_a_persons_feed_has_every_date_that_concerns_them_with_time_zones(client, pairing):
    url = make_feed(client, pairing.mentor.applicant)
    client.logout()  # calendar apps do not log in
    calendar = parse(client.get(url))
    by_name = events(calendar)
    cohort = pairing.cohort
    assert set(by_name) == {
        "application deadline",
        "pairings announced",
        "virtual orientation",
        "formal mentoring begins",
        "Networking session",
        "Mentor roundtable",
        "goal sheet due (with Ada Q)",
        "formal mentoring ends",
        "assessment survey closes",
    }
    orientation = by_name["virtual orientation"]
    start = orientation.decoded("dtstart")
    assert start == dt.datetime.combine(cohort.orientation_date, dt.time(13), CHICAGO)
    assert orientation["dtstart"].params["TZID"] == "America/Chicago"
    assert "https://meet.example.org/orientation" in str(orientation["description"])
    deadline = by_name["application deadline"].decoded("dtstart")
    assert deadline == dt.datetime.combine(cohort.applications_close, dt.time(23, 59), CHICAGO)
    networking = by_name["Networking session"].decoded("dtstart")
    assert networking.tzinfo is not None and networking.hour == 14
    goal_sheet = by_name["goal sheet due (with Ada Q)"]
    announced = pairing.announced_at.astimezone(CHICAGO).date()
    assert goal_sheet.decoded("dtstart") == announced + dt.timedelta(days=30)
    ends = by_name["formal mentoring ends"]
    assert ends.decoded("dtstart") == cohort.mentoring_ends
    assert ends.decoded("dtend") == cohort.mentoring_ends + dt.timedelta(days=1)
    assert by_name["assessment survey closes"].decoded("dtstart") == cohort.assessment_closes
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_a_mentee_does_not_get_the_mentors_events(client, pairing):
    url = make_feed(client, pairing.mentee.applicant)
    assert "Mentor roundtable" not in events(parse(client.get(url)))


def test_an_applicant_gets_the_deadline_and_notification_only(client):
    application = ApplicationFactory(status="submitted")
    ApplicationFactory(applicant=application.applicant, status="withdrawn")
    url = make_feed(client, application.applicant)
    assert set(events(parse(client.get(url)))) == {"application deadline", "pairings announced"}


def test_revoking_or_regenerating_the_address_stops_the_old_one(client, pairing):
    user = pairing.mentee.applicant
    first = make_feed(client, user)
    page = client.get(reverse("participants:calendar")).content.decode()
    assert first in page and "webcal://" in page
    client.post(reverse("participants:calendar_change"), {"action": "regenerate"})
    second = CalendarFeed.objects.get(user=user, revoked_at__isnull=True).get_absolute_url()
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(reverse("participants:calendar_change"), {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert (
        "Make my calendar address" in client.get(reverse("participants:calendar")).content.decode()
    )


def test_creating_twice_keeps_one_address(client, pairing):
    make_feed(client, pairing.mentee.applicant)
    make_feed(client, pairing.mentee.applicant)
    assert CalendarFeed.objects.filter(user=pairing.mentee.applicant).count() == 1


def test_an_unknown_token_answers_404(client):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_the_calendar_page_needs_a_login_and_changes_need_a_post(client):
    assert client.get(reverse("participants:calendar")).status_code == 302
    assert client.get(reverse("participants:calendar_change")).status_code in (302, 405)


def test_the_public_cohort_page_offers_its_dates_to_download(client, pairing):
    cohort = pairing.cohort
    page = client.get(cohort.get_absolute_url()).content.decode()
    url = reverse("participants:cohort_calendar", args=[cohort.program.slug, cohort.slug])
    assert url in page
    calendar = parse(client.get(url))
    names = set(events(calendar))
    assert {
        "application deadline",
        "pairings announced",
        "virtual orientation",
        "Networking session",
        "goal sheet due",
        "formal mentoring ends",
        "assessment survey closes",
    } <= names
    assert not any("Ada Q" in name for name in names)  # nobody's pairing is public
    assert client.get("/programs/nope/cohorts/nope/calendar.ics").status_code == 404
