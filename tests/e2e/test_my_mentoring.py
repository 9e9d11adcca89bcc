import datetime as dt

import pytest
from playwright.sync_api import expect

from participants.models import CheckIn, Goal
from tests.accounts.factories import PASSWORD
from tests.cohorts.factories import CohortFactory, MilestoneFactory
from tests.e2e.conftest import confirm_address
from tests.matching.factories import AnnouncedPairingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pairing():
    cohort = CohortFactory(
        phase="in_progress",
        program__name="ALSC Mentoring Program",
        program__goal_sheet_due_days=30,
        program__suggested_activities="Read a new picture book together",
        orientation_time=dt.time(13, 0),
        orientation_link="https://meet.example.org/orientation",
    )
    MilestoneFactory(cohort=cohort, title="Virtual networking session", time=dt.time(14, 0))
    return AnnouncedPairingFactory(
        cohort=cohort,
        mentor__full_name="Morgan Mentor",
        mentor__pronouns="they/them",
        mentee__applicant__email="mia.mentee@example.org",
        mentee__full_name="Mia Mentee",
    )


def log_in(page, url, email):
    confirm_address(email)
    page.goto(url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_participant_sees_the_partner_and_adds_a_goal_and_a_check_in(
    live_server, page, pairing, assert_accessible
):
    log_in(page, live_server.url, "mia.mentee@example.org")
    page.get_by_role("link", name="My mentoring").click()
    expect(page.get_by_role("heading", name="Your mentor: Morgan Mentor")).to_be_visible()
    expect(page.get_by_text("they/them")).to_be_visible()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.get_by_text("Formal mentoring ends").first).to_be_visible()
    expect(page.get_by_text("Mentoring in progress").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a goal").click()
    assert_accessible(page)
    page.locator("#id_title").fill("Lead a bilingual storytime")
    page.locator("#id_specific").fill("Plan and lead a Spanish-English storytime.")
    page.get_by_role("button", name="Save goal").click()
    # Missing SMART fields are named beside the fields; what was typed stays.
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert page.locator("#id_title").input_value() == "Lead a bilingual storytime"
    assert_accessible(page)
    page.locator("#id_measurable").fill("Three sessions held.")
    page.locator("#id_achievable").fill("A bilingual colleague co-leads.")
    page.locator("#id_relevant").fill("Early literacy is my focus.")
    page.locator("#id_time_bound").fill("By the fourth month.")
    page.locator("#id_target_date").fill(pairing.cohort.mentoring_ends.isoformat())
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lead a bilingual storytime")).to_be_visible()
    page.get_by_role("link", name="Log a check-in").click()
    assert_accessible(page)
    page.get_by_label("Video call").check()
    page.locator("#id_notes").fill("Talked through the storytime plan.")
    page.get_by_role("button", name="Log check-in").click()
    expect(page.get_by_text("Check-in logged.")).to_be_visible()
    expect(page.get_by_text("Talked through the storytime plan.")).to_be_visible()
    assert_accessible(page)
    assert Goal.objects.filter(pairing=pairing).count() == 1
    assert CheckIn.objects.filter(pairing=pairing).count() == 1

    page.get_by_role("link", name="Add these dates to your calendar").click()
    page.get_by_role("button", name="Make my calendar address").click()
    assert "/calendar/" in page.locator("#feed-url").input_value()
    assert_accessible(page)


def test_my_mentoring_fits_a_phone(live_server, phone, pairing, assert_accessible):
    log_in(phone, live_server.url, "mia.mentee@example.org")
    phone.goto(live_server.url + "/my/mentoring/")
    expect(phone.get_by_role("heading", name="Your mentor: Morgan Mentor")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "My mentoring scrolls sideways on a phone"
    assert_accessible(phone)
