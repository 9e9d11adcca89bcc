"""The committee's cockpit, match health with a nudge, and the review table on a phone, in a
real browser, each page checked with axe-core."""

import itertools

import pytest
from django.test import Client
from playwright.sync_api import expect

from cohorts.models import CommitteeMembership
from matching.models import Pairing
from notifications.models import Notification
from tests.accounts.factories import PASSWORD, UserFactory
from tests.cohorts.factories import (
    AreaOfInterestFactory,
    CohortFactory,
    CommitteeMembershipFactory,
    ProgramFactory,
)
from tests.matching.bulk import bulk_cohort
from tests.participants.health_helpers import introduced_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def chair(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    program = ProgramFactory(name="Core Mentoring Program", short_name="Core")
    user = UserFactory(email="chair@example.org", full_name="Casey Chair")
    CommitteeMembershipFactory(user=user, program=program, role=CommitteeMembership.Role.CHAIR)
    return user


def test_a_chair_lands_on_the_cockpit_follows_pairs_at_risk_and_sends_a_nudge(
    live_server, page, assert_accessible, chair
):
    program = chair.committee_memberships.get().program
    cohort = CohortFactory(program=program, phase="in_progress", name="2031 cohort")
    quiet = introduced_pair(cohort=cohort, days_ago=60)
    introduced_pair(cohort=cohort, days_ago=5)
    CohortFactory(program=program, phase="accepting", name="2032 cohort")
    sign_in(page, live_server, chair)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Cohort cockpit").first.click()
    page.get_by_role("heading", name="Core 2031 cohort", exact=True).wait_for()
    expect(page.get_by_text("Mentoring in progress")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="1 pair at risk").click()
    expect(
        page.get_by_text("No check-in logged in the 60 days since the introduction.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name=f"Nudge {quiet.mentor.full_name} and {quiet.mentee.full_name}"
    ).click()
    expect(page.get_by_text(f"To: {quiet.mentor.email}")).to_be_visible()
    page.get_by_label("A note from you (optional)").fill("Coffee chat next week?")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_text("Coffee chat next week?").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the nudge").click()
    expect(page.get_by_text("The nudge is in the outbox: 2 emails.")).to_be_visible()
    assert Notification.objects.filter(kind="pair_nudge").count() == 2


def test_the_review_table_of_a_large_cohort_works_on_a_phone(
    live_server, phone, assert_accessible, chair
):
    program = chair.committee_memberships.get().program
    cohort = CohortFactory(program=program, phase="matching", name="2031 cohort")
    areas = AreaOfInterestFactory.create_batch(3, program=program)
    bulk_cohort(cohort, mentees=120, mentors=100, areas=areas, pairs=110)
    best = Pairing.objects.filter(cohort=cohort).order_by("-score").first()
    sign_in(phone, live_server, chair)

    phone.goto(live_server.url + f"/admin/matching/pairing/cohort/{cohort.pk}/review/")
    phone.get_by_role("link", name="Next page").wait_for()
    assert phone.locator("tbody tr[id^=pair-]").count() == 50
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    boxes = [
        phone.get_by_role("button", name=name, exact=True).bounding_box()
        for name in ("Approve selected", "Approve all proposed (110)", "Lock selected")
    ]
    for first, second in itertools.combinations(boxes, 2):
        overlap_x = (
            first["x"] < second["x"] + second["width"] and second["x"] < first["x"] + first["width"]
        )
        overlap_y = (
            first["y"] < second["y"] + second["height"]
            and second["y"] < first["y"] + first["height"]
        )
        assert not (overlap_x and overlap_y), "buttons overlap"
    reasons = f"Reasons for {best.mentee.full_name} and {best.mentor.full_name}"
    phone.get_by_text(reasons).click()
    expect(phone.get_by_text("shared areas: something").first).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Low score").click()
    expect(phone.get_by_text("the lowest quarter of this cohort's pairs")).to_be_visible()
    phone.get_by_role("link", name="Mentors and capacity").click()
    field = phone.get_by_role("spinbutton").first
    field.fill("0")
    phone.get_by_role("button", name="Save").first.click()
    expect(phone.get_by_text("A mentor takes 1 to 3 mentees.")).to_be_visible()
    assert phone.get_by_role("spinbutton").first.input_value() == "0"
    assert_accessible(phone)


def test_a_participant_answers_the_pulse_check_on_a_phone(live_server, phone, assert_accessible):
    from participants.health.models import PulseCheck

    pair = introduced_pair(program=ProgramFactory(), days_ago=31)
    pulse = PulseCheck.objects.create(pairing=pair, application=pair.mentee, offset_days=30)
    phone.goto(live_server.url + pulse.get_absolute_url())
    expect(phone.get_by_text(f"{pair.mentor.full_name} never sees it.")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_text("Choose a number from 1 to 5.").first).to_be_visible()
    phone.get_by_label("4").check()
    phone.get_by_label("Anything you would like the committee to know? (optional)").fill("Good")
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_text("Your answer (4 of 5) was received")).to_be_visible()
    assert_accessible(phone)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
