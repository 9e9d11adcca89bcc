import pytest
from playwright.sync_api import expect

from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory, ProgramFactory
from tests.e2e.conftest import confirm_from_email

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Str0ng-test-password"


@pytest.fixture
def cohort():
    program = ProgramFactory(name="Core Mentoring Program", short_name="Core", slug="core")
    AreaOfInterestFactory(program=program, name="Cataloging and metadata", slug="cataloging")
    AreaOfInterestFactory(program=program, name="Leadership and management", slug="leadership")
    return CohortFactory(program=program, phase="accepting", name="2031 cohort", slug="2031")


def sign_up(page, live_server, email, assert_accessible):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    confirm_from_email(page, live_server)


def test_sign_up_apply_as_both_save_a_draft_come_back_submit_and_see_the_status(
    live_server, page, assert_accessible, cohort
):
    sign_up(page, live_server, "both.applicant@example.org", assert_accessible)
    page.goto(live_server.url + cohort.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Apply to be a mentor or mentee").click()
    assert_accessible(page)

    # Choosing "both" shows the mentor and the mentee sections; "mentee" hides the mentor one.
    page.get_by_label("Mentee", exact=True).check()
    assert page.locator('[data-role="mentor"]').is_hidden()
    page.get_by_label("Both mentor and mentee").check()
    expect(page.locator('[data-role="mentor"]')).to_be_visible()
    expect(page.locator('[data-role="mentee"]')).to_be_visible()
    page.locator("#id_full_name").fill("Robin Both")
    page.locator("#id_mentee_goals").fill("Learn to lead a cataloging team.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/")  # leave...
    page.get_by_role("link", name="My applications").click()  # ...and come back
    expect(page.get_by_text("Not submitted yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Core Mentoring Program, 2031 cohort").click()
    page.get_by_role("link", name="Continue your application").click()
    assert page.locator("#id_full_name").input_value() == "Robin Both"
    assert page.locator("#id_mentee_goals").input_value() == "Learn to lead a cataloging team."

    page.locator("#id_job_title").fill("Metadata Librarian")
    page.locator("#id_employer").fill("Lakeshore State University")
    page.locator("#id_library_type").select_option("academic")
    page.locator("#id_state").select_option("GU")
    page.locator("#id_time_zone").select_option("Pacific/Guam")
    page.locator("#id_years_experience").fill("9")
    page.get_by_label("Current member").check()
    page.locator("#id_membership_number").fill("1234567")
    page.locator("#id_membership_attested").check()
    page.locator("#id_mentor_offer").fill("Nine years of metadata work.")
    page.locator('[data-role="mentor"]').get_by_label("2").check()
    page.get_by_label("Cataloging and metadata").check()
    page.get_by_label("Video call").check()
    page.locator("#id_hours_per_month").fill("4")
    page.locator("#id_commits_orientation").check()
    page.locator("#id_commits_assessment").check()
    page.get_by_role("button", name="Review your answers").click()

    # The review step: the answers as the committee will read them, then the final submit.
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    expect(page.get_by_text("Lakeshore State University")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_text("Your application is submitted")).to_be_visible()
    expect(page.locator(".badge.status-submitted")).to_have_text("Submitted")
    expect(page.get_by_text("Received.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", name="Withdraw your application?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator(".badge.status-submitted")).to_be_visible()


def test_submit_with_errors_shows_every_error_and_keeps_the_answers(
    live_server, page, phone, assert_accessible, cohort
):
    sign_up(page, live_server, "hasty@example.org", assert_accessible)
    url = live_server.url + f"/programs/core/cohorts/{cohort.slug}/apply/"
    page.goto(url)
    page.get_by_label("Mentor", exact=True).check()
    page.locator("#id_full_name").fill("Hasty <b>Applicant</b>")
    page.locator("#id_mentor_offer").fill("Twenty years in acquisitions.")
    page.locator("#id_years_experience").fill("20")
    page.get_by_role("button", name="Review your answers").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    for field in ("job_title", "employer", "capacity", "areas", "meeting_modes"):
        expect(
            page.locator(
                f"#div_id_{field} .invalid-feedback, #div_id_{field} + .invalid-feedback, "
                f"#error_1_id_{field}"
            ).first
        ).to_be_visible()
    assert page.locator("#id_full_name").input_value() == "Hasty <b>Applicant</b>"
    assert page.locator("#id_mentor_offer").input_value() == "Twenty years in acquisitions."
    assert page.locator("#id_years_experience").input_value() == "20"
    assert page.get_by_label("Mentor", exact=True).is_checked()
    assert_accessible(page)

    # The same form on a phone: no sideways scrolling, and still accessible.
    phone.context.add_cookies(page.context.cookies())
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the application form scrolls sideways on a phone"
    expect(phone.get_by_role("button", name="Review your answers")).to_be_visible()
    assert_accessible(phone)
