import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cohorts.models import Cohort
from tests.e2e.conftest import confirm_from_email

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_programs_and_a_cohort_timeline(live_server, page, assert_accessible):
    call_command("seed_demo")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Core Mentoring Program")).to_be_visible()
    expect(page.get_by_text("left to apply").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Core Mentoring Program").click()
    expect(page.get_by_role("heading", name="Objectives")).to_be_visible()
    assert_accessible(page)

    core = Cohort.objects.get(program__slug="core", slug="2024")
    page.goto(live_server.url + core.get_absolute_url())
    expect(page.get_by_text("September 18, 2023")).to_be_visible()
    expect(page.locator('[aria-current="step"]')).to_have_text("Closed")
    assert_accessible(page)


def test_sign_up_log_out_and_log_in_again(live_server, page, assert_accessible):
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill("new.librarian@example.org")
    page.locator("#id_password1").fill("a-Str0ng-test-password")
    page.locator("#id_password2").fill("a-Str0ng-test-password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    assert_accessible(page)
    confirm_from_email(page, live_server)
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("new.librarian@example.org")
    page.locator("#id_password").fill("a-Str0ng-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("new.librarian@example.org").first).to_be_visible()
    page.goto(live_server.url + "/accounts/password/reset/")
    assert_accessible(page)


def test_home_page_works_on_a_phone(live_server, phone, assert_accessible):
    call_command("seed_demo")
    phone.goto(live_server.url + "/")
    # The menu collapses behind a button on a narrow screen and still opens.
    toggle = phone.get_by_role("button", name="Toggle navigation")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(phone.get_by_role("link", name="Log in")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert_accessible(phone)
