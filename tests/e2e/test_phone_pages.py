"""Every public and participant page at 390 px wide: nothing scrolls sideways, axe finds nothing.

One demo, many pages: the pages people reach from a phone, logged out, as an applicant and as a
participant (the public pages, the application form, My applications, My mentoring and its
forms, the calendar, the survey, Your account, Your data, the deletion step, the subscription
pages and the account pages).
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from assessment.models import Invitation
from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import CallSubscription, Cohort, Program
from matching.models import Pairing
from participants.health.models import PulseCheck

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WEEK = dt.timedelta(days=7)


def check(page, url, assert_accessible):
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    fits(page, url, assert_accessible)


def fits(page, url, assert_accessible):
    """The page as it is now fits 390 px and passes axe."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{url} is {width} px wide on a 390 px phone"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
    )
    assert not wide, f"{url}: {wide} reach past the screen's edge"
    assert_accessible(page)


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_public_and_participant_pages_fit_a_phone(live_server, phone, assert_accessible):
    call_command("seed_demo")
    base = live_server.url
    call = Cohort.objects.get(program__slug="alsc", notes=DEMO_NOTE)
    matching = Cohort.objects.get(program__slug="alcts", notes=DEMO_NOTE)
    finished = Cohort.objects.get(program__slug="alsc", notes=DEMO_EARLIER_NOTE)
    subscription = CallSubscription.objects.create(
        program=Program.objects.get(slug="core"), email="phone@example.org"
    )
    invitation = Invitation.objects.filter(survey__cohort=finished).first()

    for path in [
        "/",
        "/programs/alcts/",
        "/programs/alsc/",
        call.get_absolute_url(),
        matching.get_absolute_url(),
        "/programs/core/tell-me/",
        "/programs/core/tell-me/sent/",
        subscription.get_confirm_url(),
        f"/surveys/{invitation.token}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        check(phone, base + path, assert_accessible)
    check(phone, base + subscription.get_unsubscribe_url(), assert_accessible)

    log_in(phone, base, "applicant@example.org")
    application = Application.objects.get(applicant__email="applicant@example.org", cohort=call)
    for path in [
        "/my/applications/",
        application.get_absolute_url(),
        f"/programs/alsc/cohorts/{call.slug}/apply/",
        f"/my/applications/{application.pk}/withdraw/",
    ]:
        check(phone, base + path, assert_accessible)

    pairing = Pairing.objects.filter(cohort__program__slug="core").order_by("pk").first()
    phone.context.clear_cookies()
    log_in(phone, base, pairing.mentee.applicant.email)
    for path in [
        "/my/mentoring/",
        f"/my/mentoring/pairings/{pairing.pk}/goals/new/",
        f"/my/mentoring/pairings/{pairing.pk}/check-ins/new/",
        f"/my/mentoring/pairings/{pairing.pk}/flag-a-problem/",
        "/my/mentoring/calendar/",
        "/my/account/",
    ]:
        check(phone, base + path, assert_accessible)
    # "What's next" asks this quiet pair to meet.
    assert phone.goto(base + "/my/mentoring/").ok
    assert (
        phone.get_by_text("no check-in is logged yet").count()
        + phone.get_by_text("your last check-in was").count()
        >= 1
    )

    # Your data and the deletion step ask for the password again first.
    phone.goto(base + "/my/account/data/")
    phone.locator("#id_password").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_load_state()
    for path in ["/my/account/data/", "/my/account/delete/", "/accounts/email/"]:
        check(phone, base + path, assert_accessible)


def test_the_browsers_time_zone_shows_deadlines_in_the_readers_time_too(
    live_server, browser, assert_accessible
):
    """No profile, no form: static/js/timezone.js tells the server the browser's zone, and the
    next page adds the reader's time to the program's."""
    from tests.cohorts.factories import CohortFactory

    cohort = CohortFactory(phase="accepting")
    context = browser.new_context(timezone_id="Pacific/Guam")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert "for you" not in page.locator("main").inner_text()  # the first page cannot know
    page.goto(live_server.url + cohort.get_absolute_url())
    text = page.locator("main").inner_text()
    assert "11:59 p.m. Central Time (" in text and "Chamorro for you)" in text
    assert_accessible(page)
    context.close()


def test_forms_sent_back_with_errors_fit_a_phone_and_name_each_error(
    live_server, phone, assert_accessible
):
    """The survey, the pulse check and a check-in, each sent without its answers: the page
    comes back with every message under its question, fits the phone and passes axe."""
    call_command("seed_demo")
    base = live_server.url
    finished = Cohort.objects.get(program__slug="alsc", notes=DEMO_EARLIER_NOTE)
    invitation = Invitation.objects.filter(survey__cohort=finished, response__isnull=True).first()
    survey = invitation.survey  # open for this test, whatever day the demo was loaded
    survey.opens, survey.closes = timezone.now() - dt.timedelta(days=1), timezone.now() + WEEK
    survey.save(update_fields=["opens", "closes"])
    pulse = PulseCheck.objects.filter(answered_at__isnull=True).first()
    pairing = Pairing.objects.filter(cohort__program__slug="core").order_by("pk").first()

    def sent_empty(url, button):
        phone.goto(url)
        phone.get_by_role("button", name=button).click()
        phone.wait_for_load_state()
        fits(phone, url, assert_accessible)
        first_error = phone.locator(".invalid-feedback").first
        expect(first_error).to_be_visible()
        # Each group names its message: a screen reader hears it with the question.
        for group in phone.locator("fieldset[aria-describedby]").all():
            for error_id in group.get_attribute("aria-describedby").split():
                assert phone.locator(f"#{error_id}").count() == 1, error_id

    sent_empty(f"{base}/surveys/{invitation.token}/", "Send my answers")
    sent_empty(f"{base}/pulse/{pulse.token}/", "Send my answer")
    log_in(phone, base, pairing.mentee.applicant.email)
    sent_empty(f"{base}/my/mentoring/pairings/{pairing.pk}/check-ins/new/", "Log check-in")
