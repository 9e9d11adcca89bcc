"""A chair runs matching on the demo's matching-phase cohort, approves all, confirms the
release, follows its scheduled emails (also on a phone) and undoes it."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from cohorts.demo import DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import Cohort
from matching.models import MatchRun, Pairing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chair_runs_matching_approves_all_and_announces(
    live_server, page, phone, assert_accessible, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    # The demo's ALCTS cohort is in matching with 40 accepted applicants and no pairs yet.
    cohort = Cohort.objects.get(program__slug="alcts", notes=DEMO_NOTE)
    assert not Pairing.objects.filter(cohort=cohort).exists()

    client = Client()
    assert client.login(username="alcts-chair@example.org", password=DEMO_PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + f"/admin/cohorts/cohort/{cohort.pk}/change/")
    page.get_by_role("link", name="Run matching").first.click()
    assert page.get_by_label("Points per shared area of interest").input_value() == "3.0"
    assert_accessible(page)
    page.get_by_role("button", name="Start matching").click()

    page.get_by_role("link", name="Review the proposed pairs").wait_for()
    run = MatchRun.objects.get(cohort=cohort)
    assert run.matched_count > 0
    matched = run.matched_count
    expect(
        page.get_by_text(f"{matched} mentees matched, {run.unmatched_count} not matched")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Review the proposed pairs").click()

    page.locator("details summary").first.click()  # the reasons, on demand
    expect(page.get_by_text("shared areas:").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Approve all proposed ({matched})").click()
    expect(page.get_by_text(f"Approved {matched} pairings.")).to_be_visible()

    page.get_by_role("link", name="Preview and announce").click()
    assert_accessible(page)
    page.get_by_text("Meet your mentor").first.click()  # opens a preview
    release = page.get_by_role(
        "button", name=re.compile(rf"Release {matched} pairings and schedule \d+ emails")
    )
    release.click()  # not confirmed yet: refused, beside the box
    expect(page.get_by_text("Check the box to confirm you have read the list.")).to_be_visible()
    assert not Pairing.objects.filter(cohort=cohort, status=Pairing.Status.ANNOUNCED).exists()
    page.get_by_label("I have checked who gets which email, and when").check()
    release.click()
    expect(page.get_by_text(f"Released {matched} pairings.")).to_be_visible()
    announced = Pairing.objects.filter(cohort=cohort, status=Pairing.Status.ANNOUNCED)
    assert announced.count() == matched
    # The ALCTS notification date is ahead: the emails wait in the outbox for it.
    assert not mail.outbox

    page.get_by_role("link", name="Scheduled emails").first.click()
    expect(page.get_by_text(f"Introduction to a partner: {2 * matched} emails")).to_be_visible()
    assert_accessible(page)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone.goto(page.url)
    expect(phone.get_by_role("button", name=re.compile("^Postpone")).first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    assert_accessible(phone)

    page.get_by_role("link", name="Announce", exact=True).click()
    page.get_by_role("button", name="Undo this release").click()
    expect(page.get_by_text("The release is undone")).to_be_visible()
    assert Pairing.objects.filter(cohort=cohort, status=Pairing.Status.APPROVED).count() == matched
